/**
 * `SummaryWriter`: TensorBoard event files (TFRecord-framed `Event` protobuf messages) written
 * anywhere. The writer encodes records in memory and hands whole records to an {@link EventSink}
 * on `flush()`; the default {@link MemorySink} keeps them for a download (`bytes()`, `toBlob()`),
 * and `@tessera/nn/node` has a sink that appends to a file in a log directory.
 */
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { EventSchema, SessionLog_SessionStatus } from "./proto/event_pb.js";
import type { Summary_ValueSchema } from "./proto/summary_pb.js";
import { DataType } from "./proto/types_pb.js";
import { frameRecord } from "./record.js";
import { histogramOf } from "./histogram.js";

/** The `file_version` of the first event of every file. */
export const EVENT_FILE_VERSION = "brain.Event:2";
/** What the writer records as its `source_metadata.writer`. */
const WRITER_NAME = "tessera.nn.SummaryWriter";

/**
 * Where a {@link SummaryWriter} puts its records: `write` receives whole TFRecords, in order, one
 * call per `flush()`; the writer never calls `write` again before the previous call settled.
 *
 * @example
 * ```ts
 * import type { EventSink } from "@tessera/nn";
 * const chunks: Uint8Array[] = [];
 * const sink: EventSink = { name: "events.out.tfevents.0.host.0.0", write: (b) => void chunks.push(b) };
 * ```
 */
export interface EventSink {
  /** The event file's name (`events.out.tfevents.<secs>.<host>.<pid>.<n>`). */
  readonly name: string;
  /** Stores whole records. */
  write(records: Uint8Array): void | Promise<void>;
  /** Called once by {@link SummaryWriter.close} after the last write. */
  close?(): void | Promise<void>;
}

/**
 * The name TensorBoard's writers give event files: `events.out.tfevents.<secs>.<host>.<pid>.<n>`,
 * `secs` the creation time in whole seconds (zero-padded to 10 digits, so names sort by time).
 *
 * @example
 * ```ts
 * import { eventFileName } from "@tessera/nn";
 * eventFileName(1764979200.5, "tessera", 0, 0); // "events.out.tfevents.1764979200.tessera.0.0"
 * ```
 */
export function eventFileName(wallTime: number, host: string, pid: number, n: number): string {
  if (!Number.isFinite(wallTime) || wallTime < 0) throw new RangeError(`eventFileName: wallTime must be a finite number of seconds >= 0, got ${wallTime}`);
  if (host === "" || /[/\\]/.test(host)) throw new RangeError(`eventFileName: host must be a non-empty name without slashes, got '${host}'`);
  return `events.out.tfevents.${String(Math.floor(wallTime)).padStart(10, "0")}.${host}.${pid}.${n}`;
}

/**
 * Keeps every record in memory: the default sink of {@link SummaryWriter}, for browsers (download
 * the file with `writer.toBlob()`) and tests.
 *
 * @example
 * ```ts
 * import { MemorySink, SummaryWriter } from "@tessera/nn";
 * const w = new SummaryWriter({ sink: new MemorySink("events.out.tfevents.0.browser.0.0") });
 * ```
 */
