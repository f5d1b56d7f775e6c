/**
 * Row-major traversal of strided layouts: the loop every copy and elementwise kernel shares.
 */
import type { TypedArray } from "./dtype.js";

/**
 * Calls `visit(bases)` once per innermost row of `shape`, in row-major order. `bases[k]` is the
 * offset of the row's first element in operand `k` (described by `strides[k]` and `offsets[k]`).
 * The caller walks the row itself: `shape[ndim-1]` elements, step `strides[k][ndim-1]`.
 * A 0-d shape has one row of one element; an empty shape has none. `bases` is reused between calls.
 */
export function forEachRow(
  shape: readonly number[],
  strides: ReadonlyArray<readonly number[]>,
  offsets: readonly number[],
  visit: (bases: number[]) => void,
): void {
  const nd = shape.length;
  if (shape.some((d) => d === 0)) return;
  const bases = offsets.slice();
  if (nd <= 1) {
    visit(bases);
    return;
  }
  const outer = nd - 1;
  const idx = new Array<number>(outer).fill(0);
  for (;;) {
    visit(bases);
    let d = outer - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < bases.length; k++) bases[k] += strides[k][d];
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
      for (let k = 0; k < bases.length; k++) bases[k] -= strides[k][d] * shape[d];
    }
    if (d < 0) return;
  }
}

/** Length of the innermost row (1 for 0-d). */
export function rowLength(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[shape.length - 1];
}

/** Step along the innermost row (0 for 0-d). */
export function rowStride(strides: readonly number[]): number {
  return strides.length === 0 ? 0 : strides[strides.length - 1];
}

/** Copies a strided layout of `src` into `out` (contiguous, row-major), converting by assignment. */
export function copyStrided(
  src: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  out: TypedArray,
): void {
  const n = rowLength(shape);
  const s = rowStride(strides);
  let o = 0;
  forEachRow(shape, [strides], [offset], (b) => {
    for (let i = 0, p = b[0]; i < n; i++, p += s) out[o++] = src[p];
  });
}
