/**
 * Reductions, argmax and softmax. A reduction walks the kept dimensions with one descriptor
 * (operands x and y) and the reduced dimensions with another (operand x); sums accumulate in
 * float64 (contiguous rows in eight partial sums, see sumRow), NaN rules follow the reference JS device.
 */
import { REDUCE_MAX, REDUCE_MEAN, REDUCE_MIN, REDUCE_SUM, REDUCE_SUM_SQUARES } from "./layout.generated";
import { ndBegin, ndNext, ndOffset, ndSeek, ndShape, ndStride } from "./nd";

/** Reduce op codes (layout.generated.ts). */
const SUM = REDUCE_SUM, MEAN = REDUCE_MEAN, MAX = REDUCE_MAX, MIN = REDUCE_MIN, SUM_SQUARES = REDUCE_SUM_SQUARES;

/**
 * Σ p[i] (or Σ p[i]², `squares`) over n contiguous float32 values in float64: four f64x2
 * accumulators (eight interleaved partial sums, so the adds do not wait on each other), then the
 * tail in order. The order is fixed by n alone, so every thread count gives the same bits.
 */
// @ts-ignore: decorator
@inline function sumRow(p: usize, n: i32, squares: bool): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const u = v128.load(p + <usize>(i << 2)), v = v128.load(p + <usize>(i << 2), 16);
    let u0 = f64x2.promote_low_f32x4(u), u1 = f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 0, 1));
    let v0 = f64x2.promote_low_f32x4(v), v1 = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    if (squares) {
      u0 = f64x2.mul(u0, u0);
      u1 = f64x2.mul(u1, u1);
      v0 = f64x2.mul(v0, v0);
      v1 = f64x2.mul(v1, v1);
    }
    a0 = f64x2.add(a0, u0);
    a1 = f64x2.add(a1, u1);
    a2 = f64x2.add(a2, v0);
    a3 = f64x2.add(a3, v1);
  }
  const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let acc = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(p + <usize>(i << 2));
    acc += squares ? v * v : v;
  }
  return acc;
}

/** Reduces the dimensions of `descR` at x+offset, returning the float64 result. */
function reduceOne(op: i32, ndR: i32, descR: usize, x: usize): f64 {
  let acc: f64 = op == MAX ? -Infinity : op == MIN ? Infinity : 0;
  let count: f64 = 0;
  const rows = ndBegin(descR, ndR, 1);
  const n = ndShape(descR, ndR - 1);
  const s = ndStride(descR, ndR, 0, ndR - 1);
  for (let r = 0; r < rows; r++, ndNext(descR, ndR, 1)) {
    const p = x + <usize>(ndOffset(descR, ndR, 1, 0) << 2);
    count += <f64>n;
    if (s == 1 && (op == SUM || op == MEAN)) {
      acc += sumRow(p, n, false);
    } else if (s == 1 && op == SUM_SQUARES) {
      acc += sumRow(p, n, true);
    } else if (op == SUM || op == MEAN) {
      for (let i = 0; i < n; i++) acc += <f64>load<f32>(p + <usize>(i * s * 4));
    } else if (op == SUM_SQUARES) {
      for (let i = 0; i < n; i++) {
        const v = <f64>load<f32>(p + <usize>(i * s * 4));
        acc += v * v;
      }
    } else if (op == MAX) {
      for (let i = 0; i < n; i++) {
        const v = <f64>load<f32>(p + <usize>(i * s * 4));
        if (v > acc || isNaN(v)) acc = isNaN(acc) ? acc : v;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = <f64>load<f32>(p + <usize>(i * s * 4));
        if (v < acc || isNaN(v)) acc = isNaN(acc) ? acc : v;
      }
    }
  }
  return op == MEAN ? acc / count : acc;
}

/** y ← reduce(x) over the dimensions of `descR`, for every index of the kept dimensions `descK`. */
export function reduce(op: i32, ndK: i32, descK: usize, ndR: i32, descR: usize, x: usize, y: usize): void {
  const rows = ndBegin(descK, ndK, 2);
  if (rows > 0) reducePart(op, ndK, descK, ndR, descR, x, y, 0, rows, 0, ndShape(descK, ndK - 1));
}

/**
 * {@link reduce} for the kept indices in rows [r0, r1) and columns [c0, c1) of the kept walk: each
 * output is reduced whole, in the same order, by one thread (a split job never cuts a sum).
 */
