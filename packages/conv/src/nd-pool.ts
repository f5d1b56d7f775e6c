/**
 * Pooling and LRN on NDArrays, with their gradient functions.
 */
import type { NDArray } from "@tessera/ndarray";
import { adaptiveAvgPool2dBackward, adaptiveAvgPool2dForward, adaptiveAvgPool2dGeometry } from "./adaptive-pool.js";
import { localResponseNormBackward, localResponseNormForward, type LocalResponseNormOptions } from "./lrn.js";
import { checkArray, checkShape, withSession, type OnDevice } from "./nd-support.js";
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from "./pool.js";
import { pool2dGeometry, type Pool2dOptions } from "./pool-geometry.js";

/**
 * Options of {@link avgPool2d}: the window and PyTorch's `count_include_pad`.
 *
 * @example
 * ```ts
 * import type { AvgPool2dOptions } from "@tessera/conv";
 * const o: AvgPool2dOptions = { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false };
 * ```
 */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the whole window including padded cells (PyTorch's default, true) or only by the cells inside the input. */
  readonly countIncludePad?: boolean;
}

/**
 * The result of {@link maxPool2dWithIndices}.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { maxPool2dWithIndices } from "@tessera/conv";
 * const { output, indices } = maxPool2dWithIndices(ones([1, 1, 2, 2]), { kernelSize: 2 });
 * ```
 */
export interface MaxPool2dResult {
  /** The pooled values `[N, C, OH, OW]`. */ readonly output: NDArray<"float32">;
  /** int32 `[N, C, OH, OW]`: flat index `ih·W + iw` of each maximum in its plane (PyTorch's `return_indices`). */
  readonly indices: NDArray<"int32">;
}

/**
 * Max pooling with argmax indices (ties → first index in the window, as PyTorch).
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { maxPool2dWithIndices } from "@tessera/conv";
 * maxPool2dWithIndices(ones([1, 1, 2, 2]), { kernelSize: 2 }).indices.toArray(); // [[[[0]]]]
 * ```
 */
export function maxPool2dWithIndices(x: NDArray, options: Pool2dOptions & OnDevice): MaxPool2dResult {
  return runMaxPool(x, options, true);
}

/** Max pooling on a session's device, with the indices or (inference) without. */
function runMaxPool(x: NDArray, options: Pool2dOptions & OnDevice, withIndices: true): MaxPool2dResult;
function runMaxPool(x: NDArray, options: Pool2dOptions & OnDevice, withIndices: false): NDArray<"float32">;
function runMaxPool(x: NDArray, options: Pool2dOptions & OnDevice, withIndices: boolean): MaxPool2dResult | NDArray<"float32"> {
  const fn = "maxPool2d";
  checkArray(fn, "x", x);
  const p = pool2dGeometry(x.shape, options, "maxPool2d");
  return withSession(fn, options, (s) => {
    const n = p.N * p.C * p.OH * p.OW;
    const y = s.zeros(n);
    const arg = withIndices ? s.zeros(n, "int32") : null;
    maxPool2dForward(s.device, p, s.upload(x), 0, y, 0, arg, 0);
    const output = s.download(y, p.outputShape);
    return arg === null ? output : { output, indices: s.downloadInt(arg, p.outputShape) };
  });
}

/**
 * Max pooling of an NCHW array (any window, stride, padding, dilation, ceil mode; overlapping
 * windows such as AlexNet's 3/2 included).
 *
 * @example
 * ```ts
 * import { arange } from "@tessera/ndarray";
 * import { maxPool2d } from "@tessera/conv";
 * maxPool2d(arange(16).reshape([1, 1, 4, 4]), { kernelSize: 2 }).toArray(); // [[[[5, 7], [13, 15]]]]
 * ```
 */
export function maxPool2d(x: NDArray, options: Pool2dOptions & OnDevice): NDArray<"float32"> {
  return runMaxPool(x, options, false);
}

