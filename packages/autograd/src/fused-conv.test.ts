import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { add, conv2d, fusedConv2d, mul, noGrad, randn, relu, reshape, tensor, transpose } from "./index.js";

describe("fusedConv2d: conv2d with an epilogue, inference only", () => {
  const rng = new Rng(7);
  const x = randn([2, 3, 6, 5], rng), w = randn([5, 3, 3, 3], rng), b = randn([5], rng);
  const s = randn([5], rng), t = randn([5], rng);
  const o = { padding: 1, stride: [1, 2] as [number, number] };
  const conv = conv2d(x, w, b, o);
  const r = randn(conv.shape, rng);
  const channel = (v: typeof s) => reshape(v, [5, 1, 1]);

  it("has the bits of conv2d followed by mul, add, add and relu", () => {
    const want = relu(add(add(add(mul(conv, channel(s)), channel(t)), r), 0)).dataSync();
    expect(Array.from(fusedConv2d(x, w, b, o, { scale: s, shift: t, residual: r, relu: true }).dataSync())).toEqual(Array.from(want));
    expect(Array.from(fusedConv2d(x, w, null, o, { residual: r }).dataSync())).toEqual(Array.from(add(conv2d(x, w, null, o), r).dataSync()));
    expect(Array.from(fusedConv2d(x, w, b, o, {}).dataSync())).toEqual(Array.from(conv.dataSync()));
  });

  it("takes strided (non-contiguous) inputs and epilogue parts", () => {
    const rt = transpose(randn([2, 5, 3, 6], rng), 2, 3); // [2, 5, 6, 3] as a transposed view
    expect(rt.isContiguous).toBe(false);
    expect(Array.from(fusedConv2d(x, w, b, o, { residual: rt, relu: true }).dataSync())).toEqual(Array.from(relu(add(conv, rt)).dataSync()));
  });

  it("refuses inputs that require grad while recording, and runs under noGrad", () => {
    const wg = tensor(w.dataSync(), { shape: w.shape, requiresGrad: true });
    expect(() => fusedConv2d(x, wg, b, o, { relu: true })).toThrow("fusedConv2d: inference only (no backward), but weight requires grad");
    expect(Array.from(noGrad(() => fusedConv2d(x, wg, b, o, { relu: true })).dataSync())).toEqual(Array.from(relu(conv).dataSync()));
  });

  it("names the argument at fault", () => {
    expect(() => fusedConv2d(x, w, b, o, { bias: b } as never)).toThrow("fusedConv2d: epilogue has an unknown key 'bias'");
    expect(() => fusedConv2d(x, w, b, o, { scale: randn([4], rng) })).toThrow("fusedConv2d: epilogue.scale must be [5], got [4]");
    expect(() => fusedConv2d(x, w, b, o, { residual: randn([2, 5, 6, 2], rng) })).toThrow("fusedConv2d: epilogue.residual must have the output's shape [2,5,6,3], got [2,5,6,2]");
    expect(() => fusedConv2d(x, w, b, o, { relu: 1 } as never)).toThrow("fusedConv2d: epilogue.relu must be a boolean, got 1");
  });
});
