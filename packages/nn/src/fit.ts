/**
 * `fit()`: Keras-style training of a module over batches, with validation, metrics and callbacks.
 * For a PyTorch-style loop, write it yourself: `opt.zeroGrad(); loss.backward(); opt.step()`
 * inside `scope()` — `fit` is exactly that plus bookkeeping.
 */
import { noGrad, scope, tensor, type Tensor } from "@tessera/autograd";
import type { NDArray } from "@tessera/ndarray";
import { rejectUnknownOptions, type HasLr } from "@tessera/optim";
import type { Callback, Logs } from "./callbacks.js";
import { ProgressLogger } from "./progress-logger.js";
import type { Module } from "./module.js";

/**
 * A batch: inputs (NDArray or tensor, e.g. [B, C, H, W]) and integer labels.
 *
 * @example
 * ```ts
 * import type { Batch } from "@tessera/nn";
 * import { zeros } from "@tessera/ndarray";
 * const b: Batch = { x: zeros([2, 1, 28, 28]), y: new Int32Array([3, 7]) };
 * ```
 */
export interface Batch {
  /** Inputs. */ readonly x: NDArray | Tensor;
  /** Class labels. */ readonly y: Int32Array;
}

/** Batches of one epoch: an iterable, or a function of the epoch (for per-epoch shuffling). */
export type BatchSource = Iterable<Batch> | ((epoch: number) => Iterable<Batch>);

/** What fit needs of an optimizer. */
export interface Steppable {
  /** Clears gradients. */ zeroGrad(): void;
  /** Applies an update. */ step(): void;
  /** Groups with their learning rates. */ readonly paramGroups: readonly HasLr[];
}

/**
 * Options of {@link fit}.
 *
 * @example
 * ```ts
 * import type { FitOptions } from "@tessera/nn";
 * // const o: FitOptions = { optimizer, loss: crossEntropy, epochs: 5, validation: testBatches };
 * ```
 */
export interface FitOptions {
  /** The optimizer over the model's parameters. */ readonly optimizer: Steppable;
  /** Loss of (logits, labels), e.g. `crossEntropy`. */ readonly loss: (logits: Tensor, labels: Int32Array) => Tensor;
  /** Number of epochs (default 1). */ readonly epochs?: number;
  /** Validation batches, evaluated after every epoch. */ readonly validation?: BatchSource;
  /** Callbacks, in order. */ readonly callbacks?: readonly Callback[];
  /** First epoch index (for resuming; default 0). */ readonly initialEpoch?: number;
  /**
   * Progress report, as Keras: 0 silent, 1 a live bar on a terminal and a line per epoch, 2 the line
   * only. Default 1 in Node, 0 elsewhere. Ignored when `callbacks` holds a {@link ProgressLogger}.
   */
  readonly verbose?: 0 | 1 | 2;
}

/** Every key of {@link FitOptions} (others are rejected). */
const FIT_KEYS = ["optimizer", "loss", "epochs", "validation", "callbacks", "initialEpoch", "verbose"];

/**
 * What {@link fit} returns: per-epoch logs.
 *
 * @example
 * ```ts
 * import type { History } from "@tessera/nn";
 * const h: History = { epochs: [{ loss: 0.5, accuracy: 0.8 }], stopped: false };
 * ```
 */
export interface History {
  /** Logs of each finished epoch. */ readonly epochs: Logs[];
  /** True when a callback stopped training early. */ readonly stopped: boolean;
}

function batchesOf(src: BatchSource, epoch: number): Iterable<Batch> {
  return typeof src === "function" ? src(epoch) : src;
}

/**
 * The tensor whose device inputs are put on: the model's first parameter, looked up once per epoch
 * (not per batch: `parameters()` walks the whole module tree). Its `device` is read at each batch,
 * so a model moved with `to()` (which keeps its tensor objects) gets its inputs on the new device.
 */
function deviceSource(model: Module): Tensor | undefined {
  return model.parameters()[0];
}

function inputTensor(x: NDArray | Tensor, source: Tensor | undefined): Tensor {
  if ((x as Tensor).isTensor) return x as Tensor;
  return tensor(x as NDArray, { device: source?.device });
}

async function host(t: Tensor): Promise<Float32Array> {
  return (t.device.readSync ? t.dataSync() : await t.data()) as Float32Array;
}

/**
 * Number of rows of `logits` [B, C] (row-major) whose argmax equals the label (ties → first class).
 *
 * @example
 * ```ts
 * import { countCorrect } from "@tessera/nn";
 * countCorrect(new Float32Array([0.1, 0.9, 0.8, 0.2]), new Int32Array([1, 1])); // 1
 * ```
 */
export function countCorrect(logits: ArrayLike<number>, labels: Int32Array): number {
  const C = logits.length / labels.length;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + best]) best = c;
    if (best === labels[i]) n++;
  }
  return n;
}

