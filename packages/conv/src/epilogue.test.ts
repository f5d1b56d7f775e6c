import { JsDevice, type Device, type DeviceBuffer } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { WasmDevice } from "@tessera/blas-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvWorkspace, conv2dForward, conv2dGeometry, type Conv2dEpilogue, type Conv2dOptions } from "./index.js";

const f = Math.fround;

interface Case { label: string; x: [number, number, number, number]; w: [number, number, number, number]; o: Conv2dOptions }

const CASES: Case[] = [
  { label: "3 images, OC 11, pad 1", x: [3, 4, 9, 8], w: [11, 4, 3, 3], o: { padding: 1 } },
  { label: "2 groups, stride 2, OC 6", x: [2, 4, 7, 7], w: [6, 2, 3, 3], o: { groups: 2, stride: 2, padding: 1 } },
  { label: "1×1 stride 1 (direct sgemm when lowered)", x: [2, 5, 4, 3], w: [9, 5, 1, 1], o: {} },
  { label: "several images per GEMM", x: [4, 3, 6, 6], w: [5, 3, 3, 3], o: { imagesPerGemm: 3 } },
];

/** y after conv2dForward with the epilogue, and the plain y with the epilogue applied on the host in float32 steps. */
function run(device: Device, c: Case, algorithm: "auto" | "im2col", parts: readonly string[]): { got: Float32Array; want: Float32Array } {
  const g = conv2dGeometry(c.x, c.w, { ...c.o, algorithm });
  const [N, OC] = [g.N, g.OC], P = g.OH * g.OW;
  const X = N * c.x[1] * c.x[2] * c.x[3], Wn = c.w.reduce((a, b) => a * b), Y = N * OC * P;
  const bufs: DeviceBuffer[] = [];
  const up = (data: Float32Array) => {
    const b = device.alloc(data.length);
    device.write(b, data);
    bufs.push(b);
    return b;
  };
  const [sh, tt, rr] = [testData(OC + 2, 4), testData(OC + 1, 5), testData(Y + 3, 6)];
  const x = up(testData(X, 1)), w = up(testData(Wn, 2)), bias = up(testData(OC, 3)), s = up(sh), t = up(tt), r = up(rr);
  const y = up(new Float32Array(Y)), plain = up(new Float32Array(Y));
  const ws = new ConvWorkspace(device);
  const e: Conv2dEpilogue = {
    ...(parts.includes("scale") ? { scale: s, offsetScale: 2 } : {}),
    ...(parts.includes("shift") ? { shift: t, offsetShift: 1 } : {}),
    ...(parts.includes("residual") ? { residual: r, offsetResidual: 3 } : {}),
    relu: parts.includes("relu"),
  };
  conv2dForward(device, g, x, 0, w, 0, bias, 0, y, 0, ws, e);
  conv2dForward(device, g, x, 0, w, 0, bias, 0, plain, 0, ws);
  const got = Float32Array.from(device.readSync!(y));
  const want = Float32Array.from(device.readSync!(plain), (v, i) => {
    const oc = Math.floor(i / P) % OC;
    if (parts.includes("scale")) v = f(v * sh[2 + oc]);
    if (parts.includes("shift")) v = f(v + tt[1 + oc]);
    if (parts.includes("residual")) v = f(v + rr[3 + i]);
    if (parts.includes("relu")) v = v > 0 || Number.isNaN(v) ? v : 0;
    return v;
  });
  ws.dispose();
  bufs.forEach((b) => device.free(b));
  return { got, want };
}

const PARTS = [["relu"], ["residual", "relu"], ["scale", "shift"], ["scale", "shift", "residual", "relu"]];

describe("conv2dForward's epilogue: scale, shift, residual, ReLU after the bias", () => {
  const devices: [string, Device, "auto" | "im2col"][] = [];
  beforeAll(async () => {
    const wasm = await WasmDevice.create({ threads: 2, blocking: { minFlopsPerThread: 0 }, register: false });
    devices.push(["js", new JsDevice(), "auto"], ["wasm (fused)", wasm, "auto"], ["wasm (lowered)", wasm, "im2col"]);
  });
  afterAll(() => (devices[1][1] as WasmDevice).dispose());

  for (const c of CASES) {
    it(`${c.label}: the bits of the plain convolution followed by each part in float32, on every path`, () => {
      for (const [name, device, algorithm] of devices) {
        for (const parts of PARTS) {
          const { got, want } = run(device, c, algorithm, parts);
          const bad = got.findIndex((v, i) => !Object.is(v, want[i]));
          expect(`${name} ${parts.join("+")}: ${bad}`).toBe(`${name} ${parts.join("+")}: -1`);
        }
      }
    });
  }

  it("rejects a bad epilogue before computing anything, naming the part", () => {
    const d = new JsDevice();
    const g = conv2dGeometry([1, 1, 3, 3], [2, 1, 1, 1]);
    const [x, w, y, s] = [d.alloc(9), d.alloc(2), d.alloc(18), d.alloc(1)];
    const ws = new ConvWorkspace(d);
    const call = (e: unknown) => () => conv2dForward(d, g, x, 0, w, 0, null, 0, y, 0, ws, e as Conv2dEpilogue);
    expect(call({ bias: s })).toThrow("conv2dForward: epilogue has an unknown key 'bias'");
    expect(call({ scale: s })).toThrow("conv2dForward: epilogue.scale needs 2 elements from offset 0 but its buffer has 1");
    expect(call({ offsetShift: 0 })).toThrow("conv2dForward: epilogue.offsetShift needs an epilogue.shift");
    expect(call({ residual: y, offsetResidual: 0 })).toThrow("conv2dForward: epilogue.residual must not overlap y");
    expect(call({ relu: "yes" })).toThrow("conv2dForward: epilogue.relu must be a boolean, got string");
    expect(call({ residual: new WasmDeviceBufferStandIn() })).toThrow("conv2dForward: epilogue.residual belongs to device 'other', expected 'js'");
    ws.dispose();
  });
});

/** A buffer of another device (only its device name is read before the error). */
class WasmDeviceBufferStandIn {
  readonly device = "other";
  readonly dtype = "float32";
  readonly length = 18;
}
