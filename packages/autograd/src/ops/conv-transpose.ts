/**
 * Transposed convolution (PyTorch's `conv_transpose2d`) on `@tessera/conv`'s device-level passes,
 * sharing the convolution ops' column workspace.
 */
import {
  convTranspose2dBackwardBias, convTranspose2dBackwardData, convTranspose2dBackwardFilter, convTranspose2dForward, convTranspose2dGeometry,
  type ConvTranspose2dOptions,
} from "@tessera/conv";
import { checkOptions, checkTensor } from "../args.js";
import { empty } from "../create.js";
import type { Tensor } from "../tensor.js";
import { dense, workspace } from "./conv.js";
import { alloc, checkFloat, checkOptionalTensor, record, sameDevice, willRecord } from "./util.js";

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
  const fn = "convTranspose2d";
  checkTensor(fn, "x", x);
  checkTensor(fn, "weight", weight);
  checkOptionalTensor(fn, "bias", bias);
  checkOptions(fn, "options", options, true);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const d = sameDevice(fn, ...inputs);
  inputs.forEach((t, i) => checkFloat(fn, ["x", "weight", "bias"][i], t));
  const g = convTranspose2dGeometry(x.shape, weight.shape, options);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== g.OC)) throw new RangeError(`${fn}: bias must be [${g.OC}], got [${bias.shape.join(",")}]`);
  const xc = dense(x);
  const wc = dense(weight);
  const bc = bias ? dense(bias) : null;
  const y = alloc(x, g.outputShape);
  convTranspose2dForward(d, g, xc.storage.buffer, xc.offset, wc.storage.buffer, wc.offset, bc ? bc.storage.buffer : null, bc ? bc.offset : 0, y.storage.buffer, 0, workspace(d));
  if (bc && bc !== bias) bc.dispose();
  if (!willRecord(inputs)) {
    if (xc !== x) xc.dispose();
    if (wc !== weight) wc.dispose();
    return y;
  }
  return record(y, fn, inputs, () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const ws = workspace(d);
      let gx = null;
      let gw = null;
      let gb = null;
      if (x.requiresGrad) {
        gx = empty(d, x.shape);
        convTranspose2dBackwardData(d, g, wc.storage.buffer, wc.offset, dy.storage.buffer, dy.offset, gx.storage.buffer, 0, ws);
      }
      if (weight.requiresGrad) {
        gw = empty(d, weight.shape);
        convTranspose2dBackwardFilter(d, g, xc.storage.buffer, xc.offset, dy.storage.buffer, dy.offset, gw.storage.buffer, 0, ws);
      }
      if (bias?.requiresGrad) {
        gb = empty(d, bias.shape);
        convTranspose2dBackwardBias(d, g, dy.storage.buffer, dy.offset, gb.storage.buffer, 0, ws);
      }
      return bias ? [gx, gw, gb] : [gx, gw];
    },
    saved: [xc, wc].filter((c, i) => c !== inputs[i]),
    release: () => {
      if (xc !== x) xc.dispose();
      if (wc !== weight) wc.dispose();
    },
  }));
}
