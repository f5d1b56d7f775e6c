import { describe, expect, it } from "vitest";
import { JsDevice, type Conv2dGeometry, type DeviceBuffer, type Pool2dGeometry } from "@tessera/blas";
import { ones } from "@tessera/ndarray";
import { avgPool2d } from "./index.js";
import { convCase, poolCase } from "./testing.js";

// The battery must catch wrong devices, not only pass right ones.
describe("the battery can fail", () => {
  const overlap = convCase({ input: [2, 2, 6, 5], OC: 3, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 5 });
  const asymmetric = convCase({ input: [1, 2, 7, 7], OC: 2, kernel: [3, 2], options: { dilation: 2, stride: [2, 1], padding: [0, 2, 1, 0] }, bias: false, seed: 6 });

  it("detects a col2im that overwrites instead of accumulating", async () => {
    const d = new JsDevice();
    const orig = d.col2im.bind(d);
    d.col2im = (g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number) => {
      d.fill([N * g.C * g.H * g.W], 0, { buffer: x, offset: ox, strides: [1] });
      orig(g, N, col, oc, ld, x, ox, sxn);
    };
    await expect(overlap.run(d)).rejects.toThrow(/backward data/);
  });

  it("detects an im2col that swaps the top and bottom padding", async () => {
    const d = new JsDevice();
    const orig = d.im2col.bind(d);
    d.im2col = (g: Conv2dGeometry, ...rest: [number, DeviceBuffer, number, number, DeviceBuffer, number, number]) =>
      orig({ ...g, padTop: g.padBottom, padBottom: g.padTop }, ...rest);
    await expect(asymmetric.run(d)).rejects.toThrow(/forward/);
  });

  it("detects an sgemm off by 1e-3 in one element", async () => {
    const d = new JsDevice();
    const orig = d.sgemm.bind(d);
    d.sgemm = (...args: Parameters<typeof orig>) => {
      orig(...args);
      const [C, , , oc] = args.slice(15) as [DeviceBuffer, number, number, number];
      d.write(C, [(d.readSync(C, oc, 1)[0] as number) + 1e-3], oc);
    };
    await expect(overlap.run(d)).rejects.toThrow(/forward/);
  });

  it("detects max pooling whose ties go to the last index", async () => {
    const d = new JsDevice();
    const orig = d.maxPool2d.bind(d);
    d.maxPool2d = (g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, a: DeviceBuffer, oa: number) => {
      orig(g, planes, x, ox, y, oy, a, oa);
      const n = planes * g.OH * g.OW;
      const idx = d.readSync(a, oa, n) as Int32Array;
      d.write(a, idx.map((i) => (i >= 0 && i + 1 < g.H * g.W ? i + 1 : i)), oa);
    };
    const ties = poolCase({ kind: "max", input: [1, 1, 4, 4], options: { kernelSize: 2 }, seed: 1, ties: true });
    await expect(ties.run(d)).rejects.toThrow(/argmax/);
  });

  it("detects an average pooling whose ceil-mode divisor is left uncorrected", async () => {
    const d = new JsDevice();
    d.binary = () => undefined; // the correction (a broadcast multiply) never happens
    const ceil = poolCase({ kind: "avg", input: [1, 1, 5, 5], options: { kernelSize: 2, ceilMode: true }, seed: 2 });
    await expect(ceil.run(d)).rejects.toThrow(/forward/);
  });

  it("PyTorch's ceil-mode divisor: avg_pool2d(ones(1,1,5,5), 2, ceil_mode=True) is all ones", () => {
    expect(avgPool2d(ones([1, 1, 5, 5]), { kernelSize: 2, ceilMode: true }).toArray()).toEqual([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]);
    expect(avgPool2d(ones([1, 1, 5, 5]), { kernelSize: 2, ceilMode: true, countIncludePad: false }).toArray()).toEqual([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]);
    expect(avgPool2d(ones([1, 1, 4, 4]), { kernelSize: 3, stride: 2, padding: 1 }).toArray()).toEqual([[[[4 / 9, 6 / 9], [6 / 9, 1]]]].map((a) => a.map((b) => b.map((c) => c.map(Math.fround)))));
  });
});
