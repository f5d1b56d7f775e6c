/**
 * The engine behind a wasm device: the instantiated module, its heap and, with threads, the worker
 * pool over the same shared memory. Created once per device by {@link createEngine}.
 * @internal
 */
import { checkBlocking, DEFAULT_BLOCKING, type GemmBlocking } from "./blocking.js";
import type { WasmExports } from "./exports.js";
import { relaxedSimdAvailable, SIMD_PROBE, threadsAvailable } from "./features.js";
import { WasmHeap } from "./heap.js";
import { availableCores } from "#host";
import { canBlockHere } from "./platform.js";
import { CONTROL, CONTROL_BYTES } from "./pool-control.js";
import { ThreadPool, type JobKind } from "./thread-pool.js";
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
    private pool: ThreadPool | undefined,
  ) {}

  /** Whether this (the calling) thread may block in `Atomics.wait`: Node yes, a browser's main thread no. */
  readonly mainCanBlock = canBlockHere();

  /**
   * Threads a product may use (1 + workers). Once a worker has died, the pool is stopped and the
   * engine goes on with one thread (results do not depend on the thread count), saying so once.
   */
  get threads(): number {
    return 1 + (this.livePool()?.size ?? 0);
  }

  /** The pool while no thread of it has died; else stops it (once) and returns undefined. */
  private livePool(): ThreadPool | undefined {
    if (this.pool?.broken) {
      this.pool.dispose();
      this.pool = undefined;
      // This thread's instance no longer watches the pool's abort flag (which a death leaves set).
      this.exports.setAbortFlag(0);
      console.warn("@tessera/blas-wasm: a worker thread of a wasm device exited; the device goes on with 1 thread.");
    }
    return this.pool;
  }

  /** The worker pool, if any (tests reach its hooks through this). @internal */
  get threadPool(): ThreadPool | undefined {
    return this.pool;
  }

  /** Whether the micro-kernel uses `f32x4.relaxed_madd`. */
  get relaxed(): boolean {
    return this.variant.startsWith("relaxed");
  }

  /** Runs a gemm job on `active` threads. */
  runJob(job: number, active: number): void {
    this.run(job, active, 0, this.exports.gemmRun);
  }

  /** Runs an implicit-GEMM convolution job on `active` threads: kind 1 forward, 2 backward-filter. */
  runConvJob(job: number, active: number, kind: 1 | 2 = 1): void {
    this.run(job, active, kind, kind === 1 ? this.exports.convRun : this.exports.convFilterRun);
  }

  /** Runs a split job (assembly/split.ts) of routine `name` on `active` threads. */
  runSplitJob(job: number, active: number, name: string): void {
    this.run(job, active, 3, this.exports.splitRun, name);
  }

  /** Runs a Winograd transform job (assembly/winograd.ts) on `active` threads. */
  runWinogradJob(job: number, active: number): void {
    this.run(job, active, 4, this.exports.winogradRun);
  }

  /** Runs a Winograd F(4×4, 3×3) job (assembly/winograd4.ts) on `active` threads. */
  runWinograd4Job(job: number, active: number): void {
    this.run(job, active, 5, this.exports.winograd4Run);
  }

  /**
   * A job planned for `active` threads: on the pool (which throws if a thread died meanwhile; the
   * job record counts on `active` threads at its barriers), or on this thread alone, after a
   * broken pool has been dropped (its abort flag would cut the job short).
   */
  private run(job: number, active: number, kind: JobKind, here: (job: number, tid: number) => void, name?: string): void {
    if (active > 1 && this.pool) this.pool.run(job, active, kind, here, name);
    else if (active > 1) throw new Error(`wasm engine: a job planned for ${active} threads without a thread pool (internal error)`);
    else {
      this.livePool();
      here(job, 0);
    }
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
  const module = await compileVariant(variant, fn);
  const heap = new WasmHeap({ shared: threads > 1, maxBytes: maxMiB * 2 ** 20 });
  const instance = await WebAssembly.instantiate(module, { env: { memory: heap.memory } });
  const exports = instance.exports as unknown as WasmExports;
  heap.reserveBelow(exports.heapBase());
  let pool: ThreadPool | undefined;
  if (threads > 1) {
    const ctl = heap.alloc(CONTROL_BYTES);
    pool = await ThreadPool.start(threads - 1, module, heap.memory, ctl);
    exports.setAbortFlag(ctl + CONTROL.ABORT * 4);
  }
  return new WasmEngine(exports, heap, variant, blocking, pool);
}
