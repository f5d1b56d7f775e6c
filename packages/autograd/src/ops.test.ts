import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import {
  abs, add, affine, batchNorm, clamp, concat, div, dropout, exp, flatten, gelu, leakyRelu, linear, log, logSoftmax, matmul, max, mean, min, mul,
  neg, permute, pow, relu, reshape, sigmoid, slice, softmax, sqrt, sub, sum, tanh, tensor, transpose, type Tensor,
} from "./index.js";
import { gradcheck, type GradcheckInput } from "./testing.js";

/** Seeded inputs away from kinks (|x| ≥ 0.1) so finite differences are valid for relu & co. */
function input(shape: number[], seed: number, opts: { positive?: boolean; scale?: number } = {}): GradcheckInput {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    const v = (0.1 + rng.uniform() * 0.9) * (opts.scale ?? 1);
    return opts.positive || rng.uniform() < 0.5 ? v : -v;
  });
  return { shape, data };
}

describe("gradcheck of every op (float64 central differences)", () => {
  const cases: [string, (...x: Tensor[]) => Tensor, GradcheckInput[]][] = [
    ["add with broadcasting [2,3,4] + [3,1]", (a, b) => add(a, b), [input([2, 3, 4], 1), input([3, 1], 2)]],
    ["sub with broadcasting [4] - [2,4]", (a, b) => sub(a, b), [input([4], 3), input([2, 4], 4)]],
    ["mul with broadcasting [2,1,3] * [4,1]", (a, b) => mul(a, b), [input([2, 1, 3], 5), input([4, 1], 6)]],
    ["div with broadcasting", (a, b) => div(a, b), [input([3, 4], 7), input([4], 8, { positive: true })]],
    ["scalar forms", (a) => sub(2, div(mul(add(a, 1), 3), 2)), [input([5], 9)]],
    ["neg and affine", (a) => affine(neg(a), 0.5, 2), [input([3, 2], 10)]],
    ["pow 3 and pow -0.5", (a) => add(pow(a, 3), pow(a, -0.5)), [input([6], 11, { positive: true })]],
    ["relu", relu, [input([4, 5], 12)]],
    ["leakyRelu", (a) => leakyRelu(a, 0.2), [input([4, 5], 13)]],
    ["sigmoid", sigmoid, [input([10], 14, { scale: 4 })]],
    ["tanh", tanh, [input([10], 15, { scale: 3 })]],
    ["gelu", gelu, [input([10], 16, { scale: 3 })]],
    ["exp, log, sqrt", (a) => add(exp(a), mul(log(a), sqrt(a))), [input([7], 17, { positive: true })]],
    ["clamp", (a) => clamp(a, -0.5, 0.6), [input([12], 18)]],
    ["abs", (a) => abs(a), [input([8], 49)]],
    ["matmul 2-D", (a, b) => matmul(a, b), [input([3, 4], 19), input([4, 5], 20)]],
    ["matmul batched with broadcasting [2,1,3,4] @ [3,4,2]", (a, b) => matmul(a, b), [input([2, 1, 3, 4], 21), input([3, 4, 2], 22)]],
    ["matmul 1-D operands", (a, b) => matmul(a, b), [input([4], 23), input([4, 3], 24)]],
    ["matmul of transposed views", (a, b) => matmul(transpose(a), transpose(b)), [input([4, 3], 25), input([5, 4], 26)]],
    ["linear with bias", (x, w, b) => linear(x, w, b), [input([5, 4], 27), input([3, 4], 28), input([3], 29)]],
    ["linear on a strided input", (x, w) => linear(transpose(x), w), [input([4, 5], 30), input([3, 4], 31)]],
    ["reshape, flatten, permute", (a) => mul(flatten(permute(reshape(a, [2, 3, 4]), [2, 0, 1])), 1.5), [input([6, 4], 32)]],
    ["slice with steps and negative steps", (a) => add(slice(a, [0, 3, 2], [null, null, -1]), 0), [input([4, 5], 33)]],
    ["slice dropping an axis", (a) => mul(slice(a, 1), slice(a, -1)), [input([3, 4], 34)]],
    ["concat along axis 1", (a, b) => concat([a, b, a], 1), [input([2, 3], 35), input([2, 1], 36)]],
    ["sum over axes with keepDims", (a) => sum(a, { axis: [0, 2], keepDims: true }), [input([2, 3, 4], 37)]],
    ["sum over everything", (a) => sum(a), [input([2, 3], 38)]],
    ["mean over one axis", (a) => mean(a, { axis: -1 }), [input([3, 5], 39)]],
    ["max and min over axes", (a) => add(max(a, { axis: 1 }), min(a, { axis: 1 })), [input([3, 6], 40)]],
    ["softmax on the last axis", (a) => softmax(a), [input([3, 5], 41, { scale: 2 })]],
    ["softmax on axis 0 (permuted rows)", (a) => softmax(a, 0), [input([4, 3], 42, { scale: 2 })]],
    ["logSoftmax of a transposed view", (a) => logSoftmax(transpose(a)), [input([5, 3], 43, { scale: 2 })]],
    ["batchNorm training [4,3,2,2]", (x, w, b) => batchNorm(x, null, null, w, b, { training: true }), [input([4, 3, 2, 2], 44), input([3], 45), input([3], 46)]],
    ["a tensor used twice", (a) => mul(a, add(a, a)), [input([4], 47)]],
  ];
  for (const [name, f, inputs] of cases) it(name, () => expect(gradcheck(f, inputs)).toBeLessThan(1e-5));

  it("gradcheck fails on a wrong backward rule", () => {
    const wrong = (a: Tensor) => {
      const y = relu(a);
      const fn = y.gradFn;
      if (!fn) return y; // the numeric passes run under noGrad: nothing recorded
      y.gradFn = { ...fn, backward: (g) => [mul(fn.backward(g)[0]!, 1.01)] };
      return y;
    };
    expect(() => gradcheck(wrong, [input([3], 48)])).toThrow(/gradcheck: input 0/);
  });
});

