import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsDevice, type Conv2dGeometry, type Device, type DeviceBuffer, type DeviceHints } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { WasmDevice } from "@tessera/blas-wasm";
import { ConvWorkspace, conv2dBackwardFilter, conv2dGeometry, type Conv2dOptions } from "./index.js";

/** The js device with given hints, counting its Winograd backward-filter calls. */
class CountingDevice extends JsDevice {
  calls = 0;
  constructor(hints: DeviceHints) {
    super();
    (this as { hints: DeviceHints }).hints = hints;
  }
  override convBackwardFilterWinograd(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, dy: DeviceBuffer,
    oy: number, syn: number, dw: DeviceBuffer, ow: number): void {
    this.calls++;
    super.convBackwardFilterWinograd(g, N, OC, x, ox, sxn, dy, oy, syn, dw, ow);
  }
}

/** dw₀ + backward-filter of seeded x and dy (x [N, C, H, W], w [OC, C, KH, KW]). */
function filterGrad(d: Device, xShape: number[], wShape: number[], o: Conv2dOptions): Float32Array {
  const g = conv2dGeometry(xShape, wShape, o);
  const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const up = (len: number, seed: number) => {
    const b = d.alloc(len);
    d.write(b, testData(len, seed));
    return b;
  };
  const x = up(n(xShape), 1), dy = up(n(g.outputShape), 2), dw = up(n(wShape), 3);
  conv2dBackwardFilter(d, g, x, 0, dy, 0, dw, 0, new ConvWorkspace(d));
  const out = (d.readSync!(dw) as Float32Array).slice();
  for (const b of [x, dy, dw]) d.free(b);
  return out;
}

describe("conv2dBackwardFilter and Winograd", () => {
  it("'auto' follows the device's winogradFilterMinChannels; 'direct' and 'im2col' never take Winograd, 'winograd' always", () => {
    const d = new CountingDevice({ winogradFilterMinChannels: 8 });
    const run = (C: number, OC: number, o: Conv2dOptions) => {
      const before = d.calls;
      filterGrad(d, [2, C, 6, 5], [OC, C / (o.groups ?? 1), 3, 3], o);
      return d.calls - before;
    };
    expect(run(8, 9, { padding: 1 })).toBe(1);
    expect(run(7, 9, { padding: 1 })).toBe(0);
    expect(run(8, 9, { padding: 1, stride: 2 })).toBe(0);
    expect(run(8, 8, { padding: 1, groups: 2 })).toBe(0);
    expect(run(8, 9, { padding: 1, algorithm: "direct" })).toBe(0);
    expect(run(8, 9, { padding: 1, algorithm: "im2col" })).toBe(0);
    expect(run(2, 3, { padding: 1, algorithm: "winograd" })).toBe(1);
    expect(run(8, 9, { padding: 1, algorithm: "winograd" })).toBe(1);
    // Without the hint (the plain js device) 'auto' keeps the direct path.
    const plain = new CountingDevice({});
    filterGrad(plain, [2, 8, 6, 5], [9, 8, 3, 3], { padding: 1 });
    expect(plain.calls).toBe(0);
  });

  it("'winograd' on a device without convBackwardFilterWinograd is an error", () => {
    const d = new JsDevice();
    (d as { convBackwardFilterWinograd?: unknown }).convBackwardFilterWinograd = undefined;
    expect(() => filterGrad(d, [1, 2, 5, 5], [2, 2, 3, 3], { padding: 1, algorithm: "winograd" }))
      .toThrow("conv2dBackwardFilter: algorithm 'winograd' needs Device.convBackwardFilterWinograd, which device 'js' does not have (use 'auto' or 'direct')");
  });
});

describe("the float32 wasm Winograd backward-filter against the direct path", () => {
  let dev: WasmDevice;
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => dev.dispose());

  it("matches the direct gradient within the Winograd bound (ResNet-like 3×3 pad 1, ragged 21×19 planes)", () => {
    const N = 2, C = 40, OC = 36, H = 21, W = 19;
    let calls = 0;
    const real = dev.convBackwardFilterWinograd.bind(dev);
    dev.convBackwardFilterWinograd = (...a: Parameters<WasmDevice["convBackwardFilterWinograd"]>) => {
      calls++;
      real(...a);
    };
    const wino = filterGrad(dev, [N, C, H, W], [OC, C, 3, 3], { padding: 1, algorithm: "winograd" });
    const auto = filterGrad(dev, [N, C, H, W], [OC, C, 3, 3], { padding: 1 });
    const direct = filterGrad(dev, [N, C, H, W], [OC, C, 3, 3], { padding: 1, algorithm: "direct" });
    expect(calls).toBe(2); // 'winograd' and 'auto' (40 channels ≥ the one-thread hint of 32)
    expect(Array.from(auto)).toEqual(Array.from(wino));
    expect(Array.from(wino)).not.toEqual(Array.from(direct)); // really another summation
    // Inputs and dy lie in [−1, 1]: every transformed V entry is at most 4, every Y entry at most 4, and
    // |Gᵀ|·…·|G| sums at most 4 positions' worth, so the Winograd magnitude (winogradFilterCases) is at
    // most 64·T; its bound (T + 10)·u·(mag + |dw₀|) plus the direct path's (K + 2)·u·(K + 1), K = N·H·W terms.
    const T = N * Math.ceil(H / 2) * Math.ceil(W / 2), K = N * H * W, u = 2 ** -24;
    const bound = (T + 10) * u * (64 * T + 1) + (K + 2) * u * (K + 1);
    let worst = 0;
    for (let i = 0; i < wino.length; i++) worst = Math.max(worst, Math.abs(wino[i] - direct[i]));
    expect(worst).toBeLessThan(bound);
    expect(worst).toBeGreaterThan(0);
  });
});
