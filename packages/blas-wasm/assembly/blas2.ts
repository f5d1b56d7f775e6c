/**
 * Level 2 BLAS: sgemv and sger over strided matrices (strides in elements, transposes already
 * turned into stride swaps by the caller). Row-contiguous A uses f32x4 dot products over four rows
 * at a time; column-contiguous A uses f32x4 axpy over the rows. `scratch` is caller-provided room
 * for max(M, N) + 8 floats plus 4 KiB (a contiguous copy of x, or the partial sums of y).
 */
import { at, madd } from "./common";

/** Horizontal sum of the four lanes. */
// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** y[i] ← α·s + β·y[i] (β = 0: y is not read). */
// @ts-ignore: decorator
@inline function storeY(p: usize, s: f32, alpha: f32, beta: f32): void {
  store<f32>(p, beta == 0 ? alpha * s : alpha * s + beta * load<f32>(p));
}

/** Dot products of four rows of a row-contiguous A with the contiguous x (length n). */
function rowsDot4(n: i32, a: usize, sa1: i32, x: usize, out: usize): void {
  const r1 = at(a, sa1 * 4), r2 = at(a, sa1 * 8), r3 = at(a, sa1 * 12);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>(j << 2);
    const xv = v128.load(x + o);
    s0 = madd(v128.load(a + o), xv, s0);
    s1 = madd(v128.load(r1 + o), xv, s1);
    s2 = madd(v128.load(r2 + o), xv, s2);
    s3 = madd(v128.load(r3 + o), xv, s3);
  }
  let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
  for (; j < n; j++) {
    const o = <usize>(j << 2);
    const xv = load<f32>(x + o);
    t0 += load<f32>(a + o) * xv;
    t1 += load<f32>(r1 + o) * xv;
    t2 += load<f32>(r2 + o) * xv;
    t3 += load<f32>(r3 + o) * xv;
  }
  store<f32>(out, t0);
  store<f32>(out, t1, 4);
  store<f32>(out, t2, 8);
  store<f32>(out, t3, 12);
}

/** y ← α·A·x + β·y, A is m×n. β = 0 never reads y. */
export function sgemv(
  m: i32, n: i32, alpha: f32, a: usize, sa1: i32, sa2: i32, x: usize, sx: i32,
  beta: f32, y: usize, sy: i32, scratch: usize,
): void {
  if (sa2 == 1) {
    // Rows are contiguous: dot products against a contiguous copy of x.
    let xs = x;
    if (sx != 1) {
      xs = scratch;
      for (let j = 0; j < n; j++) store<f32>(xs + <usize>(j << 2), load<f32>(at(x, j * sx * 4)));
    }
    const sums = xs == scratch ? scratch + <usize>(((n + 3) & ~3) << 2) : scratch;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      rowsDot4(n, at(a, i * sa1 * 4), sa1, xs, sums);
      for (let r = 0; r < 4; r++) storeY(at(y, (i + r) * sy * 4), load<f32>(sums + <usize>(r << 2)), alpha, beta);
    }
    for (; i < m; i++) {
      const row = at(a, i * sa1 * 4);
      let s: f32 = 0;
      for (let j = 0; j < n; j++) s += load<f32>(row + <usize>(j << 2)) * load<f32>(xs + <usize>(j << 2));
      storeY(at(y, i * sy * 4), s, alpha, beta);
    }
    return;
  }
  if (sa1 == 1) {
    // Columns are contiguous: accumulate x[j]·A[:, j] into partial sums, placed 2 KiB off A's
    // position modulo 4 KiB: with a column stride that is a multiple of 4 KiB (N = 4096) every load
    // of A would otherwise alias the store to the sums (1×4096×9216 ran 20 % slower). Four columns
    // per pass (one load and store of the sums per four multiply-adds) won when A fits in cache
    // (1×1024×1024: 33 vs 21 GFLOP/s) or the sums do not fit in L1 (9216 rows: 12.6 vs 8.1), one
    // column per pass when A streams from DRAM with sums in L1 (1×4096×9216: 14 vs 10).
    const sums = scratch + ((a + 2048 - scratch) & 4095);
    const byFour = n <= (1 << 21) / max(m, 1) || m > 4096;
    memory.fill(sums, 0, <usize>m << 2);
    let j = 0;
    if (byFour) for (; j + 4 <= n; j += 4) {
      const c0 = at(a, j * sa2 * 4), c1 = at(c0, sa2 * 4), c2 = at(c1, sa2 * 4), c3 = at(c2, sa2 * 4);
      const x0 = load<f32>(at(x, j * sx * 4)), x1 = load<f32>(at(x, (j + 1) * sx * 4));
      const x2 = load<f32>(at(x, (j + 2) * sx * 4)), x3 = load<f32>(at(x, (j + 3) * sx * 4));
      const v0 = f32x4.splat(x0), v1 = f32x4.splat(x1), v2 = f32x4.splat(x2), v3 = f32x4.splat(x3);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const o = <usize>(i << 2);
        let acc = v128.load(sums + o);
        acc = madd(v0, v128.load(c0 + o), acc);
        acc = madd(v1, v128.load(c1 + o), acc);
        acc = madd(v2, v128.load(c2 + o), acc);
        acc = madd(v3, v128.load(c3 + o), acc);
        v128.store(sums + o, acc);
      }
      for (; i < m; i++) {
        const o = <usize>(i << 2);
        store<f32>(sums + o, (((load<f32>(sums + o) + x0 * load<f32>(c0 + o)) + x1 * load<f32>(c1 + o)) + x2 * load<f32>(c2 + o)) + x3 * load<f32>(c3 + o));
      }
    }
    for (; j < n; j++) {
      const col = at(a, j * sa2 * 4);
      const xj = load<f32>(at(x, j * sx * 4));
      const vx = f32x4.splat(xj);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const o = <usize>(i << 2);
        v128.store(sums + o, madd(vx, v128.load(col + o), v128.load(sums + o)));
      }
      for (; i < m; i++) {
        const o = <usize>(i << 2);
        store<f32>(sums + o, load<f32>(sums + o) + xj * load<f32>(col + o));
      }
    }
    for (let i = 0; i < m; i++) storeY(at(y, i * sy * 4), load<f32>(sums + <usize>(i << 2)), alpha, beta);
    return;
  }
  for (let i = 0; i < m; i++) {
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += <f64>load<f32>(at(a, (i * sa1 + j * sa2) * 4)) * <f64>load<f32>(at(x, j * sx * 4));
    storeY(at(y, i * sy * 4), <f32>s, alpha, beta);
  }
}

/** A ← α·x·yᵀ + A (products in float64, one rounding per element, as the reference). */
export function sger(m: i32, n: i32, alpha: f64, x: usize, sx: i32, y: usize, sy: i32, a: usize, sa1: i32, sa2: i32): void {
  for (let i = 0; i < m; i++) {
    const t = alpha * <f64>load<f32>(at(x, i * sx * 4));
    const row = at(a, i * sa1 * 4);
    for (let j = 0; j < n; j++) {
      const p = at(row, j * sa2 * 4);
      store<f32>(p, <f32>(<f64>load<f32>(p) + t * <f64>load<f32>(at(y, j * sy * 4))));
    }
  }
}
