/**
 * Max and average pooling over contiguous H×W planes, forward and backward. The geometry record at
 * `g` has the layout of conv.ts (C unused). Divisors follow PyTorch's rules, as the reference.
 */
import {
  GEO_DILATION_H, GEO_DILATION_W, GEO_H, GEO_KH, GEO_KW, GEO_OH, GEO_OW, GEO_PAD_BOTTOM, GEO_PAD_LEFT, GEO_PAD_RIGHT, GEO_PAD_TOP,
  GEO_STRIDE_H, GEO_STRIDE_W, GEO_W,
} from "./layout.generated";
import { imax, imin } from "./common";

// @ts-ignore: decorator
@inline function geo(g: usize, i: i32): i32 {
  return load<i32>(g + <usize>(i << 2));
}

/** y ← max over each window, arg (int32) ← flat input index in the plane of the first maximum (no indices when arg = 0). */
export function maxPool(g: usize, planes: i32, x: usize, y: usize, arg: usize): void {
  const H = geo(g, GEO_H), W = geo(g, GEO_W), KH = geo(g, GEO_KH), KW = geo(g, GEO_KW), sH = geo(g, GEO_STRIDE_H), sW = geo(g, GEO_STRIDE_W);
  const pT = geo(g, GEO_PAD_TOP), pL = geo(g, GEO_PAD_LEFT), dH = geo(g, GEO_DILATION_H), dW = geo(g, GEO_DILATION_W), OH = geo(g, GEO_OH), OW = geo(g, GEO_OW);
  // Outputs [oh0, oh1) × [ow0, ow1) have their whole (non-empty) window inside the plane.
  const oh0 = imin(OH, (pT + sH - 1) / sH);
  const oh1 = KH > 0 && KW > 0 ? imax(oh0, imin(OH, floorDiv(H - 1 + pT - (KH - 1) * dH, sH) + 1)) : oh0;
  const ow0 = imin(OW, (pL + sW - 1) / sW), ow1 = imax(ow0, imin(OW, floorDiv(W - 1 + pL - (KW - 1) * dW, sW) + 1));
  if (sH == 2 && sW == 2 && dH == 1 && dW == 1 && KH == KW && (KH == 2 || KH == 3)) {
    if (arg == 0) {
      if (KH == 2) maxPoolStride2(2, false, planes, x, y, 0, H, W, OH, OW, pT, pL, ow0, ow1);
      else maxPoolStride2(3, false, planes, x, y, 0, H, W, OH, OW, pT, pL, ow0, ow1);
    } else {
      if (KH == 2) maxPoolStride2(2, true, planes, x, y, arg, H, W, OH, OW, pT, pL, ow0, ow1);
      else maxPoolStride2(3, true, planes, x, y, arg, H, W, OH, OW, pT, pL, ow0, ow1);
    }
    return;
  }
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const xp = x + <usize>((p * H * W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const inside = oh >= oh0 && oh < oh1;
      for (let ow = 0; ow < OW; ow++, o += 4) {
        if (inside && ow >= ow0 && ow < ow1) maxInside(xp, (oh * sH - pT) * W + ow * sW - pL, W, KH, KW, dH, dW, y + o, arg, o);
        else maxChecked(xp, oh * sH - pT, ow * sW - pL, H, W, KH, KW, dH, dW, y + o, arg, o);
      }
    }
  }
}

/** ⌊a / b⌋ for b > 0 (i32 division truncates toward zero). */
// @ts-ignore: decorator
@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/**
 * The maximum of a window that lies inside the plane, starting at flat index `i0`: no bounds
 * checks, the first tap seeds the maximum, and a branch-free update (on real data the comparison is
 * unpredictable: 3× faster than an if). Same results as {@link maxChecked}: ties keep the first
 * index, a NaN wins over numbers and the first NaN stays.
 */
// @ts-ignore: decorator
@inline function maxInside(xp: usize, i0: i32, W: i32, KH: i32, KW: i32, dH: i32, dW: i32, y: usize, arg: usize, o: usize): void {
  let bestIndex = i0;
  let best = load<f32>(xp + <usize>(i0 << 2));
  for (let kh = 0; kh < KH; kh++) {
    const row = i0 + kh * dH * W;
    for (let kw = kh == 0 ? 1 : 0; kw < KW; kw++) {
      const i = row + kw * dW;
      const v = load<f32>(xp + <usize>(i << 2));
      // v > best, or v is the first NaN (best == best is false once best is NaN).
      const take = (<i32>(v > best) | (<i32>(v != v) & <i32>(best == best))) != 0;
      best = select<f32>(v, best, take);
      bestIndex = select<i32>(i, bestIndex, take);
    }
  }
  store<f32>(y, best);
  if (arg != 0) store<i32>(arg + o, bestIndex);
}

