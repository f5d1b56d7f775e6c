/**
 * Argument validation of the device routines, with the messages of the reference device: every
 * error names the routine, the argument, what was expected and what was given.
 * @internal
 */
import { outputSize, type Conv2dGeometry, type Pool2dGeometry, type Transpose } from "@tessera/blas";

/** Throws a `RangeError` of the house format `fn: message`. @internal */
export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/** A dimension: a non-negative integer. @internal */
export function checkDim(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) fail(fn, `${name} must be a non-negative integer, got ${value}`);
}

/** A stride, offset or seed: an integer. @internal */
export function checkInt(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value)) fail(fn, `${name} must be an integer, got ${value}`);
}

/** A scalar: a number (NaN and infinities are legal values, other types are not). @internal */
export function checkScalar(fn: string, name: string, value: number): void {
  if (typeof value !== "number") fail(fn, `${name} must be a number, got ${typeof value}`);
}

/** `'no-transpose'` or `'transpose'`; returns true for the latter. @internal */
export function checkTranspose(fn: string, name: string, value: Transpose): boolean {
  if (value !== "no-transpose" && value !== "transpose") fail(fn, `${name} must be 'no-transpose' or 'transpose', got ${JSON.stringify(value)}`);
  return value === "transpose";
}

/** One of a list of op names. @internal */
export function checkOp<T extends string>(fn: string, op: T, all: readonly T[]): void {
  if (!all.includes(op)) fail(fn, `op must be one of ${all.join(", ")}; got ${JSON.stringify(op)}`);
}

/**
 * Every element of the strided view lies inside a buffer of `length` elements (empty views
 * address nothing and pass).
 * @internal
 */
export function checkView(fn: string, name: string, shape: readonly number[], strides: readonly number[], offset: number, length: number): void {
  if (!Array.isArray(shape)) fail(fn, `shape must be an array of dimensions, got ${typeof shape}`);
  if (!Array.isArray(strides)) fail(fn, `${name} strides must be an array, got ${typeof strides}`);
  if (shape.length !== strides.length) fail(fn, `${name} has ${shape.length} dimensions but ${strides.length} strides`);
  checkInt(fn, `offset of ${name}`, offset);
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < shape.length; d++) {
    checkDim(fn, `dimension ${d} of ${name}`, shape[d]);
    checkInt(fn, `stride ${d} of ${name}`, strides[d]);
  }
  if (shape.some((n) => n === 0)) return;
  for (let d = 0; d < shape.length; d++) {
    const span = (shape[d] - 1) * strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= length) {
    fail(fn, `${name} addresses elements [${lo}, ${hi}] (shape [${shape.join(",")}], strides [${strides.join(",")}], offset ${offset}) but its buffer has ${length} elements`);
  }
}

/** A strided vector of `n` elements lies inside the buffer. @internal */
export function checkVector(fn: string, name: string, n: number, stride: number, offset: number, length: number): void {
  checkView(fn, name, [n], [stride], offset, length);
}

function checkWindow(fn: string, g: Pool2dGeometry | Conv2dGeometry): void {
  if (typeof g !== "object" || g === null) fail(fn, `geometry must be an object, got ${g}`);
  for (const k of ["H", "W", "KH", "KW", "OH", "OW", "padTop", "padLeft", "padBottom", "padRight"] as const) checkDim(fn, `geometry.${k}`, g[k]);
  for (const k of ["strideH", "strideW", "dilationH", "dilationW"] as const) {
    checkInt(fn, `geometry.${k}`, g[k]);
    if (g[k] < 1) fail(fn, `geometry.${k} must be >= 1, got ${g[k]}`);
  }
  const oh = outputSize(g.H, g.KH, g.strideH, g.padTop, g.padBottom, g.dilationH);
  const ow = outputSize(g.W, g.KW, g.strideW, g.padLeft, g.padRight, g.dilationW);
  if (g.OH !== oh || g.OW !== ow) {
    fail(fn, `geometry output ${g.OH}×${g.OW} does not match the input ${g.H}×${g.W}, kernel ${g.KH}×${g.KW}, ` +
      `strides ${g.strideH},${g.strideW}, padding ${g.padTop},${g.padBottom},${g.padLeft},${g.padRight} and dilation ${g.dilationH},${g.dilationW}: expected ${oh}×${ow}`);
  }
}

/** Convolution geometry: sizes, strides ≥ 1 and a consistent output size. @internal */
export function checkConvGeometry(fn: string, g: Conv2dGeometry): void {
  checkWindow(fn, g);
  checkDim(fn, "geometry.C", g.C);
}

/** Pooling geometry. @internal */
export function checkPoolGeometry(fn: string, g: Pool2dGeometry): void {
  checkWindow(fn, g);
}
