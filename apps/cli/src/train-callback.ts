/**
 * The callback that turns `fit()` from `@tessera/nn` into `tessera train`: the per-batch cosine
 * schedule, the epoch's sums (kept across an interruption), Ctrl-C between batches, the evaluation
 * on the test set, and the saves after each epoch (best, metrics, then the checkpoint as the commit).
 */
import { evaluate, type Batch, type Callback, type Logs, type Module } from "@tessera/nn";
import { crossEntropy, type Optimizer } from "@tessera/optim";
import type { EpochLog, EpochSums, RunState } from "./checkpoint.js";
import { trainHooks } from "./hooks.js";
import { CliError } from "./zoo.js";

/** Lets the event loop run (so a Ctrl-C is seen). */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What the callback needs of the run. */
export interface RunContext<O> {
  readonly state: RunState<O>;
  readonly model: Module;
  readonly opt: Optimizer<{ lr: number }>;
  /** Batches per epoch. */
  readonly perEpoch: number;
  /** The learning rate of batch `b` of epoch `e` (or undefined to leave it). */
  readonly lrAt: (epoch: number, batch: number) => number | undefined;
  /** Test batches. */
  readonly testBatches: () => Iterable<Batch>;
  /** Saves after a finished epoch (best, metrics, checkpoint); `state` is already advanced. */
  readonly saveEpoch: (entry: EpochLog, improved: boolean) => Promise<void>;
  /** True once Ctrl-C was pressed. */
  readonly interrupted: () => boolean;
}

/** Drives one run of `tessera train` from inside `fit()`. */
export class RunCallback<O> implements Callback {
  private sums: EpochSums = { lossSum: 0, right: 0, seen: 0, seconds: 0 };
  private t0 = 0;
  private offset = 0;
  private readonly firstEpoch: number;
  private readonly firstBatch: number;

  /** Creates the callback for a run at `ctx.state`'s position. */
  constructor(private readonly ctx: RunContext<O>) {
    this.firstEpoch = ctx.state.epoch;
    this.firstBatch = ctx.state.batch;
  }

  /** The batches of `epoch` that remain to train (a resumed epoch skips those done). */
  remaining<T>(epoch: number, all: T[]): T[] {
    return epoch === this.firstEpoch ? all.slice(this.firstBatch) : all;
  }

  /** Restores or resets the epoch's sums. */
  onEpochBegin(epoch: number): void {
    const { state } = this.ctx;
    this.offset = epoch === this.firstEpoch ? this.firstBatch : 0;
    this.sums = (epoch === this.firstEpoch ? state.partial : undefined) ?? { lossSum: 0, right: 0, seen: 0, seconds: 0 };
    delete state.partial;
    this.t0 = performance.now() - this.sums.seconds * 1e3;
    state.epoch = epoch;
    state.batch = this.offset;
  }

  /** Sets the batch's learning rate. */
  onBatchBegin(batch: number): void {
    const lr = this.ctx.lrAt(this.ctx.state.epoch, this.offset + batch);
    if (lr !== undefined) for (const g of this.ctx.opt.paramGroups) g.lr = lr;
  }

  /** Adds the batch to the sums; yields so that Ctrl-C is seen; stops when it was. */
  async onBatchEnd(batch: number, logs: Logs & { size: number }): Promise<void | "stop"> {
    const { state } = this.ctx;
    if (!Number.isFinite(logs.loss)) throw new CliError(`the loss became ${logs.loss} at epoch ${state.epoch + 1}, batch ${this.offset + batch + 1}: lower --lr`);
    this.sums.lossSum += logs.loss * logs.size;
    this.sums.right += Math.round(logs.accuracy * logs.size);
    this.sums.seen += logs.size;
    state.batch = this.offset + batch + 1;
    trainHooks.batchDone?.(state.epoch, state.batch);
    await yieldToEvents();
    if (this.ctx.interrupted()) return "stop";
  }

  /** Evaluates (yielding between test batches), logs the epoch's numbers and saves; or keeps the sums and stops on Ctrl-C. */
  async onEpochEnd(_epoch: number, logs: Logs): Promise<void | "stop"> {
    const { state } = this.ctx;
    this.sums.seconds = (performance.now() - this.t0) / 1e3;
    const stop = () => {
      state.partial = this.sums;
      return "stop" as const;
    };
    if (this.ctx.interrupted()) return stop();
    let total = 0;
    let right = 0;
    let count = 0;
    for (const b of this.ctx.testBatches()) {
      const r = await evaluate(this.ctx.model, [b], crossEntropy);
      total += r.loss * r.count;
      right += Math.round(r.accuracy * r.count);
      count += r.count;
      await yieldToEvents();
      if (this.ctx.interrupted()) return stop();
    }
    const s = this.sums;
    const entry: EpochLog = { epoch: state.epoch + 1, loss: s.lossSum / s.seen, accuracy: s.right / s.seen, val_loss: total / count, val_accuracy: right / count, seconds: s.seconds, images_per_second: s.seen / s.seconds };
    Object.assign(logs, entry);
    delete logs.epoch;
    state.history.push(entry);
    const improved = entry.val_accuracy > state.bestValAccuracy;
    if (improved) state.bestValAccuracy = entry.val_accuracy;
    state.epoch += 1;
    state.batch = 0;
    await this.ctx.saveEpoch(entry, improved);
  }
}
