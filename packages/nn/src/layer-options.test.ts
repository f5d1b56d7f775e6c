import { describe, expect, it } from "vitest";
import { conv2d, tensor } from "@tessera/autograd";
import { gradcheck } from "@tessera/autograd/testing";
import { JsDevice } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, Linear, LocalResponseNorm, MaxPool2d, type PaddingMode } from "./index.js";
import { padNCHW } from "./layers/pad.js";

const TOL = 1e-5;

/** Host reference of PyTorch's F.pad modes: the source index of a padded index. */
function source(i: number, n: number, mode: PaddingMode): number {
  if (mode === "reflect") return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
  if (mode === "replicate") return Math.min(Math.max(i, 0), n - 1);
  return ((i % n) + n) % n;
}
function padHost(x: Float32Array, [N, C, H, W]: number[], [t, b, l, r]: number[], mode: PaddingMode): { data: Float32Array; shape: number[] } {
  const PH = H + t + b, PW = W + l + r;
  const out = new Float32Array(N * C * PH * PW);
  for (let nc = 0; nc < N * C; nc++) {
    for (let i = 0; i < PH; i++) {
      for (let j = 0; j < PW; j++) out[(nc * PH + i) * PW + j] = x[(nc * H + source(i - t, H, mode)) * W + source(j - l, W, mode)];
    }
  }
  return { data: out, shape: [N, C, PH, PW] };
}

describe("Conv2d paddingMode", () => {
  const shape = [2, 2, 4, 5];
  const rng = new Rng(7);
  const x = Float32Array.from({ length: 2 * 2 * 4 * 5 }, () => rng.normal());
  for (const mode of ["reflect", "replicate", "circular"] as const) {
    it(`'${mode}' equals a zero-padding-free conv of the input padded like F.pad`, async () => {
      const layer = new Conv2d(2, 3, [3, 3], { padding: [1, 2], paddingMode: mode, rng: new Rng(1) });
      const y = await layer.forward(tensor(x, { shape })).data();
      const p = padHost(x, shape, [1, 1, 2, 2], mode);
      const want = await conv2d(tensor(p.data, { shape: p.shape }), layer.weight, layer.bias).data();
      expect(y.length).toBe(2 * 3 * 4 * 7);
      y.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(TOL));
    });
    it(`'${mode}' padding has the right gradient (float64 gradcheck)`, () => {
      gradcheck((a) => padNCHW("Conv2d", a, [2, 1, 1, 3], mode), [{ shape: [1, 2, 3, 4], data: Array.from({ length: 24 }, (_, i) => Math.sin(i + 1)) }]);
    });
  }
  it("'same' with reflect pads like PyTorch (1 on each side for 3×3) and keeps the size", async () => {
    const layer = new Conv2d(2, 1, 3, { padding: "same", paddingMode: "reflect" });
    const y = layer.forward(tensor(x, { shape }));
    expect(y.shape).toEqual([2, 1, 4, 5]);
    const p = padHost(x, shape, [1, 1, 1, 1], "reflect");
    const want = await conv2d(tensor(p.data, { shape: p.shape }), layer.weight, layer.bias).data();
    (await y.data()).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(TOL));
  });
  it("rejects an unknown mode and padding the input cannot reflect", () => {
    expect(() => new Conv2d(1, 1, 3, { paddingMode: "mirror" as never })).toThrow("Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got \"mirror\"");
    const layer = new Conv2d(1, 1, 1, { padding: 3, paddingMode: "reflect" });
    expect(() => layer.forward(tensor([1, 2, 3], { shape: [1, 1, 1, 3] }))).toThrow("Conv2d: 'reflect' padding (3, 3) must be < the input width (3)");
  });
});

