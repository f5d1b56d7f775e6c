import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { readEvents, type SummaryValue, type TensorBoardEvent } from "./reader.js";
import { EVENT_FILE_VERSION, eventFileName, MemorySink, SummaryWriter, type EventSink } from "./writer.js";
import { frameRecord, readRecords } from "./record.js";
import { histogramOf } from "./histogram.js";
import { create, toBinary } from "@bufbuild/protobuf";
import { EventSchema } from "./proto/event_pb.js";
import { DataType } from "./proto/types_pb.js";

const FIXTURE_DIR = new URL("../../../../fixtures/tensorboard/", import.meta.url);
const fixtureBytes = new Uint8Array(readFileSync(new URL("events.out.tfevents.1764979200.tessera.0.0", FIXTURE_DIR)));
const expected = JSON.parse(readFileSync(new URL("expected.json", FIXTURE_DIR), "utf8"));
/** One float32 unit in the last place, relative: expected.json's histogram sums are float32. */
const FLOAT32_ULP = 2 ** -23;

function valuesOf(events: readonly TensorBoardEvent[]): (SummaryValue & { step: number })[] {
  return events.flatMap((e) => e.values.map((v) => ({ ...v, step: e.step })));
}

describe("readEvents on PyTorch's SummaryWriter output (fixtures/tensorboard)", () => {
  const events = readEvents(fixtureBytes);
  const values = valuesOf(events);

  it("starts with the file_version event", () => {
    expect(events[0]).toMatchObject({ what: "fileVersion", fileVersion: "brain.Event:2", step: 0, values: [] });
  });

  it("decodes every scalar at its step (simple_value is float32)", () => {
    for (const [tag, points] of Object.entries(expected.scalars as Record<string, [number, number][]>)) {
      const got = values.filter((v) => v.tag === tag).map((v) => [v.step, v.kind === "scalar" ? v.value : NaN]);
      expect(got, tag).toEqual(points.map(([step, x]) => [step, Math.fround(x)]));
    }
    expect(values.filter((v) => v.kind === "scalar")).toHaveLength(11);
  });

  it("decodes the histogram's statistics and buckets", () => {
    const e = expected.histograms["conv1.weight"];
    const [v] = values.filter((x) => x.tag === "conv1.weight");
    if (v.kind !== "histogram") throw new Error(`expected a histogram, got ${v.kind}`);
    const h = v.histogram;
    expect(v.step).toBe(e.step);
    expect(h.num).toBe(e.num);
    expect(h.min).toBe(e.min);
    expect(h.max).toBe(e.max);
    // The file holds float64 sums (PyTorch casts to float64); expected.json lists float32 sums.
    expect(Math.fround(h.sum)).toBe(e.sum);
    expect(Math.abs(h.sumSquares - e.sum_squares)).toBeLessThanOrEqual(FLOAT32_ULP * e.sum_squares);
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(e.num);
    expect(h.bucketLimit.length).toBe(h.bucket.length);
    for (let i = 1; i < h.bucketLimit.length; i++) expect(h.bucketLimit[i]).toBeGreaterThan(h.bucketLimit[i - 1]);
    expect(h.bucketLimit[h.bucketLimit.length - 1]).toBeGreaterThanOrEqual(e.max);
  });

  it("decodes the text summary (PyTorch appends /text_summary to the tag)", () => {
    const [tag, [step, text]] = Object.entries(expected.text as Record<string, [number, string]>)[0];
    expect(values.filter((v) => v.kind === "text")).toEqual([{ kind: "text", tag: `${tag}/text_summary`, text, step }]);
  });

  it("detects a flipped byte anywhere in the fixture's records, naming the record", () => {
    const records = [...readRecords(fixtureBytes)];
    expect(records).toHaveLength(events.length);
    const rng = new Rng(3);
    for (const r of records) {
      const end = r.offset + r.data.length + 16;
      for (const at of [r.offset + rng.integers(0, 8), r.offset + 8 + rng.integers(0, 4), r.offset + 12 + rng.integers(0, r.data.length), end - 1 - rng.integers(0, 4)]) {
        const bad = fixtureBytes.slice();
        bad[at] ^= 0x10;
        expect(() => readEvents(bad), `byte ${at}`).toThrow(new RegExp(`readEvents: record ${r.index} \\(byte offset ${r.offset}\\) (has a bad (length|data) CRC|declares)`));
      }
    }
  });

  it("rejects a truncated file and a record that is not an Event", () => {
    expect(() => readEvents(fixtureBytes.subarray(0, fixtureBytes.length - 3))).toThrow(/readEvents: record 13 \(byte offset \d+\) declares 83 data bytes, but only 80 remain/);
    expect(() => readEvents(frameRecord(new Uint8Array([0x0a, 0xff])))).toThrow(/readEvents: record 0 \(byte offset 0\) is not a valid Event message/);
  });
});

