import { describe, expect, it } from "vitest";
import { arange, div, fromArray, full, NDArray, zeros } from "./index.js";

describe("toString", () => {
  it("prints small arrays like NumPy's repr", () => {
    expect(String(arange(6).reshape([2, 3]))).toBe("array([[0, 1, 2],\n       [3, 4, 5]], dtype=float32)");
    expect(fromArray([1, -20, 300], { dtype: "int32" }).toString()).toBe("array([  1, -20, 300], dtype=int32)");
    expect(String(full([], 5))).toBe("array(5, dtype=float32)");
    expect(String(arange(24).reshape([2, 3, 4]))).toBe(
      [
        "array([[[ 0,  1,  2,  3],",
        "        [ 4,  5,  6,  7],",
        "        [ 8,  9, 10, 11]],",
        "",
        "       [[12, 13, 14, 15],",
        "        [16, 17, 18, 19],",
        "        [20, 21, 22, 23]]], dtype=float32)",
      ].join("\n"),
    );
  });

  it("aligns decimal points and uses the shortest float32 digits", () => {
    expect(String(fromArray([0.1, 2.5, 3.25]))).toBe("array([0.1 , 2.5 , 3.25], dtype=float32)");
    expect(String(fromArray([[1.5, Number.NaN], [Infinity, -2]], { dtype: "float64" }))).toBe(
      "array([[ 1.5,  nan],\n       [ inf, -2. ]], dtype=float64)",
    );
    expect(String(fromArray([1 / 3], { dtype: "float64" }))).toBe("array([0.33333333], dtype=float64)");
    expect(String(fromArray([1 / 3]))).toBe("array([0.33333334], dtype=float32)");
  });

  it("switches to scientific notation for wide ranges", () => {
    expect(String(fromArray([1e-5, 1, 100]))).toBe("array([1.e-05, 1.e+00, 1.e+02], dtype=float32)");
    expect(String(fromArray([1.5e-7, 2], { dtype: "float64" }))).toBe("array([1.5e-07, 2.0e+00], dtype=float64)");
  });

  it("wraps long rows at 75 columns and moves the dtype to its own line when needed", () => {
    const text = String(div(arange(12), 7));
    expect(text).toBe(
      [
        "array([0.        , 0.14285715, 0.2857143 , 0.42857143, 0.5714286 ,",
        "       0.71428573, 0.85714287, 1.        , 1.1428572 , 1.2857143 ,",
        "       1.4285715 , 1.5714285 ], dtype=float32)",
      ].join("\n"),
    );
    expect(text.split("\n").every((line) => line.length <= 75)).toBe(true);
    const long = String(div(arange(10), 7));
    expect(long.endsWith("1.2857143 ],\n      dtype=float32)")).toBe(true);
  });

  it("elides arrays with more than 1000 elements", () => {
    expect(String(arange(1001))).toBe("array([   0,    1,    2, ...,  998,  999, 1000], dtype=float32)");
    expect(String(arange(1000)).includes("...")).toBe(false);
    expect(String(arange(2000).reshape([40, 50]))).toBe(
      [
        "array([[   0,    1,    2, ...,   47,   48,   49],",
        "       [  50,   51,   52, ...,   97,   98,   99],",
        "       [ 100,  101,  102, ...,  147,  148,  149],",
        "       ...,",
        "       [1850, 1851, 1852, ..., 1897, 1898, 1899],",
        "       [1900, 1901, 1902, ..., 1947, 1948, 1949],",
        "       [1950, 1951, 1952, ..., 1997, 1998, 1999]], dtype=float32)",
      ].join("\n"),
    );
  });

  it("prints views in logical order and empty arrays with their shape", () => {
    const t = arange(4).reshape([2, 2]).T.slice([null, null, -1]);
    expect(String(t)).toBe("array([[1, 3],\n       [0, 2]], dtype=float32)");
    expect(String(zeros([0]))).toBe("array([], dtype=float32)");
    expect(String(zeros([0, 3], "int32"))).toBe("array([], shape=[0,3], dtype=int32)");
    expect(String(new NDArray(new Float64Array([-0]), [1]))).toBe("array([0], dtype=float64)");
  });
});
