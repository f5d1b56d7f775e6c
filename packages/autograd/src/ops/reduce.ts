/**
 * Reductions along axes with keepDims: sum, mean, max (and min), and argmax. The gradient of
 * sum/mean broadcasts back; max splits the gradient evenly between tied maxima (as torch.amax);
 * argmax is an int32 index with no gradient.
 */
import type { ReduceOp } from "@tessera/blas";
import { checkOptions, checkTensor, describe } from "../args.js";
import { empty } from "../create.js";
import { contiguousStrides, sizeOf, type Tensor } from "../tensor.js";
import { affine, div } from "./arithmetic.js";
import { binaryOp } from "./elementwise.js";
import { alloc, axisIndex, broadcastView, checkFloat, materialise, record, sameDevice, viewAs } from "./util.js";

/**
 * Options of the reductions.
 *
 * @example
 * ```ts
 * import { sum, zeros } from "@tessera/autograd";
 * sum(zeros([2, 3, 4]), { axis: [0, 2], keepDims: true }).shape; // [1, 3, 1]
 * ```
 */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all when omitted. */
  readonly axis?: number | readonly number[];
  /** Keep reduced dimensions as size 1. Default false. */
  readonly keepDims?: boolean;
}

interface Plan {
  axes: number[];
  kept: number[];
  outShape: number[];
  keepShape: number[];
  count: number;
}

function plan(op: string, x: Tensor, o: ReduceOptions): Plan {
  checkTensor(op, "x", x);
  checkOptions(op, "options", o, true);
  if (o.keepDims !== undefined && typeof o.keepDims !== "boolean") throw new TypeError(`${op}: options.keepDims must be a boolean, got ${describe(o.keepDims)}`);
  if (o.axis !== undefined && typeof o.axis !== "number" && !Array.isArray(o.axis)) {
    throw new TypeError(`${op}: options.axis must be a dimension or an array of dimensions, got ${describe(o.axis)}`);
  }
  const list = o.axis === undefined ? x.shape.map((_, i) => i) : typeof o.axis === "number" ? [o.axis] : [...o.axis];
  const axes = [...new Set(list.map((a) => axisIndex(op, a, x.ndim)))].sort((a, b) => a - b);
  if (axes.length !== list.length) throw new RangeError(`${op}: repeated axis in [${list.join(",")}]`);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keepShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = o.keepDims ? keepShape : kept.map((i) => x.shape[i]);
  return { axes, kept, outShape, keepShape, count: sizeOf(axes.map((a) => x.shape[a])) };
}

function reduceRaw(op: ReduceOp, x: Tensor, p: Plan): Tensor {
  const out = alloc(x, p.outShape);
  const order = [...p.kept, ...p.axes];
  x.device.reduce(op, order.map((i) => x.shape[i]), p.axes.length,
    { buffer: x.storage.buffer, offset: x.offset, strides: order.map((i) => x.strides[i]) },
    { buffer: out.storage.buffer, offset: 0, strides: contiguousStrides(p.kept.map((i) => x.shape[i])) });
  return out;
}

/** g (of the output's shape) broadcast back to x's shape as a contiguous tensor. */
function expand(g: Tensor, x: Tensor, p: Plan): Tensor {
  const gk = viewAs(g.isContiguous ? g : materialise(g), p.keepShape);
  const r = materialise(gk, x.shape);
  gk.dispose();
  return r;
}

/**
 * Sum along axes.
 *
 * @example
 * ```ts
 * import { sum, tensor } from "@tessera/autograd";
 * sum(tensor([[1, 2], [3, 4]]), { axis: 0 }); // [4, 6]
 * sum(tensor([[1, 2], [3, 4]]));              // 10 (shape [])
 * ```
 */
export function sum(x: Tensor, o: ReduceOptions = {}): Tensor {
  const p = plan("sum", x, o);
  sameDevice("sum", x);
  checkFloat("sum", "x", x);
  return record(reduceRaw("sum", x, p), "sum", [x], () => ({ backward: (g) => [expand(g, x, p)] }));
}

/**
 * Mean along axes.
 *
 * @example
 * ```ts
 * import { mean, tensor } from "@tessera/autograd";
 * mean(tensor([[1, 2], [3, 4]]), { axis: 1, keepDims: true }); // [[1.5], [3.5]]
 * ```
 */
