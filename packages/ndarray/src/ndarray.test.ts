import { describe, expect, it } from "vitest";
import { arange, fromArray, NDArray, zeros } from "./index.js";

describe("NDArray construction", () => {
  it("defaults to row-major strides and derives dtype from the buffer", () => {
    const a = new NDArray(new Float64Array(6), [2, 3]);
    expect(a.strides).toEqual([3, 1]);
    expect(a.offset).toBe(0);
    expect(a.dtype).toBe("float64");
    expect(a.size).toBe(6);
    expect(a.ndim).toBe(2);
    expect(new NDArray(new Int32Array(1), []).dtype).toBe("int32");
  });

  it("accepts custom strides and offsets inside the buffer", () => {
    const data = new Float32Array([0, 1, 2, 3, 4, 5, 6]);
    const colMajor = new NDArray(data, [2, 3], [1, 2], 1);
    expect(colMajor.toArray()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    const reversed = new NDArray(data, [3], [-2], 6);
    expect(reversed.toArray()).toEqual([6, 4, 2]);
  });

  it("rejects layouts that address elements outside the buffer", () => {
    expect(() => new NDArray(new Float32Array(6), [2, 3], [3, 1], 1)).toThrow(
      "NDArray: shape [2,3] with strides [3,1] and offset 1 addresses elements 1..6, outside data of length 6",
    );
    expect(() => new NDArray(new Float32Array(6), [3], [-1], 1)).toThrow(RangeError);
    expect(() => new NDArray(new Float32Array(6), [2, 3], [1])).toThrow(
      "NDArray: strides [1] do not fit shape [2,3]",
    );
    expect(() => new NDArray(new Float32Array(6), [2, -3])).toThrow(
      "NDArray: invalid shape [2,-3]: dimensions must be non-negative integers",
    );
    expect(() => new NDArray([1, 2] as unknown as Float32Array, [2])).toThrow(
      "NDArray: data must be a Float32Array, Float64Array or Int32Array, got Array",
    );
  });

  it("allows an empty array anywhere in the buffer", () => {
    expect(new NDArray(new Float32Array(2), [0, 5], [5, 1], 2).size).toBe(0);
  });
});

describe("get / set", () => {
  it("reads and writes with negative indices", () => {
    const a = arange(6).reshape([2, 3]);
    expect(a.get(1, -1)).toBe(5);
    expect(a.get(-2, 0)).toBe(0);
    a.set(42, -1, 0);
    expect(a.get(1, 0)).toBe(42);
  });

  it("names the operation, index, axis and size on bad indices", () => {
    const a = zeros([3]);
    expect(() => a.get(5)).toThrow("get: index 5 is out of bounds for axis 0 with size 3");
    expect(() => a.get(-4)).toThrow("get: index -4 is out of bounds for axis 0 with size 3");
    expect(() => a.set(1, 3)).toThrow("set: index 3 is out of bounds for axis 0 with size 3");
    expect(() => a.get(0, 0)).toThrow("get: expected 1 indices for array of shape [3], got 2");
    expect(() => a.get(1.5)).toThrow("get: index 1.5 for axis 0 is not an integer");
  });

  it("truncates when writing into int32", () => {
    const a = zeros([2], "int32");
    a.set(2.9, 0);
    a.set(-2.9, 1);
    expect(a.toArray()).toEqual([2, -2]);
  });
});

describe("views share memory", () => {
  it("writes through reshape, transpose, slice and expandDims reach the base", () => {
    const base = arange(6);
    const m = base.reshape([2, 3]);
    m.set(10, 1, 1);
    expect(base.get(4)).toBe(10);
    m.T.set(20, 2, 0);
    expect(base.get(2)).toBe(20);
    m.slice(null, [null, null, -1]).set(30, 0, 0);
    expect(base.get(2)).toBe(30);
    m.expandDims(0).set(40, 0, 0, 0);
    expect(base.get(0)).toBe(40);
    expect(m.data).toBe(base.data);
  });

  it("copy and contiguous copies are independent", () => {
    const a = arange(4);
    const c = a.copy();
    c.set(9, 0);
    expect(a.get(0)).toBe(0);
    expect(a.contiguous()).toBe(a);
    const t = a.reshape([2, 2]).T;
    const tc = t.contiguous();
    expect(tc).not.toBe(t);
    expect(tc.toArray()).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(tc.strides).toEqual([2, 1]);
  });

  it("contiguous copies offset views and views of part of the buffer", () => {
    const a = arange(6);
    const tail = a.slice([2]);
    expect(tail.isContiguous).toBe(true);
    const c = tail.contiguous();
    expect(c).not.toBe(tail);
    expect(c.offset).toBe(0);
    expect(c.data.length).toBe(4);
  });
});

describe("slice", () => {
  const a = arange(12).reshape([3, 4]);

  it("takes indices (dropping axes), null and ranges", () => {
    expect(a.slice(1).toArray()).toEqual([4, 5, 6, 7]);
    expect(a.slice(null, -1).toArray()).toEqual([3, 7, 11]);
    expect(a.slice([1, 3], [1, null, 2]).toArray()).toEqual([
      [5, 7],
      [9, 11],
    ]);
    expect(a.slice(-1, -1).toArray()).toBe(11);
  });

  it("supports negative steps with NumPy's defaults", () => {
    const v = arange(6);
    expect(v.slice([null, null, -1]).toArray()).toEqual([5, 4, 3, 2, 1, 0]);
    expect(v.slice([null, null, -2]).toArray()).toEqual([5, 3, 1]);
    expect(v.slice([4, 1, -1]).toArray()).toEqual([4, 3, 2]);
    expect(v.slice([-2, null, -3]).toArray()).toEqual([4, 1]);
    expect(a.slice([null, null, -1], [null, null, -2]).toArray()).toEqual([
      [11, 9],
      [7, 5],
      [3, 1],
    ]);
  });

  it("clamps out-of-range bounds and allows empty results", () => {
    const v = arange(5);
    expect(v.slice([-100, 100]).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(v.slice([100, -100, -1]).toArray()).toEqual([4, 3, 2, 1, 0]);
    expect(v.slice([3, 1]).shape).toEqual([0]);
    expect(v.slice([10, 20]).toArray()).toEqual([]);
  });

  it("slices slices (composes offsets and strides)", () => {
    const v = arange(10).slice([1, null, 2]).slice([null, null, -1]);
    expect(v.toArray()).toEqual([9, 7, 5, 3, 1]);
  });

  it("rejects bad specs", () => {
    expect(() => a.slice(3)).toThrow("slice: index 3 is out of bounds for axis 0 with size 3");
    expect(() => a.slice(null, [0, 2, 0])).toThrow("slice: slice step cannot be zero");
    expect(() => a.slice(0, 0, 0)).toThrow("slice: too many indices for array of shape [3,4]: got 3");
    expect(() => a.slice([0.5])).toThrow("slice: slice start 0.5 is not an integer");
  });
});

describe("reshape", () => {
  it("returns a view when strides allow it", () => {
    const a = arange(24).reshape([2, 3, 4]);
    const b = a.reshape([6, 4]);
    expect(b.data).toBe(a.data);
    const c = a.slice(null, null, [null, null, 2]).reshape([6, 2]); // inner axis strided but groupable
    expect(c.data).toBe(a.data);
    expect(c.toArray()).toEqual([
      [0, 2],
      [4, 6],
      [8, 10],
      [12, 14],
      [16, 18],
      [20, 22],
    ]);
    expect(a.reshape([2, 1, 12, 1]).data).toBe(a.data);
  });

  it("copies when it must", () => {
    const t = arange(6).reshape([2, 3]).T;
    const flat = t.reshape([6]);
    expect(flat.data).not.toBe(t.data);
    expect(flat.toArray()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it("infers one -1 and reports impossible shapes", () => {
    expect(arange(6).reshape([-1, 2]).shape).toEqual([3, 2]);
    expect(arange(6).reshape([3, -1]).shape).toEqual([3, 2]);
    expect(zeros([0, 3]).reshape([3, 0]).shape).toEqual([3, 0]);
    expect(() => arange(6).reshape([4, 2])).toThrow("reshape: cannot reshape array of size 6 into shape [4,2]");
    expect(() => arange(6).reshape([-1, 4])).toThrow("reshape: cannot reshape array of size 6 into shape [-1,4]");
    expect(() => arange(6).reshape([-1, -1])).toThrow("reshape: cannot reshape array of size 6 into shape [-1,-1]");
  });
});

describe("transpose, permute, broadcastTo, squeeze, expandDims", () => {
  it("transposes and permutes", () => {
    const a = arange(24).reshape([2, 3, 4]);
    expect(a.transpose().shape).toEqual([4, 3, 2]);
    expect(a.transpose().get(3, 2, 1)).toBe(a.get(1, 2, 3));
    expect(a.permute([2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(a.permute([-1, 0, 1]).get(3, 1, 2)).toBe(a.get(1, 2, 3));
    expect(arange(6).reshape([2, 3]).T.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(() => a.permute([0, 0, 1])).toThrow(
      "permute: axes [0,0,1] are not a permutation of the 3 axes of shape [2,3,4]",
    );
    expect(() => a.transpose(0, 1)).toThrow(
      "permute: axes [0,1] are not a permutation of the 3 axes of shape [2,3,4]",
    );
  });

  it("broadcastTo uses stride 0 and checks compatibility", () => {
    const row = fromArray([1, 2, 3]);
    const b = row.broadcastTo([2, 3]);
    expect(b.strides).toEqual([0, 1]);
    expect(b.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(fromArray([[1], [2]]).broadcastTo([2, 2]).toArray()).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(() => zeros([2, 3]).broadcastTo([4, 3])).toThrow("broadcastTo: cannot broadcast shape [2,3] to [4,3]");
    expect(() => zeros([2, 3]).broadcastTo([3])).toThrow("broadcastTo: cannot broadcast shape [2,3] to [3]");
  });

  it("squeeze and expandDims", () => {
    const a = zeros([1, 3, 1]);
    expect(a.squeeze().shape).toEqual([3]);
    expect(a.squeeze(0).shape).toEqual([3, 1]);
    expect(a.squeeze(-1).shape).toEqual([1, 3]);
    expect(() => a.squeeze(1)).toThrow("squeeze: cannot squeeze axis 1 of shape [1,3,1]: size is not 1");
    expect(() => a.squeeze(3)).toThrow("squeeze: axis 3 is out of bounds for array of dimension 3");
    const v = arange(3);
    expect(v.expandDims(0).shape).toEqual([1, 3]);
    expect(v.expandDims(1).shape).toEqual([3, 1]);
    expect(v.expandDims(-1).toArray()).toEqual([[0], [1], [2]]);
    expect(v.expandDims(0).isContiguous).toBe(true);
    expect(() => v.expandDims(3)).toThrow("expandDims: axis 3 is out of bounds for array of dimension 2");
  });
});

describe("conversions", () => {
  it("isContiguous ignores size-1 axes and any offset", () => {
    const a = arange(12).reshape([3, 4]);
    expect(a.isContiguous).toBe(true);
    expect(a.slice([1, 3]).isContiguous).toBe(true);
    expect(a.slice(null, [0, 2]).isContiguous).toBe(false);
    expect(a.T.isContiguous).toBe(false);
    expect(a.slice([1, 2]).T.isContiguous).toBe(true);
  });

  it("astype converts and truncates toward zero", () => {
    const a = fromArray([1.7, -1.7, 2.5]);
    const i = a.astype("int32");
    expect(i.dtype).toBe("int32");
    expect(i.toArray()).toEqual([1, -1, 2]);
    const d = i.astype("float64");
    expect(d.data).toBeInstanceOf(Float64Array);
    expect(() => a.astype("float16" as "float32")).toThrow('astype: unknown dtype "float16"');
  });

  it("toFlat copies in row-major order; toArray nests; 0-d gives a number", () => {
    const t = arange(4).reshape([2, 2]).T;
    const flat = t.toFlat();
    expect(flat).toBeInstanceOf(Float32Array);
    expect(Array.from(flat)).toEqual([0, 2, 1, 3]);
    flat[0] = 99;
    expect(t.get(0, 0)).toBe(0);
    expect(new NDArray(new Float32Array([7]), []).toArray()).toBe(7);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });
});
