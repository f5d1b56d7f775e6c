import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { argmax, permute, tensor, zeros } from "./index.js";

/** Reference: index of the first largest value along `dim` of a row-major array (NaN counts as largest). */
function reference(data: Float32Array, shape: number[], dim: number): number[] {
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const n = shape[dim];
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let k = 1; k < n; k++) {
        const v = data[(o * n + k) * inner + i];
        const b = data[(o * n + best) * inner + i];
        if (!Number.isNaN(b) && (v > b || Number.isNaN(v))) best = k;
      }
      out.push(best);
    }
  }
  return out;
}

describe("argmax(x, dim?, keepDim?)", () => {
  it("along each dim of a seeded [3, 4, 5] tensor with ties, against a plain reference", () => {
    const rng = new Rng(11);
    const data = Float32Array.from({ length: 60 }, () => Math.round(rng.uniform(0, 4))); // few values: many ties
    const x = tensor(data, { shape: [3, 4, 5] });
    for (const dim of [0, 1, 2]) {
      const r = argmax(x, dim);
      expect(r.dtype).toBe("int32");
      expect(r.shape).toEqual([3, 4, 5].filter((_, i) => i !== dim));
      expect([...r.dataSync()]).toEqual(reference(data, [3, 4, 5], dim));
      expect(argmax(x, dim - 3).dataSync()).toEqual(r.dataSync()); // negative dims
    }
  });

  it("ties go to the first index and NaN counts as the largest, as PyTorch", () => {
    expect([...argmax(tensor([[1, 5, 5], [7, 2, 7]]), 1).dataSync()]).toEqual([1, 0]);
    expect([...argmax(tensor([1, NaN, 3, NaN]), 0).dataSync()]).toEqual([1]);
  });

  it("keepDim keeps the reduced dimension as size 1", () => {
    const r = argmax(tensor([[1, 5, 2], [7, 2, 0]]), 1, true);
    expect(r.shape).toEqual([2, 1]);
    expect([...r.dataSync()]).toEqual([1, 0]);
  });

  it("without dim: the index into the flattened tensor, 0-d (or all ones with keepDim)", () => {
    const x = tensor([[1, 5], [7, 2]]);
    const r = argmax(x);
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(2);
    expect(argmax(x, null, true).shape).toEqual([1, 1]);
    expect(argmax(x, null, true).item()).toBe(2);
  });

  it("reads strided views", () => {
    const data = Float32Array.from([3, 9, 1, 4, 8, 2]);
    const x = permute(tensor(data, { shape: [2, 3] }), [1, 0]); // [3, 2] view
    expect([...argmax(x, 1).dataSync()]).toEqual([1, 0, 1]); // rows [3,4], [9,8], [1,2]
    expect([...argmax(x, 0).dataSync()]).toEqual([1, 1]);
  });

  it("is not differentiable: the result never requires grad, even from an input that does", () => {
    const x = tensor([1, 3, 2], { requiresGrad: true });
    const r = argmax(x, 0);
    expect(r.requiresGrad).toBe(false);
    expect(r.gradFn).toBeNull();
    expect(() => r.backward()).toThrow("integer results (argmax, labels) have no gradient");
  });

  it("rejects empty dimensions, bad dims and int32 input", () => {
    expect(() => argmax(zeros([2, 0]), 1)).toThrow("argmax: cannot take the argmax over an empty dimension of shape [2,0]");
    expect(() => argmax(zeros([2, 3]), 2)).toThrow("argmax: axis 2 is out of range for a tensor of 2 dimensions");
    expect(() => argmax(zeros([2, 3]), 0.5)).toThrow("argmax: axis 0.5 is out of range for a tensor of 2 dimensions");
    expect(() => argmax(zeros([2, 3]), "1" as never)).toThrow('argmax: dim must be a dimension or null, got "1"');
    expect(() => argmax(zeros([2, 3]), 1, 1 as never)).toThrow("argmax: keepDim must be a boolean, got 1");
    expect(() => argmax(tensor([1, 2], { dtype: "int32" }), 0)).toThrow("argmax: x must be float32, got int32");
  });
});
