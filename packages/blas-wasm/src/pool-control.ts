/**
 * The layout of the worker pool's control block: i32 slots in the shared memory that the calling
 * thread, the workers (worker-main.ts) and the watchdog (watchdog-main.ts) read and write with
 * `Atomics`. The worker and watchdog sources are shipped as text and cannot import: they receive
 * these numbers in their start message ({@link CONTROL}).
 * @internal
 */

/** Most workers the control block has slots for. @internal */
export const MAX_WORKERS = 248;

const REGION = MAX_WORKERS + 1; // one slot per tid, 0 (the calling thread) unused

/** Slot indices. @internal */
export const CONTROL = {
  /** Generation: bumped for every job (and for exit); workers wait on it. */
  GEN: 0,
  /** RUN or EXIT. */
  CMD: 1,
  /** Address of the job record. */
  JOB: 2,
  /** Nonzero: the running job is abandoned (a thread died, or the calling thread trapped); barriers stop waiting. */
  ABORT: 3,
  /** Workers done with the current generation; bumped (and notified) by every finish and every death. */
  DONE: 4,
  /** A worker trapped in the current job. */
  FAILED: 5,
  /** Job kind: 0 gemmRun, 1 convRun, 2 convFilterRun, 3 splitRun, 4 winogradRun, 5 winograd4Run. */
  KIND: 6,
  /** Workers that have died (exited or crashed) since the pool started. */
  DEATHS: 7,
  /**
   * ASSIGN + tid: the generation worker tid is to run. A worker runs a generation only when it
   * claims it (compare-exchange to −generation), and each generation once: a worker that wakes
   * late for a job it was not part of, while the next job's slots are being written, must not run
   * that next job twice. The calling thread may revoke an unclaimed split job (exchange to 0) once
   * it has taken every task itself, and then does not wait for that worker.
   */
  ASSIGN: 8,
  /** STARTED + tid: the generation worker tid last started. */
  STARTED: 8 + REGION,
  /** FINISHED + tid: the generation worker tid last finished. */
  FINISHED: 8 + 2 * REGION,
  /** DEAD + tid: 1 once worker tid has died. */
  DEAD: 8 + 3 * REGION,
  RUN: 1,
  EXIT: 2,
} as const;

/** Bytes of the control block. @internal */
export const CONTROL_BYTES = (8 + 4 * REGION) * 4;

/**
 * Records that worker `tid` died: its DEAD flag, the death count, the abort flag (so barriers of a
 * running job stop waiting for it), and a wake-up of the calling thread. Idempotent. Run by the
 * watchdog thread (the calling thread may be blocked inside a job) and by the calling thread's
 * own `exit` listener. Self-contained (the watchdog ships its source text).
 * @internal
 */
export function markDead(c: Int32Array, tid: number, slots: typeof CONTROL): void {
  if (Atomics.compareExchange(c, slots.DEAD + tid, 0, 1) !== 0) return;
  Atomics.add(c, slots.DEATHS, 1);
  Atomics.store(c, slots.ABORT, 1);
  Atomics.add(c, slots.DONE, 1);
  Atomics.notify(c, slots.DONE);
}
