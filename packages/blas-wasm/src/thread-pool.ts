/**
 * A pool of workers sharing the device's `WebAssembly.Memory` (Node `worker_threads`, browser Web
 * Workers). The main thread is thread 0: {@link ThreadPool.run} wakes `active − 1` workers, runs
 * its own share, then waits for them (Node: `Atomics.wait`; a browser main thread may not block,
 * so it spins on `Atomics.load`, which is short since it worked too).
 * @internal
 */
import { canBlockHere, isNode, nodeBuiltin } from "./platform.js";
import { workerSource } from "./worker-main.js";

/** Control slots (i32) of the shared control block. */
const GEN = 0, CMD = 1, JOB = 2, DONE = 4, FAILED = 5, KIND = 6;
/**
 * Slot ASSIGN + tid holds the generation worker tid is to run. A worker runs a generation only when
 * it is assigned to it, and each generation once: a worker that wakes late for a job it was not part
 * of, while the next job's slots are being written, must not run that next job twice (with 3+
 * threads and jobs that use fewer threads than the pool has, it could, and count itself done twice).
 */
const ASSIGN = 8;
/** Most workers the control block has slots for. */
const MAX_WORKERS = 248;
/** How long the calling thread waits for the workers after it trapped itself, before it stops the pool. */
const TRAP_WAIT_MS = 2000;
const RUN = 1, EXIT = 2;
/** Polls of the done count before the calling thread sleeps. */
const SPINS = 20000;
/**
 * What a job runs: 0 `gemmRun` (assembly/gemm/driver.ts), 1 `convRun` (assembly/conv-implicit.ts),
 * 2 `convFilterRun` (assembly/conv-filter.ts). @internal
 */
export type JobKind = 0 | 1 | 2;

/** Bytes of the control block. @internal */
export const CONTROL_BYTES = (ASSIGN + MAX_WORKERS) * 4;

interface PoolWorker {
  postMessage(m: unknown): void;
  terminate(): unknown;
}

/** @internal */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private disposed = false;
  private readonly canBlock: boolean;

  private constructor(
    private readonly workers: PoolWorker[],
    memory: WebAssembly.Memory,
    ctlAddress: number,
  ) {
    this.ctl = new Int32Array(memory.buffer, ctlAddress, CONTROL_BYTES / 4);
    this.canBlock = canBlockHere();
  }

  /** Starts `count` workers, each instantiating `module` over `memory`; resolves when all are ready. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, ctlAddress: number): Promise<ThreadPool> {
    if (count > MAX_WORKERS) throw new RangeError(`wasm thread pool: at most ${MAX_WORKERS + 1} threads, got ${count + 1}`);
    new Int32Array(memory.buffer, ctlAddress, CONTROL_BYTES / 4).fill(0);
    const workers: PoolWorker[] = [];
    const ready: Promise<void>[] = [];
    let blobUrl: string | undefined;
    if (isNode()) {
      const { Worker } = await nodeBuiltin<{ Worker: new (src: string, o: { eval: boolean }) => PoolWorker & NodeWorkerEvents }>("node:worker_threads");
      for (let i = 0; i < count; i++) {
        const w = new Worker(workerSource, { eval: true });
        w.unref();
        ready.push(new Promise<void>((resolve, reject) => {
          w.once("message", () => resolve());
          w.once("error", reject);
        }));
        workers.push(w);
      }
    } else {
      blobUrl = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      for (let i = 0; i < count; i++) {
        const w = new Worker(blobUrl);
        ready.push(new Promise<void>((resolve, reject) => {
          w.onmessage = () => resolve();
          w.onerror = (e) => reject(new Error(`wasm worker failed to start: ${e.message}`));
        }));
        workers.push(w);
      }
    }
    workers.forEach((w, i) => w.postMessage({ module, memory, ctl: ctlAddress, tid: i + 1 }));
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    } finally {
      if (blobUrl !== undefined) URL.revokeObjectURL(blobUrl);
    }
    return new ThreadPool(workers, memory, ctlAddress);
  }

  /** Workers in the pool (threads − 1). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `job` on `active` threads (this one plus `active − 1` workers): `runHere(job, 0)` on the
   * calling thread, on the workers the export of `kind` (see {@link JobKind}) with `(job, tid)`.
   * Returns when all are done.
   */
  run(job: number, active: number, kind: JobKind, runHere: (job: number, tid: number) => void): void {
    if (this.disposed) throw new Error("wasm thread pool: used after dispose()");
    const c = this.ctl;
    const gen = Atomics.load(c, GEN) + 1;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, JOB, job);
    Atomics.store(c, KIND, kind);
    Atomics.store(c, CMD, RUN);
    for (let tid = 1; tid < active; tid++) Atomics.store(c, ASSIGN + tid, gen);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    let trap: unknown;
    try {
      runHere(job, 0);
    } catch (e) {
      trap = e;
    }
    const want = active - 1;
    // The workers finish about when this thread does: poll first, sleep only if they lag. They
    // read this job's record and scratch, so this thread waits for them even after it trapped
    // (a little: a worker may wait at a barrier for this thread forever; then the pool is stopped).
    const deadline = trap === undefined ? Infinity : Date.now() + TRAP_WAIT_MS;
    for (let i = 0; i < SPINS && Atomics.load(c, DONE) < want; i++);
    for (let d = Atomics.load(c, DONE); d < want; d = Atomics.load(c, DONE)) {
      if (Date.now() > deadline) {
        this.dispose();
        throw new Error("wasm thread pool: the calling thread trapped and the workers did not finish; the pool was stopped (the device cannot run threaded jobs any more)", { cause: trap });
      }
      if (this.canBlock) Atomics.wait(c, DONE, d, 50);
    }
    if (trap !== undefined) throw trap;
    if (Atomics.load(c, FAILED)) throw new Error("wasm thread pool: a worker trapped while running a job");
  }

  /** Stops the workers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctl, CMD, EXIT);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) w.terminate();
  }
}

interface NodeWorkerEvents {
  unref(): void;
  once(event: "message" | "error", f: (v: never) => void): void;
}
