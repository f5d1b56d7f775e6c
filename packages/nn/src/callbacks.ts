/**
 * Callbacks of {@link fit}: early stopping, best-model checkpoints, LR schedules and stopping on a
 * NaN loss. Write your own by implementing any subset of {@link Callback}.
 */
import { rejectUnknownOptions } from "@tessera/optim";
import type { Module } from "./module.js";
import { saveWeights } from "./weights.js";

/**
 * Values logged at the end of a batch or an epoch (`loss`, `accuracy`, `val_loss`, `val_accuracy`, `lr`…).
 *
 * @example
 * ```ts
 * import type { Logs } from "@tessera/nn";
 * const logs: Logs = { loss: 0.3, accuracy: 0.91 };
 * ```
 */
export type Logs = Record<string, number>;

/**
 * What {@link fit} tells callbacks when training begins.
 *
 * @example
 * ```ts
 * import type { TrainParams } from "@tessera/nn";
 * const p: TrainParams = { epochs: 20, initialEpoch: 0 };
 * ```
 */
export interface TrainParams {
  /** The `epochs` of the fit (the index one past the last epoch). */ readonly epochs: number;
  /** The first epoch trained (`initialEpoch`). */ readonly initialEpoch: number;
}

/**
 * Hooks called by {@link fit}. Returning `"stop"` from `onEpochEnd` or `onBatchEnd` ends training
 * after the current epoch / batch.
 *
 * @example
 * ```ts
 * import type { Callback } from "@tessera/nn";
 * const printer: Callback = { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) };
 * ```
 */
export interface Callback {
  /** Before the first epoch. */ onTrainBegin?(model: Module, params: TrainParams): void | Promise<void>;
  /** Before each epoch. */ onEpochBegin?(epoch: number): void | Promise<void>;
  /** Before each training batch (e.g. to set a per-batch learning rate). */
  onBatchBegin?(batch: number, info: { batches: number }): void | Promise<void>;
  /** After each training batch (`batch`, `batches` = count per epoch). */
  onBatchEnd?(batch: number, logs: Logs & { batches: number; size: number }): void | "stop" | Promise<void | "stop">;
  /** After each epoch, with validation metrics when validation data was given. */
  onEpochEnd?(epoch: number, logs: Logs, model: Module): void | "stop" | Promise<void | "stop">;
  /** After training (also after a stop). */ onTrainEnd?(model: Module, logs: Logs): void | Promise<void>;
}

/** Whether `a` improves on `b` in `mode` by more than `minDelta`. */
function improves(mode: "min" | "max", a: number, b: number, minDelta: number): boolean {
  return mode === "min" ? a < b - minDelta : a > b + minDelta;
}

/**
 * Stops when a monitored metric has not improved for `patience` epochs.
 *
 * @example
 * ```ts
 * import { EarlyStopping } from "@tessera/nn";
 * new EarlyStopping({ monitor: "val_loss", patience: 3 });
 * ```
 */
export class EarlyStopping implements Callback {
  private best = NaN;
  private wait = 0;
  /** Epoch at which training was stopped, or −1. */
  stoppedEpoch = -1;
  /** Creates the callback (monitor default `val_loss`, mode inferred from the name). */
  constructor(private readonly o: { readonly monitor?: string; readonly patience?: number; readonly minDelta?: number; readonly mode?: "min" | "max" } = {}) {
    rejectUnknownOptions("EarlyStopping", "options", o, ["monitor", "patience", "minDelta", "mode"]);
  }
  /** Checks the metric. */
  onEpochEnd(epoch: number, logs: Logs): void | "stop" {
    const monitor = this.o.monitor ?? "val_loss";
    const v = logs[monitor];
    if (v === undefined) throw new RangeError(`EarlyStopping: metric '${monitor}' is not logged (logged: ${Object.keys(logs).join(", ")})`);
    const mode = this.o.mode ?? (monitor.includes("acc") ? "max" : "min");
    if (Number.isNaN(this.best) || improves(mode, v, this.best, this.o.minDelta ?? 0)) {
      this.best = v;
      this.wait = 0;
      return;
    }
    if (++this.wait >= (this.o.patience ?? 0)) {
      this.stoppedEpoch = epoch;
      return "stop";
    }
  }
}

