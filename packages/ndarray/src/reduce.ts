/**
 * Reductions along axes: sum, mean, max, min, variance, argmax.
 */
import { allocate, type DType, type TypedArray } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { formatShape, normalizeAxes } from "./shape.js";

/**
 * Options for the reductions.
 *
 * @example
 * ```ts
 * const opts: ReduceOptions = { axis: [0, 2], keepDims: true };
 * ```
 */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size-1 axes so the result broadcasts against the input. */
  keepDims?: boolean;
}

/**
 * Options for {@link variance}.
 *
 * @example
 * ```ts
 * const opts: VarianceOptions = { axis: 0, ddof: 1 }; // sample variance
 * ```
 */
export interface VarianceOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is `count - ddof`; 0 by default (population variance). */
  ddof?: number;
}

/**
 * Options for {@link argmax}.
 *
 * @example
 * ```ts
 * const opts: ArgReduceOptions = { axis: -1 };
 * ```
 */
export interface ArgReduceOptions {
  /** The axis to search; the flattened array when omitted. */
  axis?: number;
  /** Keep the reduced axis (or all axes) as size-1 axes. */
  keepDims?: boolean;
}

type Chunk = (data: TypedArray, start: number, count: number) => number;

/**
 * Moves the reduced axes last, copies to a contiguous buffer, and calls `chunk` once per output
 * element with the block of `count` reduced values.
 */
function reduce(
  op: string,
  x: NDArray,
  options: ReduceOptions,
  dtype: DType,
  chunk: Chunk,
  needsElements = false,
): NDArray {
  if (!(x instanceof NDArray)) throw new TypeError(`${op}: argument must be an NDArray, got ${typeof x}`);
  const axes = normalizeAxes(op, options.axis, x.ndim);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const flat = x.permute([...kept, ...axes]).toFlat();
  const count = axes.reduce((p, a) => p * x.shape[a], 1);
  const outShape = options.keepDims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : kept.map((i) => x.shape[i]);
  const outSize = kept.reduce((p, a) => p * x.shape[a], 1);
  if (needsElements && count === 0 && outSize > 0) {
    throw new Error(`${op}: cannot reduce zero-size axes ${formatShape(axes)} of shape ${formatShape(x.shape)}`);
  }
  const out = allocate(dtype, outSize);
  for (let j = 0; j < outSize; j++) out[j] = chunk(flat, j * count, count);
  return new NDArray(out, outShape);
}

const floatOf = (d: DType): DType => (d === "int32" ? "float32" : d);

const chunkSum: Chunk = (d, start, count) => {
  let s = 0;
  for (let i = start; i < start + count; i++) s += d[i];
  return s;
};

/**
 * Sum of elements over the given axes (all by default), accumulated in float64. int32 stays
 * int32 (wrapping on overflow).
 *
 * @example
 * ```ts
 * const a = fromArray([[1, 2, 3], [4, 5, 6]]);
 * sum(a).toArray();                            // 21 (0-d)
 * sum(a, { axis: 0 }).toArray();               // [5, 7, 9]
 * sum(a, { axis: -1, keepDims: true }).shape;  // [2, 1]
 * ```
 */
export function sum(x: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce("sum", x, options, x.dtype, chunkSum);
}

/**
 * Arithmetic mean over the given axes (NaN for an empty selection); float result.
 *
 * @example
 * ```ts
 * mean(fromArray([[1, 2], [3, 4]]), { axis: 1 }).toArray(); // [1.5, 3.5]
 * ```
 */
export function mean(x: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce("mean", x, options, floatOf(x.dtype), (d, start, count) => chunkSum(d, start, count) / count);
}

/**
 * Largest element over the given axes (NaN if any is NaN).
 *
 * @throws Error when reducing a zero-size axis.
 *
 * @example
 * ```ts
 * max(fromArray([[1, 5], [7, 2]]), { axis: 0 }).toArray(); // [7, 5]
 * ```
 */
export function max(x: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce("max", x, options, x.dtype, (d, start, count) => {
    let m = -Infinity;
    for (let i = start; i < start + count; i++) {
      const v = d[i];
      if (v > m || Number.isNaN(v)) m = v;
      if (Number.isNaN(v)) break;
    }
    return m;
  }, true);
}

/**
 * Smallest element over the given axes (NaN if any is NaN).
 *
 * @throws Error when reducing a zero-size axis.
 *
 * @example
 * ```ts
 * min(fromArray([[1, 5], [7, 2]]), { axis: 1 }).toArray(); // [1, 2]
 * ```
 */
export function min(x: NDArray, options: ReduceOptions = {}): NDArray {
  return reduce("min", x, options, x.dtype, (d, start, count) => {
    let m = Infinity;
    for (let i = start; i < start + count; i++) {
      const v = d[i];
      if (v < m || Number.isNaN(v)) m = v;
      if (Number.isNaN(v)) break;
    }
    return m;
  }, true);
}

/**
 * Variance `sum((x - mean)^2) / (count - ddof)` over the given axes, two-pass in float64; NaN
 * when `count - ddof <= 0`. Float result.
 *
 * @example
 * ```ts
 * variance(fromArray([1, 2, 3, 4])).toArray();            // 1.25
 * variance(fromArray([1, 2, 3, 4]), { ddof: 1 }).toArray(); // 1.6666666
 * ```
 */
export function variance(x: NDArray, options: VarianceOptions = {}): NDArray {
  const ddof = options.ddof ?? 0;
  if (!Number.isFinite(ddof) || ddof < 0) throw new RangeError(`variance: ddof must be >= 0, got ${ddof}`);
  return reduce("variance", x, options, floatOf(x.dtype), (d, start, count) => {
    if (count - ddof <= 0) return NaN;
    const m = chunkSum(d, start, count) / count;
    let s = 0;
    for (let i = start; i < start + count; i++) s += (d[i] - m) * (d[i] - m);
    return s / (count - ddof);
  });
}

/**
 * Index of the largest element along `axis` (of the flattened array when omitted), as int32.
 * Ties resolve to the first occurrence; a NaN counts as the maximum (its first index wins).
 *
 * @throws Error when searching a zero-size axis.
 *
 * @example
 * ```ts
 * argmax(fromArray([[1, 9, 9], [4, 2, 0]]), { axis: 1 }).toArray(); // [1, 0]
 * argmax(fromArray([[1, 9], [9, 2]])).toArray();                     // 1 (flat index)
 * ```
 */
export function argmax(x: NDArray, options: ArgReduceOptions = {}): NDArray<"int32"> {
  if (options.axis !== undefined && typeof options.axis !== "number") {
    throw new TypeError(`argmax: axis must be a single number, got ${JSON.stringify(options.axis)}`);
  }
  const chunk: Chunk = (d, start, count) => {
    let best = start;
    for (let i = start; i < start + count; i++) {
      if (Number.isNaN(d[i])) return i - start;
      if (d[i] > d[best]) best = i;
    }
    return best - start;
  };
  return reduce("argmax", x, options, "int32", chunk, true) as NDArray<"int32">;
}
