import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice, winogradIncompatibility, type Conv2dGeometry, type Device } from "./index.js";
import { winogradCases } from "./testing.js";

describe("Winograd battery on the js device", () => {
  for (const c of winogradCases()) it(c.name, () => c.run(jsDevice));
});

describe("Winograd battery on the float64 js device", () => {
  const d64 = new JsDevice({ precision: "float64" });
  for (const c of winogradCases().filter((_, i) => i % 5 === 0)) it(c.name, () => c.run(d64));
});

describe("the Winograd battery can fail", () => {
  /** The js device with one output of every forward call off by `rel` of its magnitude. */
  function perturbed(rel: number): Device {
    const d = new JsDevice();
    const real = d.convForwardWinograd.bind(d);
    d.convForwardWinograd = (g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue) => {
      real(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue);
      const v = d.readSync(y, oy + 1, 1)[0];
      d.write(y, [v + rel * Math.max(1, Math.abs(v))], oy + 1);
    };
    return d;
  }
  const forward = winogradCases().filter((c) => c.name.startsWith("convForwardWinograd") && c.name.includes("C=3 OC=5"));

  it("passes without the perturbation and fails with one of 1e-4", async () => {
    expect(forward.length).toBeGreaterThan(0);
    for (const c of forward) await c.run(perturbed(0));
    await expect(forward[0].run(perturbed(1e-4))).rejects.toThrow(/element \d+ is/);
  });

  it("fails a device whose routine ignores the epilogue", async () => {
    const d = new JsDevice();
    const real = d.convForwardWinograd.bind(d);
    d.convForwardWinograd = (g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn) => real(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn);
    const fused = forward.filter((c) => c.name.includes("epilogue"));
    expect(fused.length).toBeGreaterThan(0);
    for (const c of fused) await expect(c.run(d)).rejects.toThrow(/element \d+ is .*, the plain call and applyConvEpilogue give/);
  });

  it("fails a device whose routine ignores the padding", async () => {
    const d = new JsDevice();
    const real = d.convForwardWinograd.bind(d);
    d.convForwardWinograd = (g, ...rest) => real({ ...g, padLeft: 0, padRight: g.padLeft + g.padRight }, ...rest);
    await expect(forward[0].run(d)).rejects.toThrow(/element \d+ is/);
  });
});

describe("winogradIncompatibility", () => {
  const g: Conv2dGeometry = { C: 4, H: 8, W: 8, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1,
    dilationH: 1, dilationW: 1, OH: 8, OW: 8 };
  it("accepts 3×3 stride 1 dilation 1 padding ≤ 2 and names what else it rejects", () => {
    expect(winogradIncompatibility(g)).toBeNull();
    expect(winogradIncompatibility({ ...g, strideW: 2 })).toBe("stride must be 1, got 1,2");
    expect(winogradIncompatibility({ ...g, KW: 1 })).toBe("the kernel must be 3×3, got 3×1");
    expect(winogradIncompatibility({ ...g, dilationH: 2 })).toBe("dilation must be 1, got 2,1");
    expect(winogradIncompatibility({ ...g, padRight: 3 })).toBe("padding must be at most 2 on every side, got 1,1,1,3 (top, bottom, left, right)");
  });

  it("the js device's message names the routine and the reason", () => {
    const x = jsDevice.alloc(4 * 64), w = jsDevice.alloc(4 * 4 * 9), y = jsDevice.alloc(4 * 16);
    expect(() => jsDevice.convForwardWinograd({ ...g, strideH: 2, strideW: 2, OH: 4, OW: 4 }, 1, 4, x, 0, 256, w, 0, null, 0, y, 0, 64))
      .toThrow("convForwardWinograd: Winograd F(2×2, 3×3) does not apply to this geometry: stride must be 1, got 2,2");
    for (const b of [x, w, y]) jsDevice.free(b);
  });
});