export class MemorySink implements EventSink {
  private readonly chunks: Uint8Array[] = [];
  /** Creates an empty sink; `name` is the file name a download should use. */
  constructor(readonly name: string) {}
  /** Appends records. */
  write(records: Uint8Array): void {
    this.chunks.push(records);
  }
  /** Everything written so far, as one event file. */
  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

/**
 * Options of {@link SummaryWriter}.
 *
 * @example
 * ```ts
 * import type { SummaryWriterOptions } from "@tessera/nn";
 * const o: SummaryWriterOptions = { wallTime: () => 0 };
 * ```
 */
export interface SummaryWriterOptions {
  /** Where records go on `flush()` (default: a {@link MemorySink} named after `host` "browser", pid 0). */
  readonly sink?: EventSink;
  /** The clock of `wall_time`, in seconds since the Unix epoch (default `Date.now() / 1000`). */
  readonly wallTime?: () => number;
}

/**
 * Writes TensorBoard event files like PyTorch's `SummaryWriter`: scalars, histograms and text at
 * integer steps. Every `add…` encodes one event at once (so bad input fails at the call);
 * `flush()` hands the records to the sink and `close()` flushes and closes it. The first event
 * is `file_version: "brain.Event:2"`.
 *
 * @example
 * ```ts
 * import { SummaryWriter, readEvents } from "@tessera/nn";
 * const w = new SummaryWriter();
 * w.addScalar("loss/train", 0.25, 1);
 * w.addHistogram("weights/fc.weight", new Float32Array([0.1, -0.2, 0.3]), 1);
 * w.addText("notes", "first run", 0);
 * await w.close();
 * readEvents(w.bytes()).length; // 4
 * ```
 */
export class SummaryWriter {
  /** The sink that receives the records. */
  readonly sink: EventSink;
  private readonly clock: () => number;
  private pending: Uint8Array[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  /** Creates a writer and records the `file_version` event. */
  constructor(o: SummaryWriterOptions = {}) {
    checkKeys("SummaryWriter", o, ["sink", "wallTime"]);
    this.clock = o.wallTime ?? (() => Date.now() / 1000);
    this.sink = o.sink ?? new MemorySink(eventFileName(this.clock(), "browser", 0, 0));
    this.pending.push(encodeEvent(this.timeOf("SummaryWriter"), { what: { case: "fileVersion", value: EVENT_FILE_VERSION }, sourceMetadata: { writer: WRITER_NAME } }));
  }

  /** The event file's name (the sink's). */
  get fileName(): string {
    return this.sink.name;
  }

  /**
   * Records a float32 scalar (`simple_value`, drawn by TensorBoard's scalars plugin).
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * new SummaryWriter().addScalar("accuracy/test", 0.98, 5);
   * ```
   */
  addScalar(tag: string, value: number, step: number, wallTime?: number): void {
    const fn = "SummaryWriter.addScalar";
    if (typeof value !== "number") throw new TypeError(`${fn}: value of '${tag}' must be a number, got ${typeof value}`);
    const t = this.timeOf(fn, wallTime);
    this.pending.push(encodeEvent(t, summaryEvent(fn, step, { tag: checkTag(fn, tag), value: { case: "simpleValue", value } })));
  }

  /**
   * Records the histogram of `values` with TensorBoard's default buckets (see
   * {@link histogramOf}); statistics are computed in float64. Throws on an empty input or a
   * non-finite value.
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * new SummaryWriter().addHistogram("weights/conv1.weight", new Float32Array([0.1, -0.3, 0.2]), 0);
   * ```
   */
  addHistogram(tag: string, values: ArrayLike<number>, step: number, wallTime?: number): void {
    const fn = "SummaryWriter.addHistogram";
    const h = histogramOf(values, `${fn}: values of '${checkTag(fn, tag)}'`);
    const t = this.timeOf(fn, wallTime);
    this.pending.push(encodeEvent(t, summaryEvent(fn, step, { tag, value: { case: "histo", value: { ...h, bucketLimit: [...h.bucketLimit], bucket: [...h.bucket] } } })));
  }

  /**
   * Records text for TensorBoard's text plugin (markdown; a string tensor of shape [1] with
   * plugin "text"). Wrap tables in a code fence to keep their columns.
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * new SummaryWriter().addText("config", "lr **0.05**, batch 64", 0);
   * ```
   */
  addText(tag: string, text: string, step: number, wallTime?: number): void {
    const fn = "SummaryWriter.addText";
    if (typeof text !== "string") throw new TypeError(`${fn}: text of '${tag}' must be a string, got ${typeof text}`);
    const tensor = { dtype: DataType.DT_STRING, tensorShape: { dim: [{ size: 1n }] }, stringVal: [new TextEncoder().encode(text)] };
    const t = this.timeOf(fn, wallTime);
    this.pending.push(encodeEvent(t, summaryEvent(fn, step, { tag: checkTag(fn, tag), metadata: { pluginData: { pluginName: "text" } }, value: { case: "tensor", value: tensor } })));
  }

  /**
   * Marks a restart at `step` (a `SessionLog` START event, as PyTorch's `purge_step` writes):
   * TensorBoard then hides the events of earlier files of the run at steps >= `step`, so a run
   * resumed from a checkpoint shows no stale or duplicated points.
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * new SummaryWriter().purgeFrom(5); // resuming at epoch 5
   * ```
   */
  purgeFrom(step: number, wallTime?: number): void {
    const fn = "SummaryWriter.purgeFrom";
    const t = this.timeOf(fn, wallTime);
    this.pending.push(encodeEvent(t, { step: checkStep(fn, step), what: { case: "sessionLog", value: { status: SessionLog_SessionStatus.START } } }));
  }

  /**
   * Hands the records added since the last flush to the sink, whole records only. Flushes run in
   * order; a failed write makes this and every later flush reject.
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * const w = new SummaryWriter();
   * w.addScalar("loss", 1, 0);
   * await w.flush();
   * ```
   */
  flush(): Promise<void> {
    const chunk = concat(this.pending);
    this.pending = [];
    if (chunk.length > 0) this.chain = this.chain.then(() => this.sink.write(chunk));
    return this.chain;
  }

  /**
   * Flushes and closes the sink; later `add…` calls throw. Closing twice is allowed.
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * await new SummaryWriter().close();
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    await this.flush();
    this.chain = this.chain.then(() => this.sink.close?.());
    return this.chain;
  }

  /**
   * The event file written so far (flushed or not), for a {@link MemorySink} writer; throws for
   * other sinks (read their file instead).
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * new SummaryWriter().bytes().length; // one record: the file_version event
   * ```
   */
  bytes(): Uint8Array {
    if (!(this.sink instanceof MemorySink)) throw new TypeError(`SummaryWriter.bytes: the writer's sink is not a MemorySink; read '${this.sink.name}' instead`);
    return concat([this.sink.bytes(), ...this.pending]);
  }

  /**
   * The event file as a Blob for a browser download (save it as {@link SummaryWriter.fileName}
   * inside a run folder, then `tensorboard --logdir` that folder's parent).
   *
   * @example
   * ```ts
   * import { SummaryWriter } from "@tessera/nn";
   * const w = new SummaryWriter();
   * const url = URL.createObjectURL(w.toBlob()); // <a download={w.fileName} href={url}>
   * ```
   */
  toBlob(): Blob {
    return new Blob([this.bytes() as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" });
  }

  /** Checks that the writer is open and returns the event's wall time. */
  private timeOf(fn: string, wallTime?: number): number {
    if (this.closed) throw new Error(`${fn}: the writer is closed`);
    const t = wallTime ?? this.clock();
    if (!Number.isFinite(t)) throw new RangeError(`${fn}: wallTime must be a finite number of seconds, got ${t}`);
    return t;
  }
}

type EventInit = MessageInitShape<typeof EventSchema>;
type ValueInit = MessageInitShape<typeof Summary_ValueSchema>;

/** One framed Event record. */
function encodeEvent(wallTime: number, init: EventInit): Uint8Array {
  return frameRecord(toBinary(EventSchema, create(EventSchema, { ...init, wallTime })));
}

/** A summary event holding one value. */
function summaryEvent(fn: string, step: number, value: ValueInit): EventInit {
  return { step: checkStep(fn, step), what: { case: "summary", value: { value: [value] } } };
}

function checkTag(fn: string, tag: string): string {
  if (typeof tag !== "string" || tag === "") throw new TypeError(`${fn}: tag must be a non-empty string, got ${JSON.stringify(tag)}`);
  return tag;
}

function checkStep(fn: string, step: number): bigint {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`${fn}: step must be a non-negative integer, got ${step}`);
  return BigInt(step);
}

/** Throws when `o` has a key outside `known` (an option that would otherwise be ignored). @internal */
export function checkKeys(fn: string, o: object, known: readonly string[], hint = ""): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new TypeError(`${fn}: unknown option '${k}' (known: ${known.join(", ")})${hint}`);
  }
}

/** The chunks copied into one new array. */
function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
