import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice } from "@tessera/blas";
import { ConvWorkspace, convTranspose2dBackwardData, convTranspose2dForward, convTranspose2dGeometry } from "./index.js";
import { convTranspose2dCases, convTransposeCase } from "./testing.js";

describe("convTranspose2dGeometry", () => {
  it("output size (H − 1)·s − p_before − p_after + d·(k − 1) + op + 1 per dimension, weight [C, OC/groups, KH, KW]", () => {
    const g = convTranspose2dGeometry([2, 6, 5, 4], [6, 2, 3, 2], { stride: [2, 3], padding: [1, 0, 2, 1], dilation: [1, 2], outputPadding: [1, 2], groups: 3 });
    expect(g.outputShape).toEqual([2, 6, (5 - 1) * 2 - 1 - 0 + 1 * 2 + 1 + 1, (4 - 1) * 3 - 2 - 1 + 2 * 1 + 2 + 1]);
    expect(g.weightShape).toEqual([6, 2, 3, 2]);
    // the adjoint convolution maps the reached output back onto the input
    expect(g.conv?.outputShape).toEqual([2, 6, 5, 4]);
    expect(g.reach).toEqual([g.OH - 1, g.OW - 1]); // output padding 1 > padding 0 (bottom), 2 > 1 (right)
  });

  it("rejects what PyTorch rejects, naming the function, the argument and the values", () => {
    const t = (o: object, w = [2, 3, 3, 3], x = [1, 2, 4, 4]) => () => convTranspose2dGeometry(x, w, o);
    expect(t({ stride: 2, outputPadding: 2 })).toThrow("convTranspose2d: outputPadding [2,2] must be smaller than the stride [2,2] or the dilation [1,1] in each dimension");
    expect(t({ outputPadding: [0, 1] })).toThrow(/outputPadding \[0,1\] must be smaller than the stride \[1,1\] or the dilation \[1,1\]/);
    expect(() => convTranspose2dGeometry([1, 2, 4, 4], [2, 3, 3, 3], { dilation: 2, outputPadding: 1 })).not.toThrow();
    expect(t({ padding: -1 })).toThrow(/convTranspose2d: padding must be a non-negative integer, \[h, w\] or \[top, bottom, left, right\].*got -1/);
    expect(t({ padding: "same" })).toThrow(/convTranspose2d: padding must be .*got "same"/);
    expect(t({ outputPadding: -1 })).toThrow(/convTranspose2d: outputPadding must be a non-negative integer/);
    expect(t({ stride: 0 })).toThrow(/convTranspose2d: stride must be a positive integer/);
    expect(t({}, [3, 3, 3, 3])).toThrow("convTranspose2d: weight shape [3,3,3,3] does not match input shape [1,2,4,4]: expected weight.shape[0] = C = 2, got 3");
    expect(t({ groups: 4 }, [2, 1, 3, 3])).toThrow(/input channels C = 2 .* not divisible by groups = 4/);
    expect(t({ padding: 4 }, [2, 3, 3, 3], [1, 2, 2, 2])).toThrow(/convTranspose2d: output size -4×-4 is not positive/);
    expect(t({ algorithm: "fft" })).toThrow(/convTranspose2d: algorithm must be 'auto' or 'im2col', got "fft"/);
    expect(t({ imagesPerGemm: 0 })).toThrow(/convTranspose2d: imagesPerGemm must be a positive integer, got 0/);
    expect(t({ output_padding: 1 })).toThrow("convTranspose2d: unknown option 'output_padding' in options (known: stride, padding, outputPadding, dilation, groups, imagesPerGemm, algorithm)");
  });

  it("device functions check their buffers", () => {
    const g = convTranspose2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], { stride: 2 });
    const ws = new ConvWorkspace(jsDevice);
    const small = jsDevice.alloc(3);
    const b = jsDevice.alloc(16);
    expect(() => convTranspose2dForward(jsDevice, g, small, 0, b, 0, null, 0, b, 0, ws)).toThrow("convTranspose2dForward: x needs 4 elements from offset 0 but its buffer has 3");
    expect(() => convTranspose2dBackwardData(jsDevice, g, b, 0, small, 0, b, 0, ws)).toThrow("convTranspose2dBackwardData: dy needs 16 elements from offset 0 but its buffer has 3");
    expect(() => convTranspose2dForward(new JsDevice(), g, b, 0, b, 0, null, 0, b, 0, ws)).toThrow(/convTranspose2dForward: workspace was made for another device instance/);
  });
});

describe("convTranspose2d battery on the js device", () => {
  for (const c of convTranspose2dCases()) it(c.name, () => c.run(jsDevice));
});

// The battery must catch wrong implementations, not only pass right ones.
describe("the convTranspose2d battery can fail", () => {
  const cropped = convTransposeCase({ input: [1, 2, 3, 2], OC: 3, kernel: [2, 2], options: { stride: 3, outputPadding: 2 }, bias: true, seed: 204 });
  const overlap = convTransposeCase({ input: [2, 2, 3, 3], OC: 2, kernel: [3, 3], options: { stride: 2, padding: 1, outputPadding: 1 }, bias: false, seed: 9 });

  it("detects a forward that does not clear y before accumulating into it", async () => {
    const d = new JsDevice();
    d.fill = () => undefined;
    await expect(overlap.run(d)).rejects.toThrow(/forward/);
  });

  it("detects a backward-data pass that overwrites dx instead of accumulating", async () => {
    const d = new JsDevice();
    const orig = d.saxpy.bind(d);
    d.saxpy = (n, alpha, x, incx, ox, y, incy, oy) => {
      d.write(y, new Float32Array(n), oy);
      orig(n, alpha, x, incx, ox, y, incy, oy);
    };
    await expect(overlap.run(d)).rejects.toThrow(/backward data/);
  });

  it("detects output padding placed at the top instead of the bottom", async () => {
    const d = new JsDevice();
    const orig = d.unary.bind(d);
    d.unary = (op, shape, x, y) => orig(op, shape, x, { ...y, offset: y.offset + (shape.length === 3 && y.strides[1] !== shape[2] ? y.strides[1] : 0) });
    await expect(cropped.run(d)).rejects.toThrow(/forward/);
  });
});
