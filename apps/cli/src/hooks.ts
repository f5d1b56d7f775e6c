/**
 * Fault-injection points of `tessera train`, for tests only: a test (or a module preloaded into a
 * child process with `node --import`) sets a hook to throw, to raise SIGINT or to record, at an exact
 * moment of training or checkpointing. Empty in normal use, so nothing changes results.
 */

/** The steps of saving after an epoch or on Ctrl-C, in order. */
export type SaveStage = "best" | "metrics" | "checkpoint-written" | "checkpoint-committed" | "last";

/** Hooks called by `train()`; each may throw to simulate a crash at that point. */
export interface TrainHooks {
  /** After training batch `batch` (1-based count of batches done) of epoch `epoch` (0-based). */
  batchDone?(epoch: number, batch: number): void;
  /** Before saving step `stage` (`checkpoint-written`: the temporary file is complete, not yet renamed). */
  saving?(stage: SaveStage): void;
}

/** The active hooks (tests assign and clear them). */
export const trainHooks: TrainHooks = {};
