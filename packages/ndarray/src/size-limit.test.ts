import { describe, expect, it } from "vitest";
import { add, arange, eye, full, linspace, matmul, MAX_ELEMENTS, ones, Rng, zeros } from "./index.js";

const LIMIT = `more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`;

describe("arrays too large for a buffer: errors name the function and the shape", () => {
  it("creation functions", () => {
    expect(() => zeros([1e6, 1e6])).toThrow(`zeros: shape [1000000,1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => ones([2 ** 16, 2 ** 16, 2])).toThrow(`ones: shape [65536,65536,2] has 8589934592 elements, ${LIMIT}`);
    expect(() => full([2 ** 32 + 1], 7, "int32")).toThrow(`full: shape [4294967297] has 4294967297 elements, ${LIMIT}`);
    expect(() => eye(1e6)).toThrow(`eye: shape [1000000,1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => arange(1e12)).toThrow(`arange: shape [1000000000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => linspace(0, 1, 1e10)).toThrow(`linspace: shape [10000000000] has 10000000000 elements, ${LIMIT}`);
    expect(() => new Rng(0).normalArray([1e5, 1e5])).toThrow(`normalArray: shape [100000,100000] has 10000000000 elements, ${LIMIT}`);
  });

  it("results of broadcasting and matmul", () => {
    expect(() => add(zeros([1e6, 1]), zeros([1, 1e6]))).toThrow(`add: shape [1000000,1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => matmul(zeros([1e6, 1]), zeros([1, 1e6]))).toThrow(`matmul: shape [1000000,1000000] has 1000000000000 elements, ${LIMIT}`);
  });

  it("zero-size shapes with huge dimensions are fine", () => {
    expect(zeros([0, 1e12]).shape).toEqual([0, 1e12]);
  });
});
