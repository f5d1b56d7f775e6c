import type { Conv2dGeometry } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILTER_PIXEL_BLOCK, FILTER_UNBLOCKED_INPUT_BYTES } from "./conv-filter.js";
import { WasmDevice } from "./wasm-device.js";

/** Largest relative difference from im2col + sgemm, measured against Σ|terms| (different summation orders). */
const LOWERED_RTOL = 1e-5;

function geometry(C: number, H: number, W: number, k: number, stride = 1, pad = 0): Conv2dGeometry {
  const out = (n: number) => Math.floor((n + 2 * pad - k) / stride) + 1;
  return {
    C, H, W, KH: k, KW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad,
    dilationH: 1, dilationW: 1, OH: out(H), OW: out(W),
  };
}

/**
 * ResNet-18-like layers (the implicit path now takes them: pixels in blocks of FILTER_PIXEL_BLOCK
 * spanning images, k tiles in groups, dYᵀ by channel panels), with pixel counts that leave a
 * ragged last block, images smaller than a block, and channel counts that leave a ragged last panel.
 */
const CASES: { label: string; N: number; OC: number; g: Conv2dGeometry }[] = [
  { label: "layer1-like 3×3 pad 1, 64 channels, 2 images", N: 2, OC: 16, g: geometry(64, 56, 56, 3, 1, 1) },
  { label: "layer4-like 3×3 pad 1, 7×7 images (blocks span images), 7 images", N: 7, OC: 21, g: geometry(512, 7, 7, 3, 1, 1) },
  { label: "downsample-like 1×1 stride 2, no padding, 6 images", N: 6, OC: 40, g: geometry(256, 14, 14, 1, 2) },
  { label: "stem-like 7×7 stride 2 pad 3, 7 images", N: 7, OC: 9, g: geometry(3, 112, 112, 7, 2, 3) },
];

/** Bytes of the (padded) input batch: above FILTER_UNBLOCKED_INPUT_BYTES the pixels are blocked. */
function inputBytes(c: (typeof CASES)[number]): number {
  const { g } = c;
  return 4 * c.N * g.C * (g.H + g.padTop + g.padBottom) * (g.W + g.padLeft + g.padRight);
}

/** dw (from seeded values) after convBackwardFilter (fused) or per-image im2col + sgemm (lowered), and Σ|terms| per element. */
function run(dev: WasmDevice, c: (typeof CASES)[number], how: "fused" | "lowered"): Float32Array {
  const { N, OC, g } = c;
  const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  const x = dev.alloc(N * CHW), dy = dev.alloc(N * OC * P), dw = dev.alloc(OC * K), col = dev.alloc(K * P);
  dev.write(x, testData(N * CHW, 14));
  dev.write(dy, testData(N * OC * P, 15));
  dev.write(dw, testData(OC * K, 16));
  if (how === "fused") {
    expect(dev.convBackwardFilter(g, N, OC, x, 0, CHW, dy, 0, OC * P, dw, 0)).toBe(true);
  } else {
    for (let n = 0; n < N; n++) {
      dev.im2col(g, 1, x, n * CHW, CHW, col, 0, P);
      dev.sgemm("no-transpose", "transpose", OC, K, P, 1, dy, P, 1, n * OC * P, col, P, 1, 0, 1, dw, K, 1, 0);
    }
  }
  const out = (dev.readSync(dw) as Float32Array).slice();
  for (const buf of [x, dy, dw, col]) dev.free(buf);
  return out;
}

for (const simd of ["plain", "relaxed"] as const) {
  describe(`convBackwardFilter on ResNet-sized layers, blocked implicit GEMM (${simd} SIMD)`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, blocking: { minFlopsPerThread: 0 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));

    it("the cases are blocked and cross pixel blocks", () => {
      for (const c of CASES) {
        expect(inputBytes(c)).toBeGreaterThan(FILTER_UNBLOCKED_INPUT_BYTES);
        expect(c.N * c.g.OH * c.g.OW).toBeGreaterThan(FILTER_PIXEL_BLOCK);
      }
    });

    for (const c of CASES) {
      it(`${c.label}: taken, the same bits for 1, 2 and 3 threads, im2col + sgemm's sums to rounding`, () => {
        const [one, two, three] = devices.map((d) => run(d, c, "fused"));
        expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
        expect(Buffer.from(three.buffer).equals(Buffer.from(one.buffer))).toBe(true);
        const lowered = run(devices[0], c, "lowered");
        // Each dw element sums N·P products of values in [−1, 1) onto a start in [−1, 1).
        const scale = 1 + c.N * c.g.OH * c.g.OW;
        let worst = 0;
        for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - lowered[i]) / scale);
        expect(worst).toBeLessThan(LOWERED_RTOL);
      });
    }
  });
}
