import { applyConvEpilogue, type Conv2dGeometry, type ConvEpilogue, type DeviceBuffer } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmDevice } from "./wasm-device.js";

/** Geometry of one group with the output size from the course's formula. */
function geometry(C: number, H: number, W: number, k: number, stride = 1, pad = 0, dilation = 1): Conv2dGeometry {
  const out = (n: number) => Math.floor((n + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  return {
    C, H, W, KH: k, KW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad,
    dilationH: dilation, dilationW: dilation, OH: out(H), OW: out(W),
  };
}

/**
 * Edge cases: OC below, at and above one 8-channel panel and not a multiple of it; pixel counts that
 * leave a ragged last tile (P mod 4 ≠ 0) and, with several threads, ragged chunks; N > 1; strides,
 * dilation and padding; a ResNet-like 3×3 'same' layer.
 */
const CASES: { label: string; N: number; OC: number; g: Conv2dGeometry }[] = [
  { label: "LeNet-5 conv2, 9 images, OC 16", N: 9, OC: 16, g: geometry(6, 14, 14, 5) },
  { label: "LeNet-5 conv1, 5 images, pad 2, OC 6", N: 5, OC: 6, g: geometry(1, 28, 28, 5, 1, 2) },
  { label: "stride 2, dilation 2, pad 3, P = 143, OC 11", N: 3, OC: 11, g: geometry(2, 23, 19, 3, 2, 3, 2) },
  { label: "one 3×40×37 image, pad 1, OC 13", N: 1, OC: 13, g: geometry(3, 40, 37, 3, 1, 1) },
  { label: "ResNet-like 16×7×7, pad 1, OC 20", N: 2, OC: 20, g: geometry(16, 7, 7, 3, 1, 1) },
  { label: "one 40×5×5 image, pad 1, OC 44 (output-channel blocks)", N: 1, OC: 44, g: geometry(40, 5, 5, 3, 1, 1) },
];

const PARTS = ["relu", "scale", "shift", "residual", "residual relu", "scale shift relu", "scale shift residual relu"] as const;

interface Run {
  dev: WasmDevice;
  c: (typeof CASES)[number];
  parts: string;
  bias: boolean;
  how: "fused" | "separate";
}

/**
 * y after convForward with the epilogue (fused), or the plain convForward then applyConvEpilogue
 * (separate). Scale, shift and residual sit at nonzero offsets; the residual's images have a gap.
 */
function run({ dev, c, parts, bias, how }: Run): Float32Array {
  const { N, OC, g } = c;
  const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW, rStride = OC * P + 5;
  const x = dev.alloc(N * CHW), w = dev.alloc(OC * K), b = dev.alloc(OC), y = dev.alloc(N * OC * P);
  const s = dev.alloc(OC + 1), t = dev.alloc(OC + 2), r = dev.alloc(3 + N * rStride);
  dev.write(x, testData(N * CHW, 1));
  dev.write(w, testData(OC * K, 2));
  dev.write(b, testData(OC, 3));
  dev.write(s, testData(OC + 1, 4));
  dev.write(t, testData(OC + 2, 5));
  dev.write(r, testData(3 + N * rStride, 6));
  const e: ConvEpilogue = {
    ...(parts.includes("scale") ? { scale: s, offsetScale: 1 } : {}),
    ...(parts.includes("shift") ? { shift: t, offsetShift: 2 } : {}),
    ...(parts.includes("residual") ? { residual: r, offsetResidual: 3, strideResidualN: rStride } : {}),
    relu: parts.includes("relu"),
  };
  const bb = bias ? b : null;
  if (how === "fused") {
    expect(dev.convForward(g, N, OC, x, 0, CHW, w, 0, bb, 0, y, 0, OC * P, e)).toBe(true);
  } else {
    expect(dev.convForward(g, N, OC, x, 0, CHW, w, 0, bb, 0, y, 0, OC * P)).toBe(true);
    applyConvEpilogue(dev, N, OC, P, y, 0, OC * P, e);
  }
  const out = (dev.readSync(y) as Float32Array).slice();
  for (const buf of [x, w, b, y, s, t, r]) dev.free(buf);
  return out;
}

/** Index of the first element whose bits differ (-1 when none). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [x, y] = [new Uint32Array(a.buffer), new Uint32Array(b.buffer)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : Math.min(x.length, y.length);
}

for (const simd of ["plain", "relaxed"] as const) {
  describe(`convForward's fused epilogue (${simd} SIMD)`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, blocking: { minFlopsPerThread: 0 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));

    for (const c of CASES) {
      it(`${c.label}: every combination of parts, with and without bias, has the bits of separate passes on 1, 2 and 3 threads`, () => {
        for (const parts of PARTS) {
          for (const bias of [false, true]) {
            const separate = run({ dev: devices[0], c, parts, bias, how: "separate" });
            devices.forEach((dev, i) => {
              const fused = run({ dev, c, parts, bias, how: "fused" });
              expect(`${parts}${bias ? " bias" : ""}, ${i + 1} threads: ${firstDifference(fused, separate)}`)
                .toBe(`${parts}${bias ? " bias" : ""}, ${i + 1} threads: -1`);
            });
          }
        }
      });
    }

    it("ReLU keeps NaN, turns −0 into +0, and no ReLU keeps −0 (full and ragged tiles)", () => {
      const dev = devices[0];
      // 1 channel, 1×1 kernel: y = x · w. w = 0 gives +0 (or NaN where x is NaN); scale −1 makes it −0.
      const g = geometry(1, 3, 3, 1);
      const x = dev.alloc(9), w = dev.alloc(2), s = dev.alloc(2), y = dev.alloc(18);
      dev.write(x, [NaN, 1, 2, 3, 4, 5, 6, 7, NaN]);
      dev.write(s, [-1, -1]);
      for (const relu of [false, true]) {
        expect(dev.convForward(g, 1, 2, x, 0, 9, w, 0, null, 0, y, 0, 9, { scale: s, relu })).toBe(true);
        const out = Array.from(dev.readSync(y) as Float32Array);
        for (const i of [0, 8, 9, 17]) expect(Number.isNaN(out[i])).toBe(true);
        for (const i of [1, 4, 7, 10, 16]) expect(Object.is(out[i], relu ? 0 : -0)).toBe(true);
      }
      for (const buf of [x, w, s, y]) dev.free(buf);
    });

    it("reads a residual that lies before or after y in the same buffer", () => {
      const dev = devices[1];
      const c = CASES[2], { N, OC, g } = c;
      const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW, Y = N * OC * P;
      const x = dev.alloc(N * CHW), w = dev.alloc(OC * K), both = dev.alloc(3 * Y), ref = dev.alloc(Y), r = dev.alloc(Y);
      dev.write(x, testData(N * CHW, 7));
      dev.write(w, testData(OC * K, 8));
      dev.write(r, testData(Y, 9));
      dev.convForward(g, N, OC, x, 0, CHW, w, 0, null, 0, ref, 0, OC * P, { residual: r, strideResidualN: OC * P, relu: true });
      const want = (dev.readSync(ref) as Float32Array).slice();
      for (const [yAt, rAt] of [[Y, 0], [0, 2 * Y]]) {
        dev.write(both, testData(Y, 9), rAt);
        dev.convForward(g, N, OC, x, 0, CHW, w, 0, null, 0, both, yAt, OC * P, { residual: both, offsetResidual: rAt, strideResidualN: OC * P, relu: true });
        expect(firstDifference((dev.readSync(both, yAt, Y) as Float32Array).slice(), want)).toBe(-1);
      }
      for (const buf of [x, w, both, ref, r]) dev.free(buf);
    });

    it("leaves no buffer behind", () => {
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}

describe("convForward's epilogue arguments on the wasm device", () => {
  it("are checked before anything runs (an unknown part is an error, y untouched)", async () => {
    const dev = await WasmDevice.create({ threads: 1, register: false });
    const g = geometry(1, 3, 3, 1);
    const bufs: DeviceBuffer[] = [dev.alloc(9), dev.alloc(1), dev.alloc(9)];
    const [x, w, y] = bufs;
    dev.write(y, testData(9, 3));
    expect(() => dev.convForward(g, 1, 1, x, 0, 9, w, 0, null, 0, y, 0, 9, { relu: true, bias: w } as ConvEpilogue)).toThrow("convForward: epilogue has an unknown key 'bias'");
    expect(Array.from(dev.readSync(y))).toEqual(Array.from(testData(9, 3)));
    bufs.forEach((b) => dev.free(b));
    dev.dispose();
  });
});
