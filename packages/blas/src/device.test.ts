import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  counterFill, counterNormal, counterUniform, getDevice, jsDevice, JsDevice, listDevices, outputSize, pcgHash, registerDevice, setDefaultDevice,
  type Conv2dGeometry, type Device, type Pool2dGeometry,
} from "./index.js";
import { erf } from "./device/js/erf.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8"));
const flat = (m: number[][]) => m.flat();
const view = (buffer: ReturnType<Device["alloc"]>, strides: number[], offset = 0) => ({ buffer, strides, offset });

function conv(H: number, W: number, K: number, pad: number): Conv2dGeometry {
  const O = outputSize(H, K, 1, pad, pad, 1);
  return { C: 1, H, W, KH: K, KW: K, strideH: 1, strideW: 1, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad, dilationH: 1, dilationW: 1, OH: O, OW: O };
}

/** y = W · im2col(x): the course's "im2col: matrix multiplication it is". */
async function convByIm2col(d: Device, image: number[][], filter: number[][], pad: number): Promise<number[]> {
  const g = conv(image.length, image[0].length, filter.length, pad);
  const K = g.KH * g.KW;
  const P = g.OH * g.OW;
  const x = d.alloc(g.H * g.W);
  d.write(x, flat(image));
  const w = d.alloc(K);
  d.write(w, flat(filter));
  const col = d.alloc(K * P);
  const y = d.alloc(P);
  d.im2col(g, 1, x, 0, g.H * g.W, col, 0, P);
  d.sgemm("no-transpose", "no-transpose", 1, P, K, 1, w, K, 1, 0, col, P, 1, 0, 0, y, P, 1, 0);
  return [...(await d.read(y))];
}

describe("the course's worked examples through device routines", () => {
  const ex = fixtures.conv_5x5_by_3x3;
  it("valid 3×3 convolution of the 5×5 image", async () => {
    expect(await convByIm2col(jsDevice, ex.image, ex.filter, 0)).toEqual(flat(ex.valid_output));
  });
  it("'same' convolution (padding 1) and the overlapping 2×2 stride-1 max pool", async () => {
    const same = await convByIm2col(jsDevice, ex.image, ex.filter, 1);
    expect(same).toEqual(flat(ex.same_padding_1_output));
    const g: Pool2dGeometry = { H: 5, W: 5, KH: 2, KW: 2, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 4, OW: 4 };
    const x = jsDevice.alloc(25);
    jsDevice.write(x, same);
    const y = jsDevice.alloc(16);
    const arg = jsDevice.alloc(16, "int32");
    jsDevice.maxPool2d(g, 1, x, 0, y, 0, arg, 0);
    expect([...(await jsDevice.read(y))]).toEqual(flat(ex.maxpool_2x2_stride_1_of_same_output));
  });
  it("conv backward exercise: dL/dF = dY·colᵀ and dL/dX = col2im(Wᵀ·dY)", async () => {
    const b = fixtures.conv_backward_exercise;
    const d = jsDevice;
    const g = conv(3, 3, 2, 0);
    const x = d.alloc(9);
    d.write(x, flat(b.input));
    const col = d.alloc(4 * 4);
    d.im2col(g, 1, x, 0, 9, col, 0, 4);
    const dy = d.alloc(4);
    d.write(dy, flat(b.grad_output));
    const dw = d.alloc(4);
    d.sgemm("no-transpose", "transpose", 1, 4, 4, 1, dy, 4, 1, 0, col, 4, 1, 0, 0, dw, 4, 1, 0);
    const w = d.alloc(4);
    d.write(w, flat(b.filter));
    const dcol = d.alloc(16);
    d.sgemm("transpose", "no-transpose", 4, 4, 1, 1, w, 4, 1, 0, dy, 4, 1, 0, 0, dcol, 4, 1, 0);
    const dx = d.alloc(9);
    d.col2im(g, 1, dcol, 0, 4, dx, 0, 9);
    const close = (got: ArrayLike<number>, want: number[]) => want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    close(await d.read(dw), flat(b.grad_filter));
    close(await d.read(dx), flat(b.grad_input));
  });
});

