import { describe, expect, it } from "vitest";
import { allClose, arange, eye, fromArray, matmul, NDArray, Rng, zeros } from "./index.js";

/** matmul of random float64 inputs must match the naive triple loop to this relative error. */
const F64_RTOL = 1e-12;

/** Naive reference for one [m,k] @ [k,n] product using get(). */
function naive(a: NDArray, b: NDArray): number[][] {
  const [m, k] = a.shape;
  const n = b.shape[1];
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.get(i, p) * b.get(p, j);
      return s;
    }),
  );
}

describe("matmul", () => {
  it("multiplies 2-D matrices (hand values)", () => {
    const a = fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = fromArray([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 2]);
    expect(c.toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(matmul(a, eye(3)).toArray()).toEqual(a.toArray());
  });

  it("applies NumPy's 1-D rules", () => {
    const m = fromArray([
      [1, 2],
      [3, 4],
    ]);
    const v = fromArray([1, 10]);
    expect(matmul(m, v).toArray()).toEqual([21, 43]);
    expect(matmul(v, m).toArray()).toEqual([31, 42]);
    const dot = matmul(v, v);
    expect(dot.shape).toEqual([]);
    expect(dot.toArray()).toBe(101);
    expect(matmul(zeros([5, 2, 3]), zeros([3])).shape).toEqual([5, 2]);
    expect(matmul(zeros([3]), zeros([5, 3, 4])).shape).toEqual([5, 4]);
  });

  it("accepts transposed, sliced and offset views", () => {
    const rng = new Rng(1);
    const base = rng.normalArray([6, 5], { dtype: "float64" });
    const a = base.slice([1, null, 2], [null, null, -1]); // [3,5], negative inner stride
    const b = base.T.slice(null, [0, 4]); // [5,4], transposed
    expect(allClose(matmul(a, b), fromArray(naive(a, b), { dtype: "float64" }), { rtol: F64_RTOL })).toBe(true);
  });

  it("broadcasts batch dimensions", () => {
    const a = arange(2 * 1 * 2 * 3).reshape([2, 1, 2, 3]);
    const b = arange(4 * 3 * 2).reshape([4, 3, 2]);
    const c = matmul(a, b);
    expect(c.shape).toEqual([2, 4, 2, 2]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 4; j++) {
        expect(c.slice(i, j).toArray()).toEqual(naive(a.slice(i, 0), b.slice(j)));
      }
    }
    const shared = matmul(arange(12).reshape([2, 2, 3]), eye(3));
    expect(shared.toArray()).toEqual(arange(12).reshape([2, 2, 3]).toArray());
  });

  it("follows the dtype rule", () => {
    const i = fromArray([[2]], { dtype: "int32" });
    expect(matmul(i, i).dtype).toBe("int32");
    expect(matmul(i, fromArray([[1]])).dtype).toBe("float32");
    expect(matmul(fromArray([[1]]), fromArray([[1]], { dtype: "float64" })).dtype).toBe("float64");
  });

  it("handles empty dimensions", () => {
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(matmul(zeros([0, 2]), zeros([2, 3])).shape).toEqual([0, 3]);
  });

  it("names both shapes in errors", () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow(
      "matmul: shapes [2,3] and [4,5] are not aligned: 3 (axis -1 of a) != 4 (axis -2 of b)",
    );
    expect(() => matmul(zeros([2, 3]), zeros([4]))).toThrow(
      "matmul: shapes [2,3] and [4] are not aligned: 3 (axis -1 of a) != 4 (axis 0 of b)",
    );
    expect(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 4]))).toThrow(
      "matmul: cannot broadcast the batch dimensions of shapes [2,2,3] and [3,3,4]",
    );
    expect(() => matmul(zeros([]), zeros([3]))).toThrow("matmul: 0-d operands are not allowed (shapes [] and [3])");
  });
});
