import { describe, expect, it } from "vitest";
import { NDArray, Rng } from "@tessera/ndarray";
import { full, liveStorages, ones, rand, randn, reshape, slice, tensor, zeros } from "./index.js";

const BAD_SHAPES: [string, unknown][] = [
  ["negative sizes", [-1, -2]],
  ["one negative size", [2, -3]],
  ["a fraction", [1.5, 2]],
  ["NaN", [NaN]],
  ["Infinity", [Infinity]],
  ["a string", ["2"]],
];

describe("creation functions reject bad shapes", () => {
  for (const [what, shape] of BAD_SHAPES) {
    it(`${what}: ${JSON.stringify(shape)}`, () => {
      const msg = (fn: string, name = "shape") => new RegExp(`^${fn}: ${name} must be an array of non-negative integers, got \\[`);
      // tensor() of 2 values with shape [-1, -2] (2 "elements") was accepted before
      expect(() => tensor([1, 2], { shape: shape as number[] })).toThrow(msg("tensor", "options.shape"));
      expect(() => tensor(new Float32Array(2), { shape: shape as number[] })).toThrow(msg("tensor", "options.shape"));
      expect(() => tensor(new NDArray(new Float32Array(2), [2]), { shape: shape as number[] })).toThrow(msg("tensor", "options.shape"));
      expect(() => zeros(shape as number[])).toThrow(msg("zeros"));
      expect(() => ones(shape as number[])).toThrow(msg("ones"));
      expect(() => full(shape as number[], 1)).toThrow(msg("full"));
      expect(() => randn(shape as number[], new Rng(0))).toThrow(msg("randn"));
      expect(() => rand(shape as number[], new Rng(0))).toThrow(msg("rand"));
    });
  }

  it("a shape that is not an array, or too large for any device", () => {
    expect(() => zeros(3 as never)).toThrow("zeros: shape must be an array of non-negative integers, got 3");
    expect(() => zeros([2 ** 30, 2 ** 30])).toThrow("zeros: shape [1073741824, 1073741824] has 1152921504606847000 elements, more than the 2^32 = 4294967296 one buffer can hold");
  });

  it("nothing is allocated when a shape is rejected", () => {
    const before = liveStorages();
    expect(() => tensor([1, 2], { shape: [-1, -2] })).toThrow();
    expect(liveStorages()).toBe(before);
  });
});

describe("shape arguments of the view and shape ops", () => {
  it("reshape rejects negative sizes other than a single -1, fractions and NaN", () => {
    const x = tensor([1, 2, 3, 4]);
    for (const shape of [[-1, -2], [-2, -2], [-1, -1], [1.5, 2], [NaN, 4], [Infinity]]) {
      expect(() => reshape(x, shape)).toThrow(`reshape: shape must be non-negative integers with at most one -1, got [${shape.join(",")}]`);
    }
    expect(() => reshape(x, "4" as never)).toThrow('reshape: shape must be an array of integers (one may be -1), got "4"');
    expect(reshape(x, [2, -1]).shape).toEqual([2, 2]);
    // PyTorch: "the unspecified dimension size -1 can be any value and is ambiguous" (it was guessed as 0)
    expect(() => reshape(zeros([0, 3]), [-1, 0])).toThrow("reshape: cannot infer the -1 in shape [-1,0]: with a 0-sized dimension beside it any size fits (give every size)");
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
  });

  it("slice rejects fractional and NaN bounds (a fractional offset before)", () => {
    const x = tensor([1, 2, 3, 4]);
    expect(() => slice(x, [0.5, 3])).toThrow("slice: start of range 0 must be an integer, got 0.5");
    expect(() => slice(x, [0, NaN])).toThrow("slice: stop of range 0 must be an integer, got NaN");
    expect(() => slice(x, [0, 4, 1.5])).toThrow("slice: step of range 0 must be an integer, got 1.5");
    expect(() => slice(x, "all" as never)).toThrow('slice: range 0 must be a number, null or [start, stop, step], got "all"');
    expect([...slice(x, [1, null]).dataSync()]).toEqual([2, 3, 4]);
  });
});