describe("readEvents on other writers' values", () => {
  /** A length-delimited protobuf field (lengths < 128). */
  const field = (no: number, body: number[]) => [(no << 3) | 2, body.length, ...body];
  const ascii = (t: string) => [...new TextEncoder().encode(t)];

  it("reads TF2 scalar tensors (plugin named once per tag) and reports what it does not decode", () => {
    const scalar = (step: number, x: number, meta: boolean) => frameRecord(toBinary(EventSchema, create(EventSchema, {
      step: BigInt(step),
      what: { case: "summary", value: { value: [{ tag: "acc", ...(meta ? { metadata: { pluginData: { pluginName: "scalars" } } } : {}), value: { case: "tensor", value: { dtype: DataType.DT_FLOAT, tensorShape: {}, floatVal: [x] } } }] } },
    })));
    // An image value (Summary.Value field 4), which this schema leaves out, encoded by hand.
    const image = frameRecord(new Uint8Array(field(5, field(1, [...field(1, ascii("img")), ...field(4, [0x08, 0x02])]))));
    const badText = frameRecord(toBinary(EventSchema, create(EventSchema, {
      what: { case: "summary", value: { value: [{ tag: "t", metadata: { pluginData: { pluginName: "text" } }, value: { case: "tensor", value: { dtype: DataType.DT_STRING, tensorShape: { dim: [{ size: 1n }] }, stringVal: [new Uint8Array([0xff])] } } }] } },
    })));
    const file = new Uint8Array([...scalar(1, 0.5, true), ...scalar(2, 0.75, false), ...image]);
    expect(valuesOf(readEvents(file))).toEqual([
      { kind: "scalar", tag: "acc", value: 0.5, step: 1 },
      { kind: "scalar", tag: "acc", value: 0.75, step: 2 },
      { kind: "other", tag: "img", pluginName: "", field: "image", step: 0 },
    ]);
    expect(() => readEvents(new Uint8Array([...image, ...badText]))).toThrow(`readEvents: record 1 (byte offset ${image.length}): text 't' is not valid UTF-8`);
  });
});