describe("non-BLAS routines on hand values", () => {
  const d = new JsDevice();
  it("softmax and log-softmax rows", async () => {
    const x = d.alloc(6);
    d.write(x, [1, 2, 3, 1000, 1000, 1000]);
    const y = d.alloc(6);
    d.softmax(2, 3, view(x, [3, 1]), view(y, [3, 1]), false);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    const got = await d.read(y);
    [...e.map((v) => v / s), 1 / 3, 1 / 3, 1 / 3].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    d.softmax(2, 3, view(x, [3, 1]), view(y, [3, 1]), true);
    expect((await d.read(y))[5]).toBeCloseTo(-Math.log(3), 6);
  });
  it("reduce over axes and argmax with ties", async () => {
    const x = d.alloc(6);
    d.write(x, [1, 5, 5, -1, 0, 2]);
    const y = d.alloc(3);
    d.reduce("sum", [2, 3], 1, view(x, [3, 1]), view(y, [1]));
    expect([...(await d.read(y, 0, 2))]).toEqual([11, 1]);
    d.reduce("max", [3, 2], 1, view(x, [1, 3]), view(y, [1])); // columns of the 2×3 matrix
    expect([...(await d.read(y))]).toEqual([1, 5, 5]);
    d.reduce("mean", [2, 3], 2, view(x, [3, 1]), view(y, []));
    expect((await d.read(y))[0]).toBe(2);
    const a = d.alloc(2, "int32");
    d.argmax([2, 3], 1, view(x, [3, 1]), view(a, [1]));
    expect([...(await d.read(a))]).toEqual([1, 2]);
    expect(() => d.reduce("max", [2, 0], 1, view(x, [3, 1]), view(y, [1]))).toThrow("reduce: cannot take max over an empty dimension of shape [2,0]");
  });
  it("avg pool divisors follow PyTorch (count_include_pad)", async () => {
    const g: Pool2dGeometry = { H: 2, W: 2, KH: 2, KW: 2, strideH: 2, strideW: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 2, OW: 2 };
    const x = d.alloc(4);
    d.write(x, [1, 2, 3, 4]);
    const y = d.alloc(4);
    d.avgPool2d(g, 1, true, x, 0, y, 0);
    expect([...(await d.read(y))]).toEqual([0.25, 0.5, 0.75, 1]);
    d.avgPool2d(g, 1, false, x, 0, y, 0);
    expect([...(await d.read(y))]).toEqual([1, 2, 3, 4]);
  });
  it("gelu, sigmoid and erf", async () => {
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-3)).toBeCloseTo(-0.9999779095030014, 14);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    const x = d.alloc(3);
    d.write(x, [-1, 0, 1]);
    const y = d.alloc(3);
    d.unary("gelu", [3], view(x, [1]), view(y, [1]));
    const got = await d.read(y);
    expect(got[0]).toBeCloseTo(-0.15865525393145707, 6);
    expect(got[2]).toBeCloseTo(0.8413447460685429, 6);
    d.unary("sigmoid", [3], view(x, [1]), view(y, [1]));
    expect((await d.read(y))[2]).toBeCloseTo(0.7310585786300049, 6);
  });
});