/**
 * The gradient of max pooling: each dy cell goes to the input cell its index names.
 *
 * @param indices - From {@link maxPool2dWithIndices}.
 *
 * @example
 * ```ts
 * import { arange, ones } from "@tessera/ndarray";
 * import { maxPool2dGrad, maxPool2dWithIndices } from "@tessera/conv";
 * const { indices } = maxPool2dWithIndices(arange(4).reshape([1, 1, 2, 2]), { kernelSize: 2 });
 * maxPool2dGrad(ones([1, 1, 1, 1]), indices, [1, 1, 2, 2], { kernelSize: 2 }).toArray(); // [[[[0, 0], [0, 1]]]]
 * ```
 */
export function maxPool2dGrad(dy: NDArray, indices: NDArray<"int32">, inputShape: readonly number[], options: Pool2dOptions & OnDevice): NDArray<"float32"> {
  const fn = "maxPool2dGrad";
  const p = pool2dGeometry(inputShape, options, "maxPool2d");
  checkShape(fn, "dy", dy, p.outputShape);
  checkShape(fn, "indices", indices, p.outputShape);
  if (indices.dtype !== "int32") throw new RangeError(`${fn}: indices must be int32, got ${indices.dtype}`);
  const idx = indices.contiguous().data as Int32Array;
  const bad = idx.findIndex((i) => i < -1 || i >= p.H * p.W);
  if (bad >= 0) throw new RangeError(`${fn}: indices must lie in [-1, H·W) = [-1, ${p.H * p.W}), got ${idx[bad]} at flat position ${bad}`);
  return withSession(fn, options, (s) => {
    const arg = s.zeros(indices.size, "int32");
    if (indices.size > 0) s.device.write(arg, idx);
    const dx = s.zeros(p.N * p.C * p.H * p.W);
    maxPool2dBackward(s.device, p, s.upload(dy), 0, arg, 0, dx, 0);
    return s.download(dx, p.inputShape);
  });
}

/**
 * Average pooling of an NCHW array with PyTorch's divisor rules (`countIncludePad`, ceil mode).
 *
 * @example
 * ```ts
 * import { arange } from "@tessera/ndarray";
 * import { avgPool2d } from "@tessera/conv";
 * avgPool2d(arange(16).reshape([1, 1, 4, 4]), { kernelSize: 2 }).toArray(); // [[[[2.5, 4.5], [10.5, 12.5]]]]
 * ```
 */
export function avgPool2d(x: NDArray, options: AvgPool2dOptions & OnDevice): NDArray<"float32"> {
  const fn = "avgPool2d";
  checkArray(fn, "x", x);
  const p = pool2dGeometry(x.shape, options, "avgPool2d");
  return withSession(fn, options, (s) => {
    const y = s.zeros(p.N * p.C * p.OH * p.OW);
    avgPool2dForward(s.device, p, options.countIncludePad ?? true, s.upload(x), 0, y, 0, s.workspace);
    return s.download(y, p.outputShape);
  });
}

/**
 * The gradient of average pooling.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { avgPool2dGrad } from "@tessera/conv";
 * avgPool2dGrad(ones([1, 1, 1, 1]), [1, 1, 2, 2], { kernelSize: 2 }).toArray(); // [[[[0.25, 0.25], [0.25, 0.25]]]]
 * ```
 */
export function avgPool2dGrad(dy: NDArray, inputShape: readonly number[], options: AvgPool2dOptions & OnDevice): NDArray<"float32"> {
  const fn = "avgPool2dGrad";
  const p = pool2dGeometry(inputShape, options, "avgPool2d");
  checkShape(fn, "dy", dy, p.outputShape);
  return withSession(fn, options, (s) => {
    const dx = s.zeros(p.N * p.C * p.H * p.W);
    avgPool2dBackward(s.device, p, options.countIncludePad ?? true, s.upload(dy), 0, dx, 0, s.workspace);
    return s.download(dx, p.inputShape);
  });
}

/**
 * Adaptive average pooling to a fixed output size (PyTorch's `adaptive_avg_pool2d`).
 *
 * @example
 * ```ts
 * import { arange } from "@tessera/ndarray";
 * import { adaptiveAvgPool2d } from "@tessera/conv";
 * adaptiveAvgPool2d(arange(3).reshape([1, 1, 3, 1]), [2, 1]).toArray(); // [[[[0.5], [1.5]]]]
 * ```
 */
