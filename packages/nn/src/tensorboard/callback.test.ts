import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NDArray, Rng } from "@tessera/ndarray";
import { crossEntropy, SGD } from "@tessera/optim";
import { fit, Linear, ReLU, Sequential, summary, type Batch, type Logs, type Module } from "../index.js";
import { TensorBoard as NodeTensorBoard, readEventFile, tensorboardFileSink } from "../node.js";
import { TensorBoard } from "./callback.js";
import { histogramOf } from "./histogram.js";
import { readEvents, type SummaryValue, type TensorBoardEvent } from "./reader.js";

/** Two Gaussian blobs in 4-D, `n` batches of 16, seeded. */
function blobs(n: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const x = new Float32Array(16 * 4);
    const y = new Int32Array(16);
    for (let i = 0; i < 16; i++) {
      y[i] = rng.integers(0, 2);
      for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal(y[i] ? 1 : -1, 0.5);
    }
    return { x: new NDArray(x, [16, 4]), y };
  });
}

function net(): Module {
  const rng = new Rng(1);
  return new Sequential(new Linear(4, 8, { rng }), new ReLU(), new Linear(8, 2, { rng }));
}

/** A clock that advances 10 ms per call. */
function fakeClock(): () => number {
  let t = 1000;
  return () => (t += 10);
}

type Point = SummaryValue & { step: number };
const points = (events: readonly TensorBoardEvent[]): Point[] => events.flatMap((e) => e.values.map((v) => ({ ...v, step: e.step })));
const scalars = (ps: Point[], tag: string) => ps.filter((p) => p.tag === tag).map((p) => [p.step, p.kind === "scalar" ? p.value : NaN]);

