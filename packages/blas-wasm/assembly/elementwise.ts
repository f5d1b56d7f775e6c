/**
 * Elementwise routines over n-d strided views (see nd.ts): fill, unary and binary ops. Rows whose
 * operands are unit-stride (or broadcast, stride 0) take f32x4 paths for the ops whose float32
 * result equals the float64 reference's rounding (comparisons, selects, +, −, ×, ÷, √); the others
 * run the float64 scalar definitions of math.ts.
 */
import {
  BINARY_ADD, BINARY_DIV, BINARY_EQ, BINARY_MAXIMUM, BINARY_MINIMUM, BINARY_MUL, BINARY_RELU_GRAD, BINARY_SUB, UNARY_ABS, UNARY_AFFINE,
  UNARY_CLAMP, UNARY_COPY, UNARY_IN_RANGE, UNARY_LEAKY_RELU, UNARY_NEG, UNARY_RECIPROCAL, UNARY_RELU, UNARY_SIGN, UNARY_SQRT, UNARY_SQUARE,
  UNARY_STEP,
} from "./layout.generated";
import { binaryScalar, unaryScalar } from "./math";
import { ndBegin, ndNext, ndOffset, ndSeek, ndShape, ndStride } from "./nd";

/*
 * Each routine has a part form that covers rows [r0, r1) of the walk and columns [c0, c1) of each of
 * those rows (src/split.ts hands one part to each task of a split job; c0 is a multiple of 4 and c1
 * a multiple of 4 or the row's end, so every element takes the vector or scalar path it takes in
 * the whole walk), and a whole form (every row, every column) for the calling thread alone.
 */

/** y ← the 32-bit pattern `bits` (a float32 or an int32) over an n-d view. */
export function fill(nd: i32, desc: usize, y: usize, bits: i32): void {
  const rows = ndBegin(desc, nd, 1);
  if (rows > 0) fillPart(nd, desc, y, bits, 0, rows, 0, ndShape(desc, nd - 1));
}

/** {@link fill} over rows [r0, r1) and columns [c0, c1). */
export function fillPart(nd: i32, desc: usize, y: usize, bits: i32, r0: i32, r1: i32, c0: i32, c1: i32): void {
  ndSeek(desc, nd, 1, r0);
  const n = c1 - c0;
  const s = ndStride(desc, nd, 0, nd - 1);
  const v = i32x4.splat(bits);
  for (let r = r0; r < r1; r++, ndNext(desc, nd, 1)) {
    const p = y + <usize>((ndOffset(desc, nd, 1, 0) + c0 * s) << 2);
    let i = 0;
    if (s == 1) for (; i + 4 <= n; i += 4) v128.store(p + <usize>(i << 2), v);
    for (; i < n; i++) store<i32>(p + <usize>(i * s * 4), bits);
  }
}

/**
 * affine (p0·x + p1) of four floats in float64, as the reference computes it: promoted, multiplied
 * and added in f64x2, rounded once to float32 (bit for bit the scalar definition).
 */
