import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsDevice, type Conv2dGeometry, type ConvEpilogue, type Device, type DeviceBuffer, type DeviceHints } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { WasmDevice } from "@tessera/blas-wasm";
import { ConvWorkspace, conv2dBackwardData, conv2dForward, conv2dGeometry, type Conv2dEpilogue, type Conv2dOptions } from "./index.js";

/** The js device with given hints, counting its Winograd calls. */
class CountingDevice extends JsDevice {
  winograd = { forward: 0, backwardData: 0 };
  constructor(hints: DeviceHints) {
    super();
    (this as { hints: DeviceHints }).hints = hints;
  }
  override convForwardWinograd(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): void {
    this.winograd.forward++;
    super.convForwardWinograd(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue);
  }
  override convBackwardDataWinograd(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number): void {
    this.winograd.backwardData++;
    super.convBackwardDataWinograd(g, N, OC, w, ow, dy, oy, syn, dx, ox, sxn);
  }
}

/** Forward (with bias) and backward-data of one convolution; returns y and dx. */
function passes(d: Device, xShape: number[], wShape: number[], o: Conv2dOptions): { y: Float32Array; dx: Float32Array } {
  const g = conv2dGeometry(xShape, wShape, o);
  const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const up = (len: number, seed: number) => {
    const b = d.alloc(len);
    d.write(b, testData(len, seed));
    return b;
  };
  const x = up(n(xShape), 1), w = up(n(wShape), 2), b = up(g.OC, 3), y = d.alloc(n(g.outputShape)), dy = up(n(g.outputShape), 4), dx = up(n(xShape), 5);
  const ws = new ConvWorkspace(d);
  conv2dForward(d, g, x, 0, w, 0, b, 0, y, 0, ws);
  conv2dBackwardData(d, g, w, 0, dy, 0, dx, 0, ws);
  const out = { y: d.readSync!(y) as Float32Array, dx: d.readSync!(dx) as Float32Array };
  for (const buf of [x, w, b, y, dy, dx]) d.free(buf);
  ws.dispose();
  return out;
}

/** Agreement of Winograd with the direct algorithm: float32 rounding only. */
const WINOGRAD_VS_DIRECT_ATOL = 1e-5;

describe("conv2d algorithm 'winograd'", () => {
  it("runs forward and backward-data by the device's Winograd routines, equal to 'direct' up to rounding", () => {
    const d = new CountingDevice({});
    const shapes = [[2, 3, 7, 6], [5, 3, 3, 3]];
    const wino = passes(d, shapes[0], shapes[1], { padding: 1, algorithm: "winograd" });
    expect(d.winograd).toEqual({ forward: 1, backwardData: 1 });
    const direct = passes(d, shapes[0], shapes[1], { padding: 1, algorithm: "direct" });
    expect(d.winograd).toEqual({ forward: 1, backwardData: 1 });
    for (const k of ["y", "dx"] as const) {
      const diff = Math.max(...wino[k].map((v, i) => Math.abs(v - direct[k][i])));
      expect(diff).toBeLessThan(WINOGRAD_VS_DIRECT_ATOL);
    }
  });

  it("is rejected with a clear error where it cannot apply", () => {
    const msg = (o: Conv2dOptions, w = [4, 4, 3, 3]) => () => conv2dGeometry([1, 4, 8, 8], w, { ...o, algorithm: "winograd" });
    const pre = "conv2d: algorithm 'winograd' (F(2×2, 3×3)) does not apply to this convolution: ";
    expect(msg({ stride: 2, padding: 1 })).toThrow(`${pre}stride must be 1, got 2,2`);
    expect(msg({ dilation: 2 })).toThrow(`${pre}dilation must be 1, got 2,2`);
    expect(msg({}, [4, 4, 5, 5])).toThrow(`${pre}the kernel must be 3×3, got 5×5`);
    expect(msg({ groups: 2 }, [4, 2, 3, 3])).toThrow(`${pre}groups must be 1, got 2`);
    expect(msg({ padding: 3 })).toThrow(`${pre}padding must be at most 2 on every side, got 3,3,3,3 (top, bottom, left, right)`);
    expect(() => conv2dGeometry([1, 4, 8, 8], [4, 4, 3, 3], { algorithm: "fast" as "auto" }))
      .toThrow(`conv2d: algorithm must be 'auto', 'direct', 'winograd', 'im2col', got "fast"`);
  });

  it("is an error on a device without the Winograd routines", () => {
    const d = new JsDevice();
    const bare = Object.assign(Object.create(d) as Device, { convForwardWinograd: undefined, convBackwardDataWinograd: undefined });
    expect(() => passes(bare, [1, 2, 4, 4], [2, 2, 3, 3], { algorithm: "winograd" }))
      .toThrow("conv2dForward: algorithm 'winograd' needs Device.convForwardWinograd, which device 'js' does not have (use 'auto' or 'direct')");
  });
});

