/**
 * Node twin of `#host` (package.json `imports`, condition `node`): what Node offers the wasm device —
 * its cores, V8's relaxed-SIMD flag, the `.wasm` asset read from disk, and `worker_threads` workers
 * with a watchdog thread. The browser twin (`host.browser.ts`) has the same exports over
 * `navigator`, `fetch` and Web Workers.
 * @internal
 */
/// <reference types="node" />
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { MessageChannel, Worker } from "node:worker_threads";
import type { PoolWorker, SpawnedWorkers } from "./thread-pool.js";
import { fetchWasmModule, isWasmModule } from "./wasm-asset.js";
import { watchdogSource } from "./watchdog-main.js";
import { workerSourceFor } from "./worker-main.js";

/** Cores available to this process (`os.availableParallelism()`). @internal */
export async function availableCores(): Promise<number> {
  return Math.max(1, availableParallelism());
}

/** Sets a V8 flag (here: relaxed SIMD on Node 20); false when the host cannot. @internal */
export function setEngineFlag(flag: string): boolean {
  setFlagsFromString(flag);
  return true;
}

/**
 * Compiles the wasm module at `url`: a `file:` URL (the package's own `dist/generated/*.wasm`) is
 * read from disk, any other is fetched as in browsers. Errors name `fn` and the file. @internal
 */
export async function compileWasmAsset(fn: string, url: URL): Promise<WebAssembly.Module> {
  if (url.protocol !== "file:") return fetchWasmModule(fn, url);
  const path = fileURLToPath(url);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`${fn}: could not read the wasm module ${path}: ${(e as Error).message} (build @tessera/blas-wasm: pnpm build)`, { cause: e });
  }
  if (!isWasmModule(bytes)) throw new Error(`${fn}: ${path} is not a wasm module (${bytes.length} bytes, no \\0asm header)`);
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new Error(`${fn}: the wasm module ${path} does not compile: ${(e as Error).message}`, { cause: e });
  }
}

/** Why workers cannot run here beyond shared memory (never, in Node). @internal */
export function workersUnavailable(): string | undefined {
  return undefined;
}

/**
 * The worker's connection to the pool in Node: its `parentPort`. Shipped as source text into the
 * worker (see worker-main.ts), so it must stay self-contained.
 */
/* eslint-disable */
function nodeWorkerHost(): unknown {
  const parent = (globalThis as any).require("node:worker_threads").parentPort;
  return {
    post: (m: unknown) => parent.postMessage(m),
    onStart: (f: (m: unknown) => void) => parent.once("message", f),
    close: () => parent.close(),
  };
}

const workerSource = workerSourceFor(nodeWorkerHost.toString());

interface NodeWorker extends PoolWorker {
  unref(): void;
  on(event: "exit" | "error", f: (v: never) => void): void;
  once(event: "message" | "error", f: (v: never) => void): void;
}

/**
 * Starts `starts.length` workers and their watchdog: each worker holds one end of a
 * MessageChannel, the watchdog the other, so a worker's death (however it dies) is marked in the
 * control block even while the calling thread is blocked. Sets `starts[i].port`. @internal
 */
export async function spawnWorkers(starts: Record<string, unknown>[], died: (tid: number) => void, watchdogStart: Record<string, unknown>): Promise<SpawnedWorkers> {
  const workers: PoolWorker[] = [];
  const ready: Promise<void>[] = [];
  const ports: { tid: number; port: unknown }[] = [];
  starts.forEach((start, i) => {
    const w = new Worker(workerSource, { eval: true }) as unknown as NodeWorker;
    w.unref();
    ready.push(new Promise<void>((resolve, reject) => {
      w.once("message", () => resolve());
      w.once("error", reject);
    }));
    w.on("exit", () => died(i + 1));
    w.on("error", () => died(i + 1));
    const { port1, port2 } = new MessageChannel();
    start.port = port2;
    ports.push({ tid: i + 1, port: port1 });
    workers.push(w);
  });
  const wd = new Worker(watchdogSource, { eval: true }) as unknown as NodeWorker;
  wd.unref();
  // Without its watchdog the pool could hang on the next death: stop using it.
  wd.on("exit", () => died(0));
  ready.push(new Promise<void>((resolve, reject) => {
    wd.once("message", () => resolve());
    wd.once("error", reject);
  }));
  wd.postMessage({ ...watchdogStart, ports }, ports.map((p) => p.port));
  return { workers, watchdog: wd, ready, release: () => undefined };
}
