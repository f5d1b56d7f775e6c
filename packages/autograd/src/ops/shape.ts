/**
 * Shape ops: reshape/view, flatten, permute/transpose, slice and concat. Views share storage with
 * their input; reshape copies only when the input's strides make a view impossible.
 */
import { checkInteger, checkTensor, describe } from "../args.js";
import { contiguousStrides, sizeOf, type Tensor } from "../tensor.js";
import { zeros } from "../create.js";
import { alloc, axisIndex, materialise, record, sameDevice, viewAs } from "./util.js";

/**
 * The same values in another shape (one dimension may be −1). A view when the input is
 * contiguous, else a copy.
 *
 * @example
 * ```ts
 * import { reshape, tensor } from "@tessera/autograd";
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor("reshape", "x", x);
  sameDevice("reshape", x);
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array of integers (one may be -1), got ${describe(shape)}`);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || shape.some((d) => typeof d !== "number" || !Number.isSafeInteger(d) || d < -1)) {
    throw new RangeError(`reshape: shape must be non-negative integers with at most one -1, got [${shape.map(String).join(",")}]`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  if (free === 1 && known === 0) {
    throw new RangeError(`reshape: cannot infer the -1 in shape [${shape.join(",")}]: with a 0-sized dimension beside it any size fits (give every size)`);
  }
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(resolved) !== x.size || resolved.some((d) => !Number.isInteger(d))) {
    throw new RangeError(`reshape: cannot reshape tensor of shape [${x.shape.join(",")}] (${x.size} elements) into shape [${shape.join(",")}]`);
  }
  let out: Tensor;
  if (x.isContiguous) out = viewAs(x, resolved);
  else {
    const c = materialise(x);
    out = viewAs(c, resolved);
    c.dispose();
  }
  return record(out, "reshape", [x], () => ({ backward: (g) => [reshape(g, x.shape)] }));
}

/**
 * Flattens dimensions `startDim…endDim` into one (PyTorch's `flatten`, default from 1: keeps the batch).
 *
 * @example
 * ```ts
 * import { flatten, zeros } from "@tessera/autograd";
 * flatten(zeros([8, 16, 5, 5])).shape; // [8, 400]
 * ```
 */