describe("BatchNorm: num_batches_tracked, momentum null, eps", () => {
  const batch = (seed: number) => {
    const r = new Rng(seed);
    return tensor(Float32Array.from({ length: 4 * 2 * 2 * 2 }, () => r.normal() * 2 + 1), { shape: [4, 2, 2, 2] });
  };
  it("continues the loaded count (PyTorch: 5 batches, save, load, 1 batch = 6)", async () => {
    const a = new BatchNorm2d(2);
    for (let i = 0; i < 5; i++) a.forward(batch(i));
    const b = new BatchNorm2d(2);
    await b.loadStateDict(a.stateDict());
    b.forward(batch(5));
    expect([...(await b.stateDict().get("num_batches_tracked")!.data())]).toEqual([6]);
  });
  it("continues the loaded count on a device that reads only asynchronously (as webgpu)", async () => {
    const asyncOnly = new JsDevice();
    const readSync = asyncOnly.readSync.bind(asyncOnly);
    Object.defineProperty(asyncOnly, "read", { value: async (buf: Parameters<typeof readSync>[0]) => readSync(buf) });
    Object.defineProperty(asyncOnly, "readSync", { value: undefined });
    const a = new BatchNorm2d(2);
    for (let i = 0; i < 5; i++) a.forward(batch(i));
    const b = new BatchNorm2d(2, { device: asyncOnly });
    await b.loadStateDict(a.stateDict());
    b.forward(tensor(await batch(5).data(), { shape: [4, 2, 2, 2], device: asyncOnly }));
    expect([...(await b.stateDict().get("num_batches_tracked")!.data())]).toEqual([6]);
  });
    it("momentum: null keeps the cumulative average of the batch statistics", async () => {
    const bn = new BatchNorm2d(2, { momentum: null });
    const means = [[0, 0]];
    for (let s = 0; s < 3; s++) {
      const x = await batch(s).data();
      means.push([0, 1].map((c) => {
        let sum = 0;
        for (let n = 0; n < 4; n++) for (let k = 0; k < 4; k++) sum += x[(n * 2 + c) * 4 + k];
        return sum / 16;
      }));
      bn.forward(batch(s));
    }
    const got = await bn.stateDict().get("running_mean")!.data();
    [0, 1].forEach((c) => expect(Math.abs(got[c] - (means[1][c] + means[2][c] + means[3][c]) / 3)).toBeLessThan(TOL));
  });
  it("rejects NaN eps, momentum outside [0, 1] and unknown keys", () => {
    expect(() => new BatchNorm2d(2, { eps: NaN })).toThrow("BatchNorm2d: eps must be a finite number >= 0, got NaN");
    expect(() => new BatchNorm1d(2, { momentum: 1.5 })).toThrow("BatchNorm1d: momentum must be in [0, 1] or null (cumulative average), got 1.5");
    expect(() => new BatchNorm2d(2, { trackRunningStats: false } as never)).toThrow("BatchNorm2d: unknown option 'trackRunningStats' in options (known: eps, momentum, affine, device)");
  });
});

describe("every layer's options object rejects unknown keys", () => {
  it("names the layer, the key and the known keys", () => {
    expect(() => new Linear(2, 2, { bais: false } as never)).toThrow("Linear: unknown option 'bais' in options (known: rng, device, bias)");
    expect(() => new Conv2d(1, 1, 3, { padding_mode: "reflect" } as never)).toThrow("Conv2d: unknown option 'padding_mode' in options");
    expect(() => new MaxPool2d(2, { strides: 2 } as never)).toThrow("MaxPool2d: unknown option 'strides' in options");
    expect(() => new AvgPool2d(2, { countIncludePadding: false } as never)).toThrow("AvgPool2d: unknown option 'countIncludePadding' in options");
    expect(() => new Dropout(0.5, { rng: 1 } as never)).toThrow("Dropout: unknown option 'rng' in options (known: seed)");
    expect(() => new LocalResponseNorm(5, { size: 3 } as never)).toThrow("LocalResponseNorm: unknown option 'size' in options (known: alpha, beta, k)");
  });
});

describe("fit and callbacks reject unknown option keys", () => {
  it("names the function and the key", async () => {
    const { fit, EarlyStopping, ModelCheckpoint } = await import("./index.js");
    const { SGD, crossEntropy } = await import("@tessera/optim");
    const m = new Linear(2, 2);
    await expect(fit(m, [], { optimizer: new SGD(m.parameters(), { lr: 0.1 }), loss: crossEntropy, epoch: 3 } as never)).rejects.toThrow("fit: unknown option 'epoch' in options");
    expect(() => new EarlyStopping({ patients: 3 } as never)).toThrow("EarlyStopping: unknown option 'patients' in options");
    expect(() => new ModelCheckpoint("x.safetensors", { saveBest: true } as never)).toThrow("ModelCheckpoint: unknown option 'saveBest' in options");
  });
});
