import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterNormal, outputSize, type Conv2dGeometry } from "@tessera/blas";
import { winogradCases } from "@tessera/blas/testing";
import { CONFIGS } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";

for (const { label, options } of CONFIGS) {
  describe(`Winograd battery, wasm ${label}`, async () => {
    const dev = await WasmDevice.create({ ...options, winogradTile: 2 }); // F(4×4): winograd4.test.ts
    afterAll(() => dev.dispose());
    for (const c of winogradCases()) it(c.name, () => c.run(dev));
  });
}

/** 3×3 stride-1 geometry with padding p on every side. */
function geo(C: number, H: number, W: number, p: number): Conv2dGeometry {
  return { C, H, W, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: p, padBottom: p, padLeft: p, padRight: p, dilationH: 1, dilationW: 1,
    OH: outputSize(H, 3, 1, p, p, 1), OW: outputSize(W, 3, 1, p, p, 1) };
}

/** Forward (with bias; plain and with the fused epilogue) and backward-data bits of one layer on a device. */
function bits(dev: WasmDevice, g: Conv2dGeometry, N: number, OC: number): Uint32Array[] {
  const xs = g.C * g.H * g.W, ys = OC * g.OH * g.OW;
  const up = (n: number, seed: number) => {
    const b = dev.alloc(n);
    dev.write(b, Float32Array.from({ length: n }, (_, i) => counterNormal(seed, i)));
    return b;
  };
  const x = up(N * xs, 1), w = up(OC * g.C * 9, 2), bias = up(OC, 3), y = dev.alloc(N * ys), dy = up(N * ys, 4), dx = up(N * xs, 5);
  const scale = up(OC, 6), shift = up(OC, 7), res = up(N * ys, 8), ye = dev.alloc(N * ys);
  dev.convForwardWinograd(g, N, OC, x, 0, xs, w, 0, bias, 0, y, 0, ys);
  dev.convForwardWinograd(g, N, OC, x, 0, xs, w, 0, bias, 0, ye, 0, ys, { scale, shift, residual: res, strideResidualN: ys, relu: true });
  dev.convBackwardDataWinograd(g, N, OC, w, 0, dy, 0, ys, dx, 0, xs);
  const out = [y, ye, dx].map((b) => new Uint32Array((dev.readSync(b) as Float32Array).slice().buffer));
  for (const b of [x, w, bias, y, dy, dx, scale, shift, res, ye]) dev.free(b);
  return out;
}

describe("the wasm device's Winograd hints", () => {
  it("take Winograd from 16 channels and from 49 output pixels, on one thread and with workers", async () => {
    const one = await WasmDevice.create({ threads: 1, register: false });
    const two = await WasmDevice.create({ threads: 2, register: false });
    expect([one.hints.winogradMinChannels, one.hints.winogradMinPixels]).toEqual([16, 49]);
    expect([two.hints.winogradMinChannels, two.hints.winogradMinPixels]).toEqual([16, 49]);
    expect(two.hints.batchConvPasses).toEqual(one.hints.batchConvPasses);
    one.dispose();
    two.dispose();
  });
});

for (const simd of ["plain", "relaxed"] as const) {
  describe(`Winograd on wasm (${simd} SIMD): results do not depend on the thread count`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, winogradTile: 2, blocking: { minFlopsPerThread: 0 }, register: false }));
      // Without the output-channel panels (shared U: chunks or blocks), and with 3 panels a task.
      devices.push(await WasmDevice.create({ threads: 2, simd, winogradTile: 2, blocking: { minFlopsPerThread: 0, winogradPanelTiles: 0 }, register: false }));
      devices.push(await WasmDevice.create({ threads: 2, simd, winogradTile: 2, blocking: { minFlopsPerThread: 0, winogradPanelsPerTask: 3 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));
    const layers: [string, Conv2dGeometry, number, number][] = [
      ["16→24 channels, 3 images of 21×18, padding 1", geo(16, 21, 18, 1), 3, 24],
      ["40→8 channels, 2 images of 60×60, padding 0 (6 blocks of tile rows)", geo(40, 60, 60, 0), 2, 8],
      ["40→8 channels, 1 image of 60×60, padding 0 (3 blocks: blocks on 1 thread, chunks on 2 and 3)", geo(40, 60, 60, 0), 1, 8],
      ["48→40 channels, 1 image of 56×56, padding 1 (5 blocks on 1 and 2 threads; on 3, 3 chunks, input rows in pairs)", geo(48, 56, 56, 1), 1, 40],
      ["300→13 channels, 1 image of 10×4, padding 1 (two K blocks, 20 tiles: a half panel; output-channel panels)", geo(300, 10, 4, 1), 1, 13],
      ["24→22 channels, 1 image of 7×7, padding 1 (output-channel panels: 16 tiles, the last of 6 panels partial)", geo(24, 7, 7, 1), 1, 22],
      ["20→37 channels, 2 images of 9×6, padding 0 (output-channel panels over 2 images, 32 tiles)", geo(20, 9, 6, 0), 2, 37],
    ];
    for (const [label, g, N, OC] of layers) {
      it(`${label}: the same bits for 1, 2 and 3 threads, and without output-channel panels`, () => {
        const [one, two, three, chunks, panels3] = devices.map((d) => bits(d, g, N, OC));
        expect(two).toEqual(one);
        expect(three).toEqual(one);
        expect(chunks).toEqual(one);
        expect(panels3).toEqual(one);
      });
    }
    it("leaves no buffer behind", () => {
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}