describe("conv2d algorithm 'auto' and Winograd", () => {
  it("never picks Winograd on a device without the hint (the js device)", () => {
    const d = new CountingDevice({});
    passes(d, [1, 8, 8, 8], [8, 8, 3, 3], { padding: 1 });
    expect(d.winograd).toEqual({ forward: 0, backwardData: 0 });
  });

  it("follows the device's winogradMinChannels and winogradMinPixels", () => {
    const d = new CountingDevice({ winogradMinChannels: 8, winogradMinPixels: 36 });
    passes(d, [1, 8, 6, 6], [8, 8, 3, 3], { padding: 1 });
    expect(d.winograd).toEqual({ forward: 1, backwardData: 1 });
    passes(d, [1, 4, 6, 6], [8, 4, 3, 3], { padding: 1 }); // C below the minimum
    passes(d, [1, 8, 5, 5], [8, 8, 3, 3], { padding: 1 }); // 25 pixels
    passes(d, [1, 8, 8, 8], [8, 8, 3, 3], { padding: 1, stride: 2 });
    passes(d, [1, 8, 8, 8], [8, 8, 3, 3], { padding: 1, algorithm: "direct" });
    passes(d, [1, 8, 8, 8], [8, 8, 3, 3], { padding: 1, algorithm: "im2col" });
    expect(d.winograd).toEqual({ forward: 1, backwardData: 1 });
    // Padding 0 on 8×8: forward writes 6×6 = 36 pixels, backward-data 8×8.
    passes(d, [1, 8, 8, 8], [8, 8, 3, 3], {});
    expect(d.winograd).toEqual({ forward: 2, backwardData: 2 });
  });
});

describe("conv2dForward's epilogue on the Winograd path", () => {
  let wasm: WasmDevice;
  beforeAll(async () => {
    wasm = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => wasm.dispose());

  it("applies scale, shift, residual and ReLU after the Winograd convolution (js and wasm, 'winograd' and wasm 'auto')", () => {
    const cases: [string, Device, "winograd" | "auto", number[]][] = [
      ["js winograd", new JsDevice(), "winograd", [2, 3, 7, 6]],
      ["wasm winograd", wasm, "winograd", [2, 3, 7, 6]],
      ["wasm auto", wasm, "auto", [1, 16, 15, 14]],
    ];
    for (const [label, d, algorithm, xShape] of cases) {
      const wShape = [xShape[1] + 1, xShape[1], 3, 3];
      const g = conv2dGeometry(xShape, wShape, { padding: 1, algorithm });
      const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
      const OC = g.OC, P = g.OH * g.OW, Y = n(g.outputShape);
      const bufs: DeviceBuffer[] = [];
      const up = (data: Float32Array) => {
        const b = d.alloc(data.length);
        d.write(b, data);
        bufs.push(b);
        return b;
      };
      const [sh, tt, rr] = [testData(OC, 14), testData(OC, 15), testData(Y, 16)];
      const x = up(testData(n(xShape), 11)), w = up(testData(n(wShape), 12)), bias = up(testData(OC, 13));
      const e: Conv2dEpilogue = { scale: up(sh), shift: up(tt), residual: up(rr), relu: true };
      const y = up(new Float32Array(Y)), plain = up(new Float32Array(Y));
      const ws = new ConvWorkspace(d);
      conv2dForward(d, g, x, 0, w, 0, bias, 0, y, 0, ws, e);
      conv2dForward(d, g, x, 0, w, 0, bias, 0, plain, 0, ws);
      const f = Math.fround;
      const want = Float32Array.from(d.readSync!(plain), (v, i) => {
        const oc = Math.floor(i / P) % OC;
        v = f(f(f(v * sh[oc]) + tt[oc]) + rr[i]);
        return v > 0 ? v : 0;
      });
      const got = d.readSync!(y);
      const bad = want.findIndex((v, i) => !Object.is(v, got[i]));
      expect(`${label}: first differing element ${bad}`).toBe(`${label}: first differing element -1`);
      ws.dispose();
      bufs.forEach((b) => d.free(b));
    }
  });

  it("hands the epilogue to the device's Winograd call: no elementwise pass over y (wasm, 1 and 2 threads)", async () => {
    const two = await WasmDevice.create({ threads: 2, blocking: { minFlopsPerThread: 0 }, register: false });
    for (const d of [wasm, two]) {
      const xShape = [2, 16, 9, 11], wShape = [8, 16, 3, 3];
      const g = conv2dGeometry(xShape, wShape, { padding: 1, algorithm: "winograd" });
      const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
      const Y = n(g.outputShape);
      const up = (data: Float32Array) => {
        const b = d.alloc(data.length);
        d.write(b, data);
        return b;
      };
      const x = up(testData(n(xShape), 21)), w = up(testData(n(wShape), 22)), s = up(testData(8, 23)), r = up(testData(Y, 24));
      const y = up(new Float32Array(Y));
      const calls: string[] = [];
      const spy = Object.assign(Object.create(d) as Device, {
        binary: (...a: Parameters<Device["binary"]>) => (calls.push(`binary ${a[0]}`), d.binary(...a)),
        unary: (...a: Parameters<Device["unary"]>) => (calls.push(`unary ${a[0]}`), d.unary(...a)),
        convForwardWinograd: (...a: Parameters<NonNullable<Device["convForwardWinograd"]>>) =>
          (calls.push(`convForwardWinograd epilogue ${Object.entries(a[13] ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k]) => k).sort().join(",")}`), d.convForwardWinograd!(...a)),
      });
      const ws = new ConvWorkspace(spy);
      conv2dForward(spy, g, x, 0, w, 0, null, 0, y, 0, ws, { scale: s, residual: r, relu: true });
      expect(calls).toEqual(["convForwardWinograd epilogue offsetResidual,offsetScale,relu,residual,scale,strideResidualN"]);
      ws.dispose();
      for (const b of [x, w, s, r, y]) d.free(b);
    }
    two.dispose();
  });
});
