import { describe, expect, it } from "vitest";
import { allClose, arange, equal, fromArray, zeros } from "./index.js";

describe("allClose", () => {
  it("uses atol + rtol * |b| with NumPy's defaults", () => {
    expect(allClose(fromArray([1e5]), fromArray([1e5 + 0.9]))).toBe(true); // 0.9 < 1e-8 + 1e-5 * 1e5
    expect(allClose(fromArray([1e5]), fromArray([1e5 + 1.1]))).toBe(false);
    expect(allClose(fromArray([0], { dtype: "float64" }), 1e-9)).toBe(true);
    expect(allClose(fromArray([0], { dtype: "float64" }), 1e-7)).toBe(false);
    expect(allClose(fromArray([1, 2]), fromArray([1.5, 2.5]), { atol: 0.5, rtol: 0 })).toBe(true);
    expect(allClose(fromArray([1, 2]), fromArray([1.5, 2.6]), { atol: 0.5, rtol: 0 })).toBe(false);
  });

  it("broadcasts, handles infinities and rejects NaN", () => {
    expect(allClose(fromArray([[1, 1], [1, 1]]), fromArray([1, 1]))).toBe(true);
    expect(allClose(fromArray([Infinity, -Infinity]), fromArray([Infinity, -Infinity]))).toBe(true);
    expect(allClose(fromArray([Infinity]), fromArray([-Infinity]))).toBe(false);
    expect(allClose(fromArray([Number.NaN]), fromArray([Number.NaN]))).toBe(false);
    expect(() => allClose(zeros([2]), zeros([3]))).toThrow("allClose: cannot broadcast shapes [2] and [3]");
    expect(() => allClose(zeros([2]), zeros([2]), { rtol: -1 })).toThrow(
      "allClose: tolerances must be >= 0, got rtol=-1, atol=1e-8",
    );
  });

  it("checks every element, not just the first", () => {
    const a = arange(10);
    const b = a.copy();
    b.set(100, 9);
    expect(allClose(a, b)).toBe(false);
  });
});

describe("equal", () => {
  it("compares shape and values, ignoring dtype and layout", () => {
    expect(equal(arange(3), fromArray([0, 1, 2], { dtype: "int32" }))).toBe(true);
    expect(equal(arange(4).reshape([2, 2]).T, fromArray([[0, 2], [1, 3]]))).toBe(true);
    expect(equal(zeros([2]), zeros([1, 2]))).toBe(false);
    expect(equal(zeros([2, 3]), zeros([3, 2]))).toBe(false);
    expect(equal(fromArray([1, 2]), fromArray([1, 3]))).toBe(false);
    expect(equal(fromArray([Number.NaN]), fromArray([Number.NaN]))).toBe(false);
    expect(equal(zeros([0]), zeros([0]))).toBe(true);
  });
});
