import { describe, expect, it } from "vitest";
import {
  abs,
  add,
  broadcastShapes,
  div,
  exp,
  fromArray,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
  zeros,
  type NDArray,
} from "./index.js";

/** Float32 results are compared to float64 math within this relative error. */
const F32_RTOL = 1e-6;

const f64 = (x: unknown): NDArray => fromArray(x as number[], { dtype: "float64" });

describe("broadcastShapes", () => {
  it("aligns from the right and stretches size-1 axes", () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes([3], [])).toEqual([3]);
    expect(broadcastShapes([0, 1], [1, 5])).toEqual([0, 5]);
    expect(broadcastShapes([1], [1, 1, 1], [7, 1, 2])).toEqual([7, 1, 2]);
    expect(broadcastShapes()).toEqual([]);
  });

  it("names both conflicting input shapes", () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow("broadcastShapes: cannot broadcast shapes [2,3] and [4]");
    expect(() => broadcastShapes([1, 3], [5, 1], [2, 1])).toThrow(
      "broadcastShapes: cannot broadcast shapes [5,1] and [2,1]",
    );
    expect(() => broadcastShapes([0], [2])).toThrow("broadcastShapes: cannot broadcast shapes [0] and [2]");
  });
});

describe("binary operations", () => {
  const m = fromArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it("broadcast rows, columns and scalars", () => {
    expect(add(m, fromArray([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(sub(m, fromArray([[1], [4]])).toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(mul(fromArray([[1], [2]]), fromArray([3, 4])).toArray()).toEqual([
      [3, 4],
      [6, 8],
    ]);
    expect(div(m, 2).toArray()).toEqual([
      [0.5, 1, 1.5],
      [2, 2.5, 3],
    ]);
    expect(sub(10, m).toArray()).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
    expect(pow(2, fromArray([0, 1, 10])).toArray()).toEqual([1, 2, 1024]);
    expect(add(1, 2).toArray()).toBe(3);
  });

  it("work on strided, offset and reversed views", () => {
    const t = m.T; // [[1,4],[2,5],[3,6]]
    const rev = fromArray([1, 2, 3]).slice([null, null, -1]).expandDims(1); // [[3],[2],[1]]
    expect(mul(t, rev).toArray()).toEqual([
      [3, 12],
      [4, 10],
      [3, 6],
    ]);
  });

  it("maximum and minimum propagate NaN", () => {
    const x = fromArray([1, Number.NaN, 5]);
    expect(maximum(x, 2).toArray()).toEqual([2, Number.NaN, 5]);
    expect(minimum(x, 2).toArray()).toEqual([1, Number.NaN, 2]);
  });

  it("report the operation and both shapes when broadcasting fails", () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow("add: cannot broadcast shapes [2,3] and [4]");
    expect(() => mul(zeros([3, 1]), zeros([2, 2]))).toThrow("mul: cannot broadcast shapes [3,1] and [2,2]");
    expect(() => div(zeros([5]), zeros([2, 4]))).toThrow("div: cannot broadcast shapes [5] and [2,4]");
    expect(() => add(zeros([1]), "x" as unknown as number)).toThrow(
      "add: second argument must be an NDArray or a number, got string",
    );
  });

  it("follow the dtype rules", () => {
    const i = fromArray([7, -7], { dtype: "int32" });
    const f = fromArray([1, 2]);
    const d = f64([1, 2]);
    expect(add(i, i).dtype).toBe("int32");
    expect(mul(i, 3).dtype).toBe("int32");
    expect(maximum(i, i).dtype).toBe("int32");
    expect(add(i, 0.5).dtype).toBe("float32");
    expect(div(i, i).dtype).toBe("float32");
    expect(div(i, 2).toArray()).toEqual([3.5, -3.5]);
    expect(pow(i, 2).dtype).toBe("float32");
    expect(add(i, f).dtype).toBe("float32");
    expect(add(f, d).dtype).toBe("float64");
    expect(add(i, d).dtype).toBe("float64");
    expect(add(f, 1).dtype).toBe("float32");
  });

  it("wrap int32 like NumPy and multiply exactly", () => {
    const big = fromArray([2147483647, 65537], { dtype: "int32" });
    expect(add(big, 1).toArray()).toEqual([-2147483648, 65538]);
    expect(mul(big, fromArray([1, 65537], { dtype: "int32" })).toArray()).toEqual([2147483647, 131073]);
  });

  it("round float32 results to float32", () => {
    const r = add(fromArray([0.1]), fromArray([0.2])).get(0);
    expect(r).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });
});

describe("unary operations", () => {
  it("compute the expected values", () => {
    const x = f64([-2, -0.5, 0, 0.5, 2]);
    expect(neg(x).toArray()).toEqual([2, 0.5, -0, -0.5, -2]);
    expect(abs(x).toArray()).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(square(x).toArray()).toEqual([4, 0.25, 0, 0.25, 4]);
    expect(relu(x).toArray()).toEqual([0, 0, 0, 0.5, 2]);
    expect(exp(x).toArray()).toEqual([-2, -0.5, 0, 0.5, 2].map(Math.exp));
    expect(tanh(x).toArray()).toEqual([-2, -0.5, 0, 0.5, 2].map(Math.tanh));
    expect(sqrt(f64([0, 4, 2.25])).toArray()).toEqual([0, 2, 1.5]);
    expect(log(f64([1, Math.E, 0])).toArray()).toEqual([0, 1, -Infinity]);
    expect(sigmoid(f64([0, 2])).toArray()).toEqual([0.5, 1 / (1 + Math.exp(-2))]);
  });

  it("sigmoid is stable for large |x|", () => {
    const s = sigmoid(f64([-1000, 1000, -40])).toArray() as number[];
    expect(s[0]).toBe(0);
    expect(s[1]).toBe(1);
    expect(s[2]).toBeCloseTo(Math.exp(-40), 30);
    expect(s.every(Number.isFinite)).toBe(true);
  });

  it("keep int32 for neg/abs/square/relu and give float32 otherwise", () => {
    const i = fromArray([-3, 4], { dtype: "int32" });
    expect(neg(i).dtype).toBe("int32");
    expect(relu(i).toArray()).toEqual([0, 4]);
    expect(sqrt(i).dtype).toBe("float32");
    expect(exp(fromArray([1])).dtype).toBe("float32");
    expect(exp(f64([1])).dtype).toBe("float64");
  });

  it("float32 math stays within float32 rounding of the float64 result", () => {
    const xs = [0.1, 1.7, 3.3];
    const got = exp(fromArray(xs)).toArray() as number[];
    got.forEach((g, k) => {
      const want = Math.exp(Math.fround(xs[k]));
      expect(Math.abs(g - want) / want).toBeLessThan(F32_RTOL);
    });
  });

  it("preserve shape, including 0-d and views", () => {
    expect(neg(zeros([])).shape).toEqual([]);
    const v = fromArray([
      [1, 2],
      [3, 4],
    ]).T;
    expect(square(v).toArray()).toEqual([
      [1, 9],
      [4, 16],
    ]);
    expect(() => exp(3 as unknown as NDArray)).toThrow("exp: argument must be an NDArray, got number");
  });
});