/**
 * The maximum of a window that may leave the plane (padding, ceil mode): taps outside are skipped;
 * −∞ and −1 when none is inside. The index goes to arg + o unless arg = 0 (no indices).
 */
function maxChecked(xp: usize, ih0: i32, iw0: i32, H: i32, W: i32, KH: i32, KW: i32, dH: i32, dW: i32, y: usize, arg: usize, o: usize): void {
  let best: f32 = -Infinity;
  let bestIndex = -1;
  for (let kh = 0; kh < KH; kh++) {
    const ih = ih0 + kh * dH;
    if (ih < 0 || ih >= H) continue;
    for (let kw = 0; kw < KW; kw++) {
      const iw = iw0 + kw * dW;
      if (iw < 0 || iw >= W) continue;
      const v = load<f32>(xp + <usize>((ih * W + iw) << 2));
      if (bestIndex < 0 || v > best || (isNaN(v) && !isNaN(best))) {
        best = v;
        bestIndex = ih * W + iw;
      }
    }
  }
  store<f32>(y, bestIndex < 0 ? -Infinity : best);
  if (arg != 0) store<i32>(arg + o, bestIndex);
}

/**
 * One tap of the 2×2 window for four outputs at once: the same rule as the scalar loops (take v
 * when v > best, or when v is the first NaN), lane by lane.
 */
// @ts-ignore: decorator
@inline function tap(v: v128, best: v128): v128 {
  // best == best and not (v <= best): v > best, or v is NaN while best is not (3 operations, was 5).
  return v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
}

/**
 * Four neighbouring outputs of a K×K stride-2 window (K = 2: LeNet's, VGG's pools; K = 3: the
 * ResNet stem's and AlexNet's) whose columns lie inside the plane, over the window rows [kh0, kh1)
 * that do (the others are padding: the top and bottom output rows of a padded or ceil-mode pool);
 * window row 0 of the first output starts at flat index `i0`. Each input row of the window is read
 * as two vectors (columns i0 … i0 + 7) split into even and odd columns, the third column of a
 * 3-wide window is the even one shifted by one output plus column 8 (read alone: nothing past the
 * window is read). Taps are taken in the scalar order (row by row, left to right), the first one
 * inside seeding the maximum, so maxima, indices, ties and NaNs are those of {@link maxChecked}.
 * Without `indices` (arg = 0: inference) only the maxima are kept.
 */
// @ts-ignore: decorator
@inline function window4(K: i32, indices: bool, xp: usize, i0: i32, kh0: i32, kh1: i32, W: i32, y: usize, arg: usize): void {
  const first = i32x4.add(i32x4.splat(i0), i32x4(0, 2, 4, 6));
  let best = f32x4.splat(0);
  let index = first;
  for (let kh = kh0; kh < kh1; kh++) {
    const r = xp + <usize>((i0 + kh * W) << 2);
    const a0 = v128.load(r), a1 = v128.load(r, 16);
    const at = i32x4.add(first, i32x4.splat(kh * W));
    const even = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
    let take: v128;
    if (kh == kh0) {
      best = even;
      if (indices) index = at;
    } else {
      take = tap(even, best);
      best = v128.bitselect(even, best, take);
      if (indices) index = v128.bitselect(at, index, take);
    }
    const odd = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
    take = tap(odd, best);
    best = v128.bitselect(odd, best, take);
    if (indices) index = v128.bitselect(i32x4.add(at, i32x4.splat(1)), index, take);
    if (K == 3) {
      // Columns 2, 4, 6, 8: the even ones shifted by one lane, column 8 (read alone) coming in.
      const third = i32x4.shuffle(even, v128.load32_zero(r, 32), 1, 2, 3, 4);
      take = tap(third, best);
      best = v128.bitselect(third, best, take);
      if (indices) index = v128.bitselect(i32x4.add(at, i32x4.splat(2)), index, take);
    }
  }
  v128.store(y, best);
  if (indices) v128.store(arg, index);
}

/**
 * K×K stride-2 max pooling (dilation 1, K = 2 or 3, any padding or ceil mode): in each output row
 * with window rows inside the plane, the outputs whose columns are inside four at a time
 * ({@link window4}), the last few of a row whose windows are inside with {@link maxInside}, and
 * the rest (left and right borders, rows partly in the padding) with {@link maxChecked}.
 */
