/**
 * Argument validation shared by every front end (public BLAS API) and every device (`js`, `wasm`,
 * `webgpu`), exported as `@tessera/blas/validate` so backends throw the reference device's exact
 * messages. Every error names the routine, the argument, what was expected and what was given.
 */
import { ORDERS, TRANSPOSES, type Order, type Transpose } from "./types.js";

/**
 * Throws a `RangeError` of the house format `fn: message`.
 *
 * @example
 * ```ts
 * import { fail } from "@tessera/blas/validate";
 * fail("sgemm", "M must be a non-negative integer, got -1"); // throws RangeError("sgemm: M must …")
 * ```
 */
export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/**
 * A dimension: a non-negative integer.
 *
 * @example
 * ```ts
 * import { checkDim } from "@tessera/blas/validate";
 * checkDim("sgemm", "M", 3); // ok; checkDim("sgemm", "M", -1) throws
 * ```
 */
export function checkDim(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) fail(fn, `${name} must be a non-negative integer, got ${value}`);
}

/**
 * A stride or offset: an integer.
 *
 * @example
 * ```ts
 * import { checkInt } from "@tessera/blas/validate";
 * checkInt("saxpy", "strideX", 2);
 * ```
 */
export function checkInt(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value)) fail(fn, `${name} must be an integer, got ${value}`);
}

/**
 * A scalar: a number (NaN and infinities are legal BLAS inputs, other types are not).
 *
 * @example
 * ```ts
 * import { checkScalar } from "@tessera/blas/validate";
 * checkScalar("saxpy", "alpha", 1.5);
 * ```
 */
export function checkScalar(fn: string, name: string, value: number): void {
  if (typeof value !== "number") fail(fn, `${name} must be a number, got ${typeof value}`);
}

/**
 * 
 *
 * @example
 * ```ts
 * import { checkTranspose } from "@tessera/blas/validate";
 * checkTranspose("sgemm", "transA", "transpose"); // true
 * ```
 */
export function checkTranspose(fn: string, name: string, value: Transpose): boolean {
  if (!TRANSPOSES.includes(value)) fail(fn, `${name} must be 'no-transpose' or 'transpose', got ${JSON.stringify(value)}`);
  return value === "transpose";
}

/**
 * 
 *
 * @example
 * ```ts
 * import { checkOrder } from "@tessera/blas/validate";
 * checkOrder("sgemm", "row-major");
 * ```
 */
export function checkOrder(fn: string, value: Order): void {
  if (!ORDERS.includes(value)) fail(fn, `order must be 'row-major' or 'column-major', got ${JSON.stringify(value)}`);
}

/**
 * Anything with a length (a typed array or a device buffer).
 *
 * @example
 * ```ts
 * import type { Sized } from "@tessera/blas/validate";
 * const b: Sized = new Float32Array(4);
 * ```
 */
export interface Sized {
  /** Number of elements. */
  readonly length: number;
}

/**
 * Checks that every element of a strided n-d view lies inside a buffer of `length` elements.
 * Empty views (a zero extent) address nothing and always pass.
 *
 *
 * @example
 * ```ts
 * import { checkView } from "@tessera/blas/validate";
 * checkView("unary", "x", [2, 3], [3, 1], 0, 6); // ok: elements 0…5 of 6
 * ```
 */
export function checkView(
  fn: string,
  name: string,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  buffer: Sized | number,
): void {
  if (!Array.isArray(shape)) fail(fn, `shape must be an array of dimensions, got ${typeof shape}`);
  if (!Array.isArray(strides)) fail(fn, `${name} strides must be an array, got ${typeof strides}`);
  if (shape.length !== strides.length) fail(fn, `${name} has ${shape.length} dimensions but ${strides.length} strides`);
  // The names are built only on failure: this runs on every device call, between kernels.
  if (!Number.isInteger(offset)) checkInt(fn, `offset of ${name}`, offset);
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    const s = strides[d];
    if (!Number.isInteger(n) || n < 0) checkDim(fn, `dimension ${d} of ${name}`, n);
    if (!Number.isInteger(s)) checkInt(fn, `stride ${d} of ${name}`, s);
    if (n === 0) return;
    const span = (n - 1) * s;
    if (span < 0) lo += span;
    else hi += span;
  }
  const length = typeof buffer === "number" ? buffer : buffer.length;
  if (lo < 0 || hi >= length) {
    fail(
      fn,
      `${name} addresses elements [${lo}, ${hi}] (shape [${shape.join(",")}], strides [${strides.join(",")}], offset ${offset}) ` +
        `but its buffer has ${length} elements`,
    );
  }
}

