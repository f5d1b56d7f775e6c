import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { NDArray, Rng } from "@tessera/ndarray";
import { mul } from "@tessera/autograd";
import { crossEntropy, SGD, StepLR } from "@tessera/optim";
import {
  Conv2d, Dropout, EarlyStopping, Flatten, fit, Linear, LocalResponseNorm, LRSchedulerCallback, MaxPool2d, ModelCheckpoint, ProgressLogger, ReLU, Sequential,
  summary, TerminateOnNaN, type Batch,
} from "./index.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8"));

/** Two Gaussian blobs in 4-D, labels 0/1, seeded. */
function blobs(n: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  const batches: Batch[] = [];
  for (let b = 0; b < n; b++) {
    const x = new Float32Array(16 * 4);
    const y = new Int32Array(16);
    for (let i = 0; i < 16; i++) {
      y[i] = rng.integers(0, 2);
      for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal(y[i] ? 1 : -1, 0.5);
    }
    batches.push({ x: new NDArray(x, [16, 4]), y });
  }
  return batches;
}

describe("fit()", () => {
  it("learns a separable problem, logs validation metrics, steps schedules and checkpoints the best", async () => {
    const rng = new Rng(1);
    const model = new Sequential(new Linear(4, 8, { rng }), new ReLU(), new Dropout(0.1, { seed: 3 }), new Linear(8, 2, { rng }));
    const optimizer = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
    const dir = mkdtempSync(join(tmpdir(), "tessera-fit-"));
    const ckpt = new ModelCheckpoint(join(dir, "best.safetensors"), { monitor: "val_accuracy", saveBestOnly: true });
    const seen: number[] = [];
    const history = await fit(model, (epoch) => blobs(8, epoch), {
      optimizer, loss: crossEntropy, epochs: 4, validation: blobs(4, 99),
      callbacks: [ckpt, new LRSchedulerCallback(new StepLR(optimizer, 2, 0.5)), { onBatchEnd: (i) => void seen.push(i) }],
    });
    expect(history.epochs).toHaveLength(4);
    expect(history.epochs[3].val_accuracy).toBeGreaterThan(0.95);
    expect(history.epochs[3].loss).toBeLessThan(history.epochs[0].loss);
    expect(history.epochs.map((e) => e.lr)).toEqual([0.2, 0.1, 0.1, 0.05]);
    expect(seen.length).toBe(32);
    expect(readdirSync(dir)).toEqual(["best.safetensors"]);
  });

  it("early stopping and NaN termination stop training", async () => {
    const model = new Sequential(new Linear(4, 2, { rng: new Rng(2) }));
    const es = new EarlyStopping({ monitor: "loss", patience: 1, minDelta: 10 });
    const h = await fit(model, blobs(2, 1), { optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: crossEntropy, epochs: 10, callbacks: [es] });
    expect(h.stopped).toBe(true);
    expect(h.epochs).toHaveLength(2);
    const nan = new TerminateOnNaN();
    const nanLoss = (l: Parameters<typeof crossEntropy>[0], y: Int32Array) => mul(crossEntropy(l, y), NaN);
    const h2 = await fit(model, blobs(3, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: nanLoss, epochs: 5, callbacks: [nan] });
    expect(nan.triggered).toBe(true);
    expect(h2.stopped).toBe(true);
  });
});