// @ts-ignore: decorator
@inline function affine4(v: v128, d0: v128, d1: v128): v128 {
  const lo = f64x2.add(f64x2.mul(d0, f64x2.promote_low_f32x4(v)), d1);
  const hi = f64x2.add(f64x2.mul(d0, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1))), d1);
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** Vector form of the unary ops that have one; returns false to fall back to scalar. */
function unaryVector(op: i32, n: i32, x: usize, y: usize, p0: f64, p1: f64): i32 {
  const zero = f32x4.splat(0), one = f32x4.splat(1), vp0 = f32x4.splat(<f32>p0), vp1 = f32x4.splat(<f32>p1);
  const d0 = f64x2.splat(p0), d1 = f64x2.splat(p1);
  let i = 0;
  if (op > UNARY_SIGN && op != UNARY_SQRT && op != UNARY_SQUARE && op != UNARY_RECIPROCAL && op != UNARY_RELU && op != UNARY_STEP &&
    op != UNARY_LEAKY_RELU && op != UNARY_AFFINE && op != UNARY_CLAMP && op != UNARY_IN_RANGE) return 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>(i << 2);
    const v = v128.load(x + o);
    let r: v128;
    switch (op) {
      case UNARY_COPY: r = v; break;
      case UNARY_NEG: r = f32x4.neg(v); break;
      case UNARY_ABS: r = f32x4.abs(v); break;
      case UNARY_SIGN: r = v128.bitselect(one, v128.bitselect(f32x4.neg(one), v, f32x4.lt(v, zero)), f32x4.gt(v, zero)); break;
      case UNARY_SQRT: r = f32x4.sqrt(v); break;
      case UNARY_SQUARE: r = f32x4.mul(v, v); break;
      case UNARY_RECIPROCAL: r = f32x4.div(one, v); break;
      case UNARY_RELU: r = v128.and(v, v128.or(f32x4.gt(v, zero), f32x4.ne(v, v))); break;
      case UNARY_STEP: r = v128.and(one, f32x4.gt(v, zero)); break;
      case UNARY_LEAKY_RELU: r = v128.bitselect(v, f32x4.mul(vp0, v), f32x4.gt(v, zero)); break;
      case UNARY_AFFINE: r = affine4(v, d0, d1); break;
      case UNARY_CLAMP: r = v128.bitselect(vp0, v128.bitselect(vp1, v, f32x4.gt(v, vp1)), f32x4.lt(v, vp0)); break;
      default: r = v128.and(one, v128.and(f32x4.ge(v, vp0), f32x4.le(v, vp1))); break;
    }
    v128.store(y + o, r);
  }
  for (; i < n; i++) {
    const o = <usize>(i << 2);
    store<f32>(y + o, <f32>unaryScalar(op, <f64>load<f32>(x + o), p0, p1));
  }
  return 1;
}

/** y[0…n) ← the 32-bit pattern of v (a broadcast row: every element has the same value). */
function fillRow(y: usize, n: i32, v: f32): void {
  const vv = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + <usize>(i << 2), vv);
  for (; i < n; i++) store<f32>(y + <usize>(i << 2), v);
}

/** y ← f(x) over n-d views (op codes of math.ts). */
export function unary(op: i32, nd: i32, desc: usize, x: usize, y: usize, p0: f64, p1: f64): void {
  const rows = ndBegin(desc, nd, 2);
  if (rows > 0) unaryPart(op, nd, desc, x, y, p0, p1, 0, rows, 0, ndShape(desc, nd - 1));
}

/** {@link unary} over rows [r0, r1) and columns [c0, c1). */
export function unaryPart(op: i32, nd: i32, desc: usize, x: usize, y: usize, p0: f64, p1: f64, r0: i32, r1: i32, c0: i32, c1: i32): void {
  ndSeek(desc, nd, 2, r0);
  const n = c1 - c0;
  const sx = ndStride(desc, nd, 0, nd - 1), sy = ndStride(desc, nd, 1, nd - 1);
  // leakyRelu's slope and inRange's bounds must be float32 values for the vector path to round as
  // the float64 definition does (clamp returns its bound, so any bound is fine)
  const exact = <f64><f32>p0 == p0 && <f64><f32>p1 == p1;
  const vector = sx == 1 && sy == 1 && (exact || (op != UNARY_LEAKY_RELU && op != UNARY_IN_RANGE));
  for (let r = r0; r < r1; r++, ndNext(desc, nd, 2)) {
    const px = x + <usize>((ndOffset(desc, nd, 2, 0) + c0 * sx) << 2);
    const py = y + <usize>((ndOffset(desc, nd, 2, 1) + c0 * sy) << 2);
    if (vector && unaryVector(op, n, px, py, p0, p1)) continue;
    if (sx == 0 && sy == 1) {
      // A broadcast row (a per-channel value over a plane): one evaluation, then a fill.
      fillRow(py, n, <f32>unaryScalar(op, <f64>load<f32>(px), p0, p1));
      continue;
    }
    for (let i = 0; i < n; i++) {
      store<f32>(py + <usize>(i * sy * 4), <f32>unaryScalar(op, <f64>load<f32>(px + <usize>(i * sx * 4)), p0, p1));
    }
  }
}

