import { describe, expect, it } from "vitest";
import { MAX_ELEMENTS, Rng } from "@tessera/ndarray";
import { add, conv2d, full, matmul, ones, rand, randn, tensor, zeros } from "./index.js";

const LIMIT = `more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`;

describe("tensors too large for a buffer: errors name the function and the shape", () => {
  it("creation functions", () => {
    expect(() => zeros([1e6, 1e6])).toThrow(`zeros: shape [1000000, 1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => ones([1e6, 1e6], { requiresGrad: true })).toThrow(`ones: shape [1000000, 1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => full([2 ** 33], 1)).toThrow(`full: shape [8589934592] has 8589934592 elements, ${LIMIT}`);
    expect(() => randn([1e5, 1e5], new Rng(0))).toThrow(`randn: shape [100000, 100000] has 10000000000 elements, ${LIMIT}`);
    expect(() => rand([1e5, 1e5], new Rng(0))).toThrow(`rand: shape [100000, 100000] has 10000000000 elements, ${LIMIT}`);
    expect(() => tensor(new Float32Array(1), { shape: [1e6, 1e6] })).toThrow(`tensor: options.shape [1000000, 1000000] has 1000000000000 elements, ${LIMIT}`);
  });

  it("op results", () => {
    expect(() => add(zeros([1e6, 1]), zeros([1, 1e6]))).toThrow(`shape [1000000, 1000000] has 1000000000000 elements, ${LIMIT}`);
    expect(() => matmul(zeros([1e6, 1]), zeros([1, 1e6]))).toThrow(`shape [1000000, 1000000] has 1000000000000 elements, ${LIMIT}`);
  });

  it("conv2d with a huge padding names the padding and the output shape", () => {
    expect(() => conv2d(ones([1, 1, 3, 3]), ones([1, 1, 3, 3]), null, { padding: 1e9 })).toThrow(
      `conv2d: the output [1,1,2000000001,2000000001] has 4000000004000000000 elements, ${LIMIT} (padding [top, bottom, left, right] = [1000000000,1000000000,1000000000,1000000000])`,
    );
  });
});
