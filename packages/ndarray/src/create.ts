/**
 * Array constructors: constant fills, ranges and the identity.
 */
import { allocate, checkDType, type DType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { checkShape, sizeOf } from "./shape.js";

/**
 * A new array of `shape` filled with `value`.
 *
 * @param shape - Non-negative integer sizes (`[]` for a 0-d array).
 * @param value - Fill value (converted by the buffer: int32 truncates).
 * @param dtype - Element type, float32 by default.
 *
 * @example
 * ```ts
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 * ```
 */
export function full<D extends DType = "float32">(
  shape: readonly number[],
  value: number,
  dtype: D = "float32" as D,
): NDArray<D> {
  return filled("full", shape, value, dtype);
}

function filled<D extends DType>(op: string, shape: readonly number[], value: number, dtype: D): NDArray<D> {
  checkDType(op, dtype);
  const s = checkShape(op, shape);
  const data = allocate(dtype, sizeOf(s), op, s);
  if (value !== 0) data.fill(value);
  return new NDArray(data, s);
}

/**
 * A new array of zeros.
 *
 * @example
 * ```ts
 * zeros([2, 3]).toArray();      // [[0, 0, 0], [0, 0, 0]]
 * zeros([4], "int32").dtype;    // "int32"
 * ```
 */
export function zeros<D extends DType = "float32">(shape: readonly number[], dtype: D = "float32" as D): NDArray<D> {
  return filled("zeros", shape, 0, dtype);
}

/**
 * A new array of ones.
 *
 * @example
 * ```ts
 * ones([3], "float64").toArray(); // [1, 1, 1]
 * ```
 */
export function ones<D extends DType = "float32">(shape: readonly number[], dtype: D = "float32" as D): NDArray<D> {
  return filled("ones", shape, 1, dtype);
}

/**
 * Evenly spaced values `start, start+step, …` below `stop` (1-D). With one argument, counts
 * from 0 up to it. Element `i` is `start + i*step`, as in NumPy.
 *
 * @param start - First value (or the stop, when `stop` is omitted).
 * @param stop - Exclusive end.
 * @param step - Spacing, 1 by default; may be negative, not zero.
 * @param dtype - Element type, float32 by default.
 *
 * @example
 * ```ts
 * arange(4).toArray();                       // [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray();              // [1, 1.25, 1.5, 1.75]
 * arange(5, 0, -2, "int32").toArray();       // [5, 3, 1]
 * ```
 */
export function arange<D extends DType = "float32">(
  start: number,
  stop?: number,
  step = 1,
  dtype: D = "float32" as D,
): NDArray<D> {
  checkDType("arange", dtype);
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (![start, stop, step].every(Number.isFinite)) {
    throw new RangeError(`arange: start, stop and step must be finite, got ${start}, ${stop}, ${step}`);
  }
  if (step === 0) throw new RangeError("arange: step cannot be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, n, "arange", [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new NDArray(data, [n]);
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (1-D).
 *
 * @param num - Number of values, 50 by default (a non-negative integer).
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace<D extends DType = "float32">(
  start: number,
  stop: number,
  num = 50,
  dtype: D = "float32" as D,
): NDArray<D> {
  checkDType("linspace", dtype);
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  }
  const data = allocate(dtype, num, "linspace", [num]);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (num > 1) data[num - 1] = stop;
  return new NDArray(data, [num]);
}

/**
 * An `n × m` matrix with ones on the main diagonal and zeros elsewhere.
 *
 * @param m - Number of columns, `n` by default.
 *
 * @example
 * ```ts
 * eye(2).toArray();    // [[1, 0], [0, 1]]
 * eye(2, 3).toArray(); // [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye<D extends DType = "float32">(n: number, m: number = n, dtype: D = "float32" as D): NDArray<D> {
  const out = filled("eye", [n, m], 0, dtype);
  for (let i = 0; i < Math.min(n, m); i++) out.data[i * m + i] = 1;
  return out;
}
