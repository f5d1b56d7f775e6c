/**
 * Whole-array comparisons for tests and checks.
 */
import { broadcastShapesFor, broadcastStrides } from "./broadcast.js";
import { NDArray } from "./ndarray.js";
import { forEachRow, rowLength, rowStride } from "./strided.js";

/**
 * Tolerances for {@link allClose}.
 *
 * @example
 * ```ts
 * const tol: AllCloseOptions = { rtol: 1e-4, atol: 1e-6 };
 * ```
 */
export interface AllCloseOptions {
  /** Relative tolerance, scaled by `|b|`; 1e-5 by default. */
  rtol?: number;
  /** Absolute tolerance; 1e-8 by default. */
  atol?: number;
}

function asArray(op: string, x: NDArray | number): NDArray {
  if (typeof x === "number") return new NDArray(new Float64Array([x]), []);
  if (x instanceof NDArray) return x;
  throw new TypeError(`${op}: arguments must be NDArrays or numbers, got ${typeof x}`);
}

/** True when `test(x, y)` holds for every pair of the broadcast of `a` and `b`. */
function every(op: string, a: NDArray, b: NDArray, test: (x: number, y: number) => boolean): boolean {
  const shape = broadcastShapesFor(op, [a.shape, b.shape]);
  const as = broadcastStrides(a.shape, a.strides, shape);
  const bs = broadcastStrides(b.shape, b.strides, shape);
  const n = rowLength(shape);
  const sa = rowStride(as);
  const sb = rowStride(bs);
  let ok = true;
  forEachRow(shape, [as, bs], [a.offset, b.offset], (base) => {
    for (let i = 0, p = base[0], q = base[1]; ok && i < n; i++, p += sa, q += sb) ok = test(a.data[p], b.data[q]);
  });
  return ok;
}

/**
 * True when `|a - b| <= atol + rtol * |b|` for every element of the broadcast of `a` and `b`
 * (NumPy's `allclose`; not symmetric in `a`, `b`). Equal infinities are close; NaN never is.
 *
 * @throws Error `allClose: cannot broadcast shapes [2] and [3]`.
 *
 * @example
 * ```ts
 * allClose(fromArray([1, 2]), fromArray([1, 2.000001])); // true
 * allClose(fromArray([1, 2]), 1, { atol: 1 });           // true
 * ```
 */
export function allClose(a: NDArray | number, b: NDArray | number, options: AllCloseOptions = {}): boolean {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (!(rtol >= 0) || !(atol >= 0)) throw new RangeError(`allClose: tolerances must be >= 0, got rtol=${rtol}, atol=${atol}`);
  return every("allClose", asArray("allClose", a), asArray("allClose", b), (x, y) => {
    if (x === y) return true;
    return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= atol + rtol * Math.abs(y);
  });
}

/**
 * True when `a` and `b` have the same shape and equal values (dtypes may differ; NaN is never
 * equal, like NumPy's `array_equal`).
 *
 * @example
 * ```ts
 * equal(arange(3), fromArray([0, 1, 2], { dtype: "int32" })); // true
 * equal(zeros([2]), zeros([1, 2]));                            // false (shapes differ)
 * ```
 */
export function equal(a: NDArray, b: NDArray): boolean {
  const x = asArray("equal", a);
  const y = asArray("equal", b);
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return false;
  return every("equal", x, y, (u, v) => u === v);
}
