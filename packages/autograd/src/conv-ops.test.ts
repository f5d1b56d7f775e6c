import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adaptiveAvgPool2d, avgPool2d, conv2d, flatten, linear, localResponseNorm, maxPool2d, relu, softmax, tensor, sum, mul, log, neg } from "./index.js";
import { gradcheck, type GradcheckInput } from "./testing.js";
import { Rng } from "@tessera/ndarray";
import { JsDevice, type DeviceBuffer } from "@tessera/blas";
import { noGrad } from "./index.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8"));

function input(shape: number[], seed: number): GradcheckInput {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

/** Distinct values (no ties) so max pooling is differentiable at the test point. */
function distinct(shape: number[], seed: number): GradcheckInput {
  const n = shape.reduce((a, b) => a * b, 1);
  const perm = new Rng(seed).permutation(n);
  return { shape, data: Array.from(perm, (v) => v / n - 0.5) };
}

describe("conv and pooling ops: gradcheck", () => {
  it("conv2d with stride, asymmetric padding, dilation and groups", () => {
    gradcheck((x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: [1, 0, 2, 1], dilation: [1, 2], groups: 2 }),
      [input([2, 4, 5, 6], 1), input([6, 2, 3, 2], 2), input([6], 3)]);
  });
  it("conv2d 'same' and 1×1", () => {
    gradcheck((x, w) => conv2d(x, w, null, { padding: "same" }), [input([1, 2, 5, 5], 4), input([3, 2, 4, 4], 5)]);
    gradcheck((x, w) => conv2d(x, w), [input([2, 3, 3, 3], 6), input([4, 3, 1, 1], 7)]);
  });
  it("conv2d by Winograd F(2×2, 3×3) (forward and backward-data): padding 0, 1, 2 and asymmetric, ragged tiles, N > 1", () => {
    gradcheck((x, w, b) => conv2d(x, w, b, { padding: 1, algorithm: "winograd" }), [input([2, 3, 5, 6], 12), input([4, 3, 3, 3], 13), input([4], 14)]);
    gradcheck((x, w) => conv2d(x, w, null, { padding: [0, 2, 2, 1], algorithm: "winograd" }), [input([1, 2, 4, 7], 15), input([3, 2, 3, 3], 16)]);
    gradcheck((x, w) => conv2d(x, w, null, { algorithm: "winograd" }), [input([2, 2, 5, 5], 17), input([2, 2, 3, 3], 18)]);
  });
  it("max pooling (overlapping, ceil mode), avg pooling, adaptive pooling, LRN", () => {
    gradcheck((x) => maxPool2d(x, { kernelSize: 3, stride: 2, ceilMode: true }), [distinct([1, 2, 6, 6], 8)]);
    gradcheck((x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }), [input([1, 2, 5, 5], 9)]);
    gradcheck((x) => adaptiveAvgPool2d(x, [2, 3]), [input([2, 2, 5, 7], 10)]);
    gradcheck((x) => localResponseNorm(x, { size: 3, alpha: 0.1, beta: 0.75, k: 2 }), [input([2, 5, 2, 2], 11)]);
  });
});

describe("inference skips the argmax", () => {
  it("maxPool2d asks the device for indices only when a graph is recorded; the maxima are the same", async () => {
    const device = new JsDevice();
    const argmaxes: (DeviceBuffer | null)[] = [];
    const pool = device.maxPool2d.bind(device);
    device.maxPool2d = (g, planes, x, ox, y, oy, argmax, oa) => {
      argmaxes.push(argmax);
      pool(g, planes, x, ox, y, oy, argmax, oa);
    };
    const data = Float32Array.from(distinct([1, 2, 5, 5], 21).data);
    const options = { kernelSize: 3, stride: 2, padding: 1 };
    const inferred = noGrad(() => maxPool2d(tensor(data, { shape: [1, 2, 5, 5], device }), options));
    const trained = maxPool2d(tensor(data, { shape: [1, 2, 5, 5], device, requiresGrad: true }), options);
    expect(argmaxes[0]).toBeNull();
    expect(argmaxes[1]).not.toBeNull();
    expect(await inferred.data()).toEqual(await trained.data());
  });
});

describe("the course's CNN example end to end (cnn_end_to_end)", () => {
  it("forward values and every gradient", async () => {
    const ex = fixtures.cnn_end_to_end;
    const x = tensor([[ex.input]]);
    const F = tensor([[ex.filter]], { requiresGrad: true });
    const cb = tensor([ex.conv_bias], { requiresGrad: true });
    const Wh = tensor(ex.W_hidden, { requiresGrad: true });
    const bh = tensor(ex.b_hidden, { requiresGrad: true });
    const Wo = tensor(ex.W_out, { requiresGrad: true });
    const bo = tensor(ex.b_out, { requiresGrad: true });
    const c = relu(conv2d(x, F, cb));
    const h = relu(linear(flatten(c), Wh, bh));
    const z = linear(h, Wo, bo);
    const p = softmax(z);
    const loss = neg(sum(mul(log(p), tensor([ex.label]))));
    const near = async (t: { data(): Promise<ArrayLike<number>> }, want: number[] | number[][]) => {
      const got = await t.data();
      want.flat().forEach((v: number, i: number) => expect(got[i]).toBeCloseTo(v, 5));
    };
    await near(c, ex.conv_relu);
    await near(h, ex.hidden);
    await near(z, ex.logits);
    await near(p, ex.softmax);
    expect(loss.item()).toBeCloseTo(ex.loss, 5);
    loss.backward();
    await near(F.grad!, ex.grad_filter);
    await near(cb.grad!, [ex.grad_conv_bias]);
    await near(Wh.grad!, ex.grad_W_hidden);
    await near(bh.grad!, ex.grad_b_hidden);
    await near(Wo.grad!, ex.grad_W_out);
    await near(bo.grad!, ex.grad_b_out);
  });
});