describe("fit() progress", () => {
  it("prints a line per epoch by default in Node, nothing with verbose: 0", async () => {
    const model = new Sequential(new Linear(4, 2, { rng: new Rng(4) }));
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await fit(model, blobs(3, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 2, validation: blobs(1, 9) });
      const lines = spy.mock.calls.map((c) => String(c[0]));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^epoch 1\/2: loss \d\.\d{4}, accuracy [\d.]+%, val loss \d\.\d{4}, val accuracy [\d.]+%, [\d.]+ s, \d+ images\/s$/);
      expect(lines[1]).toMatch(/^epoch 2\/2: /);
      spy.mockClear();
      await fit(model, blobs(3, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 2, verbose: 0 });
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    await expect(fit(model, blobs(1, 1), { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, verbose: 3 as 1 })).rejects.toThrow("fit: verbose must be 0, 1 or 2, got 3");
  });

  it("draws a bar on a terminal and clears it; a stopped epoch says so; no bar when not a TTY", async () => {
    const model = new Sequential(new Linear(4, 2, { rng: new Rng(5) }));
    const written: string[] = [];
    const lines: string[] = [];
    const tty = { isTTY: true, columns: 200, write: (s: string) => written.push(s) };
    const stopAt2 = { onBatchEnd: (i: number) => (i === 1 ? ("stop" as const) : undefined) };
    await fit(model, blobs(4, 1), {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 3,
      callbacks: [stopAt2, new ProgressLogger({ log: (l) => lines.push(l), bar: tty, validationName: "test" })],
    });
    expect(written[0]).toMatch(/^\repoch 1\/3 [█░]{20} 1\/4 batches \| ETA \S+ \| loss \d\.\d{4} \| acc [\d.]+% \| \d+ img\/s/);
    expect(written[written.length - 1]).toMatch(/^\r +\r$/);
    expect(lines).toEqual(["epoch 1/3: stopped after 2/4 batches"]);
    const quiet: string[] = [];
    await fit(model, blobs(2, 1), {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, epochs: 1,
      callbacks: [new ProgressLogger({ log: () => {}, bar: { isTTY: false, write: (s: string) => quiet.push(s) } })],
    });
    expect(quiet).toEqual([]);
  });

  it("onBatchBegin runs before each step (a per-batch learning rate takes effect on that batch)", async () => {
    const model = new Sequential(new Linear(4, 2, { rng: new Rng(6) }));
    const optimizer = new SGD(model.parameters(), { lr: 0.5 });
    const before = [...(await model.parameters()[0].data())];
    const lrs: number[] = [];
    await fit(model, blobs(2, 1), {
      optimizer, loss: crossEntropy, epochs: 1, verbose: 0,
      callbacks: [{ onBatchBegin: (i) => void (optimizer.paramGroups[0].lr = i === 0 ? 0 : 0.5) }, { onBatchEnd: () => void lrs.push(optimizer.paramGroups[0].lr) }],
    });
    expect(lrs).toEqual([0, 0.5]);
    // Batch 0 ran with lr 0, so only batch 1 moved the weights: one SGD step from the start.
    const replay = new Sequential(new Linear(4, 2, { rng: new Rng(6) }));
    await fit(replay, [blobs(2, 1)[1]], { optimizer: new SGD(replay.parameters(), { lr: 0.5 }), loss: crossEntropy, epochs: 1, verbose: 0 });
    expect([...(await model.parameters()[0].data())]).toEqual([...(await replay.parameters()[0].data())]);
    expect([...(await model.parameters()[0].data())]).not.toEqual(before);
  });
});

describe("fit() per-batch work", () => {
  it("walks the module tree once per epoch and per evaluation, not once per batch", async () => {
    const model = new Sequential(new Linear(4, 8, { rng: new Rng(3) }), new ReLU(), new Linear(8, 2, { rng: new Rng(4) }));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const walks = vi.spyOn(model, "parameters");
    await fit(model, blobs(6, 1), { optimizer, loss: crossEntropy, epochs: 2, verbose: 0, validation: blobs(5, 2) });
    expect(walks).toHaveBeenCalledTimes(2 + 2); // each epoch's training batches, and each epoch's validation
  });
});

describe("summary()", () => {
  it("reproduces the course's AlexNet table row by row (62,378,344 parameters)", () => {
    const table = fixtures.parameter_counts.alexnet_227_single_tower;
    // A small-width build would change counts; run the real network once (batch 1).
    const conv = (i: number, o: number, k: number, opts = {}) => new Conv2d(i, o, k, { rng: new Rng(0), ...opts });
    const lrn = () => new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 });
    const net = new Sequential(
      conv(3, 96, 11, { stride: 4 }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      conv(96, 256, 5, { padding: 2 }), new ReLU(), lrn(), new MaxPool2d(3, { stride: 2 }),
      conv(256, 384, 3, { padding: 1 }), new ReLU(), conv(384, 384, 3, { padding: 1 }), new ReLU(),
      conv(384, 256, 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }), new Flatten(),
      new Linear(9216, 4096), new ReLU(), new Linear(4096, 4096), new ReLU(), new Linear(4096, 1000),
    );
    const s = summary(net, [1, 3, 227, 227]);
    expect(s.total).toBe(table.total);
    const rows = s.rows.filter((r) => r.type === "Conv2d" || r.type === "MaxPool2d" || r.type === "Linear");
    const expected = (table.layers as [string, string, number][]).slice(1);
    expect(rows).toHaveLength(expected.length);
    rows.forEach((r, i) => {
      const [, shape, params] = expected[i];
      const want = shape.split("x").map(Number);
      const got = r.outputShape.length === 4 ? [r.outputShape[2], r.outputShape[3], r.outputShape[1]] : [r.outputShape[1]];
      expect(got).toEqual(want);
      expect(r.params).toBe(params);
    });
    expect(s.toString()).toContain("Total params: 62,378,344");
    net.dispose();
  });
});
