/**
 * Reductions, argmax and softmax of the JS device. Accumulation is in float64.
 * @internal
 */
import type { ReduceOp } from "../ops.js";
import { forEachRow } from "./strided-loop.js";

/** Calls `visit(xOffset, yOffset)` for every index of the leading (kept) dimensions. */
function forEachOuter(
  shape: readonly number[], keep: number, sx: readonly number[], ox: number, sy: readonly number[], oy: number,
  visit: (xo: number, yo: number) => void,
): void {
  forEachRow(shape.slice(0, keep), [sx.slice(0, keep), sy], [ox, oy], (n, [a, b], [s, t]) => {
    for (let i = 0; i < n; i++, a += s, b += t) visit(a, b);
  });
}

/** @internal */
export function reduceView(
  op: ReduceOp, shape: readonly number[], reduceDims: number,
  x: Float32Array, sx: readonly number[], ox: number, y: Float32Array, sy: readonly number[], oy: number,
): void {
  const keep = shape.length - reduceDims;
  const inner = shape.slice(keep);
  const innerStrides = sx.slice(keep);
  let count = 1;
  for (const d of inner) count *= d;
  forEachOuter(shape, keep, sx, ox, sy, oy, (xo, yo) => {
    let acc = op === "max" ? -Infinity : op === "min" ? Infinity : 0;
    forEachRow(inner, [innerStrides], [xo], (n, [a], [s]) => {
      if (op === "sum" || op === "mean") for (let i = 0; i < n; i++, a += s) acc += x[a];
      else if (op === "sumSquares") for (let i = 0; i < n; i++, a += s) acc += x[a] * x[a];
      else if (op === "max") for (let i = 0; i < n; i++, a += s) { const v = x[a]; if (v > acc || Number.isNaN(v)) acc = Number.isNaN(acc) ? acc : v; }
      else for (let i = 0; i < n; i++, a += s) { const v = x[a]; if (v < acc || Number.isNaN(v)) acc = Number.isNaN(acc) ? acc : v; }
    });
    y[yo] = op === "mean" ? acc / count : acc;
  });
}

/** @internal */
export function argmaxView(
  shape: readonly number[], reduceDims: number,
  x: Float32Array, sx: readonly number[], ox: number, y: Int32Array, sy: readonly number[], oy: number,
): void {
  const keep = shape.length - reduceDims;
  const inner = shape.slice(keep);
  const innerStrides = sx.slice(keep);
  forEachOuter(shape, keep, sx, ox, sy, oy, (xo, yo) => {
    let best = -Infinity;
    let bestIndex = -1;
    let flat = 0;
    forEachRow(inner, [innerStrides], [xo], (n, [a], [s]) => {
      for (let i = 0; i < n; i++, a += s, flat++) {
        const v = x[a];
        if (bestIndex < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          bestIndex = flat;
        }
      }
    });
    y[yo] = bestIndex;
  });
}

/** Row-wise softmax or log-softmax of a rows×cols strided view. @internal */
export function softmaxRows(
  rows: number, cols: number, x: Float32Array, sx: readonly number[], ox: number,
  y: Float32Array, sy: readonly number[], oy: number, log: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = ox + r * sx[0];
    const yr = oy + r * sy[0];
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[xr + c * sx[1]]);
    if (max === -Infinity) max = 0;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[xr + c * sx[1]] - max);
    if (log) {
      const lse = Math.log(sum);
      for (let c = 0; c < cols; c++) y[yr + c * sy[1]] = x[xr + c * sx[1]] - max - lse;
    } else {
      for (let c = 0; c < cols; c++) y[yr + c * sy[1]] = Math.exp(x[xr + c * sx[1]] - max) / sum;
    }
  }
}
