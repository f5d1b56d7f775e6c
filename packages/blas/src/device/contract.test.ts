import { describe, expect, it } from "vitest";
import type { DeviceBuffer } from "./buffer.js";
import { DeviceContract } from "./contract.js";
import type { Conv2dGeometry } from "./geometry.js";
import { JsDevice } from "./js/js-device.js";
import { JsBuffer, ownJsBuffer } from "./js/js-buffer.js";

// The fused convolution routines are optional (the js reference has none), so the error battery
// cannot compare them across devices: their checks are tested here, on the contract itself.

const dev = new JsDevice();
const contract = new DeviceContract<JsBuffer>(ownJsBuffer);
// 2 images of 2×4×4, 3×3 kernel, stride 1: OH = OW = 2, K = 18, OC = 3.
const g: Conv2dGeometry = { C: 2, H: 4, W: 4, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 2, OW: 2 };
const buf = (n: number, dtype: "float32" | "int32" = "float32"): DeviceBuffer => dev.alloc(n, dtype);

describe("DeviceContract: fused convolution checks", () => {
  it("convForward accepts a valid call and returns the buffers in argument order", () => {
    const [x, w, b, y] = [buf(64), buf(54), buf(3), buf(24)];
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, b, 0, y, 0, 12)).toEqual([x, w, b, y, null]);
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12)[2]).toBeNull();
  });

  it("convForward names the argument at fault", () => {
    const [x, w, b, y] = [buf(64), buf(54), buf(3), buf(24)];
    expect(() => contract.convForward({ ...g, OW: 3 }, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12)).toThrow("convForward: geometry output 2×3 does not match");
    expect(() => contract.convForward(g, 2, -3, x, 0, 32, w, 0, null, 0, y, 0, 12)).toThrow("convForward: OC must be a non-negative integer, got -3");
    expect(() => contract.convForward(g, 2, 3, x, 1, 32, w, 0, null, 0, y, 0, 12)).toThrow("convForward: x addresses elements [1, 64] (shape [2,32], strides [32,1], offset 1) but its buffer has 64 elements");
    expect(() => contract.convForward(g, 2, 3, x, 0, 32, w, 1, null, 0, y, 0, 12)).toThrow("convForward: w addresses elements [1, 54]");
    expect(() => contract.convForward(g, 2, 3, x, 0, 32, w, 0, b, 1, y, 0, 12)).toThrow("convForward: bias addresses elements [1, 3]");
    expect(() => contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 13)).toThrow("convForward: y addresses elements [0, 24]");
    expect(() => contract.convForward(g, 2, 3, x, 0, 32, buf(54, "int32"), 0, null, 0, y, 0, 12)).toThrow("convForward: w must be a float32 buffer, got int32");
  });

  it("convForward checks the epilogue and resolves its defaults", () => {
    const [x, w, y, s, t, r] = [buf(64), buf(54), buf(24), buf(4), buf(3), buf(26)];
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12, { scale: s, offsetScale: 1, shift: t, residual: r, offsetResidual: 2, strideResidualN: 12, relu: true })[4])
      .toEqual({ scale: s, offsetScale: 1, shift: t, offsetShift: 0, residual: r, offsetResidual: 2, strideResidualN: 12, relu: true });
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12, {})[4])
      .toEqual({ scale: null, offsetScale: 0, shift: null, offsetShift: 0, residual: null, offsetResidual: 0, strideResidualN: 0, relu: false });
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12, null)[4]).toBeNull();
  });

  it("convForward rejects a bad epilogue, naming the part", () => {
    const [x, w, y, s, r] = [buf(64), buf(54), buf(24), buf(3), buf(24)];
    const call = (e: unknown) => () => contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, y, 0, 12, e as never);
    expect(call({ bias: s })).toThrow("convForward: epilogue has an unknown key 'bias'");
    expect(call(5)).toThrow("convForward: epilogue must be an object");
    expect(call({ scale: s, offsetScale: 1 })).toThrow("convForward: epilogue.scale addresses elements [1, 3]");
    expect(call({ shift: buf(3, "int32") })).toThrow("convForward: epilogue.shift must be a float32 buffer, got int32");
    expect(call({ offsetShift: 0 })).toThrow("convForward: epilogue.offsetShift needs an epilogue.shift");
    expect(call({ residual: r })).toThrow("convForward: epilogue.strideResidualN is required with a residual");
    expect(call({ residual: r, strideResidualN: 13 })).toThrow("convForward: epilogue.residual addresses elements [0, 24]");
    expect(call({ strideResidualN: 12 })).toThrow("convForward: epilogue.strideResidualN and epilogue.offsetResidual need an epilogue.residual");
    expect(call({ residual: y, strideResidualN: 12 })).toThrow("convForward: epilogue.residual must not overlap y");
    expect(call({ relu: 1 })).toThrow("convForward: epilogue.relu must be a boolean, got number");
    // A scale inside y's buffer but past y's images is fine; one inside them is not.
    const big = buf(27);
    expect(contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, big, 0, 12, { scale: big, offsetScale: 24 })[4]?.scale).toBe(big);
    expect(() => contract.convForward(g, 2, 3, x, 0, 32, w, 0, null, 0, big, 0, 12, { scale: big, offsetScale: 22 })).toThrow("convForward: epilogue.scale must not overlap y");
  });

  it("convBackwardData checks w, dy and dx", () => {
    const [w, dy, dx] = [buf(54), buf(24), buf(64)];
    expect(contract.convBackwardData(g, 2, 3, w, 0, dy, 0, 12, dx, 0, 32)).toEqual([w, dy, dx]);
    expect(() => contract.convBackwardData(g, 2, 3, w, 0, dy, 1, 12, dx, 0, 32)).toThrow("convBackwardData: dy addresses elements [1, 24]");
    expect(() => contract.convBackwardData(g, 2, 3, w, 0, dy, 0, 12, dx, 0, 33)).toThrow("convBackwardData: dx addresses elements [0, 64]");
    expect(() => contract.convBackwardData(g, 1.5, 3, w, 0, dy, 0, 12, dx, 0, 32)).toThrow("convBackwardData: N must be a non-negative integer, got 1.5");
  });

  it("convBackwardFilter checks x, dy and dw", () => {
    const [x, dy, dw] = [buf(64), buf(24), buf(54)];
    expect(contract.convBackwardFilter(g, 2, 3, x, 0, 32, dy, 0, 12, dw, 0)).toEqual([x, dy, dw]);
    expect(() => contract.convBackwardFilter(g, 2, 3, x, 0, 32, dy, 0, 12, dw, 1)).toThrow("convBackwardFilter: dw addresses elements [1, 54]");
    const freed = buf(24);
    dev.free(freed);
    expect(() => contract.convBackwardFilter(g, 2, 3, x, 0, 32, freed, 0, 12, dw, 0)).toThrow("convBackwardFilter: dy was freed");
  });
});