describe("forward values", () => {
  it("broadcasting arithmetic, reductions and softmax", async () => {
    expect([...(await add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).data())]).toEqual([11, 22, 13, 24]);
    expect([...(await sum(tensor([[1, 2], [3, 4]]), { axis: 0 }).data())]).toEqual([4, 6]);
    expect((await max(tensor([[1, 5], [3, 2]]), { axis: 1, keepDims: true }).toNDArray()).shape).toEqual([2, 1]);
    const s = await softmax(tensor([[1, 2, 3]])).data();
    expect(s[2]).toBeCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 6);
    expect([...(await slice(tensor([1, 2, 3, 4]), [null, null, -2]).data())]).toEqual([4, 2]);
  });
  it("batchNorm updates running stats like PyTorch (unbiased variance, momentum 0.1)", async () => {
    const rm = tensor([0, 0]);
    const rv = tensor([1, 1]);
    batchNorm(tensor([[1, 2], [3, 6]]), rm, rv, null, null, { training: true });
    const m = await rm.data();
    const v = await rv.data();
    expect(m[0]).toBeCloseTo(0.2, 6);
    expect(m[1]).toBeCloseTo(0.4, 6);
    expect(v[0]).toBeCloseTo(0.9 + 0.1 * 2, 6); // unbiased var of [1,3] = 2
    expect(v[1]).toBeCloseTo(0.9 + 0.1 * 8, 6);
    const y = await batchNorm(tensor([[1, 2]]), rm, rv, null, null, { training: false }).data();
    expect(y[0]).toBeCloseTo((1 - 0.2) / Math.sqrt(1.1 + 1e-5), 5);
  });
  it("dropout keeps the expectation and is reproducible", async () => {
    const x = tensor(new Float32Array(10000).fill(1), { shape: [100, 100] });
    const a = await dropout(x, 0.3, { training: true, seed: 3, counter: 0 }).data();
    const b = await dropout(x, 0.3, { training: true, seed: 3, counter: 0 }).data();
    expect([...a]).toEqual([...b]);
    const meanA = [...a].reduce((s, v) => s + v, 0) / a.length;
    expect(meanA).toBeCloseTo(1, 1);
    expect(a.filter((v) => v === 0).length / a.length).toBeCloseTo(0.3, 1);
    expect(dropout(x, 0.3, { training: false, seed: 3, counter: 0 })).toBe(x);
  });
});

describe("errors name the op and the shapes", () => {
  it("matmul, add, linear, reshape", () => {
    expect(() => matmul(tensor(new Float32Array(64 * 120), { shape: [64, 120] }), tensor(new Float32Array(840), { shape: [84, 10] }))).toThrow(
      "matmul: inner dimensions differ: [64,120] @ [84,10]");
    expect(() => add(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1, 2, 3, 4]))).toThrow("add: cannot broadcast shapes [2,3] and [4]");
    expect(() => linear(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow("linear: input features differ: x [1,3] with weight [1,2] (expects 2 features)");
    expect(() => reshape(tensor([1, 2, 3]), [2, 2])).toThrow("reshape: cannot reshape tensor of shape [3] (3 elements) into shape [2,2]");
    expect(() => sum(tensor([1]), { axis: 2 })).toThrow("sum: axis 2 is out of range for a tensor of 1 dimensions");
  });
});