describe("TensorBoard callback", () => {
  it("logs epoch scalars, histograms every histogramFreq epochs and the summary at step 0; a resume continues the steps", async () => {
    const model = net();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const tb = new TensorBoard({ histogramFreq: 2, inputShape: [1, 4], now: fakeClock() });
    const extra = { onEpochEnd: (e: number, l: Logs) => void Object.assign(l, { grad_norm: e + 0.5, toString: e }) };
    const h = await fit(model, (e) => blobs(3, e), { optimizer, loss: crossEntropy, epochs: 3, validation: blobs(2, 99), callbacks: [extra, tb], verbose: 0 });
    const events = readEvents(tb.writer.bytes());
    const ps = points(events);
    expect(events[0].what).toBe("fileVersion");
    for (const [key, tag] of [["loss", "loss/train"], ["accuracy", "accuracy/train"], ["val_loss", "loss/test"], ["val_accuracy", "accuracy/test"], ["lr", "lr"]]) {
      expect(scalars(ps, tag), tag).toEqual(h.epochs.map((l: Logs, i) => [i, Math.fround(l[key])]));
    }
    expect(scalars(ps, "grad_norm")).toEqual([[0, 0.5], [1, 1.5], [2, 2.5]]);
    expect(scalars(ps, "toString")).toEqual([[0, 0], [1, 1], [2, 2]]);
    // 48 images between the epoch's start and its last batch, 3 ticks of 10 ms apart.
    expect(scalars(ps, "images_per_sec")).toEqual([[0, 1600], [1, 1600], [2, 1600]]);
    const names = model.namedParameters().map(([k]) => k);
    expect(ps.filter((p) => p.kind === "histogram").map((p) => [p.step, p.tag])).toEqual(
      [0, 2].flatMap((s) => names.flatMap((n) => [[s, `weights/${n}`], [s, `gradients/${n}`]])),
    );
    // The last histograms are the final weights and the last batch's gradients.
    for (const [n, p] of model.namedParameters()) {
      const at2 = (tag: string) => ps.find((x) => x.step === 2 && x.tag === tag);
      expect(at2(`weights/${n}`)).toMatchObject({ histogram: histogramOf(await p.data()) });
      expect(at2(`gradients/${n}`)).toMatchObject({ histogram: histogramOf(await p.grad!.data()) });
    }
    const text = ps.filter((p) => p.kind === "text");
    expect(text).toHaveLength(1);
    expect(text[0]).toMatchObject({ step: 0, tag: "model/summary" });
    expect(text[0].kind === "text" && text[0].text).toContain(summary(model, [1, 4]).toString());

    // Resume at epoch 3 with a fresh writer: a purge marker at step 3 first, no summary text, steps 3 and 4.
    const tb2 = new TensorBoard({ now: fakeClock() });
    await fit(model, (e) => blobs(3, e), { optimizer, loss: crossEntropy, epochs: 5, initialEpoch: 3, callbacks: [tb2], verbose: 0 });
    const resumed = readEvents(tb2.writer.bytes());
    expect(resumed[1]).toMatchObject({ what: "sessionLog", sessionStatus: "start", step: 3 });
    const ps2 = points(resumed);
    expect(ps2.some((p) => p.kind === "text" || p.kind === "histogram")).toBe(false);
    expect(scalars(ps2, "loss/train").map(([s]) => s)).toEqual([3, 4]);
  });

  it("in batch mode counts steps in batches, averages every N batches, and resumes at epoch × batches", async () => {
    const model = net();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const batchLosses: number[] = [];
    const record = { onBatchEnd: (_i: number, l: Logs) => void batchLosses.push(l.loss) };
    const tb = new TensorBoard({ updateFreq: 2, now: fakeClock() });
    const h = await fit(model, (e) => blobs(3, e), { optimizer, loss: crossEntropy, epochs: 2, callbacks: [record, tb], verbose: 0 });
    const ps = points(readEvents(tb.writer.bytes()));
    const mean = (a: number, b: number) => Math.fround((batchLosses[a] + batchLosses[b]) / 2);
    expect(scalars(ps, "batch/loss")).toEqual([[1, mean(0, 1)], [3, mean(2, 3)], [5, mean(4, 5)]]);
    expect(scalars(ps, "loss/train")).toEqual([[2, Math.fround(h.epochs[0].loss)], [5, Math.fround(h.epochs[1].loss)]]);
    expect(ps.find((p) => p.kind === "text")?.step).toBe(0);

    batchLosses.length = 0;
    const tb2 = new TensorBoard({ updateFreq: 2, now: fakeClock() });
    await fit(model, (e) => blobs(3, e), { optimizer, loss: crossEntropy, epochs: 3, initialEpoch: 2, callbacks: [record, tb2], verbose: 0 });
    const resumed = readEvents(tb2.writer.bytes());
    expect(resumed[1]).toMatchObject({ what: "sessionLog", sessionStatus: "start", step: 6 });
    // Steps 6, 7, 8: the window closes at 7; the partial window (step 8 alone) is written at the end.
    expect(scalars(points(resumed), "batch/loss")).toEqual([[7, mean(0, 1)], [8, Math.fround(batchLosses[2])]]);
    expect(scalars(points(resumed), "loss/train").map(([s]) => s)).toEqual([8]);
  });

  it("writes into logDir through @tessera/nn/node, one new file per run", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tessera-tb-")), "runs", "exp1");
    const model = net();
    const tb = new NodeTensorBoard({ logDir: dir, histogramFreq: 1 });
    const h = await fit(model, blobs(2, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 2, callbacks: [tb], verbose: 0 });
    const [file] = readdirSync(dir);
    expect(file).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.[^.]+.*\\.${process.pid}\\.0$`));
    expect(tb.writer.fileName).toBe(file);
    const ps = points(await readEventFile(join(dir, file)));
    const size = readFileSync(join(dir, file)).length;
    await expect(readEventFile(join(dir, file), { maxBytes: size - 1 })).rejects.toThrow(`readEventFile: '${join(dir, file)}' has ${size} bytes, more than maxBytes = ${size - 1}`);
    expect(scalars(ps, "loss/train")).toEqual(h.epochs.map((l, i) => [i, Math.fround(l.loss)]));
    expect(ps.filter((p) => p.kind === "histogram" && p.step === 1)).toHaveLength(8);
    expect(() => tb.writer.addScalar("late", 1, 9)).toThrow(/the writer is closed/);
    // The same callback in a resumed fit(): a second file, starting with a purge marker at epoch 2.
    await fit(model, blobs(2, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 3, initialEpoch: 2, callbacks: [tb], verbose: 0 });
    const second = readdirSync(dir).filter((f) => f !== file);
    expect(second).toEqual([tb.writer.fileName]);
    const resumed = readEvents(new Uint8Array(readFileSync(join(dir, second[0]))));
    expect(resumed[1]).toMatchObject({ what: "sessionLog", sessionStatus: "start", step: 2 });
    expect(scalars(points(resumed), "loss/train").map(([s]) => s)).toEqual([2]);
    // Two sinks created in the same second get distinct numbers.
    const a = await tensorboardFileSink(dir, { wallTime: 1764979200 });
    const b = await tensorboardFileSink(dir, { wallTime: 1764979200 });
    expect([a.name.endsWith(`.${process.pid}.0`), b.name.endsWith(`.${process.pid}.1`)]).toEqual([true, true]);
  });

  it("rejects options it would otherwise ignore", () => {
    expect(() => new TensorBoard({ logDir: "runs" } as never)).toThrow(/TensorBoard: unknown option 'logDir'.*import \{ TensorBoard \} from "@tessera\/nn\/node"/);
    expect(() => new TensorBoard({ histogram_freq: 1 } as never)).toThrow(/TensorBoard: unknown option 'histogram_freq'/);
    expect(() => new TensorBoard({ updateFreq: 0 })).toThrow(/TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, got 0/);
    expect(() => new TensorBoard({ histogramFreq: -1 })).toThrow(/TensorBoard: histogramFreq must be a non-negative integer, got -1/);
    expect(() => new TensorBoard({ initialStep: 1.5 })).toThrow(/TensorBoard: initialStep must be a non-negative integer, got 1.5/);
    expect(() => new TensorBoard({ inputShape: [1, 0] })).toThrow(/TensorBoard: inputShape must be a non-empty list of positive integers, got \[1,0\]/);
    expect(() => new NodeTensorBoard({ logDir: "" })).toThrow(/TensorBoard: logDir must be a non-empty path/);
    expect(() => new NodeTensorBoard({ logDir: "runs", writer: undefined } as never)).toThrow(/TensorBoard: give logDir or writer, not both/);
    expect(() => new TensorBoard({ writer: () => undefined as never }).writer).toThrow(/TensorBoard.writer: the writer is opened when training begins/);
  });
});
