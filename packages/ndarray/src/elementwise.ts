/**
 * Elementwise math with NumPy broadcasting.
 *
 * Result dtype: float64 if either input is float64; int32 if both are int32 and the operation
 * keeps integers (add, sub, mul, maximum, minimum, neg, abs, square, relu); float32 otherwise.
 * A plain number counts as int32 when it is an integer and as float32 otherwise. Integer results
 * wrap modulo 2^32 like NumPy's int32.
 */
import { broadcastShapesFor, broadcastStrides } from "./broadcast.js";
import { allocate, promote, type DType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { forEachRow, rowLength, rowStride } from "./strided.js";

/**
 * An operand of a binary operation: an array, or a number used as a 0-d array.
 *
 * @example
 * ```ts
 * const x: ArrayOrScalar = 2;
 * ```
 */
export type ArrayOrScalar = NDArray | number;

type Fn2 = (x: number, y: number) => number;
type Fn1 = (x: number) => number;

function dtypeOfOperand(x: ArrayOrScalar): DType {
  if (typeof x === "number") return Number.isInteger(x) ? "int32" : "float32";
  return x.dtype;
}

function operand(op: string, x: ArrayOrScalar, side: string): NDArray {
  if (typeof x === "number") return new NDArray(new Float64Array([x]), []);
  if (x instanceof NDArray) return x;
  throw new TypeError(`${op}: ${side} must be an NDArray or a number, got ${typeof x}`);
}

/** Applies `f` elementwise over the broadcast of `a` and `b` into a new contiguous array. */
function binary(op: string, a: ArrayOrScalar, b: ArrayOrScalar, f: Fn2, keepInt: boolean, fInt: Fn2 = f): NDArray {
  const x = operand(op, a, "first argument");
  const y = operand(op, b, "second argument");
  const dtype = promote(dtypeOfOperand(a), dtypeOfOperand(b), keepInt);
  const shape = broadcastShapesFor(op, [x.shape, y.shape]);
  const xs = broadcastStrides(x.shape, x.strides, shape);
  const ys = broadcastStrides(y.shape, y.strides, shape);
  const out = allocate(dtype, shape.reduce((p, d) => p * d, 1), op, shape);
  const g = dtype === "int32" ? fInt : f;
  const n = rowLength(shape);
  const sx = rowStride(xs);
  const sy = rowStride(ys);
  const xd = x.data;
  const yd = y.data;
  let o = 0;
  forEachRow(shape, [xs, ys], [x.offset, y.offset], (base) => {
    for (let i = 0, p = base[0], q = base[1]; i < n; i++, p += sx, q += sy) out[o++] = g(xd[p], yd[q]);
  });
  return new NDArray(out, shape);
}

/** Applies `f` to every element of `x` into a new contiguous array. */
function unary(op: string, x: NDArray, f: Fn1, keepInt: boolean): NDArray {
  if (!(x instanceof NDArray)) throw new TypeError(`${op}: argument must be an NDArray, got ${typeof x}`);
  const dtype = x.dtype === "int32" && !keepInt ? "float32" : x.dtype;
  const out = allocate(dtype, x.size);
  const n = rowLength(x.shape);
  const s = rowStride(x.strides);
  const d = x.data;
  let o = 0;
  forEachRow(x.shape, [x.strides], [x.offset], (base) => {
    for (let i = 0, p = base[0]; i < n; i++, p += s) out[o++] = f(d[p]);
  });
  return new NDArray(out, x.shape);
}

/**
 * `a + b` elementwise, broadcasting.
 *
 * @throws Error `add: cannot broadcast shapes [2,3] and [4]`.
 *
 * @example
 * ```ts
 * add(fromArray([[1, 2], [3, 4]]), fromArray([10, 20])).toArray(); // [[11, 22], [13, 24]]
 * add(arange(3), 1).toArray();                                        // [1, 2, 3]
 * ```
 */
export function add(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("add", a, b, (x, y) => x + y, true);
}

/**
 * `a - b` elementwise, broadcasting.
 *
 * @example
 * ```ts
 * sub(fromArray([5, 7]), 2).toArray(); // [3, 5]
 * ```
 */
export function sub(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("sub", a, b, (x, y) => x - y, true);
}

/**
 * `a * b` elementwise, broadcasting.
 *
 * @example
 * ```ts
 * mul(fromArray([[1], [2]]), fromArray([3, 4])).toArray(); // [[3, 4], [6, 8]]
 * ```
 */
export function mul(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("mul", a, b, (x, y) => x * y, true, Math.imul);
}

/**
 * `a / b` elementwise, broadcasting; always a float result (int32 / int32 gives float32).
 *
 * @example
 * ```ts
 * div(fromArray([1, 2], { dtype: "int32" }), 4).toArray(); // [0.25, 0.5]
 * ```
 */
export function div(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("div", a, b, (x, y) => x / y, false);
}

/**
 * The larger of `a` and `b` elementwise (NaN if either is NaN), broadcasting.
 *
 * @example
 * ```ts
 * maximum(fromArray([1, 5, 3]), 2).toArray(); // [2, 5, 3]
 * ```
 */
export function maximum(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("maximum", a, b, Math.max, true);
}

/**
 * The smaller of `a` and `b` elementwise (NaN if either is NaN), broadcasting.
 *
 * @example
 * ```ts
 * minimum(fromArray([1, 5, 3]), 2).toArray(); // [1, 2, 2]
 * ```
 */
export function minimum(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("minimum", a, b, Math.min, true);
}

/**
 * `a ** b` elementwise, broadcasting; always a float result.
 *
 * @example
 * ```ts
 * pow(fromArray([1, 2, 3]), 2).toArray(); // [1, 4, 9]
 * ```
 */
export function pow(a: ArrayOrScalar, b: ArrayOrScalar): NDArray {
  return binary("pow", a, b, Math.pow, false);
}

/**
 * `-x` elementwise.
 *
 * @example
 * ```ts
 * neg(fromArray([1, -2])).toArray(); // [-1, 2]
 * ```
 */
export function neg(x: NDArray): NDArray {
  return unary("neg", x, (v) => -v, true);
}

/**
 * `|x|` elementwise.
 *
 * @example
 * ```ts
 * abs(fromArray([-1.5, 2])).toArray(); // [1.5, 2]
 * ```
 */
export function abs(x: NDArray): NDArray {
  return unary("abs", x, Math.abs, true);
}

/**
 * `x * x` elementwise.
 *
 * @example
 * ```ts
 * square(fromArray([-3, 2])).toArray(); // [9, 4]
 * ```
 */
export function square(x: NDArray): NDArray {
  return unary("square", x, (v) => v * v, true);
}

/**
 * `e^x` elementwise.
 *
 * @example
 * ```ts
 * exp(fromArray([0])).toArray(); // [1]
 * ```
 */
export function exp(x: NDArray): NDArray {
  return unary("exp", x, Math.exp, false);
}

/**
 * Natural logarithm elementwise (`-Infinity` at 0, NaN below).
 *
 * @example
 * ```ts
 * log(fromArray([1])).toArray(); // [0]
 * ```
 */
export function log(x: NDArray): NDArray {
  return unary("log", x, Math.log, false);
}

/**
 * Square root elementwise (NaN below 0).
 *
 * @example
 * ```ts
 * sqrt(fromArray([4, 9])).toArray(); // [2, 3]
 * ```
 */
export function sqrt(x: NDArray): NDArray {
  return unary("sqrt", x, Math.sqrt, false);
}

/**
 * Hyperbolic tangent elementwise.
 *
 * @example
 * ```ts
 * tanh(fromArray([0])).toArray(); // [0]
 * ```
 */
export function tanh(x: NDArray): NDArray {
  return unary("tanh", x, Math.tanh, false);
}

/**
 * Logistic sigmoid `1 / (1 + e^-x)` elementwise, computed without overflow for large `|x|`.
 *
 * @example
 * ```ts
 * sigmoid(fromArray([0])).toArray(); // [0.5]
 * ```
 */
export function sigmoid(x: NDArray): NDArray {
  return unary("sigmoid", x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), false);
}

/**
 * Rectified linear unit `max(x, 0)` elementwise (NaN stays NaN).
 *
 * @example
 * ```ts
 * relu(fromArray([-1, 0, 2])).toArray(); // [0, 0, 2]
 * ```
 */
export function relu(x: NDArray): NDArray {
  return unary("relu", x, (v) => (v < 0 ? 0 : v), true);
}