// @ts-ignore: decorator
@inline function operand(p: usize, s: i32, o: usize): v128 {
  return s == 0 ? v128.load32_splat(p) : v128.load(p + o);
}

/** Vector form of the binary ops that have one (a and b unit-stride or broadcast); false otherwise. */
function binaryVector(op: i32, n: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize): i32 {
  if (op > BINARY_MINIMUM && op != BINARY_RELU_GRAD && op != BINARY_EQ) return 0;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>(i << 2);
    const va = operand(a, sa, o), vb = operand(b, sb, o);
    let r: v128;
    switch (op) {
      case BINARY_ADD: r = f32x4.add(va, vb); break;
      case BINARY_SUB: r = f32x4.sub(va, vb); break;
      case BINARY_MUL: r = f32x4.mul(va, vb); break;
      case BINARY_DIV: r = f32x4.div(va, vb); break;
      case BINARY_MAXIMUM: r = v128.bitselect(va, vb, v128.or(f32x4.gt(va, vb), f32x4.ne(va, va))); break;
      case BINARY_MINIMUM: r = v128.bitselect(va, vb, v128.or(f32x4.lt(va, vb), f32x4.ne(va, va))); break;
      case BINARY_RELU_GRAD: r = v128.and(va, f32x4.gt(vb, zero)); break;
      default: r = v128.and(f32x4.splat(1), f32x4.eq(va, vb)); break;
    }
    v128.store(out + o, r);
  }
  for (; i < n; i++) {
    const va = <f64>load<f32>(a + <usize>(i * sa * 4)), vb = <f64>load<f32>(b + <usize>(i * sb * 4));
    store<f32>(out + <usize>(i << 2), <f32>binaryScalar(op, va, vb, 0));
  }
  return 1;
}

/** out ← f(a, b) over n-d views (op codes of math.ts). */
export function binary(op: i32, nd: i32, desc: usize, a: usize, b: usize, out: usize, p0: f64): void {
  const rows = ndBegin(desc, nd, 3);
  if (rows > 0) binaryPart(op, nd, desc, a, b, out, p0, 0, rows, 0, ndShape(desc, nd - 1));
}

/** {@link binary} over rows [r0, r1) and columns [c0, c1). */
export function binaryPart(op: i32, nd: i32, desc: usize, a: usize, b: usize, out: usize, p0: f64, r0: i32, r1: i32, c0: i32, c1: i32): void {
  ndSeek(desc, nd, 3, r0);
  const n = c1 - c0;
  const sa = ndStride(desc, nd, 0, nd - 1), sb = ndStride(desc, nd, 1, nd - 1), so = ndStride(desc, nd, 2, nd - 1);
  const vector = so == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1);
  for (let r = r0; r < r1; r++, ndNext(desc, nd, 3)) {
    const pa = a + <usize>((ndOffset(desc, nd, 3, 0) + c0 * sa) << 2);
    const pb = b + <usize>((ndOffset(desc, nd, 3, 1) + c0 * sb) << 2);
    const po = out + <usize>((ndOffset(desc, nd, 3, 2) + c0 * so) << 2);
    if (vector && binaryVector(op, n, pa, sa, pb, sb, po)) continue;
    for (let i = 0; i < n; i++) {
      const va = <f64>load<f32>(pa + <usize>(i * sa * 4)), vb = <f64>load<f32>(pb + <usize>(i * sb * 4));
      store<f32>(po + <usize>(i * so * 4), <f32>binaryScalar(op, va, vb, p0));
    }
  }
}
