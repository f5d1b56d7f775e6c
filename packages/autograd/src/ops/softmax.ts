/**
 * softmax and logSoftmax along an axis, numerically stable (max subtracted), on the device's
 * row-softmax routine.
 */
import { checkTensor } from "../args.js";
import type { Tensor } from "../tensor.js";
import { mul, sub } from "./arithmetic.js";
import { exp } from "./activations.js";
import { sum } from "./reduce.js";
import { alloc, axisIndex, checkFloat, materialise, record, sameDevice, viewAs } from "./util.js";

function rowsSoftmax(name: string, x: Tensor, axis: number, log: boolean): Tensor {
  checkTensor(name, "x", x);
  sameDevice(name, x);
  checkFloat(name, "x", x);
  const a = axisIndex(name, axis, x.ndim);
  const order = [...x.shape.keys()].filter((i) => i !== a).concat(a);
  const pshape = order.map((i) => x.shape[i]);
  const cols = x.shape[a];
  const rows = x.size / Math.max(cols, 1);
  const direct = a === x.ndim - 1 && x.isContiguous;
  const src = direct ? x : materialise(viewAs(x, pshape, order.map((i) => x.strides[i])));
  const y = alloc(x, pshape);
  if (x.size > 0) x.device.softmax(rows, cols, { buffer: src.storage.buffer, offset: src.offset, strides: [cols, 1] }, { buffer: y.storage.buffer, offset: 0, strides: [cols, 1] }, log);
  if (src !== x) src.dispose();
  if (direct) return y;
  const inverse = new Array<number>(order.length);
  order.forEach((o, i) => (inverse[o] = i));
  const out = viewAs(y, x.shape, inverse.map((i) => y.strides[i]), 0);
  y.dispose();
  return out;
}

/**
 * softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ along `axis` (default last).
 *
 * @example
 * ```ts
 * import { softmax, tensor } from "@tessera/autograd";
 * softmax(tensor([[1, 2, 3]])); // [[0.090, 0.245, 0.665]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const y = rowsSoftmax("softmax", x, axis, false);
  return record(y, "softmax", [x], () => ({
    backward: (g) => [mul(y, sub(g, sum(mul(g, y), { axis, keepDims: true })))],
  }));
}

/**
 * log softmax along `axis` (default last): x − logΣe^x, computed without overflow.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "@tessera/autograd";
 * logSoftmax(tensor([[0, 0]])); // [[-0.693, -0.693]]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const y = rowsSoftmax("logSoftmax", x, axis, true);
  return record(y, "logSoftmax", [x], () => ({
    backward: (g) => [sub(g, mul(exp(y), sum(g, { axis, keepDims: true })))],
  }));
}