describe("counter-based random numbers", () => {
  // An independent BigInt implementation of the PCG-RXS-M-XS hash (Jarzynski & Olano 2020).
  const M32 = (1n << 32n) - 1n;
  const pcgBig = (v: number) => {
    const state = (BigInt(v) * 747796405n + 2891336453n) & M32;
    const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & M32;
    return Number((word >> 22n) ^ word);
  };
  it("pcgHash matches a BigInt reference", () => {
    for (const v of [0, 1, 2, 12345, 0x7fffffff, 0xffffffff, 2891336453]) expect(pcgHash(v)).toBe(pcgBig(v));
  });
  it("uniform and normal have the right moments", () => {
    const n = 100_000;
    let s = 0, s2 = 0, z1 = 0, z2 = 0;
    for (let i = 0; i < n; i++) {
      const u = counterUniform(3, i);
      expect(u >= 0 && u < 1).toBe(true);
      s += u; s2 += u * u;
      const z = counterNormal(3, i);
      z1 += z; z2 += z * z;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(z1 / n).toBeCloseTo(0, 1);
    expect(z2 / n).toBeCloseTo(1, 1);
  });
  it("counterFill is bit for bit the per-element functions, at any offset and across the 2^32 wrap", () => {
    for (const [seed, counter] of [[0, 0], [7, 123], [0xffffffff, 2 ** 32 - 3], [12345, 2 ** 31 - 2]]) {
      const n = 9, off = 2;
      for (const precision of ["f32", "f64"] as const) {
        const out = precision === "f32" ? new Float32Array(n + off) : new Float64Array(n + off);
        const round = precision === "f32" ? Math.fround : (v: number) => v;
        counterFill("uniform", seed, counter, n, out, off, -0.25, 0.75);
        for (let i = 0; i < n; i++) expect(out[off + i]).toBe(round(-0.25 + 1 * counterUniform(seed, counter + i)));
        counterFill("normal", seed, counter, n, out, off, 1, 0.5);
        for (let i = 0; i < n; i++) expect(out[off + i]).toBe(round(1 + 0.5 * counterNormal(seed, counter + i)));
        counterFill("bernoulli", seed, counter, n, out, off, 0.3, 4);
        for (let i = 0; i < n; i++) expect(out[off + i]).toBe(counterUniform(seed, counter + i) < 0.3 ? 4 : 0);
        expect([out[0], out[1]]).toEqual([0, 0]);
      }
    }
  });
  it("fillRandom continues a stream across calls (counter) and differs across seeds", async () => {
    const d = jsDevice;
    const a = d.alloc(8);
    const b = d.alloc(8);
    d.fillRandom("uniform", 9, 0, 8, a, 0, 0, 1);
    d.fillRandom("uniform", 9, 0, 4, b, 0, 0, 1);
    d.fillRandom("uniform", 9, 4, 4, b, 4, 0, 1);
    expect([...(await d.read(a))]).toEqual([...(await d.read(b))]);
    d.fillRandom("uniform", 10, 0, 8, b, 0, 0, 1);
    expect([...(await d.read(a))]).not.toEqual([...(await d.read(b))]);
    d.fillRandom("bernoulli", 1, 0, 8, a, 0, 0.5, 2);
    expect([...(await d.read(a))].every((v) => v === 0 || v === 2)).toBe(true);
  });
});

describe("buffers, registry and validation", () => {
  it("tracks bytes, rejects freed and foreign buffers", () => {
    const d = new JsDevice();
    const b = d.alloc(10);
    expect(d.bytesInUse()).toBe(40);
    d.free(b);
    expect(d.bytesInUse()).toBe(0);
    expect(() => d.free(b)).toThrow("free: buffer was already freed");
    expect(() => d.sscal(1, 2, b, 1, 0)).toThrow("sscal: x was freed");
    const fake = { device: "webgpu", length: 4, dtype: "float32" as const };
    expect(() => d.sscal(1, 2, fake, 1, 0)).toThrow("sscal: x must be a buffer of the 'js' device, got one of 'webgpu'");
    expect(() => d.write(d.alloc(2), [1, 2, 3])).toThrow("write: data addresses elements [0, 2]");
    expect(() => d.unary("cube" as never, [1], view(d.alloc(1), [1]), view(d.alloc(1), [1]))).toThrow("unary: op must be one of");
  });
  it("allocUninitialized poisons its buffers (NaN, int32 0xAAAAAAAA) and counts them like alloc", async () => {
    const d = new JsDevice();
    const f = d.allocUninitialized(3);
    const i = d.allocUninitialized(2, "int32");
    expect(d.bytesInUse()).toBe(20);
    expect([...(await d.read(f))].every(Number.isNaN)).toBe(true);
    expect([...(await d.read(i))]).toEqual([-0x55555556, -0x55555556]);
    expect(() => d.allocUninitialized(-1)).toThrow("allocUninitialized: length must be a non-negative integer, got -1");
    d.free(f);
    d.free(i);
    expect(d.bytesInUse()).toBe(0);
  });
  it("maxPool2d without an argmax buffer gives the same maxima", async () => {
    const d = new JsDevice();
    const g: Pool2dGeometry = { H: 4, W: 4, KH: 2, KW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 2, OW: 2 };
    const x = d.alloc(16);
    d.write(x, [1, 5, 2, 0, 3, 4, 8, 7, 0, 0, 1, 1, 9, 0, 1, 2]);
    const [y1, y2, arg] = [d.alloc(4), d.alloc(4), d.alloc(4, "int32")];
    d.maxPool2d(g, 1, x, 0, y1, 0, arg, 0);
    d.maxPool2d(g, 1, x, 0, y2, 0, null, 0);
    expect([...(await d.read(y2))]).toEqual([5, 8, 9, 2]);
    expect([...(await d.read(y1))]).toEqual([5, 8, 9, 2]);
    expect([...(await d.read(arg))]).toEqual([1, 6, 12, 15]);
  });
  it("validates conv geometry against the output-size formula", () => {
    const d = new JsDevice();
    const g = { ...conv(5, 5, 3, 0), OH: 4 };
    expect(() => d.im2col(g, 1, d.alloc(25), 0, 25, d.alloc(200), 0, 16)).toThrow(
      "im2col: geometry output 4×3 does not match the input 5×5, kernel 3×3, strides 1,1, padding 0,0,0,0 and dilation 1,1: expected 3×3");
    expect(() => d.im2col({ ...conv(5, 5, 3, 0), strideH: 0 }, 1, d.alloc(25), 0, 25, d.alloc(200), 0, 9)).toThrow("im2col: geometry.strideH must be >= 1, got 0");
  });
  it("registry: js is the default; unknown names list what is registered", () => {
    expect(getDevice()).toBe(jsDevice);
    expect(listDevices()).toContain("js");
    expect(() => getDevice("cuda")).toThrow("getDevice: no device named 'cuda' is registered (registered: 'js')");
    const other = new JsDevice();
    Object.defineProperty(other, "name", { value: "js-copy" });
    registerDevice(other);
    setDefaultDevice("js-copy");
    expect(getDevice()).toBe(other);
    setDefaultDevice("js");
  });
});
