import { describe, expect, it } from "vitest";
import { logSoftmax, tensor } from "@tessera/autograd";
import { gradcheck, type GradcheckInput } from "@tessera/autograd/testing";
import { crossEntropy, mseLoss, nllLoss } from "./index.js";

const TOL = 1e-5;

/**
 * PyTorch's cross_entropy for class indices, written out in float64 over [N, C, S] (S = d1·…):
 * ℓ = (1−ε)·w_y·(−log p_y) + (ε/C)·Σ_c w_c·(−log p_c) for kept targets, 0 for ignored ones;
 * 'mean' divides the sum by Σ w_y over kept targets.
 */
function reference(x: number[], [N, C, S]: number[], y: number[], o: { w?: number[]; eps?: number; ignore?: number; log?: boolean } = {}) {
  const w = o.w ?? new Array(C).fill(1);
  const eps = o.eps ?? 0;
  const ignore = o.ignore ?? -100;
  const per: number[] = [];
  let div = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const at = (c: number) => x[(n * C + c) * S + s];
      const lse = Math.log(Array.from({ length: C }, (_, c) => Math.exp(at(c))).reduce((a, b) => a + b, 0));
      const logp = (c: number) => (o.log ? at(c) : at(c) - lse);
      const label = y[n * S + s];
      if (label === ignore) {
        per.push(0);
        continue;
      }
      div += w[label];
      let smooth = 0;
      for (let c = 0; c < C; c++) smooth -= w[c] * logp(c);
      per.push((1 - eps) * -w[label] * logp(label) + (eps / C) * smooth);
    }
  }
  const sum = per.reduce((a, b) => a + b, 0);
  return { per, sum, mean: sum / div };
}

const X = [0.3, -1.2, 2.1, 0.4, 1.5, 0.2, -0.7, 0.9, -0.3, 0.8, 0.1, -1.9];
const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(TOL * Math.max(1, Math.abs(want)));

describe("crossEntropy / nllLoss: weight, ignoreIndex, reduction (PyTorch's formulas)", () => {
  const logits = () => tensor(X, { shape: [3, 4] });
  const w = [1, 2, 0.5, 3];
  it("weighted mean divides by the sum of the weights of the targets", async () => {
    const ref = reference(X, [3, 4, 1], [2, 0, 3], { w });
    close(await crossEntropy(logits(), [2, 0, 3], { weight: w }).item(), ref.mean);
    close(await crossEntropy(logits(), [2, 0, 3], { weight: tensor(w), reduction: "sum" }).item(), ref.sum);
    const none = await crossEntropy(logits(), [2, 0, 3], { weight: w, reduction: "none" }).data();
    ref.per.forEach((v, i) => close(none[i], v));
  });
  it("ignoreIndex: default −100, and a custom one, drop the target from the loss and the divisor", async () => {
    close(await crossEntropy(logits(), [2, -100, 3]).item(), reference(X, [3, 4, 1], [2, -100, 3]).mean);
    const ref = reference(X, [3, 4, 1], [255, 1, 3], { w, ignore: 255 });
    close(await crossEntropy(logits(), Int32Array.from([255, 1, 3]), { weight: w, ignoreIndex: 255 }).item(), ref.mean);
    const none = await crossEntropy(logits(), [255, 1, 3], { ignoreIndex: 255, reduction: "none" }).data();
    expect(none[0]).toBe(0);
    expect(Number.isNaN(await crossEntropy(logits(), [-100, -100, -100]).item())).toBe(true); // 0/0, as PyTorch
  });
  it("label smoothing with weights and ignored targets", async () => {
    const ref = reference(X, [3, 4, 1], [2, -100, 1], { w, eps: 0.2 });
    close(await crossEntropy(logits(), [2, -100, 1], { weight: w, labelSmoothing: 0.2 }).item(), ref.mean);
  });
  it("[N, C, d1, d2] input with [N, d1, d2] labels; 'none' keeps [N, d1, d2]", async () => {
    const x = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => Math.sin(1.7 * i));
    const y = [0, 2, 1, -100, 2, 2, 0, 1];
    const input = tensor(x, { shape: [2, 3, 2, 2] });
    const ref = reference(x, [2, 3, 4], y, { w: [0.5, 1, 2], eps: 0.1 });
    close(await crossEntropy(input, y, { weight: [0.5, 1, 2], labelSmoothing: 0.1 }).item(), ref.mean);
    const none = crossEntropy(input, tensor(y, { shape: [2, 2, 2], dtype: "int32" }), { weight: [0.5, 1, 2], labelSmoothing: 0.1, reduction: "none" });
    expect(none.shape).toEqual([2, 2, 2]);
    (await none.data()).forEach((v, i) => close(v, ref.per[i]));
    const nll = reference(x, [2, 3, 4], y, { w: [0.5, 1, 2] });
    close(await nllLoss(logSoftmax(input, 1), y, { weight: [0.5, 1, 2] }).item(), nll.mean);
  });
  it("nllLoss takes log-probabilities as given", async () => {
    const ref = reference(X, [3, 4, 1], [1, 3, -1], { w, ignore: -1, log: true });
    close(await nllLoss(logits(), [1, 3, -1], { weight: w, ignoreIndex: -1 }).item(), ref.mean);
    close(await nllLoss(logits(), [1, 3, -1], { weight: w, ignoreIndex: -1, reduction: "sum" }).item(), ref.sum);
  });
  it("probability targets with weights: 'mean' divides by the number of samples", async () => {
    const q = [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0, 0, 1, 0];
    let sum = 0;
    for (let n = 0; n < 3; n++) {
      const row = X.slice(n * 4, n * 4 + 4);
      const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
      for (let c = 0; c < 4; c++) sum -= w[c] * q[n * 4 + c] * (row[c] - lse);
    }
    close(await crossEntropy(logits(), tensor(q, { shape: [3, 4] }), { weight: w }).item(), sum / 3);
  });
});

