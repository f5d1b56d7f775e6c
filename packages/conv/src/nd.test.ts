import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice, type Device } from "@tessera/blas";
import { fromArray, NDArray, ones, zeros } from "@tessera/ndarray";
import {
  adaptiveAvgPool2d, adaptiveAvgPool2dGrad, avgPool2d, avgPool2dGrad, conv2d, conv2dBiasGrad, conv2dInputGrad, conv2dWeightGrad, globalAvgPool2d,
  localResponseNorm, localResponseNormGrad, maxPool2d, maxPool2dGrad, maxPool2dWithIndices, type HostDevice,
} from "./index.js";
import {
  assertNear, FD_STEP, FORWARD_RTOL, GRADIENT_RTOL, numericGradient, referenceAdaptiveAvgPool2d, referenceAvgPool2d, referenceConv2d,
  referenceLocalResponseNorm, referenceMaxPool2d, seededData, distinctData,
} from "./testing.js";

const arr = (data: Float32Array, shape: number[]) => new NDArray(data, shape);

describe("NDArray-level functions against the references", () => {
  const xs = [2, 4, 7, 6];
  const x = arr(seededData(2 * 4 * 7 * 6, 1), xs);
  const w = arr(seededData(6 * 2 * 3 * 2, 2), [6, 2, 3, 2]);
  const b = arr(seededData(6, 3), [6]);
  const spec = { kernel: [3, 2], stride: [2, 1], padding: [1, 0, 1, 1], dilation: [1, 2] } as const;
  const options = { stride: [2, 1] as [number, number], padding: [1, 0, 1, 1] as const, dilation: [1, 2] as [number, number], groups: 2, bias: b };

  it("conv2d with bias, groups, stride, asymmetric padding and dilation", () => {
    const ref = referenceConv2d(xs, 6, 2, spec, x.data, w.data, b.data);
    const y = conv2d(x, w, options);
    expect(y.shape).toEqual([2, 6, ref.OH, ref.OW]);
    assertNear("conv2d", y.data, ref.y, FORWARD_RTOL);
  });

  it("accepts any strides and dtypes: a permuted float64 view gives the same result", () => {
    const nhwc = fromArray(x.permute([0, 2, 3, 1]).astype("float64").toArray() as number[][][][], { dtype: "float64" });
    const y = conv2d(nhwc.permute([0, 3, 1, 2]), w, options);
    expect(Array.from(y.data)).toEqual(Array.from(conv2d(x, w, options).data));
  });

  it("the three gradients match central differences", () => {
    const dy = arr(seededData(conv2d(x, w, options).size, 4), conv2d(x, w, options).shape as number[]);
    const fwd = (xv: ArrayLike<number>, wv: ArrayLike<number>, bv: ArrayLike<number>) => referenceConv2d(xs, 6, 2, spec, xv, wv, bv).y;
    const geo = { stride: options.stride, padding: options.padding, dilation: options.dilation, groups: 2 };
    assertNear("dx", conv2dInputGrad(xs, w, dy, geo).data, numericGradient((v) => fwd(v, w.data, b.data), x.data, dy.data, FD_STEP), GRADIENT_RTOL);
    assertNear("dw", conv2dWeightGrad(x, w.shape, dy, geo).data, numericGradient((v) => fwd(x.data, v, b.data), w.data, dy.data, FD_STEP), GRADIENT_RTOL);
    assertNear("db", conv2dBiasGrad(dy).data, numericGradient((v) => fwd(x.data, w.data, v), b.data, dy.data, FD_STEP), GRADIENT_RTOL);
  });

  it("max pooling with indices, and its gradient", () => {
    const xp = arr(distinctData(2 * 3 * 9 * 9, 5), [2, 3, 9, 9]);
    const pspec = { kernel: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1] } as const;
    const ref = referenceMaxPool2d(xp.shape, pspec, true, xp.data);
    const { output, indices } = maxPool2dWithIndices(xp, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true });
    expect(Array.from(output.data)).toEqual(Array.from(ref.y));
    expect(Array.from(indices.data)).toEqual(Array.from(ref.argmax));
    expect(maxPool2d(xp, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }).shape).toEqual(output.shape);
    const dy = arr(seededData(output.size, 6), output.shape as number[]);
    const dx = maxPool2dGrad(dy, indices, xp.shape, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true });
    assertNear("maxPool2dGrad", dx.data, numericGradient((v) => referenceMaxPool2d(xp.shape, pspec, true, v).y, xp.data, dy.data, 2 ** -12), GRADIENT_RTOL);
  });

  it("average pooling both divisor rules, and its gradient", () => {
    const xp = arr(seededData(1 * 2 * 6 * 7, 7), [1, 2, 6, 7]);
    const pspec = { kernel: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1] } as const;
    for (const countIncludePad of [true, false]) {
      const o = { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad };
      const y = avgPool2d(xp, o);
      assertNear(`avgPool2d ${countIncludePad}`, y.data, referenceAvgPool2d(xp.shape, pspec, true, countIncludePad, xp.data).y, FORWARD_RTOL);
      const dy = arr(seededData(y.size, 8), y.shape as number[]);
      const fd = numericGradient((v) => referenceAvgPool2d(xp.shape, pspec, true, countIncludePad, v).y, xp.data, dy.data, FD_STEP);
      assertNear(`avgPool2dGrad ${countIncludePad}`, avgPool2dGrad(dy, xp.shape, o).data, fd, GRADIENT_RTOL);
    }
  });

  it("adaptive and global average pooling, and the adaptive gradient", () => {
    const xp = arr(seededData(2 * 3 * 7 * 5, 9), [2, 3, 7, 5]);
    assertNear("adaptive", adaptiveAvgPool2d(xp, [3, 2]).data, referenceAdaptiveAvgPool2d(xp.shape, 3, 2, xp.data), FORWARD_RTOL);
    assertNear("global", globalAvgPool2d(xp).data, referenceAdaptiveAvgPool2d(xp.shape, 1, 1, xp.data), FORWARD_RTOL);
    expect(globalAvgPool2d(xp).shape).toEqual([2, 3, 1, 1]);
    const dy = arr(seededData(2 * 3 * 3 * 2, 10), [2, 3, 3, 2]);
    const fd = numericGradient((v) => referenceAdaptiveAvgPool2d(xp.shape, 3, 2, v), xp.data, dy.data, FD_STEP);
    assertNear("adaptive grad", adaptiveAvgPool2dGrad(dy, xp.shape).data, fd, GRADIENT_RTOL);
  });

  it("local response normalization (AlexNet's constants) and its gradient", () => {
    const xp = arr(seededData(2 * 7 * 3 * 3, 11, -3, 3), [2, 7, 3, 3]);
    const o = { size: 5, alpha: 0.3, beta: 0.75, k: 2 };
    const ref = (v: ArrayLike<number>) => referenceLocalResponseNorm(xp.shape, o.size, o.alpha, o.beta, o.k, v);
    assertNear("lrn", localResponseNorm(xp, o).data, ref(xp.data), FORWARD_RTOL);
    const dy = arr(seededData(xp.size, 12), xp.shape as number[]);
    assertNear("lrn grad", localResponseNormGrad(xp, dy, o).data, numericGradient(ref, xp.data, dy.data, FD_STEP / 8), GRADIENT_RTOL);
  });

  it("PyTorch's LRN defaults: alpha 1e-4, beta 0.75, k 1", () => {
    const xp = arr(seededData(1 * 4 * 2 * 2, 13), [1, 4, 2, 2]);
    assertNear("defaults", localResponseNorm(xp, { size: 3 }).data, referenceLocalResponseNorm(xp.shape, 3, 1e-4, 0.75, 1, xp.data), FORWARD_RTOL);
  });
});

