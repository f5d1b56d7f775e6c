/**
 * The `TensorBoard` callback of `fit()`, after Keras's: epoch (or batch) scalars, weight and
 * gradient histograms every `histogramFreq` epochs, and the model's summary as text at step 0.
 * Platform-free: it writes through a {@link SummaryWriter}; `@tessera/nn/node`'s `TensorBoard`
 * adds `logDir`.
 */
import type { Callback, Logs } from "../callbacks.js";
import type { Module } from "../module.js";
import { summary } from "../summary.js";
import { checkKeys, SummaryWriter } from "./writer.js";

/**
 * Options of {@link TensorBoard} (Keras's names, camelCase).
 *
 * @example
 * ```ts
 * import type { TensorBoardOptions } from "@tessera/nn";
 * const o: TensorBoardOptions = { histogramFreq: 1, updateFreq: "epoch", inputShape: [1, 1, 28, 28] };
 * ```
 */
export interface TensorBoardOptions {
  /**
   * The writer, or a function that opens one when training begins (default: an in-memory
   * writer; read it back with `callback.writer.bytes()`).
   */
  readonly writer?: SummaryWriter | (() => SummaryWriter | Promise<SummaryWriter>);
  /** Write weight and gradient histograms when `epoch % histogramFreq === 0` (default 0: never). */
  readonly histogramFreq?: number;
  /**
   * `'epoch'` (default): scalars once per epoch, steps are epochs. `'batch'` or N: also the
   * training loss and accuracy averaged over every N batches (`batch/loss`, `batch/accuracy`),
   * and every step, epoch scalars included, counts training batches.
   */
  readonly updateFreq?: "epoch" | "batch" | number;
  /**
   * The step of the first thing this run logs (default: the first epoch `fit` reports, or in
   * batch mode that epoch times the batches per epoch). When it is above 0 the run is a resume:
   * the callback first writes a purge marker at this step, so TensorBoard drops any points an
   * earlier, interrupted run logged from here on, and does not repeat the step-0 summary text.
   */
  readonly initialStep?: number;
  /** Input shape (batch included) for the `summary()` table at step 0; without it, a table of parameters. */
  readonly inputShape?: readonly number[];
  /** Milliseconds clock for `images_per_sec` (default `performance.now()`). */
  readonly now?: () => number;
}

const KNOWN = ["writer", "histogramFreq", "updateFreq", "initialStep", "inputShape", "now"];
/** Tags of the metrics `fit` logs; any other key is written under its own name. */
const TAGS = new Map([["loss", "loss/train"], ["accuracy", "accuracy/train"], ["val_loss", "loss/test"], ["val_accuracy", "accuracy/test"], ["lr", "lr"]]);

/**
 * Writes TensorBoard logs during {@link fit}: per epoch `loss/train`, `accuracy/train`,
 * `loss/test`, `accuracy/test` (with validation data), `lr` and `images_per_sec` (training
 * images per second of the epoch's batches); `weights/<name>` and `gradients/<name>` histograms
 * (the gradient of the epoch's last batch) every `histogramFreq` epochs; and the model's summary
 * as text (`model/summary`) at step 0. Records are flushed at every epoch's end; the writer is
 * closed at the end of training when the callback opened it.
 *
 * @example
 * ```ts
 * import { fit, TensorBoard, Sequential, Linear } from "@tessera/nn";
 * import { SGD, crossEntropy } from "@tessera/optim";
 * import { zeros } from "@tessera/ndarray";
 * const model = new Sequential(new Linear(4, 2));
 * const tb = new TensorBoard({ histogramFreq: 1 });
 * await fit(model, [{ x: zeros([2, 4]), y: new Int32Array([0, 1]) }], { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 2, callbacks: [tb] });
 * const file = tb.writer.toBlob(); // download as tb.writer.fileName (Node: @tessera/nn/node's TensorBoard({ logDir }))
 * ```
 */
export class TensorBoard implements Callback {
  private w: SummaryWriter | undefined;
  private ownsWriter = false;
  private model: Module | undefined;
  private readonly histogramFreq: number;
  private readonly every: number;
  private readonly now: () => number;
  private firstEpoch: number | undefined;
  private startStep: number | undefined;
  private nextBatchStep = 0;
  private epochStart = 0;
  private lastBatchTime = 0;
  private images = 0;
  private window = { loss: 0, right: 0, count: 0 };

  /** Creates the callback (options are checked here). */
  constructor(private readonly o: TensorBoardOptions = {}) {
    checkKeys("TensorBoard", o, KNOWN, "logDir" in o ? `; logDir needs Node's file system: import { TensorBoard } from "@tessera/nn/node"` : "");
    this.histogramFreq = o.histogramFreq ?? 0;
    if (!Number.isInteger(this.histogramFreq) || this.histogramFreq < 0) throw new RangeError(`TensorBoard: histogramFreq must be a non-negative integer, got ${o.histogramFreq}`);
    const u = o.updateFreq ?? "epoch";
    if (u !== "epoch" && u !== "batch" && !(Number.isInteger(u) && (u as number) > 0)) throw new RangeError(`TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, got ${JSON.stringify(u)}`);
    this.every = u === "epoch" ? 0 : u === "batch" ? 1 : (u as number);
    if (o.initialStep !== undefined && !(Number.isSafeInteger(o.initialStep) && o.initialStep >= 0)) throw new RangeError(`TensorBoard: initialStep must be a non-negative integer, got ${o.initialStep}`);
    if (o.inputShape !== undefined && !(Array.isArray(o.inputShape) && o.inputShape.length > 0 && o.inputShape.every((d) => Number.isInteger(d) && d > 0))) {
      throw new RangeError(`TensorBoard: inputShape must be a non-empty list of positive integers, got ${JSON.stringify(o.inputShape)}`);
    }
    this.now = o.now ?? (() => performance.now());
    if (o.writer === undefined) this.w = new SummaryWriter();
    else if (o.writer instanceof SummaryWriter) this.w = o.writer;
    else if (typeof o.writer !== "function") throw new TypeError(`TensorBoard: writer must be a SummaryWriter or a function returning one, got ${typeof o.writer}`);
  }

