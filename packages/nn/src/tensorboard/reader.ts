/**
 * `readEvents(bytes)`: decodes a TensorBoard event file after checking the framing and both CRCs
 * of every record. Scalars, histograms and text come out as plain objects; anything else is
 * reported as `kind: "other"` with its plugin, never dropped.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { EventSchema, SessionLog_SessionStatus, type Event } from "./proto/event_pb.js";
import type { Summary_Value } from "./proto/summary_pb.js";
import type { TensorProto } from "./proto/tensor_pb.js";
import { DataType } from "./proto/types_pb.js";
import type { HistogramData } from "./histogram.js";
import { readRecords } from "./record.js";

/**
 * One value of a summary event. `scalar` comes from `simple_value` or a one-element float tensor
 * of the scalars plugin; `text` from a one-element string tensor of the text plugin; `other`
 * names what was not decoded (images, audio, TF2-style histogram tensors…).
 *
 * @example
 * ```ts
 * import type { SummaryValue } from "@tessera/nn";
 * const v: SummaryValue = { kind: "scalar", tag: "loss/train", value: 0.5 };
 * ```
 */
export type SummaryValue =
  | {
      /** A scalar. */ readonly kind: "scalar";
      /** The series. */ readonly tag: string;
      /** Its value (float32 for `simple_value`). */ readonly value: number;
    }
  | {
      /** A histogram. */ readonly kind: "histogram";
      /** The series. */ readonly tag: string;
      /** Statistics and buckets. */ readonly histogram: HistogramData;
    }
  | {
      /** Text (markdown). */ readonly kind: "text";
      /** The series. */ readonly tag: string;
      /** The text, decoded as UTF-8. */ readonly text: string;
    }
  | {
      /** Not decoded by Tessera. */ readonly kind: "other";
      /** The series. */ readonly tag: string;
      /** Its plugin ("" when none was named). */ readonly pluginName: string;
      /** The `Summary.Value` field that holds it: `tensor`, `image`, `audio`, `obsolete_old_style_histogram`, or `none`. */ readonly field: string;
    };

/**
 * A decoded event. `values` is empty unless the event is a summary; `what` names the event's
 * payload (`fileVersion`, `summary`, `sessionLog`, `graphDef`, `metaGraphDef`, or `none`).
 *
 * @example
 * ```ts
 * import type { TensorBoardEvent } from "@tessera/nn";
 * const e: TensorBoardEvent = { wallTime: 0, step: 0, what: "fileVersion", fileVersion: "brain.Event:2", values: [] };
 * ```
 */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */ readonly wallTime: number;
  /** The step (x axis). */ readonly step: number;
  /** Which payload the event carries. */ readonly what: "fileVersion" | "summary" | "sessionLog" | "graphDef" | "metaGraphDef" | "none";
  /** The file version (first event of a file). */ readonly fileVersion?: string;
  /** The session status of a `sessionLog` event. */ readonly sessionStatus?: "unspecified" | "start" | "stop" | "checkpoint";
  /** Summary values. */ readonly values: readonly SummaryValue[];
}

const STATUS = { [SessionLog_SessionStatus.STATUS_UNSPECIFIED]: "unspecified", [SessionLog_SessionStatus.START]: "start", [SessionLog_SessionStatus.STOP]: "stop", [SessionLog_SessionStatus.CHECKPOINT]: "checkpoint" } as const;

/**
 * Decodes every event of a TensorBoard event file. Each record's length CRC and data CRC are
 * checked, and a declared length must fit in the bytes left, so corrupt or truncated input fails
 * with an error naming the record's index and byte offset, and never allocates beyond the input.
 * A series' plugin is remembered from its first value's metadata (TensorFlow writes it once).
 *
 * @example
 * ```ts
 * import { readEvents, SummaryWriter } from "@tessera/nn";
 * const w = new SummaryWriter();
 * w.addScalar("loss", 0.5, 3);
 * const [, e] = readEvents(w.bytes()); // e.step 3, e.values [{ kind: "scalar", tag: "loss", value: 0.5 }]
 * ```
 */