describe("creation options and values", () => {
  it("randn and rand need a seeded Rng: a clear error without one (plain JS)", () => {
    const hint = "rng must be a seeded Rng (new Rng(seed) from @tessera/ndarray), got undefined";
    expect(() => (randn as unknown as (s: number[]) => unknown)([2, 3])).toThrow(`randn: ${hint}; randomness is explicit, e.g. randn([2, 3], new Rng(0))`);
    expect(() => (rand as unknown as (s: number[]) => unknown)([2, 3])).toThrow(`rand: ${hint}`);
    expect(() => randn([2], { std: 1 } as never)).toThrow("randn: rng must be a seeded Rng (new Rng(seed) from @tessera/ndarray), got an object");
  });

  it("random options: finite numbers, std >= 0, low <= high, float32 only", () => {
    const rng = new Rng(1);
    expect(() => randn([2], rng, { std: -1 })).toThrow("randn: options.std must be >= 0, got -1");
    expect(() => randn([2], rng, { mean: NaN })).toThrow("randn: options.mean must be a finite number, got NaN");
    expect(() => rand([2], rng, { low: 1, high: 0 })).toThrow("rand: options.low (1) must be <= options.high (0)");
    expect(() => rand([2], rng, { high: Infinity })).toThrow("rand: options.high must be a finite number, got Infinity");
    expect(() => randn([2], rng, { dtype: "int32" })).toThrow("randn: options.dtype must be 'float32' (random values are floats), got \"int32\"");
  });

  it("only float32 tensors can require grad", () => {
    expect(() => tensor([1, 2], { dtype: "int32", requiresGrad: true })).toThrow("tensor: only float32 tensors can require grad, got dtype 'int32'");
    expect(() => tensor(new Int32Array([1]), { requiresGrad: true })).toThrow("tensor: only float32 tensors can require grad, got int32 values (pass dtype: 'float32')");
    expect(() => zeros([2], { dtype: "int32", requiresGrad: true })).toThrow("zeros: only float32 tensors can require grad, got dtype 'int32'");
  });

  it("int32 values must be integers; options are checked", () => {
    expect(() => tensor([1, 2.5], { dtype: "int32" })).toThrow("tensor: int32 values must be integers in [-2^31, 2^31), got 2.5 at index 1");
    expect(() => tensor(2 ** 31, { dtype: "int32" })).toThrow("tensor: int32 values must be integers in [-2^31, 2^31), got 2147483648 at index 0");
    expect(() => tensor(new Float32Array([0.5]), { dtype: "int32" })).toThrow("tensor: int32 values must be integers in [-2^31, 2^31), got 0.5 at index 0");
    expect(tensor([[-3, 7]], { dtype: "int32" }).dataSync()).toEqual(new Int32Array([-3, 7]));
    expect(() => full([2], 0.5, { dtype: "int32" })).toThrow("full: value must be an integer for dtype 'int32', got 0.5");
    expect(() => tensor([1], { dtype: "float16" as never })).toThrow("tensor: options.dtype must be 'float32' or 'int32', got \"float16\"");
    expect(() => tensor([1], { requiresGrad: "yes" as never })).toThrow('tensor: options.requiresGrad must be a boolean, got "yes"');
    expect(() => tensor([1], { device: "wasm" as never })).toThrow('tensor: options.device must be a Device (getDevice("js"), wasmDevice(), …), got "wasm"');
    expect(() => full([2], undefined as never)).toThrow("full: value must be a number, got undefined");
  });

  it("tensor() needs values", () => {
    expect(() => tensor(undefined as never)).toThrow("tensor: values must be a number, a nested array, a typed array or an NDArray, got undefined");
    expect(() => tensor("1,2" as never)).toThrow('tensor: values must be a number, a nested array, a typed array or an NDArray, got "1,2"');
  });
});
