import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice, type Conv2dGeometry, type Device } from "./index.js";
import { winogradFilterCases } from "./testing.js";

describe("Winograd backward-filter battery on the js device", () => {
  for (const c of winogradFilterCases()) it(c.name, () => c.run(jsDevice));
});

describe("Winograd backward-filter battery on the float64 js device", () => {
  const d64 = new JsDevice({ precision: "float64" });
  for (const c of winogradFilterCases().filter((_, i) => i % 3 === 0)) it(c.name, () => c.run(d64));
});

describe("the js device's Winograd backward-filter is the adjoint of its forward", () => {
  it("matches float64 direct sums to 1e-12 on ragged tiles and padding 2", async () => {
    const d = new JsDevice({ precision: "float64" });
    const g: Conv2dGeometry = { C: 3, H: 7, W: 6, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 2, padLeft: 0, padBottom: 1, padRight: 2,
      dilationH: 1, dilationW: 1, OH: 8, OW: 6 };
    const N = 2, OC = 4, P = g.OH * g.OW;
    const xs = Array.from({ length: N * g.C * g.H * g.W }, (_, i) => Math.sin(i * 1.7) + 0.25);
    const dys = Array.from({ length: N * OC * P }, (_, i) => Math.cos(i * 0.9));
    const x = d.alloc(xs.length), dy = d.alloc(dys.length), dw = d.alloc(OC * g.C * 9);
    d.write(x, xs);
    d.write(dy, dys);
    d.convBackwardFilterWinograd(g, N, OC, x, 0, g.C * g.H * g.W, dy, 0, OC * P, dw, 0);
    const got = await d.read(dw);
    for (let o = 0; o < OC; o++) for (let c = 0; c < g.C; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      let s = 0;
      for (let n = 0; n < N; n++) for (let i = 0; i < g.OH; i++) for (let j = 0; j < g.OW; j++) {
        const ih = i + kh - g.padTop, iw = j + kw - g.padLeft;
        if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
        s += dys[((n * OC + o) * g.OH + i) * g.OW + j] * xs[((n * g.C + c) * g.H + ih) * g.W + iw];
      }
      expect(Math.abs(got[((o * g.C + c) * 3 + kh) * 3 + kw] - s)).toBeLessThan(1e-12 * Math.max(1, Math.abs(s)));
    }
  });
});

describe("the Winograd backward-filter battery can fail", () => {
  /** The js device with one dw element of every call off by `rel` of its magnitude. */
  function perturbed(rel: number): Device {
    const d = new JsDevice();
    const real = d.convBackwardFilterWinograd.bind(d);
    d.convBackwardFilterWinograd = (g, N, OC, x, ox, sxn, dy, oy, syn, dw, ow) => {
      real(g, N, OC, x, ox, sxn, dy, oy, syn, dw, ow);
      const v = d.readSync(dw, ow + 1, 1)[0];
      d.write(dw, [v + rel * Math.max(1, Math.abs(v))], ow + 1);
    };
    return d;
  }
  const cases = winogradFilterCases().filter((c) => c.name.includes("C=3 OC=5"));

  it("passes without the perturbation and fails with one of 1e-4", async () => {
    expect(cases.length).toBe(2);
    for (const c of cases) await c.run(perturbed(0));
    await expect(cases[0].run(perturbed(1e-4))).rejects.toThrow(/element \d+ is/);
  });

  it("fails a device whose routine ignores the left padding", async () => {
    const d = new JsDevice();
    const real = d.convBackwardFilterWinograd.bind(d);
    d.convBackwardFilterWinograd = (g, ...rest) => real({ ...g, padLeft: 0, padRight: g.padLeft + g.padRight }, ...rest);
    await expect(cases[0].run(d)).rejects.toThrow(/element \d+ is/);
  });
});
