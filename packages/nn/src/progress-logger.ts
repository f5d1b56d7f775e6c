/**
 * {@link ProgressLogger}: the progress report of {@link fit}, as Keras prints it — a live bar while an
 * epoch trains (on a terminal only) and one line per epoch with its loss, accuracy, validation
 * metrics, seconds and images/s.
 */
import type { Callback, Logs, TrainParams } from "./callbacks.js";

/** A stream the live bar is drawn on (`process.stderr` in Node). */
export interface BarStream {
  /** True on a terminal; the bar is drawn only then. */ readonly isTTY?: boolean;
  /** Width of the terminal in characters. */ readonly columns?: number;
  /** Writes text. */ write(text: string): unknown;
}

/**
 * Options of {@link ProgressLogger}.
 *
 * @example
 * ```ts
 * import type { ProgressLoggerOptions } from "@tessera/nn";
 * const o: ProgressLoggerOptions = { verbose: 2, validationName: "test" };
 * ```
 */
export interface ProgressLoggerOptions {
  /** 1: a live bar on a terminal and a line per epoch (default); 2: the line per epoch only. */
  readonly verbose?: 1 | 2;
  /** Receives each epoch line (default: `console.log`). */
  readonly log?: (line: string) => void;
  /** Where the bar is drawn (default: `process.stderr` in Node); drawn only when it is a TTY. `false`: no bar. */
  readonly bar?: BarStream | false;
  /** Word before the validation metrics in the line (default `val`: `val loss 0.08, val accuracy 97.5%`). */
  readonly validationName?: string;
}

/** Milliseconds between redraws of the bar. */
const REDRAW_MS = 100;

function defaultStream(): BarStream | undefined {
  const p = (globalThis as { process?: { stderr?: BarStream } }).process;
  return p?.stderr;
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return "-";
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.round(s)}s`;
}

/**
 * Reports training progress: a bar per epoch on a terminal (batches, ETA, running loss and accuracy,
 * images/s) and a line per epoch. {@link fit} adds one by default in Node (`verbose: 0` for silence).
 *
 * @example
 * ```ts
 * import { ProgressLogger } from "@tessera/nn";
 * // await fit(model, data, { optimizer, loss: crossEntropy, epochs: 5, callbacks: [new ProgressLogger({ verbose: 2 })] });
 * const logger = new ProgressLogger({ log: (line) => console.log(line), bar: false });
 * ```
 */
export class ProgressLogger implements Callback {
  private epochs = NaN;
  private epoch = 0;
  private t0 = 0;
  private tEnd = 0;
  private drawn = 0;
  private done = 0;
  private total = 0;
  private seen = 0;
  private lossSum = 0;
  private right = 0;
  private barWidth = 0;
  private readonly stream: BarStream | undefined;
  private readonly log: (line: string) => void;

  /** Creates the logger. */
  constructor(private readonly o: ProgressLoggerOptions = {}) {
    if (o.verbose !== undefined && o.verbose !== 1 && o.verbose !== 2) throw new RangeError(`ProgressLogger: verbose must be 1 or 2, got ${String(o.verbose)}`);
    const stream = o.bar === false || o.verbose === 2 ? undefined : (o.bar ?? defaultStream());
    this.stream = stream?.isTTY ? stream : undefined;
    this.log = o.log ?? ((line) => console.log(line));
  }

  /** Learns the number of epochs. */
  onTrainBegin(_model: unknown, params?: TrainParams): void {
    this.epochs = params?.epochs ?? NaN;
  }

  /** Starts an epoch's clock and sums. */
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.t0 = this.tEnd = performance.now();
    this.drawn = 0;
    this.done = this.total = this.seen = this.lossSum = this.right = 0;
  }

  /** Updates the sums and redraws the bar. */
  onBatchEnd(batch: number, logs: Logs & { batches: number; size: number }): void {
    this.done = batch + 1;
    this.total = logs.batches;
    this.seen += logs.size;
    this.lossSum += logs.loss * logs.size;
    this.right += logs.accuracy * logs.size;
    this.tEnd = performance.now();
    if (this.stream && (this.tEnd - this.drawn >= REDRAW_MS || this.done === this.total)) {
      this.drawn = this.tEnd;
      this.draw();
    }
  }

  private prefix(epoch: number): string {
    return `epoch ${epoch + 1}/${Number.isNaN(this.epochs) ? "?" : this.epochs}`;
  }

  private draw(): void {
    const s = (this.tEnd - this.t0) / 1e3;
    const eta = this.done ? (s / this.done) * (this.total - this.done) : NaN;
    const cells = 20;
    const full = this.total ? Math.round((cells * this.done) / this.total) : 0;
    const text = `${this.prefix(this.epoch)} ${"█".repeat(full)}${"░".repeat(cells - full)} ${this.done}/${this.total} batches | ETA ${clock(eta)} | ` +
      `loss ${(this.lossSum / this.seen).toFixed(4)} | acc ${((100 * this.right) / this.seen).toFixed(1)}% | ${(this.seen / Math.max(s, 1e-9)).toFixed(0)} img/s`;
    const line = text.slice(0, Math.max(20, (this.stream!.columns || 120) - 1));
    this.stream!.write(`\r${line.padEnd(this.barWidth)}`);
    this.barWidth = line.length;
  }

  private clear(): void {
    if (this.stream && this.barWidth) this.stream.write(`\r${" ".repeat(this.barWidth)}\r`);
    this.barWidth = 0;
  }

  /** Prints the epoch's line (after the other callbacks of the epoch, when listed last). */
  onEpochEnd(epoch: number, logs: Logs): void {
    this.clear();
    const head = this.prefix(epoch);
    if (this.done < this.total) {
      this.log(`${head}: stopped after ${this.done}/${this.total} batches`);
      return;
    }
    const v = this.o.validationName ?? "val";
    const parts = [`loss ${logs.loss.toFixed(4)}`, `accuracy ${(100 * logs.accuracy).toFixed(2)}%`];
    if (logs.val_loss !== undefined) parts.push(`${v} loss ${logs.val_loss.toFixed(4)}`);
    if (logs.val_accuracy !== undefined) parts.push(`${v} accuracy ${(100 * logs.val_accuracy).toFixed(2)}%`);
    const seconds = logs.seconds ?? (this.tEnd - this.t0) / 1e3;
    const ips = logs.images_per_second ?? this.seen / seconds;
    parts.push(`${seconds.toFixed(1)} s`, `${ips.toFixed(0)} images/s`);
    this.log(`${head}: ${parts.join(", ")}`);
  }

  /** Clears the bar. */
  onTrainEnd(): void {
    this.clear();
  }
}
