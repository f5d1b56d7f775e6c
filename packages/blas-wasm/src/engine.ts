/**
 * The engine behind a wasm device: the instantiated module, its heap and, with threads, the worker
 * pool over the same shared memory. Created once per device by {@link createEngine}.
 * @internal
 */
import { checkBlocking, DEFAULT_BLOCKING, type GemmBlocking } from "./blocking.js";
import type { WasmExports } from "./exports.js";
import { relaxedSimdAvailable, SIMD_PROBE, threadsAvailable } from "./features.js";
import { WasmHeap } from "./heap.js";
import { availableCores, canBlockHere } from "./platform.js";
import { CONTROL_BYTES, ThreadPool } from "./thread-pool.js";
import { compileVariant, variantFor, type Variant } from "./variants.js";

/** How the engine was asked to be built. @internal */
export interface EngineOptions {
  readonly threads?: number;
  readonly simd?: "auto" | "relaxed" | "plain";
  readonly blocking?: Partial<GemmBlocking>;
  readonly maxMemoryMiB?: number;
}

/** @internal */
export class WasmEngine {
  constructor(
    readonly exports: WasmExports,
    readonly heap: WasmHeap,
    readonly variant: Variant,
    readonly blocking: GemmBlocking,
    readonly pool: ThreadPool | undefined,
  ) {}

  /** Whether this (the calling) thread may block in `Atomics.wait`: Node yes, a browser's main thread no. */
  readonly mainCanBlock = canBlockHere();

  /** Threads a product may use (1 + workers). */
  get threads(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /** Whether the micro-kernel uses `f32x4.relaxed_madd`. */
  get relaxed(): boolean {
    return this.variant.startsWith("relaxed");
  }

  /** Runs a gemm job on `active` threads. */
  runJob(job: number, active: number): void {
    if (active > 1 && this.pool) this.pool.run(job, active, 0, this.exports.gemmRun);
    else this.exports.gemmRun(job, 0);
  }

  /** Runs an implicit-GEMM convolution job on `active` threads: kind 1 forward, 2 backward-filter. */
  runConvJob(job: number, active: number, kind: 1 | 2 = 1): void {
    const run = kind === 1 ? this.exports.convRun : this.exports.convFilterRun;
    if (active > 1 && this.pool) this.pool.run(job, active, kind, run);
    else run(job, 0);
  }

  /** Stops the workers; the engine must not be used afterwards. */
  dispose(): void {
    this.pool?.dispose();
  }
}

const warned = new Set<string>();

/** Prints a message once per process (console.warn). @internal */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** Builds an engine: picks the variant from the features, compiles, instantiates, starts workers. @internal */
export async function createEngine(fn: string, o: EngineOptions): Promise<WasmEngine> {
  const simd = o.simd ?? "auto";
  if (simd !== "auto" && simd !== "relaxed" && simd !== "plain") {
    throw new RangeError(`${fn}: simd must be 'auto', 'relaxed' or 'plain', got ${JSON.stringify(simd)}`);
  }
  if (!WebAssembly.validate(SIMD_PROBE)) throw new Error(`${fn}: this engine does not support WebAssembly SIMD, which the wasm device requires`);
  let relaxed = simd !== "plain" && (await relaxedSimdAvailable());
  if (simd === "relaxed" && !relaxed) throw new Error(`${fn}: simd: 'relaxed' was requested but relaxed SIMD does not validate in this engine`);
  relaxed = relaxed && simd !== "plain";
  let threads = o.threads ?? (await availableCores());
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`${fn}: threads must be a positive integer, got ${o.threads}`);
  if (threads > 1) {
    const reason = await threadsAvailable();
    if (reason !== undefined) {
      warnOnce(`@tessera/blas-wasm: running on 1 thread instead of ${threads}: ${reason}.`);
      threads = 1;
    }
  }
  const blocking = checkBlocking(fn, { ...DEFAULT_BLOCKING, ...o.blocking });
  const maxMiB = o.maxMemoryMiB ?? 4096;
  if (!(maxMiB >= 16 && maxMiB <= 4096)) throw new RangeError(`${fn}: maxMemoryMiB must be in [16, 4096], got ${o.maxMemoryMiB}`);
  const variant = variantFor(relaxed, threads > 1);
  const module = await compileVariant(variant);
  const heap = new WasmHeap({ shared: threads > 1, maxBytes: maxMiB * 2 ** 20 });
  const instance = await WebAssembly.instantiate(module, { env: { memory: heap.memory } });
  const exports = instance.exports as unknown as WasmExports;
  heap.reserveBelow(exports.heapBase());
  const pool = threads > 1 ? await ThreadPool.start(threads - 1, module, heap.memory, heap.alloc(CONTROL_BYTES)) : undefined;
  return new WasmEngine(exports, heap, variant, blocking, pool);
}