describe("SummaryWriter", () => {
  const clock = () => 1764979200.25;

  it("writes what readEvents reads back: file_version first, scalars, histograms, text, purge marker", async () => {
    const w = new SummaryWriter({ wallTime: clock });
    const rng = new Rng(7);
    const weights = Float32Array.from({ length: 500 }, () => rng.normal(0, 0.1));
    w.addScalar("loss/train", 2.302585, 0);
    w.addScalar("loss/train", 0.5, 1, 1764979300);
    w.addScalar("nan", NaN, 1);
    w.addHistogram("weights/fc.weight", weights, 1);
    w.addText("model/summary", "LeNet-5, **61,706** parameters ✓", 0);
    w.purgeFrom(2);
    await w.close();
    const events = readEvents(w.bytes());
    expect(events[0]).toEqual({ wallTime: 1764979200.25, step: 0, what: "fileVersion", fileVersion: EVENT_FILE_VERSION, values: [] });
    expect(events.slice(1, 4).map((e) => [e.step, e.wallTime, e.values])).toEqual([
      [0, 1764979200.25, [{ kind: "scalar", tag: "loss/train", value: Math.fround(2.302585) }]],
      [1, 1764979300, [{ kind: "scalar", tag: "loss/train", value: 0.5 }]],
      [1, 1764979200.25, [{ kind: "scalar", tag: "nan", value: NaN }]],
    ]);
    expect(events[4].values).toEqual([{ kind: "histogram", tag: "weights/fc.weight", histogram: histogramOf(weights) }]);
    expect(events[5].values).toEqual([{ kind: "text", tag: "model/summary", text: "LeNet-5, **61,706** parameters ✓" }]);
    expect(events[6]).toMatchObject({ what: "sessionLog", sessionStatus: "start", step: 2 });
    expect(events).toHaveLength(7);
    expect(w.fileName).toBe("events.out.tfevents.1764979200.browser.0.0");
    expect(w.toBlob().size).toBe(w.bytes().length);
  });

  it("hands the sink whole records, in order, only on flush; stops after close", async () => {
    const chunks: Uint8Array[] = [];
    let closed = 0;
    const sink: EventSink = { name: "x", write: async (b) => void chunks.push(b.slice()), close: () => void closed++ };
    const w = new SummaryWriter({ sink, wallTime: clock });
    w.addScalar("a", 1, 0);
    expect(chunks).toHaveLength(0);
    await w.flush();
    await w.flush(); // nothing new: no write
    w.addScalar("a", 2, 1);
    w.addScalar("a", 3, 2);
    const f = w.flush();
    w.addScalar("a", 4, 3);
    await Promise.all([f, w.close(), w.close()]);
    expect(closed).toBe(1);
    expect(chunks.map((c) => [...readRecords(c)].length)).toEqual([2, 2, 1]);
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
    expect(valuesOf(readEvents(all)).map((v) => (v.kind === "scalar" ? v.value : NaN))).toEqual([1, 2, 3, 4]);
    expect(() => w.addScalar("a", 5, 4)).toThrow(/SummaryWriter.addScalar: the writer is closed/);
    expect(() => w.bytes()).toThrow(/SummaryWriter.bytes: the writer's sink is not a MemorySink; read 'x' instead/);
  });

  it("rejects bad arguments and unknown options with the function's name", () => {
    const w = new SummaryWriter({ sink: new MemorySink("m"), wallTime: clock });
    expect(() => w.addScalar("", 1, 0)).toThrow(/SummaryWriter.addScalar: tag must be a non-empty string, got ""/);
    expect(() => w.addScalar("a", 1, -1)).toThrow(/SummaryWriter.addScalar: step must be a non-negative integer, got -1/);
    expect(() => w.addScalar("a", 1, 1.5)).toThrow(/step must be a non-negative integer, got 1.5/);
    expect(() => w.addScalar("a", "1" as unknown as number, 0)).toThrow(/value of 'a' must be a number, got string/);
    expect(() => w.addText("t", 3 as unknown as string, 0)).toThrow(/SummaryWriter.addText: text of 't' must be a string/);
    expect(() => w.addHistogram("h", [1, NaN], 0)).toThrow(/SummaryWriter.addHistogram: values of 'h' has a non-finite value NaN at index 1/);
    expect(() => w.addScalar("a", 1, 0, NaN)).toThrow(/wallTime must be a finite number of seconds, got NaN/);
    expect(() => new SummaryWriter({ logDir: "runs" } as never)).toThrow(/SummaryWriter: unknown option 'logDir' \(known: sink, wallTime\)/);
    expect(readEvents(w.bytes())).toHaveLength(1); // nothing was recorded by the failed calls
  });

  it("encodes scalar and text records byte for byte as PyTorch's SummaryWriter does", () => {
    const records = [...readRecords(fixtureBytes)];
    const events = readEvents(fixtureBytes);
    for (const i of [3, 11, 13]) {
      const e = events[i];
      const [v] = e.values;
      const w = new SummaryWriter({ wallTime: () => e.wallTime });
      if (v.kind === "scalar") w.addScalar(v.tag, v.value, e.step);
      else if (v.kind === "text") w.addText(v.tag, v.text, e.step);
      else throw new Error(`record ${i} is ${v.kind}`);
      const [, mine] = [...readRecords(w.bytes())];
      const theirs = records[i];
      expect(Buffer.from(mine.data).toString("hex"), `record ${i}`).toBe(Buffer.from(theirs.data).toString("hex"));
    }
  });

  it("names files like TensorBoard", () => {
    expect(eventFileName(1764979200.9, "tessera", 12, 3)).toBe("events.out.tfevents.1764979200.tessera.12.3");
    expect(eventFileName(5, "h", 0, 0)).toBe("events.out.tfevents.0000000005.h.0.0");
    expect(() => eventFileName(1, "a/b", 0, 0)).toThrow(/eventFileName: host must be a non-empty name without slashes, got 'a\/b'/);
  });
});