export function adaptiveAvgPool2d(x: NDArray, outputSize: number | readonly [number, number], options: OnDevice = {}): NDArray<"float32"> {
  const fn = "adaptiveAvgPool2d";
  checkArray(fn, "x", x);
  const a = adaptiveAvgPool2dGeometry(x.shape, outputSize);
  return withSession(fn, options, (s) => {
    const y = s.zeros(a.N * a.C * a.OH * a.OW);
    adaptiveAvgPool2dForward(s.device, a, s.upload(x), 0, y, 0, s.workspace);
    return s.download(y, a.outputShape);
  });
}

/**
 * The gradient of adaptive average pooling.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { adaptiveAvgPool2dGrad } from "@tessera/conv";
 * adaptiveAvgPool2dGrad(ones([1, 1, 2, 1]), [1, 1, 3, 1]).toArray(); // [[[[0.5], [1], [0.5]]]]
 * ```
 */
export function adaptiveAvgPool2dGrad(dy: NDArray, inputShape: readonly number[], options: OnDevice = {}): NDArray<"float32"> {
  const fn = "adaptiveAvgPool2dGrad";
  checkArray(fn, "dy", dy);
  if (dy.ndim !== 4) throw new RangeError(`${fn}: dy must be 4-D [N, C, OH, OW], got shape [${dy.shape.join(",")}]`);
  const a = adaptiveAvgPool2dGeometry(inputShape, [dy.shape[2], dy.shape[3]]);
  checkShape(fn, "dy", dy, a.outputShape);
  return withSession(fn, options, (s) => {
    const dx = s.zeros(a.N * a.C * a.H * a.W);
    adaptiveAvgPool2dBackward(s.device, a, s.upload(dy), 0, dx, 0, s.workspace);
    return s.download(dx, a.inputShape);
  });
}

/**
 * Global average pooling: the mean of each H×W plane, `[N, C, 1, 1]`.
 *
 * @example
 * ```ts
 * import { arange } from "@tessera/ndarray";
 * import { globalAvgPool2d } from "@tessera/conv";
 * globalAvgPool2d(arange(8).reshape([1, 2, 2, 2])).toArray(); // [[[[1.5]], [[5.5]]]]
 * ```
 */
export function globalAvgPool2d(x: NDArray, options: OnDevice = {}): NDArray<"float32"> {
  return adaptiveAvgPool2d(x, 1, options);
}

/**
 * Local Response Normalization across channels (PyTorch's `local_response_norm`).
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { localResponseNorm } from "@tessera/conv";
 * const y = localResponseNorm(ones([1, 8, 4, 4]), { size: 5, alpha: 1e-4, beta: 0.75, k: 2 });
 * ```
 */
export function localResponseNorm(x: NDArray, options: LocalResponseNormOptions & OnDevice): NDArray<"float32"> {
  const fn = "localResponseNorm";
  checkArray(fn, "x", x);
  return withSession(fn, options, (s) => {
    const y = s.zeros(x.size);
    localResponseNormForward(s.device, x.shape, options, s.upload(x), 0, y, 0, s.zeros(x.size), 0, s.workspace);
    return s.download(y, x.shape);
  });
}

/**
 * The gradient of {@link localResponseNorm} at x, given dL/dy.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { localResponseNormGrad } from "@tessera/conv";
 * const dx = localResponseNormGrad(ones([1, 4, 2, 2]), ones([1, 4, 2, 2]), { size: 3 });
 * ```
 */
export function localResponseNormGrad(x: NDArray, dy: NDArray, options: LocalResponseNormOptions & OnDevice): NDArray<"float32"> {
  const fn = "localResponseNormGrad";
  checkArray(fn, "x", x);
  checkShape(fn, "dy", dy, x.shape);
  return withSession(fn, options, (s) => {
    const xb = s.upload(x);
    const y = s.zeros(x.size);
    const scale = s.zeros(x.size);
    const dx = s.zeros(x.size);
    localResponseNormForward(s.device, x.shape, options, xb, 0, y, 0, scale, 0, s.workspace);
    localResponseNormBackward(s.device, x.shape, options, xb, 0, y, 0, scale, 0, s.upload(dy), 0, dx, 0, s.workspace);
    return s.download(dx, x.shape);
  });
}
