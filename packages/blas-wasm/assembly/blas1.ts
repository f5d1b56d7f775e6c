/**
 * Level 1 BLAS over strided float32 vectors (strides in elements, any sign; pointers are byte
 * addresses of element 0 of the walk). Scalar-times-vector arithmetic is done in float64 and
 * rounded once, so results equal the reference JS kernels bit for bit; unit strides take f64x2 or
 * f32x4 vector paths.
 */
import { at } from "./common";

/** y ← α·x + y. */
export function saxpy(n: i32, alpha: f64, x: usize, sx: i32, y: usize, sy: i32): void {
  let i = 0;
  if (sx == 1 && sy == 1) {
    const va = f64x2.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>(i << 2);
      const xv = v128.load(x + o), yv = v128.load(y + o);
      const lo = f64x2.add(f64x2.mul(va, f64x2.promote_low_f32x4(xv)), f64x2.promote_low_f32x4(yv));
      const hi = f64x2.add(f64x2.mul(va, f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1))), f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 0, 1)));
      v128.store(y + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) {
    const px = at(x, i * sx * 4), py = at(y, i * sy * 4);
    store<f32>(py, <f32>(alpha * <f64>load<f32>(px) + <f64>load<f32>(py)));
  }
}

/** x ← α·x; α = 0 writes zeros without reading x. */
export function sscal(n: i32, alpha: f64, x: usize, sx: i32): void {
  let i = 0;
  if (sx == 1 && alpha != 0) {
    // α·x in float64 (f64x2), rounded once: the scalar loop's bits, four at a time.
    const va = f64x2.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const p = x + <usize>(i << 2);
      const v = v128.load(p);
      const lo = f64x2.mul(va, f64x2.promote_low_f32x4(v));
      const hi = f64x2.mul(va, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      v128.store(p, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) {
    const p = at(x, i * sx * 4);
    store<f32>(p, alpha == 0 ? 0 : <f32>(alpha * <f64>load<f32>(p)));
  }
}

/** y ← x (4-byte elements, so it also copies int32 data). */
export function scopy(n: i32, x: usize, sx: i32, y: usize, sy: i32): void {
  if (sx == 1 && sy == 1) {
    memory.copy(y, x, <usize>n << 2);
    return;
  }
  for (let i = 0; i < n; i++) store<u32>(at(y, i * sy * 4), load<u32>(at(x, i * sx * 4)));
}

/** x ↔ y. */
export function sswap(n: i32, x: usize, sx: i32, y: usize, sy: i32): void {
  for (let i = 0; i < n; i++) {
    const px = at(x, i * sx * 4), py = at(y, i * sy * 4);
    const t = load<u32>(px);
    store<u32>(px, load<u32>(py));
    store<u32>(py, t);
  }
}

/** xᵀy accumulated in float64 (two f64x2 accumulators on unit strides), rounded to float32. */
export function sdot(n: i32, x: usize, sx: i32, y: usize, sy: i32): f32 {
  let i = 0;
  let s: f64 = 0;
  if (sx == 1 && sy == 1) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>(i << 2);
      const xv = v128.load(x + o), yv = v128.load(y + o);
      lo = f64x2.add(lo, f64x2.mul(f64x2.promote_low_f32x4(xv), f64x2.promote_low_f32x4(yv)));
      hi = f64x2.add(hi, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(yv, yv, 2, 3, 0, 1))));
    }
    const t = f64x2.add(lo, hi);
    s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  for (; i < n; i++) s += <f64>load<f32>(at(x, i * sx * 4)) * <f64>load<f32>(at(y, i * sy * 4));
  return <f32>s;
}

/**
 * ‖x‖₂: squares of float32 values neither overflow nor underflow in float64, so the plain sum of
 * squares in float64 is as safe as reference BLAS's scaled loop (and a NaN propagates).
 */
export function snrm2(n: i32, x: usize, sx: i32): f32 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(at(x, i * sx * 4));
    s += v * v;
  }
  return <f32>Math.sqrt(s);
}

/** Σ|xᵢ| in float64. */
export function sasum(n: i32, x: usize, sx: i32): f32 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += Math.abs(<f64>load<f32>(at(x, i * sx * 4)));
  return <f32>s;
}

/** Index of the first largest |xᵢ|; a NaN wins at its first position; −1 for n = 0. */
export function isamax(n: i32, x: usize, sx: i32): i32 {
  if (n <= 0) return -1;
  let best = 0;
  let max: f32 = -1;
  for (let i = 0; i < n; i++) {
    const a = abs<f32>(load<f32>(at(x, i * sx * 4)));
    if (isNaN(a)) return i;
    if (a > max) {
      max = a;
      best = i;
    }
  }
  return best;
}