describe("devices and argument errors of the NDArray functions", () => {
  const x = ones([1, 1, 4, 4]);
  const w = ones([2, 1, 3, 3]);

  it("run on another CPU device when asked, with the same results", () => {
    const spec = new JsDevice({ reference: true });
    expect(conv2d(x, w, { device: spec }).toArray()).toEqual(conv2d(x, w).toArray());
    expect(spec.bytesInUse()).toBe(0);
    expect(jsDevice.bytesInUse()).toBe(0);
  });

  it("refuse a device that cannot be read synchronously", () => {
    const gpuLike = { ...Object.fromEntries(Object.entries(jsDevice)), name: "webgpu", readSync: undefined } as unknown as HostDevice;
    expect(() => conv2d(x, w, { device: gpuLike })).toThrow("conv2d: device 'webgpu' cannot be read synchronously");
  });

  it("name the argument and both shapes", () => {
    expect(() => conv2d(x, w, { bias: zeros([3]) })).toThrow("conv2d: bias must have shape [2], got [3]");
    expect(() => conv2dInputGrad([1, 1, 4, 4], w, zeros([1, 2, 3, 3]))).toThrow("conv2dInputGrad: dy must have shape [1,2,2,2], got [1,2,3,3]");
    expect(() => conv2dWeightGrad(x, [2, 1, 3, 3], zeros([1, 2, 2]))).toThrow("conv2dWeightGrad: dy must have shape [1,2,2,2], got [1,2,2]");
    expect(() => conv2dBiasGrad(zeros([2, 3]))).toThrow("conv2dBiasGrad: dy must be 4-D [N, OC, OH, OW], got shape [2,3]");
    expect(() => maxPool2dGrad(zeros([1, 1, 2, 2]), zeros([1, 1, 2, 2], "int32"), [1, 1, 4, 4], { kernelSize: 3 })).toThrow("maxPool2dGrad: dy must have shape [1,1,1,1], got [1,1,2,2]");
    expect(() => maxPool2dGrad(zeros([1, 1, 2, 2]), fromArray([[[[0, 1], [16, 2]]]], { dtype: "int32" }), [1, 1, 4, 4], { kernelSize: 2 }))
      .toThrow("maxPool2dGrad: indices must lie in [-1, H·W) = [-1, 16), got 16 at flat position 2");
    expect(() => avgPool2dGrad(zeros([1, 1, 1, 1]), [1, 1, 4, 4], { kernelSize: 2 })).toThrow("avgPool2dGrad: dy must have shape [1,1,2,2], got [1,1,1,1]");
    expect(() => localResponseNormGrad(x, zeros([1, 1, 4]), { size: 3 })).toThrow("localResponseNormGrad: dy must have shape [1,1,4,4], got [1,1,4]");
    expect(() => localResponseNorm(x, { size: 0 })).toThrow("localResponseNormForward: size must be a positive integer, got 0");
    expect(() => conv2d([1, 2] as unknown as NDArray, w)).toThrow("conv2d: x must be an NDArray, got object");
  });

  it("an empty batch gives an empty result", () => {
    expect(conv2d(zeros([0, 1, 4, 4]), w).shape).toEqual([0, 2, 2, 2]);
    expect(maxPool2d(zeros([0, 1, 4, 4]), { kernelSize: 2 }).shape).toEqual([0, 1, 2, 2]);
  });

  it("leave no buffers behind on the default device", () => {
    const before = (jsDevice as Device).bytesInUse();
    conv2d(x, w, { padding: 1 });
    avgPool2d(x, { kernelSize: 2, ceilMode: true, padding: 1 });
    localResponseNormGrad(x, x, { size: 2 });
    expect(jsDevice.bytesInUse()).toBe(before);
  });
});