  /** The writer (opened when training begins if `writer` was a function). */
  get writer(): SummaryWriter {
    if (!this.w) throw new Error("TensorBoard.writer: the writer is opened when training begins");
    return this.w;
  }

  /**
   * Starts a run: the steps are fixed anew by the first epoch, and a writer function opens a new
   * writer (each `fit()` call with a `logDir` callback writes its own event file).
   */
  async onTrainBegin(model: Module): Promise<void> {
    this.model = model;
    this.firstEpoch = undefined;
    this.startStep = undefined;
    this.nextBatchStep = 0;
    this.window = { loss: 0, right: 0, count: 0 };
    if (typeof this.o.writer === "function") {
      const w = await (this.o.writer as () => SummaryWriter | Promise<SummaryWriter>)();
      if (!(w instanceof SummaryWriter)) throw new TypeError(`TensorBoard: the writer function must return a SummaryWriter, got ${Object.prototype.toString.call(w)}`);
      this.w = w;
      this.ownsWriter = true;
    }
  }

  /** Starts the epoch's clock (and, on the first epoch of epoch mode, the run). */
  onEpochBegin(epoch: number): void {
    if (this.firstEpoch === undefined) {
      this.firstEpoch = epoch;
      if (this.every === 0) this.begin(this.o.initialStep ?? epoch);
    }
    this.images = 0;
    this.epochStart = this.now();
    this.lastBatchTime = this.epochStart;
  }

  /** Counts images; in batch mode writes the windowed training loss and accuracy. */
  onBatchEnd(_batch: number, logs: Logs & { batches: number; size: number }): void {
    this.images += logs.size;
    this.lastBatchTime = this.now();
    if (this.every === 0) return;
    if (this.startStep === undefined) {
      this.begin(this.o.initialStep ?? (this.firstEpoch ?? 0) * logs.batches);
      this.nextBatchStep = this.startStep!;
    }
    const step = this.nextBatchStep++;
    this.window.loss += logs.loss * logs.size;
    this.window.right += logs.accuracy * logs.size;
    this.window.count += logs.size;
    if ((step + 1) % this.every === 0) this.writeWindow(step);
  }

  /** Writes the epoch's scalars and, when due, histograms; then flushes. */
  async onEpochEnd(epoch: number, logs: Logs, model: Module): Promise<void> {
    const w = this.writer;
    if (this.startStep === undefined) this.begin(this.o.initialStep ?? 0);
    const step = this.every === 0 ? this.startStep! + epoch - (this.firstEpoch ?? epoch) : Math.max(this.startStep!, this.nextBatchStep - 1);
    for (const [k, v] of Object.entries(logs)) w.addScalar(TAGS.get(k) ?? k, v, step);
    const seconds = (this.lastBatchTime - this.epochStart) / 1000;
    if (this.images > 0 && seconds > 0) w.addScalar("images_per_sec", this.images / seconds, step);
    try {
      if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
        for (const [name, p] of model.namedParameters()) {
          w.addHistogram(`weights/${name}`, await p.data(), step);
          if (p.grad) w.addHistogram(`gradients/${name}`, await p.grad.data(), step);
        }
      }
    } finally {
      await w.flush();
    }
  }

  /** Writes a partial batch window, flushes, and closes a writer the callback opened. */
  async onTrainEnd(): Promise<void> {
    if (!this.w) return;
    if (this.window.count > 0) this.writeWindow(this.nextBatchStep - 1);
    if (this.ownsWriter) await this.w.close();
    else await this.w.flush();
  }

  /** Fixes the first step: a purge marker when resuming, the summary text on a fresh run. */
  private begin(step: number): void {
    this.startStep = step;
    if (step > 0) {
      this.writer.purgeFrom(step);
      return;
    }
    if (this.model) this.writer.addText("model/summary", this.describe(this.model), 0);
  }

  private describe(model: Module): string {
    const name = model.constructor.name;
    if (this.o.inputShape) return `${name}, input [${this.o.inputShape.join(", ")}]\n\n\`\`\`\n${summary(model, this.o.inputShape).toString()}\n\`\`\``;
    const rows = model.namedParameters().map(([k, p]) => [k, `[${p.shape.join(", ")}]`, p.size.toLocaleString("en-US")]);
    const head = ["Parameter", "Shape", "Count"];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => `${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2].padStart(width[2])}`;
    const total = model.numParameters().toLocaleString("en-US");
    return `${name}, ${total} parameters\n\n\`\`\`\n${[line(head), ...rows.map(line)].join("\n")}\n\`\`\``;
  }

  private writeWindow(step: number): void {
    const { loss, right, count } = this.window;
    this.writer.addScalar("batch/loss", loss / count, step);
    this.writer.addScalar("batch/accuracy", right / count, step);
    this.window = { loss: 0, right: 0, count: 0 };
  }
}
