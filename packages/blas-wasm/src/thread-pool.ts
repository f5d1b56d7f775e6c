/**
 * A pool of workers sharing the device's `WebAssembly.Memory` (Node `worker_threads`, browser Web
 * Workers). The main thread is thread 0: {@link ThreadPool.run} wakes `active − 1` workers, runs
 * its own share, then waits for them (Node: `Atomics.wait`; a browser main thread may not block,
 * so it spins on `Atomics.load`, which is short since it worked too).
 *
 * A worker that dies (terminated, crashed, exited) is marked dead in the control block: in Node by
 * a watchdog thread (watchdog-main.ts) whose event loop, unlike the blocked calling thread's, stays
 * free to hear it, and by the calling thread's own `exit`/`error` listeners between jobs (the only
 * way in browsers). A death aborts the running job (barriers stop waiting), the job fails with an
 * error, and the pool is {@link ThreadPool.broken}: the engine stops it and goes on with one thread.
 * @internal
 */
import { spawnWorkers } from "#host";
import { canBlockHere } from "./platform.js";
import { CONTROL as S, CONTROL_BYTES, markDead, MAX_WORKERS } from "./pool-control.js";

/** Polls of the done count before the calling thread sleeps. */
const SPINS = 20000;
/** How the kernels' job kinds are named in errors. */
const JOB_NAMES = ["sgemm", "convForward", "convBackwardFilter", "split routine", "winograd", "winograd F(4×4)"] as const;
/**
 * What a job runs: 0 `gemmRun` (assembly/gemm/driver.ts), 1 `convRun` (assembly/conv-implicit.ts),
 * 2 `convFilterRun` (assembly/conv-filter.ts), 3 `splitRun` (assembly/split.ts), 4 `winogradRun`
 * (assembly/winograd.ts), 5 `winograd4Run` (assembly/winograd4.ts). @internal
 */
export type JobKind = 0 | 1 | 2 | 3 | 4 | 5;

/** A worker of the pool, Node's or a browser's. @internal */
export interface PoolWorker {
  postMessage(m: unknown, transfer?: unknown[]): void;
  terminate(): unknown;
}

/** What `spawnWorkers` (`#host`: host.node.ts, host.browser.ts) started. @internal */
export interface SpawnedWorkers {
  readonly workers: PoolWorker[];
  /** Node's watchdog thread (none in browsers). */
  readonly watchdog: PoolWorker | undefined;
  /** Settles when each worker (and the watchdog) has started. */
  readonly ready: Promise<void>[];
  /** Frees what starting needed (a browser's Blob URL). */
  release(): void;
}

