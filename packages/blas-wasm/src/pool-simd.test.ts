import { JsDevice, type Device, type Pool2dGeometry } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmDevice } from "./wasm-device.js";

/** K×K stride-2 geometry; `extra` more padding below and right is ceil mode. */
function geometry(H: number, W: number, K: number, pad: number, extra = 0): Pool2dGeometry {
  const out = (n: number) => Math.floor((n + 2 * pad + extra - K) / 2) + 1;
  return {
    H, W, KH: K, KW: K, strideH: 2, strideW: 2, padTop: pad, padLeft: pad, padBottom: pad + extra, padRight: pad + extra, dilationH: 1,
    dilationW: 1, OH: out(H), OW: out(W),
  };
}

/**
 * Values on a coarse grid (many ties), with NaNs, infinities and signed zeros at seeded places:
 * the four-wide windows must pick the same maximum and the same (first) index as the scalar rule.
 */
function input(n: number, seed: number): Float32Array {
  const x = testData(n, seed).map((v) => Math.round(v * 3));
  const r = testData(n, seed + 1);
  const special = [NaN, -Infinity, Infinity, -0, 0, NaN];
  for (let i = 0; i < n; i++) if (r[i] > 0.8) x[i] = special[Math.floor((r[i] - 0.8) * 30) % special.length];
  return x;
}

const GEOMETRIES: [string, Pool2dGeometry][] = [
  ["ResNet stem 3×3/2 pad 1 on 112×112", geometry(112, 112, 3, 1)],
  ["3×3/2 pad 1 on 17×23 (vector groups and a scalar rest)", geometry(17, 23, 3, 1)],
  ["3×3/2 no padding on 27×27 (AlexNet-like)", geometry(27, 27, 3, 0)],
  ["3×3/2 pad 1, ceil mode, on 14×19", geometry(14, 19, 3, 1, 1)],
  ["3×3/2 on 9×9 (one vector group)", geometry(9, 9, 3, 0)],
  ["3×3/2 on 5×3 (no vector group)", geometry(5, 3, 3, 0)],
  ["2×2/2 on 24×32", geometry(24, 32, 2, 0)],
  ["2×2/2 pad 1 on 11×21", geometry(11, 21, 2, 1)],
  ["2×2/2 ceil mode on 13×19", geometry(13, 19, 2, 0, 1)],
];

describe("the SIMD 3×3 and 2×2 stride-2 max pools equal the reference bit for bit", () => {
  let dev: WasmDevice;
  const js = new JsDevice();
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => dev.dispose());

  function run(d: Device, g: Pool2dGeometry, planes: number, x: Float32Array, dy: Float32Array): [Float32Array, Int32Array, Float32Array] {
    const P = planes * g.OH * g.OW;
    const [xb, yb, ab, dyb, dxb] = [d.alloc(x.length), d.alloc(P), d.alloc(P, "int32"), d.alloc(P), d.alloc(x.length)];
    d.write(xb, x);
    d.write(dyb, dy);
    d.maxPool2d(g, planes, xb, 0, yb, 0, ab, 0);
    d.maxPool2dBackward(g, planes, dyb, 0, ab, 0, dxb, 0);
    const read = (b: typeof xb) => (d as JsDevice).readSync(b);
    const out: [Float32Array, Int32Array, Float32Array] = [read(yb) as Float32Array, read(ab) as Int32Array, read(dxb) as Float32Array];
    for (const b of [xb, yb, ab, dyb, dxb]) d.free(b);
    return out;
  }

  GEOMETRIES.forEach(([label, g], i) => {
    it(label, () => {
      const planes = 3;
      const x = input(planes * g.H * g.W, 10 * i + 1);
      const dy = testData(planes * g.OH * g.OW, 10 * i + 5);
      const [y, arg, dx] = run(dev, g, planes, x, dy);
      const [yr, argr, dxr] = run(js, g, planes, x, dy);
      expect(new Uint32Array(y.buffer)).toEqual(new Uint32Array(yr.buffer));
      expect(arg).toEqual(argr);
      expect(new Uint32Array(dx.buffer)).toEqual(new Uint32Array(dxr.buffer));
    });
  });
});
