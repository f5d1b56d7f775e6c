import { describe, expect, it } from "vitest";
import { tensor } from "@tessera/autograd";
import { gradcheck, type GradcheckInput } from "@tessera/autograd/testing";
import { bceWithLogits, binaryCrossEntropy, crossEntropy, l1Loss, mseLoss, nllLoss, smoothL1Loss } from "./index.js";
import { logSoftmax, sigmoid, tensor as t64 } from "@tessera/autograd";

const inp = (shape: number[], data: number[]): GradcheckInput => ({ shape, data });

describe("loss values (PyTorch's definitions)", () => {
  it("crossEntropy with labels, label smoothing, probability targets and reductions", async () => {
    const logits = tensor([[2, 0.5, -1], [0, 0, 3]]);
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const l0 = lse([2, 0.5, -1]) - 2;
    const l1 = lse([0, 0, 3]) - 3;
    expect(crossEntropy(logits, [0, 2]).item()).toBeCloseTo((l0 + l1) / 2, 6);
    expect(crossEntropy(logits, [0, 2], { reduction: "sum" }).item()).toBeCloseTo(l0 + l1, 5);
    expect([...(await crossEntropy(logits, [0, 2], { reduction: "none" }).data())].map((v) => +v.toFixed(5))).toEqual([+l0.toFixed(5), +l1.toFixed(5)]);
    // label smoothing ε: (1−ε)·NLL + ε·mean over classes of −log p
    const eps = 0.1;
    const mean0 = (3 * lse([2, 0.5, -1]) - (2 + 0.5 - 1)) / 3;
    const mean1 = (3 * lse([0, 0, 3]) - 3) / 3;
    const smooth = ((1 - eps) * l0 + eps * mean0 + (1 - eps) * l1 + eps * mean1) / 2;
    expect(crossEntropy(logits, [0, 2], { labelSmoothing: eps }).item()).toBeCloseTo(smooth, 6);
    expect(crossEntropy(logits, tensor([[1, 0, 0], [0, 0, 1]])).item()).toBeCloseTo((l0 + l1) / 2, 6);
    expect(nllLoss(logSoftmax(logits), [0, 2]).item()).toBeCloseTo((l0 + l1) / 2, 6);
  });
  it("regression and binary losses", () => {
    expect(mseLoss(tensor([1, 2]), tensor([1, 4])).item()).toBe(2);
    expect(l1Loss(tensor([1, 2]), tensor([0, 4])).item()).toBe(1.5);
    expect(smoothL1Loss(tensor([0, 3]), tensor([0.5, 0])).item()).toBeCloseTo((0.125 + 2.5) / 2, 6);
    const p = [0.9, 0.2];
    const bce = -(Math.log(0.9) + Math.log(0.8)) / 2;
    expect(binaryCrossEntropy(tensor(p), tensor([1, 0])).item()).toBeCloseTo(bce, 6);
    expect(binaryCrossEntropy(tensor([0, 1]), tensor([1, 0])).item()).toBeCloseTo(100, 4); // log clamped at −100
    const x = [3, -2];
    const ref = (Math.log(1 + Math.exp(-3)) + Math.log(1 + Math.exp(-2))) / 2;
    expect(bceWithLogits(tensor(x), tensor([1, 0])).item()).toBeCloseTo(ref, 6);
    expect(bceWithLogits(tensor([200]), tensor([0])).item()).toBeCloseTo(200, 3);
  });
  it("errors name the loss and the bad value", () => {
    expect(() => crossEntropy(tensor([[1, 2]]), [2])).toThrow("crossEntropy: label 2 at index 0 is out of range [0, 2)");
    expect(() => crossEntropy(tensor([[1, 2]]), [0, 1])).toThrow("crossEntropy: 2 labels for a batch of 1");
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrow("mseLoss: input [2] and target [1] must have the same shape");
    expect(() => crossEntropy(tensor([[1, 2]]), [0], { reduction: "avg" as never })).toThrow("crossEntropy: reduction must be 'mean', 'sum' or 'none'");
  });
});

describe("loss gradients (float64 gradcheck)", () => {
  const logits = inp([3, 4], [0.3, -1.2, 2.1, 0.4, 1.5, 0.2, -0.7, 0.9, -0.3, 0.8, 0.1, -1.9]);
  it("crossEntropy (labels, smoothing)", () => {
    gradcheck((x) => crossEntropy(x, [2, 0, 3], { labelSmoothing: 0.2 }), [logits]);
  });
  it("crossEntropy with probability targets", () => {
    gradcheck((x, q) => crossEntropy(x, q), [logits, { ...inp([3, 4], [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0, 0, 1, 0]), check: false }]);
  });
  it("mse, l1, smoothL1, bce, bceWithLogits", () => {
    const a = inp([5], [0.3, -1.2, 2.1, 0.45, 1.5]);
    const b = inp([5], [0.1, 0.2, 0.9, -0.5, 1.2]);
    gradcheck((x, y) => mseLoss(x, y), [a, b]);
    gradcheck((x, y) => l1Loss(x, y), [a, b]);
    gradcheck((x, y) => smoothL1Loss(x, y), [a, b]);
    gradcheck((x) => binaryCrossEntropy(sigmoid(x), t64([1, 0, 1, 1, 0], { device: x.device })), [a]);
    gradcheck((x) => bceWithLogits(x, t64([1, 0, 1, 1, 0], { device: x.device })), [a]);
  });
});
