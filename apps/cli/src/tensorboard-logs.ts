/**
 * TensorBoard logs of `tessera train`, in the run folder (`tensorboard --logdir runs` compares
 * every run): per epoch the train and test loss and accuracy, the learning rate and images/s,
 * weight and gradient histograms, and the model's summary at step 0; steps are epochs.
 *
 * Only finished epochs are logged, each before the checkpoint that commits it, so a run killed in
 * between redoes the epoch on `--resume`. A resumed run writes a new event file starting with a
 * purge marker at its first epoch (TensorBoard then drops whatever the earlier process logged from
 * there on), so no step is ever shown twice.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TensorBoard, type Callback, type Logs, type Module } from "@tessera/nn";
import { openSummaryWriter } from "@tessera/nn/node";

/** Event files of TensorBoard (`events.out.tfevents.<secs>.<host>.<pid>.<n>`). */
const EVENT_FILE = /^events\.out\.tfevents\./;

/** Removes the event files an earlier run left in `dir` (a new run replaces that run). Returns their names. */
export function removeEventFiles(dir: string): string[] {
  const names = readdirSync(dir).filter((n) => EVENT_FILE.test(n));
  for (const n of names) rmSync(join(dir, n), { force: true });
  return names;
}

/** The run's TensorBoard logging: a `fit` callback, and the epoch logger that the run calls before each save. */
export interface RunTensorBoard {
  /** Forwards training begin and end, epochs and batches to the TensorBoard callback (not the epoch's end). */
  readonly callback: Callback;
  /** Writes a finished epoch's numbers and histograms and flushes them to disk. */
  logEpoch(epoch: number, logs: Logs, model: Module): Promise<void>;
}

/**
 * TensorBoard logging into `dir` for a run whose first epoch is `firstEpoch` (its steps continue
 * from there). `resumed`: the folder may hold points of an interrupted process from `firstEpoch`
 * on, which a purge marker drops (the callback writes one itself when `firstEpoch` > 0).
 */
export function runTensorBoard(dir: string, o: { readonly firstEpoch: number; readonly resumed: boolean; readonly inputShape: readonly number[] }): RunTensorBoard {
  const tb = new TensorBoard({
    histogramFreq: 1,
    inputShape: o.inputShape,
    writer: async () => {
      const w = await openSummaryWriter(dir);
      // Resumed in its first epoch: only the step-0 summary was logged, and it is written again.
      if (o.resumed && o.firstEpoch === 0) w.purgeFrom(0);
      return w;
    },
  });
  return {
    callback: {
      onTrainBegin: (model) => tb.onTrainBegin(model),
      onEpochBegin: (epoch) => tb.onEpochBegin(epoch),
      onBatchEnd: (batch, logs) => tb.onBatchEnd(batch, logs),
      onTrainEnd: () => tb.onTrainEnd(),
    },
    logEpoch: (epoch, logs, model) => tb.onEpochEnd(epoch, logs, model),
  };
}
