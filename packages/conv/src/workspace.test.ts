import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice } from "@tessera/blas";
import {
  ConvWorkspace, conv2dBackwardBias, conv2dBackwardData, conv2dBackwardFilter, conv2dForward, conv2dGeometry, defaultImagesPerGemm,
  maxPool2dForward, pool2dGeometry,
} from "./index.js";

describe("ConvWorkspace", () => {
  it("a training step allocates nothing after the first one", () => {
    const d = new JsDevice();
    const g = conv2dGeometry([4, 3, 9, 9], [8, 3, 3, 3], { padding: 1, stride: 2 });
    const [x, w, b, y, dx, dw, db] = [4 * 3 * 81, 8 * 27, 8, 4 * 8 * 25, 4 * 3 * 81, 8 * 27, 8].map((n) => d.alloc(n));
    const ws = new ConvWorkspace(d);
    const step = () => {
      conv2dForward(d, g, x, 0, w, 0, b, 0, y, 0, ws);
      conv2dBackwardData(d, g, w, 0, y, 0, dx, 0, ws);
      conv2dBackwardFilter(d, g, x, 0, y, 0, dw, 0, ws);
      conv2dBackwardBias(d, g, y, 0, db, 0, ws);
    };
    step();
    const allocations = ws.allocations();
    const bytes = d.bytesInUse();
    step();
    step();
    expect(ws.allocations()).toBe(allocations);
    expect(d.bytesInUse()).toBe(bytes);
    const held = ws.bytes();
    expect(held).toBe(4 * (27 * 25 + 8)); // the column matrix of one image and the bias sums
    ws.dispose();
    expect(d.bytesInUse()).toBe(bytes - held);
    expect(() => ws.get("col", 1)).toThrow("ConvWorkspace.get: the workspace was disposed (slot 'col')");
  });

  it("a 1×1 stride-1 convolution needs no column buffer", () => {
    const g = conv2dGeometry([2, 4, 5, 5], [3, 4, 1, 1]);
    const ws = new ConvWorkspace(jsDevice);
    const [x, w, y] = [200, 12, 150].map((n) => jsDevice.alloc(n));
    conv2dForward(jsDevice, g, x, 0, w, 0, null, 0, y, 0, ws);
    expect(ws.allocations()).toBe(0);
    for (const buf of [x, w, y]) jsDevice.free(buf);
  });

  it("grows a slot and frees the smaller buffer", () => {
    const d = new JsDevice();
    const ws = new ConvWorkspace(d);
    ws.get("col", 10);
    ws.get("col", 5);
    ws.get("col", 20);
    expect(ws.allocations()).toBe(2);
    expect(d.bytesInUse()).toBe(80);
    ws.dispose();
    expect(d.bytesInUse()).toBe(0);
  });
});

describe("device-level argument errors", () => {
  const g = conv2dGeometry([2, 3, 5, 5], [4, 3, 3, 3]);
  const ws = new ConvWorkspace(jsDevice);
  const ok = { x: jsDevice.alloc(150), w: jsDevice.alloc(108), y: jsDevice.alloc(72) };

  it("name the buffer and the sizes", () => {
    expect(() => conv2dForward(jsDevice, g, jsDevice.alloc(100), 0, ok.w, 0, null, 0, ok.y, 0, ws))
      .toThrow("conv2dForward: x needs 150 elements from offset 0 but its buffer has 100");
    expect(() => conv2dForward(jsDevice, g, ok.x, 1, ok.w, 0, null, 0, ok.y, 0, ws))
      .toThrow("conv2dForward: x needs 150 elements from offset 1 but its buffer has 150");
    expect(() => conv2dBackwardBias(jsDevice, g, ok.y, 0, jsDevice.alloc(3), 0, ws)).toThrow("conv2dBackwardBias: db needs 4 elements from offset 0 but its buffer has 3");
    expect(() => maxPool2dForward(jsDevice, pool2dGeometry([1, 1, 4, 4], { kernelSize: 2 }), jsDevice.alloc(16), 0, jsDevice.alloc(4), 0, jsDevice.alloc(4), 0))
      .toThrow("maxPool2dForward: argmax must be a int32 buffer, got float32");
  });

  it("reject a workspace of another device", () => {
    const other = new ConvWorkspace(new JsDevice({ reference: true }));
    expect(() => conv2dForward(jsDevice, g, ok.x, 0, ok.w, 0, null, 0, ok.y, 0, other)).toThrow("conv2dForward: workspace was made for another device instance (named 'js') than the one this call runs on ('js')");
  });

  it("the default batching policy follows the device's hints, not its name", () => {
    const lenetConv2 = conv2dGeometry([64, 6, 14, 14], [16, 6, 5, 5]);
    expect(defaultImagesPerGemm(jsDevice, lenetConv2)).toBe(1);
    const named = { ...jsDevice, name: "webgpu", hints: {} } as unknown as typeof jsDevice;
    expect(defaultImagesPerGemm(named, lenetConv2)).toBe(1); // a name alone changes nothing
    const gpu = { ...jsDevice, name: "my-gpu", hints: { batchConvPasses: ["forward"] } } as unknown as typeof jsDevice;
    expect(defaultImagesPerGemm(gpu, lenetConv2)).toBe(64);
    expect(defaultImagesPerGemm(gpu, lenetConv2, "backwardData")).toBe(1);
    expect(defaultImagesPerGemm(gpu, conv2dGeometry([8, 64, 224, 224], [64, 64, 3, 3], { padding: 1 }))).toBe(1); // column budget
    const cpu = { ...jsDevice, name: "my-cpu", hints: { batchConvPasses: ["forward"], batchBelowMacs: 1 << 20 } } as unknown as typeof jsDevice;
    expect(defaultImagesPerGemm(cpu, lenetConv2)).toBe(64); // 16·100·150 = 240,000 multiply-adds per image
    expect(defaultImagesPerGemm(cpu, conv2dGeometry([4, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }))).toBe(1);
  });
});
