/**
 * Browser twin of `#host` (package.json `imports`, every condition but `node`): cores from
 * `navigator.hardwareConcurrency`, the `.wasm` asset fetched and compiled while streaming, Web
 * Workers started from a Blob URL (threads need a
 * cross-origin isolated page). The Node twin is `host.node.ts`.
 * @internal
 */
import type { PoolWorker, SpawnedWorkers } from "./thread-pool.js";
import { fetchWasmModule } from "./wasm-asset.js";
import { workerSourceFor } from "./worker-main.js";

/** Cores available to this page (`navigator.hardwareConcurrency`, 1 when unknown). @internal */
export async function availableCores(): Promise<number> {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, n ?? 1);
}

/** Browsers cannot set engine flags: false. @internal */
export function setEngineFlag(_flag: string): boolean {
  return false;
}

/**
 * Fetches and compiles the wasm module at `url` (`WebAssembly.compileStreaming` when the server
 * sends `application/wasm`, else download and compile). Errors name `fn` and the URL. @internal
 */
export async function compileWasmAsset(fn: string, url: URL): Promise<WebAssembly.Module> {
  return fetchWasmModule(fn, url);
}

/** Why workers cannot run here beyond shared memory: no isolation, or no Web Workers. @internal */
export function workersUnavailable(): string | undefined {
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
    return "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
  }
  return typeof Worker === "undefined" ? "Web Workers are not available" : undefined;
}

/**
 * The worker's connection to the pool in a browser: its global scope. Shipped as source text into
 * the worker (see worker-main.ts), so it must stay self-contained.
 */
/* eslint-disable */
function browserWorkerHost(): unknown {
  const g = globalThis as any;
  return {
    post: (m: unknown) => g.postMessage(m),
    onStart: (f: (m: unknown) => void) => {
      g.onmessage = (e: { data: unknown }) => {
        g.onmessage = null;
        f(e.data);
      };
    },
    close: () => g.close(),
  };
}

const workerSource = workerSourceFor(browserWorkerHost.toString());

/** Starts `starts.length` Web Workers from a Blob URL (revoked by `release`). @internal */
export async function spawnWorkers(starts: Record<string, unknown>[], died: (tid: number) => void, _watchdogStart: Record<string, unknown>): Promise<SpawnedWorkers> {
  const blobUrl = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  const workers: PoolWorker[] = [];
  const ready: Promise<void>[] = [];
  starts.forEach((_, i) => {
    const w = new Worker(blobUrl);
    let started = false;
    let fail: (e: Error) => void = () => {};
    ready.push(new Promise<void>((resolve, reject) => {
      fail = reject;
      w.onmessage = () => {
        started = true;
        resolve();
      };
    }));
    w.onerror = (e) => {
      if (!started) fail(new Error(`wasm worker failed to start: ${e.message}`));
      else died(i + 1);
    };
    workers.push(w);
  });
  return { workers, watchdog: undefined, ready, release: () => URL.revokeObjectURL(blobUrl) };
}
