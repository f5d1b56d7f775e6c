import { referenceConvTranspose2d, transposeSpec } from "@tessera/conv/testing";
import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { conv2d, convTranspose2d, mul, permute, randn, sum, tensor } from "./index.js";
import { gradcheck, type GradcheckInput } from "./testing.js";

function input(shape: number[], seed: number): GradcheckInput {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => rng.uniform(-1, 1)) };
}

describe("convTranspose2d", () => {
  it("gradcheck (float64) of input, weight and bias: stride, padding, outputPadding, dilation, groups", () => {
    gradcheck((x, w, b) => convTranspose2d(x, w, b, { stride: [2, 3], padding: [1, 0, 0, 1], outputPadding: [1, 2], dilation: [1, 2], groups: 2 }),
      [input([2, 4, 3, 2], 1), input([4, 3, 3, 2], 2), input([6], 3)]);
    gradcheck((x, w) => convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 }), [input([1, 2, 3, 3], 4), input([2, 3, 3, 3], 5)]);
    // output padding beyond the padding: the bias-only border row and column still get gradients.
    gradcheck((x, w, b) => convTranspose2d(x, w, b, { stride: 3, outputPadding: 2 }), [input([1, 1, 2, 2], 6), input([1, 2, 2, 2], 7), input([2], 8)]);
  });

  it("matches the float64 scatter reference on a strided view (non-contiguous input)", async () => {
    const rng = new Rng(9);
    const xs = randn([2, 5, 4, 3], rng); // permuted to [2, 3, 5, 4]
    const x = permute(xs, [0, 3, 1, 2]);
    const w = randn([3, 2, 3, 3], rng);
    const b = randn([2], rng);
    const o = { stride: 2, padding: 1, outputPadding: 1 } as const;
    const y = convTranspose2d(x, w, b, o);
    const want = referenceConvTranspose2d(x.shape, w.shape, transposeSpec(o), await x.data(), await w.data(), await b.data());
    expect(y.shape).toEqual([2, 2, want.OH, want.OW]);
    const got = await y.data();
    const scale = Math.max(...want.y.map(Math.abs));
    want.y.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5 * scale));
  });

  it("is the adjoint of conv2d: <conv_transpose(u, w), v> = <u, conv2d(v, w)>", async () => {
    const rng = new Rng(10);
    const o = { stride: [2, 1] as [number, number], padding: [1, 2] as [number, number], dilation: 2, groups: 2 };
    const w = randn([4, 3, 3, 2], rng); // conv2d: [OC=4, C/g=3] ; convTranspose2d: [C_in=4, C_out/g=3]
    const v = randn([2, 6, 7, 8], rng);
    const u = randn([2, 4, ...conv2d(v, w, null, o).shape.slice(2)], rng);
    const t = convTranspose2d(u, w, null, { ...o, outputPadding: [0, 0] });
    expect(t.shape).toEqual([2, 6, 7, 8]);
    const lhs = sum(mul(t, v)).item();
    const rhs = sum(mul(u, conv2d(v, w, null, o))).item();
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.abs(rhs) + 1e-4);
  });

  it("clear errors for a wrong bias, dtype or options", () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    const w = tensor([[[[1, 1], [1, 1]]]]);
    expect(() => convTranspose2d(x, w, tensor([1, 2]))).toThrow("convTranspose2d: bias must be [1], got [2]");
    expect(() => convTranspose2d(x, w, null, 3 as never)).toThrow(/convTranspose2d: options must be an options object/);
    expect(() => convTranspose2d(x, w, null, { outputPadding: 1 })).toThrow(/convTranspose2d: outputPadding \[1,1\] must be smaller than the stride/);
  });
});
