/**
 * The body of a pool worker, shipped as source text (`workerSource`), so it needs no separate file,
 * URL or bundler support: Node runs it with `new Worker(code, { eval: true })`, browsers from a
 * Blob URL. It must stay self-contained (no imports, no outer variables): the slot numbers of the
 * control block (pool-control.ts) come in its start message, and its connection to the pool (a
 * {@link WorkerHost}) from a function of the platform's `#host` twin, shipped beside it as text.
 *
 * Protocol over the shared control block: the worker sleeps in `Atomics.wait` on the generation
 * slot; a new generation with command RUN makes worker `tid` run the job's export (`gemmRun`,
 * `convRun`, `convFilterRun`, `splitRun`, `winogradRun` or `winograd4Run`, by the kind slot) with `(job, tid)` if it claims the
 * generation assigned to it (marking it started, then finished), then count itself done; command EXIT ends it. In Node
 * it also holds one end of a MessageChannel whose other end the watchdog holds: when this thread
 * dies, however it dies, that port closes and the watchdog marks it dead.
 * @internal
 */
import type { CONTROL } from "./pool-control.js";

/** What a worker is started with. @internal */
export interface WorkerStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly ctl: number;
  readonly tid: number;
  readonly slots: typeof CONTROL;
  /** Node: the worker's end of its watchdog channel (kept open for the thread's lifetime). */
  readonly port?: unknown;
}

/** How a worker talks to the pool: Node's `parentPort` or a browser worker's global scope (host.node.ts, host.browser.ts). @internal */
export interface WorkerHost {
  post(m: unknown): void;
  onStart(f: (m: WorkerStart) => void): void;
  close(): void;
}

/* eslint-disable */
function workerMain(host: WorkerHost): void {
  const g = globalThis as any;
  const post = (m: unknown) => host.post(m);
  const start = async (msg: WorkerStart) => {
    const S = msg.slots;
    // After a job, poll briefly before sleeping: back-to-back products (a training step) then skip
    // the futex round trip, which costs tens of microseconds on a VM.
    const SPINS = 20000;
    g.__tesseraWatchdogPort = msg.port; // held, never used: it closes when this thread ends
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    const x = instance.exports as any;
    x.setAbortFlag(msg.ctl + S.ABORT * 4);
    const runs = [x.gemmRun, x.convRun, x.convFilterRun, x.splitRun, x.winogradRun, x.winograd4Run] as ((job: number, tid: number) => void)[];
    const c = new Int32Array(msg.memory.buffer, msg.ctl, S.DEAD + msg.tid + 1);
    let seen = Atomics.load(c, S.GEN);
    post({ ready: msg.tid });
    for (;;) {
      for (let i = 0; i < SPINS && Atomics.load(c, S.GEN) === seen; i++);
      Atomics.wait(c, S.GEN, seen);
      seen = Atomics.load(c, S.GEN);
      const cmd = Atomics.load(c, S.CMD);
      if (cmd === S.EXIT) break;
      // Claim the generation (the calling thread may have revoked it: a split job whose tasks
      // were all taken before this worker woke).
      if (cmd !== S.RUN || Atomics.compareExchange(c, S.ASSIGN + msg.tid, seen, -seen) !== seen) continue;
      Atomics.store(c, S.STARTED + msg.tid, seen);
      try {
        runs[Atomics.load(c, S.KIND)](Atomics.load(c, S.JOB), msg.tid);
      } catch (e) {
        // The other threads may wait for this one at a barrier: release them.
        Atomics.store(c, S.ABORT, 1);
        Atomics.store(c, S.FAILED, 1);
      }
      Atomics.store(c, S.FINISHED + msg.tid, seen);
      Atomics.add(c, S.DONE, 1);
      Atomics.notify(c, S.DONE);
    }
    host.close();
  };
  host.onStart(start);
}

/** The worker's source text, given the source of a function that returns its {@link WorkerHost}. @internal */
export function workerSourceFor(hostSource: string): string {
  return `(${workerMain.toString()})((${hostSource})());\n`;
}