export function reducePart(op: i32, ndK: i32, descK: usize, ndR: i32, descR: usize, x: usize, y: usize, r0: i32, r1: i32, c0: i32, c1: i32): void {
  ndSeek(descK, ndK, 2, r0);
  const n = c1 - c0;
  const sx = ndStride(descK, ndK, 0, ndK - 1), sy = ndStride(descK, ndK, 1, ndK - 1);
  for (let r = r0; r < r1; r++, ndNext(descK, ndK, 2)) {
    const px = x + <usize>((ndOffset(descK, ndK, 2, 0) + c0 * sx) << 2);
    const py = y + <usize>((ndOffset(descK, ndK, 2, 1) + c0 * sy) << 2);
    for (let i = 0; i < n; i++) store<f32>(py + <usize>(i * sy * 4), <f32>reduceOne(op, ndR, descR, px + <usize>(i * sx * 4)));
  }
}

/** Flat index (row-major over the reduced dimensions) of the first maximum; a NaN wins. */
function argmaxOne(ndR: i32, descR: usize, x: usize): i32 {
  let best: f32 = -Infinity;
  let bestIndex = -1;
  let flat = 0;
  const rows = ndBegin(descR, ndR, 1);
  const n = ndShape(descR, ndR - 1);
  const s = ndStride(descR, ndR, 0, ndR - 1);
  for (let r = 0; r < rows; r++, ndNext(descR, ndR, 1)) {
    const p = x + <usize>(ndOffset(descR, ndR, 1, 0) << 2);
    for (let i = 0; i < n; i++, flat++) {
      const v = load<f32>(p + <usize>(i * s * 4));
      if (bestIndex < 0 || v > best || (isNaN(v) && !isNaN(best))) {
        best = v;
        bestIndex = flat;
      }
    }
  }
  return bestIndex;
}

/** y (int32) ← argmax over the reduced dimensions, for every kept index. */
export function argmax(ndK: i32, descK: usize, ndR: i32, descR: usize, x: usize, y: usize): void {
  const rows = ndBegin(descK, ndK, 2);
  if (rows > 0) argmaxPart(ndK, descK, ndR, descR, x, y, 0, rows, 0, ndShape(descK, ndK - 1));
}

/** {@link argmax} for the kept indices in rows [r0, r1) and columns [c0, c1) of the kept walk. */
export function argmaxPart(ndK: i32, descK: usize, ndR: i32, descR: usize, x: usize, y: usize, r0: i32, r1: i32, c0: i32, c1: i32): void {
  ndSeek(descK, ndK, 2, r0);
  const n = c1 - c0;
  const sx = ndStride(descK, ndK, 0, ndK - 1), sy = ndStride(descK, ndK, 1, ndK - 1);
  for (let r = r0; r < r1; r++, ndNext(descK, ndK, 2)) {
    const px = x + <usize>((ndOffset(descK, ndK, 2, 0) + c0 * sx) << 2);
    const py = y + <usize>((ndOffset(descK, ndK, 2, 1) + c0 * sy) << 2);
    for (let i = 0; i < n; i++) store<i32>(py + <usize>(i * sy * 4), argmaxOne(ndR, descR, px + <usize>(i * sx * 4)));
  }
}

/** Row-wise softmax (or log-softmax) of a rows×cols strided view, max subtracted, sums in float64. */
export function softmax(rows: i32, cols: i32, x: usize, sx0: i32, sx1: i32, y: usize, sy0: i32, sy1: i32, log: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>(r * sx0 * 4), yr = y + <usize>(r * sy0 * 4);
    let max: f64 = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, <f64>load<f32>(xr + <usize>(c * sx1 * 4)));
    if (max == -Infinity) max = 0;
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(<f64>load<f32>(xr + <usize>(c * sx1 * 4)) - max);
    if (log) {
      const lse = Math.log(sum);
      for (let c = 0; c < cols; c++) store<f32>(yr + <usize>(c * sy1 * 4), <f32>(<f64>load<f32>(xr + <usize>(c * sx1 * 4)) - max - lse));
    } else {
      for (let c = 0; c < cols; c++) store<f32>(yr + <usize>(c * sy1 * 4), <f32>(Math.exp(<f64>load<f32>(xr + <usize>(c * sx1 * 4)) - max) / sum));
    }
  }
}