describe("crossEntropy / nllLoss: bad labels and options are errors", () => {
  const logits = () => tensor(X, { shape: [3, 4] });
  it("NaN, fractional or out-of-range labels never become classes", () => {
    expect(() => crossEntropy(logits(), [0, NaN, 1])).toThrow("crossEntropy: label NaN at index 1 is not an integer class index");
    expect(() => crossEntropy(logits(), [0, 1.5, 1])).toThrow("crossEntropy: label 1.5 at index 1 is not an integer class index");
    expect(() => nllLoss(logits(), [0, 1, -1])).toThrow("nllLoss: label -1 at index 2 is out of range [0, 4)");
    expect(() => nllLoss(logits(), [0, 1, 4], { ignoreIndex: 255 })).toThrow("nllLoss: label 4 at index 2 is out of range [0, 4) and is not ignoreIndex (255)");
    expect(() => crossEntropy(tensor(X, { shape: [1, 3, 2, 2] }), [0, 1, 2])).toThrow("crossEntropy: 3 labels for input [1,3,2,2] (expected 4)");
    expect(() => crossEntropy(tensor(X, { shape: [1, 3, 2, 2] }), tensor([0, 1, 2, 0], { dtype: "int32" }))).toThrow("crossEntropy: labels of shape [4] for input [1,3,2,2]: expected [1,2,2]");
  });
  it("weights, ignoreIndex and option keys are checked", () => {
    expect(() => crossEntropy(logits(), [0, 1, 2], { weight: [1, 2] })).toThrow("crossEntropy: weight has 2 values, expected one per class (4)");
    expect(() => crossEntropy(logits(), [0, 1, 2], { weight: [1, NaN, 1, 1] })).toThrow("crossEntropy: weight[1] must be finite, got NaN");
    expect(() => crossEntropy(logits(), [0, 1, 2], { ignoreIndex: 0.5 })).toThrow("crossEntropy: ignoreIndex must be an integer, got 0.5");
    expect(() => crossEntropy(logits(), tensor(X.map(() => 0.25), { shape: [3, 4] }), { ignoreIndex: 1 })).toThrow("crossEntropy: ignoreIndex applies to integer labels only, not to probability targets (got 1)");
    expect(() => crossEntropy(logits(), tensor(X.map(() => 0.25), { shape: [3, 4] }), { ignoreIndex: -100 })).not.toThrow();
    expect(() => crossEntropy(logits(), [0, 1, 2], { ignore_index: 1 } as never)).toThrow("crossEntropy: unknown option 'ignore_index' in options (known: reduction, labelSmoothing, weight, ignoreIndex)");
    expect(() => mseLoss(tensor([1]), tensor([1]), { reduce: "sum" } as never)).toThrow("mseLoss: unknown option 'reduce' in options (known: reduction)");
  });
});

describe("crossEntropy / nllLoss gradients on the new paths (float64 gradcheck)", () => {
  const inp = (shape: number[]): GradcheckInput => ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(0.9 * i + 0.3)) });
  it("weight + ignoreIndex, each reduction", () => {
    for (const reduction of ["mean", "sum", "none"] as const) {
      gradcheck((x) => crossEntropy(x, [2, -100, 3], { weight: [1, 2, 0.5, 3], reduction }), [inp([3, 4])]);
      gradcheck((x) => nllLoss(x, [2, 7, 3], { weight: [1, 2, 0.5, 3], ignoreIndex: 7, reduction }), [inp([3, 4])]);
    }
  });
  it("[N, C, d1, d2] with weight, smoothing and an ignored target", () => {
    gradcheck((x) => crossEntropy(x, [0, 2, 1, -100, 2, 2, 0, 1], { weight: [0.5, 1, 2], labelSmoothing: 0.1 }), [inp([2, 3, 2, 2])]);
    gradcheck((x) => nllLoss(x, [0, 2, 1, 1, 2, 2, 0, 1], { reduction: "sum" }), [inp([2, 3, 2, 2])]);
  });
  it("probability targets with weights", () => {
    const q = { shape: [3, 4], data: [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0, 0, 1, 0], check: false };
    gradcheck((x, t) => crossEntropy(x, t, { weight: [1, 2, 0.5, 3], labelSmoothing: 0.1 }), [inp([3, 4]), q]);
  });
});