export function readEvents(bytes: Uint8Array): TensorBoardEvent[] {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readEvents: bytes must be a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  const plugins = new Map<string, string>();
  const events: TensorBoardEvent[] = [];
  for (const r of readRecords(bytes, "readEvents")) {
    const where = `readEvents: record ${r.index} (byte offset ${r.offset})`;
    let e: Event;
    try {
      e = fromBinary(EventSchema, r.data);
    } catch (err) {
      throw new RangeError(`${where} is not a valid Event message: ${(err as Error).message}`);
    }
    if (e.step < 0n || e.step > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${where} has step ${e.step}, outside 0..2^53-1`);
    const base = { wallTime: e.wallTime, step: Number(e.step) };
    switch (e.what.case) {
      case "fileVersion":
        events.push({ ...base, what: "fileVersion", fileVersion: e.what.value, values: [] });
        break;
      case "sessionLog":
        events.push({ ...base, what: "sessionLog", sessionStatus: STATUS[e.what.value.status] ?? "unspecified", values: [] });
        break;
      case "summary":
        events.push({ ...base, what: "summary", values: e.what.value.value.map((v) => decodeValue(v, plugins, where)) });
        break;
      case undefined:
        events.push({ ...base, what: "none", values: [] });
        break;
      default:
        events.push({ ...base, what: e.what.case, values: [] });
    }
  }
  return events;
}

function decodeValue(v: Summary_Value, plugins: Map<string, string>, where: string): SummaryValue {
  const metaPlugin = v.metadata?.pluginData?.pluginName;
  if (metaPlugin) plugins.set(v.tag, metaPlugin);
  const pluginName = plugins.get(v.tag) ?? "";
  const tag = v.tag;
  switch (v.value.case) {
    case "simpleValue":
      return { kind: "scalar", tag, value: v.value.value };
    case "histo": {
      const h = v.value.value;
      if (h.bucket.length !== h.bucketLimit.length) throw new RangeError(`${where}: histogram '${tag}' has ${h.bucketLimit.length} bucket limits but ${h.bucket.length} counts`);
      return { kind: "histogram", tag, histogram: { min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares, bucketLimit: h.bucketLimit, bucket: h.bucket } };
    }
    case "tensor": {
      const t = v.value.value;
      if (pluginName === "text" && t.dtype === DataType.DT_STRING && t.stringVal.length === 1 && elements(t) === 1) {
        try {
          return { kind: "text", tag, text: new TextDecoder("utf-8", { fatal: true }).decode(t.stringVal[0]) };
        } catch {
          throw new RangeError(`${where}: text '${tag}' is not valid UTF-8`);
        }
      }
      if (pluginName === "scalars" && elements(t) === 1) {
        const x = scalarOf(t);
        if (x !== undefined) return { kind: "scalar", tag, value: x };
      }
      return { kind: "other", tag, pluginName, field: "tensor" };
    }
    default: {
      // Values this schema leaves out (images, audio, old-style histograms) arrive as unknown fields.
      const no = (v.$unknown ?? []).map((u) => u.no).find((n) => n in LEFT_OUT);
      return { kind: "other", tag, pluginName, field: no === undefined ? "none" : LEFT_OUT[no] };
    }
  }
}

/** `Summary.Value` fields not in proto/tensorboard/summary.proto, by number. */
const LEFT_OUT: Record<number, string> = { 3: "obsolete_old_style_histogram", 4: "image", 6: "audio" };

function elements(t: TensorProto): number {
  return (t.tensorShape?.dim ?? []).reduce((n, d) => n * Number(d.size), 1);
}

/** The value of a one-element float32/float64 tensor, or undefined for other dtypes. */
function scalarOf(t: TensorProto): number | undefined {
  if (t.dtype === DataType.DT_FLOAT) {
    if (t.floatVal.length === 1) return t.floatVal[0];
    if (t.tensorContent.length === 4) return new DataView(t.tensorContent.buffer, t.tensorContent.byteOffset, 4).getFloat32(0, true);
  }
  if (t.dtype === DataType.DT_DOUBLE) {
    if (t.doubleVal.length === 1) return t.doubleVal[0];
    if (t.tensorContent.length === 8) return new DataView(t.tensorContent.buffer, t.tensorContent.byteOffset, 8).getFloat64(0, true);
  }
  return undefined;
}
