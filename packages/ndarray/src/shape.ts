/**
 * Shape and stride arithmetic shared by the array methods and the operations.
 */

/** Formats a shape for error messages: `[2,3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Number of elements of an array with this shape (1 for a 0-d shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The most elements one typed array can hold in Node 20's V8 (2^32), and so the largest array or
 * device buffer: a bigger one fails with V8's `Invalid typed array length`, which names nothing.
 * Tessera checks sizes against it first and names the operation and the shape instead.
 *
 * @example
 * ```ts
 * import { MAX_ELEMENTS, zeros } from "@tessera/ndarray";
 * MAX_ELEMENTS; // 4294967296
 * zeros([1e6, 1e6]); // RangeError: zeros: shape [1000000,1000000] has 1000000000000 elements, more than the 2^32 = 4294967296 one buffer can hold
 * ```
 */
export const MAX_ELEMENTS = 2 ** 32;

/**
 * The error for an array of `shape` (or of `n` elements) that no typed array can hold, naming
 * the operation: `zeros: shape [1000000,1000000] has 1000000000000 elements, more than the 2^32 = 4294967296 one buffer can hold`.
 */
export function tooManyElements(op: string, n: number, shape?: readonly number[]): RangeError {
  const what = shape === undefined ? `${n} elements are` : `shape ${formatShape(shape)} has ${n} elements,`;
  return new RangeError(`${op}: ${what} more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`);
}

/** Throws unless every dimension is a non-negative integer; returns a copy. */
export function checkShape(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    const shown = Array.isArray(shape) ? formatShape(shape) : String(shape);
    throw new Error(`${op}: invalid shape ${shown}: dimensions must be non-negative integers`);
  }
  return shape.slice();
}

/** Row-major (C order) strides for a contiguous array of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when the layout is row-major contiguous (size-1 axes may have any stride). */
export function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 0) return true;
    if (shape[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/** Resolves a possibly negative axis against `ndim`; throws a numpy-style message if out of range. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`${op}: axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Resolves an axis option (one axis, several, or all when undefined) to sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new Error(`${op}: duplicate axis in ${formatShape(list)}`);
  }
  return out.sort((a, b) => a - b);
}

/** Resolves a new shape containing at most one -1 against `size`; throws the reshape error otherwise. */
export function resolveShape(op: string, size: number, shape: readonly number[]): number[] {
  const fail = (): never => {
    throw new Error(`${op}: cannot reshape array of size ${size} into shape ${formatShape(shape)}`);
  };
  if (!Array.isArray(shape)) fail();
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1 && unknown < 0) unknown = i;
    else if (Number.isInteger(d) && d >= 0) known *= d;
    else fail();
  });
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) fail();
    out[unknown] = size / known;
  } else if (known !== size) {
    fail();
  }
  return out;
}

/**
 * Strides that let a view with `oldShape`/`oldStrides` be read as `newShape` without copying, or
 * null when no such strides exist. Walks groups of old and new axes whose sizes multiply to the
 * same number; each group of old axes must be contiguous among itself.
 */
export function reshapeStrides(
  oldShape: readonly number[],
  oldStrides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  const size = sizeOf(oldShape);
  if (size === 0) return contiguousStrides(newShape);
  const os: number[] = [];
  const ost: number[] = [];
  oldShape.forEach((d, i) => {
    if (d !== 1) {
      os.push(d);
      ost.push(oldStrides[i]);
    }
  });
  const ns = new Array<number>(newShape.length).fill(1);
  let oi = 0;
  let ni = 0;
  while (oi < os.length && ni < newShape.length) {
    let oj = oi + 1;
    let nj = ni + 1;
    let op = os[oi];
    let np = newShape[ni];
    while (op !== np) {
      if (np < op) np *= newShape[nj++];
      else op *= os[oj++];
    }
    for (let k = oi; k < oj - 1; k++) {
      if (ost[k] !== os[k + 1] * ost[k + 1]) return null;
    }
    ns[nj - 1] = ost[oj - 1];
    for (let k = nj - 1; k > ni; k--) ns[k - 1] = ns[k] * newShape[k];
    oi = oj;
    ni = nj;
  }
  return ns;
}