/**
 * Saves the weights (safetensors, atomically) after each epoch, or only when the monitored metric
 * improves (`saveBestOnly`). `path` may contain `{epoch}`. Node only.
 *
 * @example
 * ```ts
 * import { ModelCheckpoint } from "@tessera/nn";
 * new ModelCheckpoint("runs/lenet/best.safetensors", { monitor: "val_accuracy", saveBestOnly: true });
 * ```
 */
export class ModelCheckpoint implements Callback {
  private best = NaN;
  /** Paths written so far. */
  readonly saved: string[] = [];
  /**
   * Creates the callback.
   *
   * @param path Where to write the weights; `{epoch}` is replaced by the 1-based epoch.
   */
  constructor(readonly path: string, private readonly o: { readonly monitor?: string; readonly mode?: "min" | "max"; readonly saveBestOnly?: boolean } = {}) {
    rejectUnknownOptions("ModelCheckpoint", "options", o, ["monitor", "mode", "saveBestOnly"]);
  }
  /** Saves when due. */
  async onEpochEnd(epoch: number, logs: Logs, model: Module): Promise<void> {
    const monitor = this.o.monitor ?? "val_loss";
    if (this.o.saveBestOnly) {
      const v = logs[monitor];
      if (v === undefined) throw new RangeError(`ModelCheckpoint: metric '${monitor}' is not logged (logged: ${Object.keys(logs).join(", ")})`);
      const mode = this.o.mode ?? (monitor.includes("acc") ? "max" : "min");
      if (!Number.isNaN(this.best) && !improves(mode, v, this.best, 0)) return;
      this.best = v;
    }
    const path = this.path.replace("{epoch}", String(epoch + 1));
    await saveWeights(model, path, { epoch: String(epoch + 1), ...Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, String(v)])) });
    this.saved.push(path);
  }
}

/**
 * A schedule that {@link LRSchedulerCallback} steps once per epoch: `step()` (StepLR,
 * CosineAnnealingLR…) or, for ReduceLROnPlateau-like ones, `step(metric)`.
 *
 * @example
 * ```ts
 * import type { Scheduler } from "@tessera/nn";
 * import { StepLR } from "@tessera/optim";
 * const s: Scheduler = new StepLR({ paramGroups: [{ lr: 0.1 }] }, 30, 0.1);
 * ```
 */
export type Scheduler =
  | {
      /** Advances the schedule by one epoch. */
      step(): void;
    }
  | {
      /** Advances the schedule by one epoch, given the monitored metric's value. */
      step(metric: number): void;
    };

/**
 * Steps an LR scheduler after every epoch (with a metric for ReduceLROnPlateau) and logs `lr`.
 *
 * @example
 * ```ts
 * import { LRSchedulerCallback } from "@tessera/nn";
 * // new LRSchedulerCallback(new StepLR(optimizer, 10, 0.1));
 * // new LRSchedulerCallback(new ReduceLROnPlateau(optimizer, { mode: "max" }), "val_accuracy");
 * ```
 */
export class LRSchedulerCallback implements Callback {
  /** Creates the callback; `monitor` names the metric passed to plateau schedulers. */
  constructor(private readonly scheduler: Scheduler & { getLastLr(): number[] }, private readonly monitor?: string) {}
  /** Steps the schedule. */
  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.monitor) {
      const v = logs[this.monitor];
      if (v === undefined) throw new RangeError(`LRSchedulerCallback: metric '${this.monitor}' is not logged`);
      (this.scheduler as { step(m: number): void }).step(v);
    } else (this.scheduler as { step(): void }).step();
    logs.lr = this.scheduler.getLastLr()[0];
  }
}

/**
 * Stops training as soon as a batch's loss is NaN or infinite (the weights are then unusable).
 *
 * @example
 * ```ts
 * import { TerminateOnNaN } from "@tessera/nn";
 * new TerminateOnNaN();
 * ```
 */
export class TerminateOnNaN implements Callback {
  /** True once triggered. */
  triggered = false;
  /** Checks the loss. */
  onBatchEnd(_batch: number, logs: Logs): void | "stop" {
    if (!Number.isFinite(logs.loss)) {
      this.triggered = true;
      return "stop";
    }
  }
}
