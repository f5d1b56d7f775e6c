/**
 * Convolution on NDArrays: the three-line way to reproduce the course's slides.
 */
import type { NDArray } from "@tessera/ndarray";
import { conv2dBackwardBias, conv2dBackwardData, conv2dBackwardFilter } from "./conv-backward.js";
import { conv2dForward } from "./conv-forward.js";
import { conv2dGeometry, type Conv2dOptions } from "./conv-geometry.js";
import { checkArray, checkShape, withSession, type OnDevice } from "./nd-support.js";
import { fail } from "./validate.js";

/**
 * Options of {@link conv2d}: the geometry, an optional bias and the device.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tessera/ndarray";
 * import type { Conv2dCallOptions } from "@tessera/conv";
 * const o: Conv2dCallOptions = { bias: fromArray([1, 0]), stride: 2 };
 * ```
 */
export interface Conv2dCallOptions extends Conv2dOptions, OnDevice {
  /** Bias `[OC]` added to every output pixel of its channel. */
  readonly bias?: NDArray | null;
}

/**
 * 2-D convolution (cross-correlation, no kernel flip, as in every DNN framework) of an NCHW input
 * by an OIHW weight, computed as im2col + sgemm on the `js` device (or `options.device`).
 *
 * @param x - Input `[N, C, H, W]` (any dtype and strides; computed in float32).
 * @param w - Weight `[OC, C / groups, KH, KW]`.
 * @returns `[N, OC, OH, OW]`, float32.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tessera/ndarray";
 * import { conv2d } from "@tessera/conv";
 * const x = fromArray([[2, 4, 9, 1, 4], [2, 1, 4, 4, 6], [1, 1, 2, 9, 2], [7, 3, 5, 1, 3], [2, 3, 4, 8, 5]]).reshape([1, 1, 5, 5]);
 * const w = fromArray([[1, 2, 3], [-4, 7, 4], [2, -5, 1]]).reshape([1, 1, 3, 3]);
 * conv2d(x, w).toArray(); // [[[[51, 66, 20], [31, 49, 101], [15, 53, -2]]]]
 * ```
 */
export function conv2d(x: NDArray, w: NDArray, options: Conv2dCallOptions = {}): NDArray<"float32"> {
  const fn = "conv2d";
  checkArray(fn, "x", x);
  checkArray(fn, "w", w);
  const g = conv2dGeometry(x.shape, w.shape, options);
  const bias = options.bias ?? null;
  if (bias !== null) checkShape(fn, "bias", bias, [g.OC]);
  return withSession(fn, options, (s) => {
    const y = s.zeros(g.N * g.OC * g.OH * g.OW);
    conv2dForward(s.device, g, s.upload(x), 0, s.upload(w), 0, bias === null ? null : s.upload(bias), 0, y, 0, s.workspace);
    return s.download(y, g.outputShape);
  });
}

/**
 * The gradient of {@link conv2d} with respect to its input (PyTorch's `conv2d_input`): the
 * "full convolution of the rotated filter with dL/dO" of the course, as sgemm + col2im.
 *
 * @param inputShape - `[N, C, H, W]` of the forward input.
 * @param dy - dL/dy, `[N, OC, OH, OW]`.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tessera/ndarray";
 * import { conv2dInputGrad } from "@tessera/conv";
 * const w = fromArray([[[[-1, 2], [3, 1]]]]);
 * const dy = fromArray([[[[-0.2, 0.2], [0.1, -0.1]]]]);
 * conv2dInputGrad([1, 1, 3, 3], w, dy).toArray(); // ≈ [[[[0.2, -0.6, 0.4], [-0.7, 0.7, 0], [0.3, -0.2, -0.1]]]]
 * ```
 */
export function conv2dInputGrad(inputShape: readonly number[], w: NDArray, dy: NDArray, options: Conv2dOptions & OnDevice = {}): NDArray<"float32"> {
  const fn = "conv2dInputGrad";
  checkArray(fn, "w", w);
  const g = conv2dGeometry(inputShape, w.shape, options);
  checkShape(fn, "dy", dy, g.outputShape);
  return withSession(fn, options, (s) => {
    const dx = s.zeros(g.N * g.C * g.H * g.W);
    conv2dBackwardData(s.device, g, s.upload(w), 0, s.upload(dy), 0, dx, 0, s.workspace);
    return s.download(dx, g.inputShape);
  });
}

/**
 * The gradient of {@link conv2d} with respect to its weight (PyTorch's `conv2d_weight`): the
 * correlation of x with dL/dy, as im2col + sgemm with a transposed operand.
 *
 * @param weightShape - `[OC, C / groups, KH, KW]`.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tessera/ndarray";
 * import { conv2dWeightGrad } from "@tessera/conv";
 * const x = fromArray([[[[1, 0, -1], [1, 0, 1], [0, 1, 1]]]]);
 * const dy = fromArray([[[[-0.2, 0.2], [0.1, -0.1]]]]);
 * conv2dWeightGrad(x, [1, 1, 2, 2], dy).toArray(); // ≈ [[[[-0.1, -0.3], [-0.3, 0.2]]]]
 * ```
 */
export function conv2dWeightGrad(x: NDArray, weightShape: readonly number[], dy: NDArray, options: Conv2dOptions & OnDevice = {}): NDArray<"float32"> {
  const fn = "conv2dWeightGrad";
  checkArray(fn, "x", x);
  const g = conv2dGeometry(x.shape, weightShape, options);
  checkShape(fn, "dy", dy, g.outputShape);
  return withSession(fn, options, (s) => {
    const dw = s.zeros(g.OC * g.weightShape[1] * g.KH * g.KW);
    conv2dBackwardFilter(s.device, g, s.upload(x), 0, s.upload(dy), 0, dw, 0, s.workspace);
    return s.download(dw, g.weightShape);
  });
}

/**
 * The gradient of the conv bias: dy summed over the batch and the output pixels.
 *
 * @param dy - dL/dy, `[N, OC, OH, OW]`.
 * @returns `[OC]`.
 *
 * @example
 * ```ts
 * import { ones } from "@tessera/ndarray";
 * import { conv2dBiasGrad } from "@tessera/conv";
 * conv2dBiasGrad(ones([2, 3, 4, 4])).toArray(); // [32, 32, 32]
 * ```
 */
export function conv2dBiasGrad(dy: NDArray, options: OnDevice = {}): NDArray<"float32"> {
  const fn = "conv2dBiasGrad";
  checkArray(fn, "dy", dy);
  if (dy.ndim !== 4) fail(fn, `dy must be 4-D [N, OC, OH, OW], got shape [${dy.shape.join(",")}]`);
  const [N, OC, OH, OW] = dy.shape;
  if (OC < 1 || OH < 1 || OW < 1) fail(fn, `dy [${dy.shape.join(",")}] must have OC, OH and OW >= 1`);
  const g = conv2dGeometry([N, OC, OH, OW], [OC, 1, 1, 1], { groups: OC });
  return withSession(fn, options, (s) => {
    const db = s.zeros(OC);
    conv2dBackwardBias(s.device, g, s.upload(dy), 0, db, 0, s.workspace);
    return s.download(db, [OC]);
  });
}