// @ts-ignore: decorator
@inline function maxPoolStride2(K: i32, indices: bool, planes: i32, x: usize, y: usize, arg: usize, H: i32, W: i32, OH: i32, OW: i32, pT: i32, pL: i32,
  ow0: i32, ow1: i32): void {
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const xp = x + <usize>((p * H * W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      const ih = 2 * oh - pT;
      const kh0 = imax(0, -ih), kh1 = imin(K, H - ih);
      let ow = 0;
      if (kh0 < kh1) {
        for (; ow < ow0; ow++, o += 4) maxChecked(xp, ih, 2 * ow - pL, H, W, K, K, 1, 1, y + o, arg, o);
        if (kh0 == 0 && kh1 == K) {
          // The whole window inside (constant rows: the common case, compiled on its own).
          for (; ow + 4 <= ow1; ow += 4, o += 16) window4(K, indices, xp, ih * W + 2 * ow - pL, 0, K, W, y + o, arg + o);
          for (; ow < ow1; ow++, o += 4) maxInside(xp, ih * W + 2 * ow - pL, W, K, K, 1, 1, y + o, arg, o);
        } else {
          for (; ow + 4 <= ow1; ow += 4, o += 16) window4(K, indices, xp, ih * W + 2 * ow - pL, kh0, kh1, W, y + o, arg + o);
        }
      }
      for (; ow < OW; ow++, o += 4) maxChecked(xp, ih, 2 * ow - pL, H, W, K, K, 1, 1, y + o, arg, o);
    }
  }
}

/** dx[argmax] += dy for every output cell. */
export function maxPoolBackward(g: usize, planes: i32, dy: usize, arg: usize, dx: usize): void {
  const HW = geo(g, GEO_H) * geo(g, GEO_W), P = geo(g, GEO_OH) * geo(g, GEO_OW);
  for (let p = 0; p < planes; p++) {
    const dxp = dx + <usize>((p * HW) << 2);
    for (let o = p * P, e = o + P; o < e; o++) {
      const i = load<i32>(arg + <usize>(o << 2));
      if (i >= 0) {
        const q = dxp + <usize>(i << 2);
        store<f32>(q, load<f32>(q) + load<f32>(dy + <usize>(o << 2)));
      }
    }
  }
}

/** Ceiling division for a positive divisor (numerators here are ≥ −divisor). */
// @ts-ignore: decorator
@inline function ceilDiv(a: i32, b: i32): i32 {
  return a > 0 ? (a + b - 1) / b : -((-a) / b);
}

/**
 * Average pooling forward (`backward` = 0: y ← mean of each window) or backward (`backward` = 1:
 * dx += dy / divisor over each window). `a` is x (forward) or dy (backward), `b` is y or dx.
 */
export function avgPool(g: usize, planes: i32, countIncludePad: i32, backward: i32, a: usize, b: usize): void {
  const H = geo(g, GEO_H), W = geo(g, GEO_W), KH = geo(g, GEO_KH), KW = geo(g, GEO_KW), sH = geo(g, GEO_STRIDE_H), sW = geo(g, GEO_STRIDE_W);
  const pT = geo(g, GEO_PAD_TOP), pL = geo(g, GEO_PAD_LEFT), pB = geo(g, GEO_PAD_BOTTOM), pR = geo(g, GEO_PAD_RIGHT), dH = geo(g, GEO_DILATION_H), dW = geo(g, GEO_DILATION_W);
  const OH = geo(g, GEO_OH), OW = geo(g, GEO_OW);
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = (backward ? b : a) + <usize>((p * H * W) << 2);
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o += 4) {
        let h0 = oh * sH - pT, w0 = ow * sW - pL;
        let h1 = min(h0 + (KH - 1) * dH + 1, H + pB), w1 = min(w0 + (KW - 1) * dW + 1, W + pR);
        const padded = ceilDiv(h1 - h0, dH) * ceilDiv(w1 - w0, dW);
        h0 = max(h0, 0);
        w0 = max(w0, 0);
        h1 = min(h1, H);
        w1 = min(w1, W);
        const inside = max(0, ceilDiv(h1 - h0, dH)) * max(0, ceilDiv(w1 - w0, dW));
        const div = countIncludePad ? padded : inside;
        if (backward) {
          if (div == 0) continue;
          const gv = <f64>load<f32>(a + o) / <f64>div;
          for (let ih = h0; ih < h1; ih += dH) {
            for (let iw = w0; iw < w1; iw += dW) {
              const q = plane + <usize>((ih * W + iw) << 2);
              store<f32>(q, <f32>(<f64>load<f32>(q) + gv));
            }
          }
        } else {
          let s: f64 = 0;
          for (let ih = h0; ih < h1; ih += dH) for (let iw = w0; iw < w1; iw += dW) s += <f64>load<f32>(plane + <usize>((ih * W + iw) << 2));
          store<f32>(b + o, div > 0 ? <f32>(s / <f64>div) : 0);
        }
      }
    }
  }
}
