/**
 * Transposed convolution (PyTorch's `conv_transpose2d`) on `@tessera/conv`'s device-level passes,
 * sharing the convolution ops' column workspace.
 */
import {
  convTranspose2dBackwardBias, convTranspose2dBackwardData, convTranspose2dBackwardFilter, convTranspose2dForward, convTranspose2dGeometry,
  type ConvTranspose2dOptions,
} from "@tessera/conv";
import type { Tensor } from "../tensor.js";
import { convolutionOp } from "./conv.js";

/**
 * 2-D transposed convolution of NCHW input with a weight `[C_in, C_out / groups, KH, KW]`
 * (PyTorch's layout): stride, padding (number, [h, w] or [top, bottom, left, right]),
 * outputPadding, dilation and groups. The output size per dimension is
 * `(I − 1)·stride − padding_before − padding_after + dilation·(K − 1) + outputPadding + 1`.
 * It is the gradient of `conv2d` with respect to its input, and its gradient with respect to its
 * input is `conv2d`.
 *
 * @example
 * ```ts
 * import { convTranspose2d, tensor } from "@tessera/autograd";
 * const x = tensor([[[[1, 2], [3, 4]]]]);                            // [1, 1, 2, 2]
 * const w = tensor([[[[1, 1], [1, 1]]]], { requiresGrad: true });    // [1, 1, 2, 2]
 * convTranspose2d(x, w, null, { stride: 2 }).shape;                  // [1, 1, 4, 4]
 * ```
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  return convolutionOp("convTranspose2d", x, weight, bias, options, {
    geometry: convTranspose2dGeometry, forward: convTranspose2dForward, backwardData: convTranspose2dBackwardData,
    backwardFilter: convTranspose2dBackwardFilter, backwardBias: convTranspose2dBackwardBias,
  });
}