export function mean(x: Tensor, o: ReduceOptions = {}): Tensor {
  const p = plan("mean", x, o);
  sameDevice("mean", x);
  checkFloat("mean", "x", x);
  if (p.count === 0) throw new RangeError(`mean: cannot take the mean over an empty dimension of shape [${x.shape.join(",")}]`);
  return record(reduceRaw("mean", x, p), "mean", [x], () => ({ backward: (g) => [affine(expand(g, x, p), 1 / p.count, 0)] }));
}

function extreme(name: "max" | "min", x: Tensor, o: ReduceOptions): Tensor {
  const p = plan(name, x, o);
  sameDevice(name, x);
  checkFloat(name, "x", x);
  if (p.count === 0) throw new RangeError(`${name}: cannot take the ${name} over an empty dimension of shape [${x.shape.join(",")}]`);
  const out = reduceRaw(name, x, p);
  return record(out, name, [x], () => ({
    backward: (g) => {
      const ok = viewAs(out, p.keepShape);
      const mask = alloc(x, x.shape);
      x.device.binary("eq", x.shape, x.view(), broadcastView(name, ok, x.shape), mask.view());
      const ties = reduceRaw("sum", mask, { ...p, outShape: p.keepShape });
      const share = div(viewAs(g.isContiguous ? g : materialise(g), p.keepShape), ties);
      return [binaryOp(name, "mul", mask, share, 0, null)];
    },
  }));
}

/**
 * Maximum along axes (ties share the gradient equally).
 *
 * @example
 * ```ts
 * import { max, tensor } from "@tessera/autograd";
 * max(tensor([[1, 5], [3, 2]]), { axis: 1 }); // [5, 3]
 * ```
 */
export function max(x: Tensor, o: ReduceOptions = {}): Tensor {
  return extreme("max", x, o);
}

/**
 * Minimum along axes (ties share the gradient equally).
 *
 * @example
 * ```ts
 * import { min, tensor } from "@tessera/autograd";
 * min(tensor([[1, 5], [3, 2]]), { axis: 1 }); // [1, 2]
 * ```
 */
export function min(x: Tensor, o: ReduceOptions = {}): Tensor {
  return extreme("min", x, o);
}


/**
 * Index of the largest value along `dim` (PyTorch's `argmax`): an int32 tensor, the first index on
 * ties, NaN counted as the largest. Without `dim`, the index into the flattened tensor (a 0-d
 * result). Not differentiable: the result never requires grad, and `backward()` from it throws.
 *
 * @example
 * ```ts
 * import { argmax, tensor } from "@tessera/autograd";
 * argmax(tensor([[1, 5, 5], [7, 2, 0]]), 1);       // int32 [1, 0]
 * argmax(tensor([[1, 5, 5], [7, 2, 0]]), 1, true); // int32 [[1], [0]]
 * argmax(tensor([[1, 5], [7, 2]]));                // int32 2 (shape [])
 * ```
 */
export function argmax(x: Tensor, dim?: number | null, keepDim = false): Tensor {
  checkTensor("argmax", "x", x);
  if (typeof keepDim !== "boolean") throw new TypeError(`argmax: keepDim must be a boolean, got ${describe(keepDim)}`);
  if (dim !== undefined && dim !== null && typeof dim !== "number") throw new TypeError(`argmax: dim must be a dimension or null, got ${describe(dim)}`);
  const d = sameDevice("argmax", x);
  checkFloat("argmax", "x", x);
  const all = dim === undefined || dim === null;
  const p = plan("argmax", x, all ? {} : { axis: dim, keepDims: keepDim });
  if (p.count === 0) throw new RangeError(`argmax: cannot take the argmax over an empty dimension of shape [${x.shape.join(",")}]`);
  const shape = all && keepDim ? x.shape.map(() => 1) : p.outShape;
  const out = empty(d, shape, "int32");
  const order = [...p.kept, ...p.axes];
  d.argmax(order.map((i) => x.shape[i]), p.axes.length,
    { buffer: x.storage.buffer, offset: x.offset, strides: order.map((i) => x.strides[i]) },
    { buffer: out.storage.buffer, offset: 0, strides: contiguousStrides(p.kept.map((i) => x.shape[i])) });
  return out;
}