/** @internal */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private disposed = false;
  private readonly canBlock: boolean;
  /** Test hook: the worker to kill once it has started the next job (before this thread runs its share). @internal */
  killDuringNextJob: number | undefined;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly watchdog: PoolWorker | undefined,
    memory: WebAssembly.Memory,
    ctlAddress: number,
  ) {
    this.ctl = new Int32Array(memory.buffer, ctlAddress, CONTROL_BYTES / 4);
    this.canBlock = canBlockHere();
  }

  /** Starts `count` workers (and, in Node, their watchdog) over `memory`; resolves when all are ready. */
  static async start(count: number, module: WebAssembly.Module, memory: WebAssembly.Memory, ctlAddress: number): Promise<ThreadPool> {
    if (count > MAX_WORKERS) throw new RangeError(`wasm thread pool: at most ${MAX_WORKERS + 1} threads, got ${count + 1}`);
    const ctl = new Int32Array(memory.buffer, ctlAddress, CONTROL_BYTES / 4);
    ctl.fill(0);
    let pool: ThreadPool | undefined;
    // Between jobs (and in browsers, always) the calling thread hears a death itself.
    const died = (tid: number) => {
      if (!pool?.disposed) markDead(ctl, tid, S);
    };
    const starts = Array.from({ length: count }, (_, i) => ({ module, memory, ctl: ctlAddress, tid: i + 1, slots: S }) as Record<string, unknown>);
    const { workers, watchdog, ready, release } = await spawnWorkers(starts, died, { memory, ctl: ctlAddress, slots: S });
    workers.forEach((w, i) => w.postMessage(starts[i], starts[i].port === undefined ? [] : [starts[i].port]));
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const w of workers) w.terminate();
      watchdog?.terminate();
      throw e;
    } finally {
      release();
    }
    pool = new ThreadPool(workers, watchdog, memory, ctlAddress);
    return pool;
  }

  /** Workers in the pool (threads − 1). */
  get size(): number {
    return this.workers.length;
  }

  /** Whether a worker (or the watchdog) has died: the pool must not run jobs any more. */
  get broken(): boolean {
    return Atomics.load(this.ctl, S.DEATHS) > 0;
  }

  /** The workers that have died (tids; 0 stands for the watchdog). */
  private deadWorkers(): number[] {
    const dead: number[] = [];
    for (let tid = 0; tid <= this.workers.length; tid++) if (Atomics.load(this.ctl, S.DEAD + tid)) dead.push(tid);
    return dead;
  }

  /**
   * Runs `job` on `active` threads (this one plus `active − 1` workers): `runHere(job, 0)` on the
   * calling thread, on the workers the export of `kind` (see {@link JobKind}) with `(job, tid)`.
   * Returns when all are done; throws, naming the job (`name`, default the kind's), when a worker
   * trapped or died.
   */
  run(job: number, active: number, kind: JobKind, runHere: (job: number, tid: number) => void, name: string = JOB_NAMES[kind]): void {
    const fn = name;
    if (this.disposed) throw new Error(`${fn}: wasm thread pool used after dispose()`);
    if (this.broken) throw this.deathError(fn, false);
    const c = this.ctl;
    const gen = Atomics.load(c, S.GEN) + 1;
    Atomics.store(c, S.DONE, 0);
    Atomics.store(c, S.FAILED, 0);
    Atomics.store(c, S.ABORT, 0);
    Atomics.store(c, S.JOB, job);
    Atomics.store(c, S.KIND, kind);
    Atomics.store(c, S.CMD, S.RUN);
    for (let tid = 1; tid < active; tid++) Atomics.store(c, S.ASSIGN + tid, gen);
    Atomics.store(c, S.GEN, gen);
    Atomics.notify(c, S.GEN);
    if (this.killDuringNextJob !== undefined) this.killMidJob(this.killDuringNextJob, gen);
    let trap: unknown;
    try {
      runHere(job, 0);
    } catch (e) {
      trap = e;
      // The workers may wait at a barrier for this thread: release them.
      Atomics.store(c, S.ABORT, 1);
    }
    // A split job's and a Winograd phase's tasks come from a ticket and need no barrier: once this
    // thread is back, every task has been taken, so a worker that has not claimed the job yet
    // (asleep, or not scheduled on a busy machine) is told not to start it and is not waited for.
    let revoked = 0;
    const skip: boolean[] = [];
    if (kind === 3 || kind === 4 || kind === 5) {
      for (let tid = 1; tid < active; tid++) {
        if (Atomics.compareExchange(c, S.ASSIGN + tid, gen, 0) === gen) {
          skip[tid] = true;
          revoked++;
        }
      }
    }
    // The workers finish about when this thread does: poll first, sleep only if they lag. They
    // read this job's record and scratch, so this thread waits for every one of them that claimed
    // the job to finish or die (a death bumps DONE too) before it returns, even after a trap.
    const pending = () => {
      for (let tid = 1; tid < active; tid++) {
        if (!skip[tid] && Atomics.load(c, S.FINISHED + tid) !== gen && !Atomics.load(c, S.DEAD + tid)) return true;
      }
      return false;
    };
    // The spin watches one slot (every finish and every death bumps it); the loop below decides.
    for (let i = 0; i < SPINS && Atomics.load(c, S.DONE) < active - 1 - revoked; i++);
    while (pending()) {
      // A timed wait only re-checks the slots (a wake-up between the check and the wait is not lost for long).
      if (this.canBlock) Atomics.wait(c, S.DONE, Atomics.load(c, S.DONE), 50);
    }
    if (this.broken) throw this.deathError(fn, true, trap);
    if (trap !== undefined) throw trap;
    if (Atomics.load(c, S.FAILED)) throw new Error(`${fn}: a wasm worker thread trapped while running this job; its output is incomplete`);
  }

  private deathError(fn: string, running: boolean, cause?: unknown): Error {
    const dead = this.deadWorkers();
    const who = dead.includes(0) ? "the pool's watchdog thread" : `wasm worker thread${dead.length > 1 ? "s" : ""} ${dead.join(", ")}`;
    const what = running ? "while this job ran: its output is incomplete" : "before this job started: nothing was computed";
    return new Error(`${fn}: ${who} exited ${what}. The device goes on with 1 thread (results do not depend on the thread count).`, { cause });
  }

  /** Test hook: waits until worker `tid` has started generation `gen`, terminates it and waits until it is marked dead. */
  private killMidJob(tid: number, gen: number): void {
    this.killDuringNextJob = undefined;
    const c = this.ctl;
    while (Atomics.load(c, S.STARTED + tid) !== gen);
    this.workers[tid - 1].terminate();
    while (!Atomics.load(c, S.DEAD + tid)) if (this.canBlock) Atomics.wait(c, S.DONE, Atomics.load(c, S.DONE), 50);
  }

  /** Test hook: terminates worker `tid` between jobs; resolves once it has exited. @internal */
  async kill(tid: number): Promise<void> {
    await this.workers[tid - 1].terminate();
  }

  /** Stops the workers (and the watchdog). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctl, S.CMD, S.EXIT);
    Atomics.add(this.ctl, S.GEN, 1);
    Atomics.notify(this.ctl, S.GEN);
    this.watchdog?.terminate();
    for (const w of this.workers) w.terminate();
  }
}
