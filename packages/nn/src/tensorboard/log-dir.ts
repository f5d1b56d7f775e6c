/**
 * Node only: event files in a log directory (sink, writer, the logDir callback, reading a file).
 * Imported by `@tessera/nn/node`, never by the main entry, so browser bundles of `@tessera/nn`
 * contain no `node:` import.
 */
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { TensorBoard as CoreTensorBoard, type TensorBoardOptions } from "./callback.js";
import { eventFileName, SummaryWriter, type EventSink, type SummaryWriterOptions } from "./writer.js";
import { readEvents, type TensorBoardEvent } from "./reader.js";

/** Event files created with the same second, host and pid before {@link tensorboardFileSink} gives up. */
const MAX_SAME_NAME = 1000;

/**
 * An {@link EventSink} that appends records to one event file. Each `write` opens the file for
 * appending, writes the whole chunk (whole records only), syncs it to disk and closes it, so a
 * crash can at worst cut the last record short, which TensorBoard skips.
 *
 * @example
 * ```ts
 * import { tensorboardFileSink } from "@tessera/nn/node";
 * const sink = await tensorboardFileSink("runs/lenet5-seed0");
 * sink.path; // runs/lenet5-seed0/events.out.tfevents.<secs>.<host>.<pid>.0
 * ```
 */
export class FileSink implements EventSink {
  /** Creates a sink for an existing file; use {@link tensorboardFileSink}. */
  constructor(
    /** Path of the event file. */ readonly path: string,
    /** Its file name. */ readonly name: string,
  ) {}

  /** Appends whole records and syncs them to disk. */
  async write(records: Uint8Array): Promise<void> {
    const fh = await open(this.path, "a");
    try {
      await fh.writeFile(records);
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
}

/**
 * Creates `logDir` (recursively) and a new, empty event file in it named
 * `events.out.tfevents.<secs>.<host>.<pid>.<n>`, `n` the first number not taken (the file is
 * created exclusively, so two writers never share a file).
 *
 * @example
 * ```ts
 * import { tensorboardFileSink } from "@tessera/nn/node";
 * import { SummaryWriter } from "@tessera/nn";
 * const writer = new SummaryWriter({ sink: await tensorboardFileSink("runs/exp1") });
 * ```
 */
export async function tensorboardFileSink(logDir: string, o: { readonly wallTime?: number } = {}): Promise<FileSink> {
  if (typeof logDir !== "string" || logDir === "") throw new TypeError(`tensorboardFileSink: logDir must be a non-empty path, got ${JSON.stringify(logDir)}`);
  const secs = o.wallTime ?? Date.now() / 1000;
  await mkdir(logDir, { recursive: true });
  const host = hostname().replace(/[/\\]/g, "_") || "localhost";
  for (let n = 0; n < MAX_SAME_NAME; n++) {
    const name = eventFileName(secs, host, process.pid, n);
    const path = join(logDir, name);
    try {
      await (await open(path, "wx")).close();
      return new FileSink(path, name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  throw new Error(`tensorboardFileSink: ${MAX_SAME_NAME} event files for second ${Math.floor(secs)}, host ${host} and pid ${process.pid} already exist in ${logDir}`);
}

/**
 * Reads and decodes an event file (see `readEvents`), refusing files larger than `maxBytes`
 * (default 1 GiB) before reading them.
 *
 * @example
 * ```ts
 * import { readEventFile } from "@tessera/nn/node";
 * // const events = await readEventFile("runs/exp1/events.out.tfevents.1764979200.host.42.0");
 * ```
 */
export async function readEventFile(path: string, o: { readonly maxBytes?: number } = {}): Promise<TensorBoardEvent[]> {
  const maxBytes = o.maxBytes ?? 2 ** 30;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) throw new RangeError(`readEventFile: maxBytes must be a non-negative integer, got ${maxBytes}`);
  const { size } = await stat(path);
  if (size > maxBytes) throw new RangeError(`readEventFile: '${path}' has ${size} bytes, more than maxBytes = ${maxBytes}`);
  return readEvents(new Uint8Array(await readFile(path)));
}

/**
 * A {@link SummaryWriter} writing a new event file in `logDir` (see {@link tensorboardFileSink}).
 *
 * @example
 * ```ts
 * import { openSummaryWriter } from "@tessera/nn/node";
 * const w = await openSummaryWriter("runs/exp1");
 * w.addScalar("loss/train", 0.3, 1);
 * await w.close();
 * ```
 */
export async function openSummaryWriter(logDir: string, o: Omit<SummaryWriterOptions, "sink"> = {}): Promise<SummaryWriter> {
  const wallTime = o.wallTime ?? (() => Date.now() / 1000);
  return new SummaryWriter({ ...o, wallTime, sink: await tensorboardFileSink(logDir, { wallTime: wallTime() }) });
}

/**
 * Options of the Node {@link TensorBoard}: Keras's `logDir` plus the platform-free options.
 *
 * @example
 * ```ts
 * import type { NodeTensorBoardOptions } from "@tessera/nn/node";
 * const o: NodeTensorBoardOptions = { logDir: "runs/lenet5-seed0", histogramFreq: 1 };
 * ```
 */
export interface NodeTensorBoardOptions extends Omit<TensorBoardOptions, "writer"> {
  /** The run's folder: a new event file is created there when training begins. */
  readonly logDir: string;
}

/**
 * The `fit()` callback of `@tessera/nn` writing into `logDir` (Keras's
 * `TensorBoard(log_dir, histogram_freq, update_freq)`); compare runs with
 * `tensorboard --logdir <parent of the run folders>`.
 *
 * @example
 * ```ts
 * import { TensorBoard } from "@tessera/nn/node";
 * // await fit(model, batches, { optimizer, loss: crossEntropy, epochs: 5, callbacks: [new TensorBoard({ logDir: "runs/lenet5-seed0", histogramFreq: 1 })] });
 * ```
 */
export class TensorBoard extends CoreTensorBoard {
  /** Creates the callback; the event file is created when training begins. */
  constructor(o: NodeTensorBoardOptions) {
    const { logDir, ...rest } = o;
    if ("writer" in rest) throw new TypeError("TensorBoard: give logDir or writer, not both");
    if (typeof logDir !== "string" || logDir === "") throw new TypeError(`TensorBoard: logDir must be a non-empty path, got ${JSON.stringify(logDir)}`);
    super({ ...rest, writer: () => openSummaryWriter(logDir) });
  }
}
