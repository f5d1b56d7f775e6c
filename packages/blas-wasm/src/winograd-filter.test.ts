import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterNormal, jsDevice, outputSize, type Conv2dGeometry } from "@tessera/blas";
import { winogradFilterCases } from "@tessera/blas/testing";
import type { WasmEngine } from "./engine.js";
import { CONFIGS } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";
import { convFilterWinograd } from "./winograd-filter.js";

for (const { label, options } of CONFIGS) {
  describe(`Winograd backward-filter battery, wasm ${label}`, async () => {
    const dev = await WasmDevice.create(options);
    afterAll(() => dev.dispose());
    for (const c of winogradFilterCases()) it(c.name, () => c.run(dev));
  });
}

const engineOf = (dev: WasmDevice) => (dev as unknown as { engine: WasmEngine }).engine;

/** 3×3 stride-1 geometry with padding p on every side. */
function geo(C: number, H: number, W: number, p: number): Conv2dGeometry {
  return { C, H, W, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: p, padBottom: p, padLeft: p, padRight: p, dilationH: 1, dilationW: 1,
    OH: outputSize(H, 3, 1, p, p, 1), OW: outputSize(W, 3, 1, p, p, 1) };
}

/** dw bits after one Winograd backward-filter of seeded data; `chunkTiles` caps the tiles of a chunk. */
function bits(dev: WasmDevice, g: Conv2dGeometry, N: number, OC: number, chunkTiles = Infinity): Uint32Array {
  const xs = g.C * g.H * g.W, ys = OC * g.OH * g.OW;
  const up = (n: number, seed: number) => {
    const b = dev.alloc(n);
    dev.write(b, Float32Array.from({ length: n }, (_, i) => counterNormal(seed, i)));
    return b;
  };
  const x = up(N * xs, 1), dy = up(N * ys, 2), dw = up(OC * g.C * 9, 3);
  if (chunkTiles === Infinity) dev.convBackwardFilterWinograd(g, N, OC, x, 0, xs, dy, 0, ys, dw, 0);
  else {
    const e = engineOf(dev), at = (b: typeof x) => (b as unknown as { address: number }).address;
    convFilterWinograd(e, "test", g, N, OC, { x: at(x), sxn: xs * 4, dy: at(dy), syn: ys * 4, dw: at(dw) }, chunkTiles);
  }
  const out = new Uint32Array((dev.readSync(dw) as Float32Array).slice().buffer);
  for (const b of [x, dy, dw]) dev.free(b);
  return out;
}

describe("the wasm Winograd backward-filter", () => {
  const devices: WasmDevice[] = [];
  beforeAll(async () => {
    devices.push(await WasmDevice.create({ threads: 1, register: false }), await WasmDevice.create({ threads: 2, register: false, blocking: { minFlopsPerThread: 0 } }));
  });
  afterAll(() => devices.forEach((d) => d.dispose()));

  it("hints 'auto' to it from 32 channels with or without workers (results never depend on the thread count)", () => {
    expect(devices.map((d) => d.hints.winogradFilterMinChannels)).toEqual([32, 32]);
  });

  it("gives the same bits on one and two threads (ResNet-18 layer4-like and a ragged 33×29 plane)", () => {
    for (const [g, N, OC] of [[geo(64, 7, 7, 1), 8, 48], [geo(20, 33, 29, 1), 3, 12]] as const) {
      expect(bits(devices[1], g, N, OC)).toEqual(bits(devices[0], g, N, OC));
    }
  });

  it("sums many chunks (K split over tile rows) within the bound of the float64 reference", async () => {
    const g = geo(12, 26, 22, 1), N = 3, OC = 10;
    const got = new Float32Array(bits(devices[0], g, N, OC, 24).buffer);
    const one = new Float32Array(bits(devices[0], g, N, OC).buffer);
    // The js device's float64 Winograd on the same data.
    const xs = g.C * g.H * g.W, ys = OC * g.OH * g.OW;
    const up = (n: number, seed: number) => {
      const b = jsDevice.alloc(n);
      jsDevice.write(b, Float32Array.from({ length: n }, (_, i) => counterNormal(seed, i)));
      return b;
    };
    const x = up(N * xs, 1), dy = up(N * ys, 2), dw = up(OC * g.C * 9, 3);
    jsDevice.convBackwardFilterWinograd(g, N, OC, x, 0, xs, dy, 0, ys, dw, 0);
    const ref = await jsDevice.read(dw);
    // Σ|x·dy| per element is at most 9·N·OH·OW·max|x|·max|dy| ≈ terms of |N(0,1)|²; a loose, data-free bound.
    const T = N * Math.ceil(g.OH / 2) * Math.ceil(g.OW / 2);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]), Math.abs(one[i] - ref[i]));
    expect(worst).toBeLessThan((T + 10) * 2 ** -24 * 16 * N * g.OH * g.OW);
    expect(Array.from(got)).not.toEqual(Array.from(one)); // the chunks really change the summation order
    for (const b of [x, dy, dw]) jsDevice.free(b);
  });
});