export function flatten(x: Tensor, startDim = 1, endDim = -1): Tensor {
  checkTensor("flatten", "x", x);
  const s = axisIndex("flatten", startDim, x.ndim);
  const e = axisIndex("flatten", endDim, x.ndim);
  if (e < s) throw new RangeError(`flatten: endDim (${endDim}) comes before startDim (${startDim})`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/**
 * Reorders dimensions (a view): `permute(x, [0, 2, 3, 1])` turns NCHW into NHWC.
 *
 * @example
 * ```ts
 * import { permute, zeros } from "@tessera/autograd";
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  checkTensor("permute", "x", x);
  sameDevice("permute", x);
  if (!Array.isArray(axes)) throw new TypeError(`permute: axes must be an array of dimensions, got ${describe(axes)}`);
  const ax = axes.map((a) => axisIndex("permute", a, x.ndim));
  if (ax.length !== x.ndim || new Set(ax).size !== ax.length) {
    throw new RangeError(`permute: axes [${axes.join(",")}] are not a permutation of ${x.ndim} dimensions`);
  }
  const out = viewAs(x, ax.map((a) => x.shape[a]), ax.map((a) => x.strides[a]));
  const inverse = new Array<number>(ax.length);
  ax.forEach((a, i) => (inverse[a] = i));
  return record(out, "permute", [x], () => ({ backward: (g) => [permute(g, inverse)] }));
}

/**
 * Swaps two dimensions (default: the last two, a matrix transpose).
 *
 * @example
 * ```ts
 * import { transpose, zeros } from "@tessera/autograd";
 * transpose(zeros([3, 5])).shape; // [5, 3]
 * ```
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor("transpose", "x", x);
  const a = axisIndex("transpose", dim0, x.ndim);
  const b = axisIndex("transpose", dim1, x.ndim);
  const axes = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, axes);
}

/**
 * One range per dimension: `[start, stop, step]` (numpy rules, negative indices and steps),
 * a number (selects and drops the dimension), or `null` (everything). A view.
 *
 * @example
 * ```ts
 * import { slice, tensor } from "@tessera/autograd";
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), null, [0, 3, 2]); // [[1, 3], [4, 6]]
 * slice(tensor([1, 2, 3]), [null, null, -1]);            // [3, 2, 1]
 * ```
 */
export function slice(x: Tensor, ...specs: SliceRange[]): Tensor {
  checkTensor("slice", "x", x);
  sameDevice("slice", x);
  const r = resolveSlice(x.shape, x.strides, x.offset, specs);
  const out = viewAs(x, r.shape, r.strides, r.offset);
  return record(out, "slice", [x], () => ({
    backward: (g) => {
      const gx = zeros(x.shape, { device: x.device });
      const t = resolveSlice(x.shape, contiguousStrides(x.shape), 0, specs);
      x.device.unary("copy", t.shape, g.view(), { buffer: gx.storage.buffer, offset: t.offset, strides: t.strides });
      return [gx];
    },
  }));
}

/**
 * A range of {@link slice}: `[start, stop, step]` (each optional, numpy rules), a number (an
 * index that drops the dimension) or null (the whole dimension).
 *
 * @example
 * ```ts
 * import type { SliceRange } from "@tessera/autograd";
 * const everyOther: SliceRange = [null, null, 2];
 * ```
 */
export type SliceRange = number | null | readonly (number | null | undefined)[];

/** Shape, strides and offset of a slice of a layout (numpy semantics). */
function resolveSlice(shape0: readonly number[], strides0: readonly number[], offset0: number, specs: readonly SliceRange[]) {
  if (specs.length > shape0.length) throw new RangeError(`slice: ${specs.length} ranges for a tensor of ${shape0.length} dimensions`);
  let offset = offset0;
  const shape: number[] = [];
  const strides: number[] = [];
  shape0.forEach((n, d) => {
    const s = specs[d] ?? null;
    if (s !== null && typeof s !== "number" && !Array.isArray(s)) {
      throw new TypeError(`slice: range ${d} must be a number, null or [start, stop, step], got ${describe(s)}`);
    }
    if (typeof s === "number") {
      const i = s < 0 ? s + n : s;
      if (!Number.isInteger(s) || i < 0 || i >= n) throw new RangeError(`slice: index ${s} is out of bounds for dimension ${d} with size ${n}`);
      offset += i * strides0[d];
      return;
    }
    const [start0, stop0, step0] = s ?? [];
    for (const [name, v] of [["start", start0], ["stop", stop0], ["step", step0]] as const) {
      if (v != null) checkInteger("slice", `${name} of range ${d}`, v);
    }
    const step = step0 ?? 1;
    if (!Number.isInteger(step) || step === 0) throw new RangeError(`slice: step must be a non-zero integer, got ${step0}`);
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const norm = (v: number | null | undefined, dflt: number, lo: number, hi: number) => (v == null ? dflt : clamp(v < 0 ? v + n : v, lo, hi));
    const start = step > 0 ? norm(start0, 0, 0, n) : norm(start0, n - 1, -1, n - 1);
    const stop = step > 0 ? norm(stop0, n, 0, n) : norm(stop0, -1, -1, n - 1);
    const len = Math.max(0, Math.ceil((stop - start) / step));
    if (len > 0) offset += start * strides0[d];
    shape.push(len);
    strides.push(strides0[d] * step);
  });
  return { shape, strides, offset };
}

/**
 * Joins tensors of equal shape except along `axis`.
 *
 * @example
 * ```ts
 * import { concat, tensor } from "@tessera/autograd";
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], 1); // [[1, 3], [2, 4]]
 * ```
 */
export function concat(ts: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(ts as unknown)) throw new TypeError(`concat: ts must be an array of tensors, got ${describe(ts)}`);
  ts.forEach((t, i) => checkTensor("concat", `ts[${i}]`, t));
  if (ts.length === 0) throw new RangeError("concat: needs at least one tensor");
  sameDevice("concat", ...ts);
  const a = axisIndex("concat", axis, ts[0].ndim);
  for (const t of ts) {
    if (t.ndim !== ts[0].ndim || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
      throw new RangeError(`concat: shapes [${ts[0].shape.join(",")}] and [${t.shape.join(",")}] differ outside axis ${a}`);
    }
  }
  const shape = [...ts[0].shape];
  shape[a] = ts.reduce((s, t) => s + t.shape[a], 0);
  const out = alloc(ts[0], shape);
  const cs = contiguousStrides(shape);
  let at = 0;
  for (const t of ts) {
    out.device.unary("copy", t.shape, t.view(), { buffer: out.storage.buffer, offset: at * cs[a], strides: cs });
    at += t.shape[a];
  }
  return record(out, "concat", [...ts], () => ({
    backward: (g) => {
      let start = 0;
      return ts.map((t) => {
        const range: (readonly [number, number] | null)[] = shape.map(() => null);
        range[a] = [start, start + t.shape[a]];
        start += t.shape[a];
        return t.requiresGrad ? materialise(slice(g, ...range)) : null;
      });
    },
  }));
}
