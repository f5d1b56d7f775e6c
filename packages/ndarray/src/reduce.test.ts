import { describe, expect, it } from "vitest";
import { arange, argmax, fromArray, max, mean, min, sum, variance, zeros } from "./index.js";

/** Tolerance for float32 statistics computed in float64 and rounded once. */
const F32_TOL = 1e-6;

describe("sum and mean", () => {
  const a = arange(24).reshape([2, 3, 4]);

  it("reduce everything by default to 0-d", () => {
    expect(sum(a).shape).toEqual([]);
    expect(sum(a).toArray()).toBe(276);
    expect(mean(a).toArray()).toBe(11.5);
  });

  it("reduce one axis, negative axes and several axes", () => {
    expect(sum(a, { axis: 0 }).toArray()).toEqual([
      [12, 14, 16, 18],
      [20, 22, 24, 26],
      [28, 30, 32, 34],
    ]);
    expect(sum(a, { axis: -1 }).toArray()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(sum(a, { axis: [0, 2] }).toArray()).toEqual([60, 92, 124]);
    expect(sum(a, { axis: [2, 0] }).toArray()).toEqual([60, 92, 124]);
    expect(mean(a, { axis: [0, 1] }).toArray()).toEqual([10, 11, 12, 13]);
  });

  it("keepDims keeps reduced axes as size 1", () => {
    const s = sum(a, { axis: [0, 2], keepDims: true });
    expect(s.shape).toEqual([1, 3, 1]);
    expect(s.toArray()).toEqual([[[60], [92], [124]]]);
    expect(mean(a, { keepDims: true }).shape).toEqual([1, 1, 1]);
  });

  it("works on views", () => {
    const t = arange(6).reshape([2, 3]).T.slice([null, null, -1]); // [[2,5],[1,4],[0,3]]
    expect(sum(t, { axis: 1 }).toArray()).toEqual([7, 5, 3]);
  });

  it("handles empty axes and dtypes", () => {
    expect(sum(zeros([0, 3]), { axis: 0 }).toArray()).toEqual([0, 0, 0]);
    expect(Number.isNaN(mean(zeros([0])).toArray())).toBe(true);
    const i = fromArray([1, 2], { dtype: "int32" });
    expect(sum(i).dtype).toBe("int32");
    expect(mean(i).dtype).toBe("float32");
    expect(mean(i).toArray()).toBe(1.5);
    expect(mean(fromArray([1, 2], { dtype: "float64" })).dtype).toBe("float64");
  });

  it("rejects bad axes", () => {
    expect(() => sum(a, { axis: 3 })).toThrow("sum: axis 3 is out of bounds for array of dimension 3");
    expect(() => mean(a, { axis: [1, -2] })).toThrow("mean: duplicate axis in [1,-2]");
  });
});

describe("max, min", () => {
  const a = fromArray([
    [3, 7, 1],
    [9, 2, 5],
  ]);

  it("reduce along axes", () => {
    expect(max(a).toArray()).toBe(9);
    expect(min(a).toArray()).toBe(1);
    expect(max(a, { axis: 0 }).toArray()).toEqual([9, 7, 5]);
    expect(min(a, { axis: 1, keepDims: true }).toArray()).toEqual([[1], [2]]);
    expect(max(fromArray([-5, -3])).toArray()).toBe(-3);
  });

  it("propagate NaN", () => {
    expect(Number.isNaN(max(fromArray([1, Number.NaN, 3])).toArray())).toBe(true);
    expect(Number.isNaN(min(fromArray([Number.NaN, 1])).toArray())).toBe(true);
  });

  it("refuse zero-size reductions", () => {
    expect(() => max(zeros([0, 3]), { axis: 0 })).toThrow("max: cannot reduce zero-size axes [0] of shape [0,3]");
    expect(max(zeros([0, 3]), { axis: 1 }).shape).toEqual([0]);
  });
});

describe("variance", () => {
  it("matches hand values with ddof", () => {
    const x = fromArray([1, 2, 3, 4], { dtype: "float64" });
    expect(variance(x).toArray()).toBe(1.25);
    expect(variance(x, { ddof: 1 }).toArray()).toBeCloseTo(5 / 3, 15);
    expect(Number.isNaN(variance(x, { ddof: 4 }).toArray())).toBe(true);
    expect(() => variance(x, { ddof: -1 })).toThrow("variance: ddof must be >= 0, got -1");
  });

  it("reduces along axes with keepDims", () => {
    const a = fromArray([
      [1, 3],
      [2, 6],
    ]);
    expect(variance(a, { axis: 0 }).toArray()).toEqual([0.25, 2.25]);
    const v = variance(a, { axis: 1, keepDims: true });
    expect(v.shape).toEqual([2, 1]);
    expect(v.toArray()).toEqual([[1], [4]]);
  });

  it("is accurate for values with a large common offset (two-pass)", () => {
    const x = fromArray([1e4 + 1, 1e4 + 2, 1e4 + 3]);
    expect(Math.abs((variance(x).toArray() as number) - 2 / 3)).toBeLessThan(F32_TOL);
  });
});

describe("argmax", () => {
  it("returns int32 indices along an axis", () => {
    const a = fromArray([
      [1, 9, 3],
      [7, 2, 0],
    ]);
    const r = argmax(a, { axis: 1 });
    expect(r.dtype).toBe("int32");
    expect(r.toArray()).toEqual([1, 0]);
    expect(argmax(a, { axis: 0 }).toArray()).toEqual([1, 0, 0]);
    expect(argmax(a, { axis: -1, keepDims: true }).toArray()).toEqual([[1], [0]]);
  });

  it("uses the flattened index without an axis", () => {
    const a = fromArray([
      [1, 2],
      [8, 3],
    ]);
    expect(argmax(a).toArray()).toBe(2);
    expect(argmax(a.T).toArray()).toBe(1);
    expect(argmax(a, { keepDims: true }).shape).toEqual([1, 1]);
  });

  it("breaks ties by the first index and treats NaN as the maximum", () => {
    expect(argmax(fromArray([2, 5, 5, 1, 5])).toArray()).toBe(1);
    expect(argmax(fromArray([[4, 4], [0, 0]]), { axis: 1 }).toArray()).toEqual([0, 0]);
    expect(argmax(fromArray([1, Number.NaN, 9, Number.NaN])).toArray()).toBe(1);
    expect(argmax(fromArray([-Infinity, -Infinity])).toArray()).toBe(0);
  });

  it("rejects several axes and empty input", () => {
    expect(() => argmax(zeros([2, 2]), { axis: [0, 1] as unknown as number })).toThrow(
      "argmax: axis must be a single number, got [0,1]",
    );
    expect(() => argmax(zeros([0]))).toThrow("argmax: cannot reduce zero-size axes [0] of shape [0]");
  });
});
