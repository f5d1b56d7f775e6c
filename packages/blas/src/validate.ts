/**
 * Argument validation shared by every front end (public BLAS API and devices). Every error names
 * the routine, the argument, what was expected and what was given.
 * @internal
 */
import { ORDERS, TRANSPOSES, type Order, type Transpose } from "./types.js";

/** Throws a `RangeError` of the house format `fn: message`. @internal */
export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/** A dimension: a non-negative integer. @internal */
export function checkDim(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) fail(fn, `${name} must be a non-negative integer, got ${value}`);
}

/** A stride or offset: an integer. @internal */
export function checkInt(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value)) fail(fn, `${name} must be an integer, got ${value}`);
}

/** A scalar: a number (NaN and infinities are legal BLAS inputs, other types are not). @internal */
export function checkScalar(fn: string, name: string, value: number): void {
  if (typeof value !== "number") fail(fn, `${name} must be a number, got ${typeof value}`);
}

/** @internal */
export function checkTranspose(fn: string, name: string, value: Transpose): boolean {
  if (!TRANSPOSES.includes(value)) fail(fn, `${name} must be 'no-transpose' or 'transpose', got ${JSON.stringify(value)}`);
  return value === "transpose";
}

/** @internal */
export function checkOrder(fn: string, value: Order): void {
  if (!ORDERS.includes(value)) fail(fn, `order must be 'row-major' or 'column-major', got ${JSON.stringify(value)}`);
}

/** Anything with a length (a typed array or a device buffer). @internal */
export interface Sized {
  readonly length: number;
}

/**
 * Checks that every element of a strided n-d view lies inside a buffer of `length` elements.
 * Empty views (a zero extent) address nothing and always pass.
 * @internal
 */
export function checkView(
  fn: string,
  name: string,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  buffer: Sized,
): void {
  if (shape.length !== strides.length) fail(fn, `${name} has ${shape.length} dimensions but ${strides.length} strides`);
  checkInt(fn, `offset of ${name}`, offset);
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    const s = strides[d];
    checkDim(fn, `dimension ${d} of ${name}`, n);
    checkInt(fn, `stride ${d} of ${name}`, s);
    if (n === 0) return;
    const span = (n - 1) * s;
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= buffer.length) {
    fail(
      fn,
      `${name} addresses elements [${lo}, ${hi}] (shape [${shape.join(",")}], strides [${strides.join(",")}], offset ${offset}) ` +
        `but its buffer has ${buffer.length} elements`,
    );
  }
}

/** A strided vector of `n` elements lies inside `buffer`. @internal */
export function checkVector(fn: string, name: string, n: number, stride: number, offset: number, buffer: Sized): void {
  checkView(fn, name, [n], [stride], offset, buffer);
}

/** A strided `rows × cols` matrix lies inside `buffer`. @internal */
export function checkMatrix(
  fn: string,
  name: string,
  rows: number,
  cols: number,
  stride1: number,
  stride2: number,
  offset: number,
  buffer: Sized,
): void {
  checkView(fn, name, [rows, cols], [stride1, stride2], offset, buffer);
}

/** BLAS-form increment: non-zero integer. @internal */
export function checkInc(fn: string, name: string, value: number): void {
  checkInt(fn, name, value);
  if (value === 0) fail(fn, `${name} must be non-zero, got 0`);
}

/** Offset of the first element for a BLAS-form increment (negative increments start at the end). @internal */
export function blasOffset(n: number, inc: number): number {
  return inc < 0 ? (1 - n) * inc : 0;
}

/**
 * Checks the leading dimension of a stored `rows × cols` matrix in the BLAS form: row-major needs
 * `ld >= max(1, cols)`, column-major `ld >= max(1, rows)`. The names are the dimension letters
 * used in the message, e.g. `sgemm: lda (2) must be >= max(1, K) = 3 for row-major A`.
 * @internal
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
