import { describe, expect, it } from "vitest";
import { arange, eye, fromArray, full, linspace, ones, zeros, type NDArray } from "./index.js";

describe("constant fills", () => {
  it("zeros, ones, full with dtypes", () => {
    expect(zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(zeros([2]).dtype).toBe("float32");
    expect(ones([3], "float64").data).toBeInstanceOf(Float64Array);
    expect(ones([2], "int32").toArray()).toEqual([1, 1]);
    expect(full([2, 2], 7.5).toArray()).toEqual([
      [7.5, 7.5],
      [7.5, 7.5],
    ]);
    expect(full([], 3).toArray()).toBe(3);
    expect(full([2], 2.7, "int32").toArray()).toEqual([2, 2]);
  });

  it("reject bad shapes and dtypes", () => {
    expect(() => zeros([2, -1])).toThrow("zeros: invalid shape [2,-1]: dimensions must be non-negative integers");
    expect(() => zeros([1.5])).toThrow("zeros: invalid shape [1.5]");
    expect(() => zeros([2], "uint8" as "int32")).toThrow(
      'zeros: unknown dtype "uint8" (expected float32, float64 or int32)',
    );
  });
});

describe("ranges", () => {
  it("arange follows NumPy", () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2, "int32").toArray()).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.1, "float64").size).toBe(10);
    expect(arange(3, 1).size).toBe(0);
    expect(() => arange(0, 1, 0)).toThrow("arange: step cannot be zero");
    expect(() => arange(0, Infinity)).toThrow("arange: start, stop and step must be finite, got 0, Infinity, 1");
  });

  it("linspace includes both ends", () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(linspace(0, 1).size).toBe(50);
    const d = linspace(0, 0.3, 4, "float64").toArray() as number[];
    expect(d[3]).toBe(0.3);
    expect(() => linspace(0, 1, -1)).toThrow("linspace: num must be a non-negative integer, got -1");
  });

  it("eye builds square and rectangular identities", () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3, "int32").toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, 2).toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });
});

describe("fromArray", () => {
  it("infers shapes from nested arrays", () => {
    const a = fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("float32");
    expect(a.get(1, 0)).toBe(4);
    expect(fromArray(5).shape).toEqual([]);
    expect(fromArray([]).shape).toEqual([0]);
    expect(fromArray([[], []]).shape).toEqual([2, 0]);
    expect(fromArray([[[1], [2]]]).shape).toEqual([1, 2, 1]);
  });

  it("takes dtype and shape options", () => {
    const a = fromArray([1, 2, 3, 4], { shape: [2, -1], dtype: "int32" });
    expect(a.shape).toEqual([2, 2]);
    expect(a.data).toBeInstanceOf(Int32Array);
    expect(() => fromArray([1, 2, 3], { shape: [2, 2] })).toThrow(
      "fromArray: cannot reshape array of size 3 into shape [2,2]",
    );
  });

  it("copies typed arrays, keeping their dtype unless told otherwise", () => {
    const src = new Float64Array([0.5, 1.5, 2.5, 3.5]);
    const a: NDArray<"float64"> = fromArray(src, { shape: [2, 2] }); // the static type follows the buffer
    expect(a.dtype).toBe("float64");
    expect(a.data).not.toBe(src);
    src[0] = 9;
    expect(a.get(0, 0)).toBe(0.5);
    const ints: NDArray<"int32"> = fromArray(new Int32Array([1, 2]));
    expect(ints.dtype).toBe("int32");
    expect(fromArray(src, { dtype: "float32" }).data).toBeInstanceOf(Float32Array);
    expect(() => fromArray(new Uint8Array(2) as unknown as Float32Array)).toThrow(
      "fromArray: data must be a Float32Array, Float64Array or Int32Array, got Uint8Array",
    );
  });

  it("reports ragged input with its path", () => {
    expect(() => fromArray([[1, 2, 3], [4, 5]])).toThrow(
      "fromArray: ragged nested array at [1]: expected length 3, got 2",
    );
    expect(() => fromArray([[[1, 2]], [[3, 4], [5, 6]]])).toThrow(
      "fromArray: ragged nested array at [1]: expected length 1, got 2",
    );
    expect(() => fromArray([[1, 2], [3, [4]]] as unknown as number[][])).toThrow(
      "fromArray: expected a number at [1,1], got an array of length 1",
    );
    expect(() => fromArray([[1, 2], 3] as unknown as number[][])).toThrow(
      "fromArray: ragged nested array at [1]: expected length 2, got number 3",
    );
    expect(() => fromArray([[1, "2"]] as unknown as number[][])).toThrow(
      "fromArray: expected a number at [0,1], got string",
    );
  });
});