/**
 * What {@link evaluate} returns: mean loss and accuracy over the samples seen.
 *
 * @example
 * ```ts
 * import type { EvaluateResult } from "@tessera/nn";
 * const r: EvaluateResult = { loss: 0.12, accuracy: 0.97, count: 10000 };
 * ```
 */
export interface EvaluateResult {
  /** Mean loss per sample (NaN when there were no samples). */
  loss: number;
  /** Fraction of samples whose argmax equals the label (NaN when there were no samples). */
  accuracy: number;
  /** Number of samples evaluated. */
  count: number;
}

/**
 * Evaluates mean loss and accuracy over batches in evaluation mode, without gradients.
 *
 * @example
 * ```ts
 * import { evaluate } from "@tessera/nn";
 * // const { loss, accuracy } = await evaluate(model, testBatches, crossEntropy);
 * ```
 */
export async function evaluate(model: Module, batches: Iterable<Batch>, loss: (logits: Tensor, labels: Int32Array) => Tensor): Promise<EvaluateResult> {
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let right = 0;
  let count = 0;
  const source = deviceSource(model);
  try {
    for (const b of batches) {
      // noGrad covers the synchronous forward only: held across the awaits, it would also turn
      // gradients off for whatever other code runs meanwhile (the mode is global, not per task).
      await scope(async () => {
        const [logits, l] = noGrad(() => {
          const out = model.forward(inputTensor(b.x, source));
          return [out, loss(out, b.y)] as const;
        });
        total += (await host(l))[0] * b.y.length;
        right += countCorrect(await host(logits), b.y);
      });
      count += b.y.length;
    }
  } finally {
    model.train(wasTraining);
  }
  return { loss: count ? total / count : NaN, accuracy: count ? right / count : NaN, count };
}

/**
 * Trains `model` for `epochs` over `data`, logging loss and accuracy per batch and epoch, evaluating
 * `validation` after each epoch, and calling callbacks (early stopping, checkpoints, schedules…).
 *
 * @example
 * ```ts
 * import { fit, Sequential, Linear, ReLU } from "@tessera/nn";
 * import { SGD, crossEntropy } from "@tessera/optim";
 * import { zeros } from "@tessera/ndarray";
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const data = [{ x: zeros([2, 4]), y: new Int32Array([0, 1]) }];
 * const history = await fit(model, data, { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 2 });
 * ```
 */
export async function fit(model: Module, data: BatchSource, o: FitOptions): Promise<History> {
  rejectUnknownOptions("fit", "options", o, FIT_KEYS);
  const epochs = o.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const initialEpoch = o.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new RangeError(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
  const verbose = o.verbose ?? (isNode ? 1 : 0);
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new RangeError(`fit: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const callbacks = [...(o.callbacks ?? [])];
  if (verbose > 0 && !callbacks.some((c) => c instanceof ProgressLogger)) callbacks.push(new ProgressLogger({ verbose: verbose as 1 | 2 }));
  const history: Logs[] = [];
  let stopped = false;
  let last: Logs = {};
  for (const c of callbacks) await c.onTrainBegin?.(model, { epochs, initialEpoch });
  for (let epoch = initialEpoch; epoch < epochs && !stopped; epoch++) {
    for (const c of callbacks) await c.onEpochBegin?.(epoch);
    model.train();
    const list = [...batchesOf(data, epoch)];
    const source = deviceSource(model);
    let lossSum = 0;
    let right = 0;
    let seen = 0;
    for (let i = 0; i < list.length && !stopped; i++) {
      const b = list[i];
      for (const c of callbacks) await c.onBatchBegin?.(i, { batches: list.length });
      const [lossValue, ok] = await scope(async () => {
        o.optimizer.zeroGrad();
        const logits = model.forward(inputTensor(b.x, source));
        const l = o.loss(logits, b.y);
        l.backward();
        o.optimizer.step();
        return [(await host(l))[0], countCorrect(await host(logits), b.y)] as const;
      });
      lossSum += lossValue * b.y.length;
      right += ok;
      seen += b.y.length;
      const logs = { loss: lossValue, accuracy: ok / b.y.length, batches: list.length, size: b.y.length };
      for (const c of callbacks) if ((await c.onBatchEnd?.(i, logs)) === "stop") stopped = true;
    }
    const logs: Logs = { loss: seen ? lossSum / seen : NaN, accuracy: seen ? right / seen : NaN, lr: o.optimizer.paramGroups[0]?.lr ?? NaN };
    if (o.validation && !stopped) {
      const v = await evaluate(model, batchesOf(o.validation, epoch), o.loss);
      logs.val_loss = v.loss;
      logs.val_accuracy = v.accuracy;
    }
    for (const c of callbacks) if ((await c.onEpochEnd?.(epoch, logs, model)) === "stop") stopped = true;
    history.push(logs);
    last = logs;
  }
  for (const c of callbacks) await c.onTrainEnd?.(model, last);
  return { epochs: history, stopped };
}
