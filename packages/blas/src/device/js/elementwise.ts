/**
 * Elementwise routines of the JS device over n-d strided views.
 * @internal
 */
import type { BinaryOp, UnaryOp } from "../ops.js";
import { binaryFn, unaryFn } from "./scalar-ops.js";
import { forEachRow } from "./strided-loop.js";

/** y ← value. @internal */
export function fillView(shape: readonly number[], value: number, y: Float32Array | Int32Array, sy: readonly number[], oy: number): void {
  forEachRow(shape, [sy], [oy], (n, [o], [s]) => {
    for (let i = 0; i < n; i++, o += s) y[o] = value;
  });
}

/** y ← f(x). @internal */
export function unaryView(
  op: UnaryOp, shape: readonly number[], x: Float32Array, sx: readonly number[], ox: number,
  y: Float32Array, sy: readonly number[], oy: number, p0: number, p1: number,
): void {
  const f = unaryFn(op, p0, p1);
  forEachRow(shape, [sx, sy], [ox, oy], (n, [a, b], [s, t]) => {
    for (let i = 0; i < n; i++, a += s, b += t) y[b] = f(x[a]);
  });
}

/** out ← f(a, b). @internal */
export function binaryView(
  op: BinaryOp, shape: readonly number[],
  a: Float32Array, sa: readonly number[], oa: number,
  b: Float32Array, sb: readonly number[], ob: number,
  out: Float32Array, so: readonly number[], oo: number, p0: number,
): void {
  const f = binaryFn(op, p0);
  forEachRow(shape, [sa, sb, so], [oa, ob, oo], (n, [i, j, k], [s, t, u]) => {
    for (let e = 0; e < n; e++, i += s, j += t, k += u) out[k] = f(a[i], b[j]);
  });
}