/**
 * A strided vector of `n` elements lies inside `buffer`.
 *
 * @example
 * ```ts
 * import { checkVector } from "@tessera/blas/validate";
 * checkVector("sdot", "x", 4, -1, 3, 4); // elements 3, 2, 1, 0
 * ```
 */
export function checkVector(fn: string, name: string, n: number, stride: number, offset: number, buffer: Sized | number): void {
  checkView(fn, name, [n], [stride], offset, buffer);
}

/**
 * A strided `rows × cols` matrix lies inside `buffer`.
 *
 * @example
 * ```ts
 * import { checkMatrix } from "@tessera/blas/validate";
 * checkMatrix("sgemm", "A", 2, 3, 3, 1, 0, 6);
 * ```
 */
export function checkMatrix(
  fn: string,
  name: string,
  rows: number,
  cols: number,
  stride1: number,
  stride2: number,
  offset: number,
  buffer: Sized | number,
): void {
  checkView(fn, name, [rows, cols], [stride1, stride2], offset, buffer);
}

/**
 * BLAS-form increment: non-zero integer.
 *
 * @example
 * ```ts
 * import { checkInc } from "@tessera/blas/validate";
 * checkInc("sgemv", "strideX", 1);
 * ```
 */
export function checkInc(fn: string, name: string, value: number): void {
  checkInt(fn, name, value);
  if (value === 0) fail(fn, `${name} must be non-zero, got 0`);
}

/**
 * Offset of the first element for a BLAS-form increment (negative increments start at the end).
 *
 * @example
 * ```ts
 * import { blasOffset } from "@tessera/blas/validate";
 * blasOffset(4, -2); // 6: a negative increment starts at the end
 * ```
 */
export function blasOffset(n: number, inc: number): number {
  return inc < 0 ? (1 - n) * inc : 0;
}

/**
 * Checks the leading dimension of a stored `rows × cols` matrix in the BLAS form: row-major needs
 * `ld >= max(1, cols)`, column-major `ld >= max(1, rows)`. The names are the dimension letters
 * used in the message, e.g. `sgemm: lda (2) must be >= max(1, K) = 3 for row-major A`.
 *
 *
 * @example
 * ```ts
 * import { checkLd } from "@tessera/blas/validate";
 * checkLd("sgemm", "lda", 3, true, 2, 3, "M", "K", "A");
 * ```
 */
export function checkLd(
  fn: string, ldName: string, ld: number, rowMajor: boolean,
  rows: number, cols: number, rowsName: string, colsName: string, matrix: string,
): void {
  checkInt(fn, ldName, ld);
  const need = Math.max(1, rowMajor ? cols : rows);
  if (ld < need) {
    const order = rowMajor ? "row-major" : "column-major";
    fail(fn, `${ldName} (${ld}) must be >= max(1, ${rowMajor ? colsName : rowsName}) = ${need} for ${order} ${matrix}`);
  }
}

/**
 * One of a list of op names.
 *
 * @example
 * ```ts
 * import { checkOp } from "@tessera/blas/validate";
 * checkOp("unary", "relu", ["relu", "exp"]);
 * ```
 */
export function checkOp<T extends string>(fn: string, op: T, all: readonly T[]): void {
  if (!all.includes(op)) fail(fn, `op must be one of ${all.join(", ")}; got ${JSON.stringify(op)}`);
}
