/**
 * Convolution backward-filter as an implicit GEMM: dWᵀ += col · dYᵀ summed over every pixel of every
 * image, with the column matrix never built (the same k-offset idea as conv-implicit.ts).
 *
 * A tile is 4 rows k (= (c, kh, kw)) × 8 output channels held in eight f32x4 accumulators. Each
 * step over one pixel p of image n broadcasts the four input values x[n][base(p) + koff[k]] and
 * multiplies them with the pixel's eight dy values, read as two vectors from dY transposed to
 * [N, P, OCpad] (OCpad = 8·panels, zero lanes past OC). Tasks are (k tile, channel panel) pairs; a
 * task sums over all images and pixels in order, then adds its tile to dW, so every dW element is
 * one task's sum: results do not depend on the thread count. The input is read in place, or from a
 * zero-padded copy of the batch made first (convPadBatch), so every read is in bounds.
 *
 * Job record (i32 slots, written by src/conv-filter.ts): see the FJ_ constants.
 */
import { fetchAdd, imin, madd } from "./common";
import { padRows, storeChannels } from "./conv-implicit";
import { slot } from "./gemm/job";
import {
  FJ_DW, FJ_DYT, FJ_IMAGE, FJ_K, FJ_KOFF, FJ_N, FJ_OC, FJ_OCPAD, FJ_P, FJ_PANELS, FJ_PBASE, FJ_TASKS, FJ_TILES, FJ_X,
} from "./layout.generated";
import { NR, spillTile } from "./gemm/micro";
import { storeTransposed } from "./gemm/pack";

/** Copies N images (C planes of H×W, `sxn` bytes apart) into zero-padded C×Hp×Wp images at `dst`. */
export function convPadBatch(src: usize, sxn: i32, N: i32, C: i32, H: i32, W: i32, pT: i32, pL: i32, Hp: i32, Wp: i32, dst: usize): void {
  const image = <usize>(C * Hp * Wp << 2);
  for (let n = 0; n < N; n++) padRows(src + <usize>(n * sxn), dst + <usize>(n) * image, C, H, W, pT, pL, Wp, 0, Hp, Hp);
}

/**
 * dst[n][p][oc] ← dy[n][oc][p] for oc < OC and 0 up to OCpad (dy images `syn` bytes apart): 4×4
 * blocks (four channels of four pixels) go through an in-register transpose, the rest one by one.
 */
export function convTransposeDy(dy: usize, syn: i32, N: i32, OC: i32, P: i32, dst: usize, OCpad: i32): void {
  const row = <usize>(OCpad << 2), plane = <usize>(P << 2);
  for (let n = 0; n < N; n++) {
    const src = dy + <usize>(n * syn);
    const out = dst + <usize>(n * P) * row;
    let p = 0;
    for (; p + 4 <= P; p += 4) {
      const d = out + <usize>(p) * row;
      let oc = 0;
      for (; oc + 4 <= OC; oc += 4) {
        const s = src + <usize>(oc) * plane + <usize>(p << 2);
        storeTransposed(v128.load(s), v128.load(s + plane), v128.load(s + 2 * plane), v128.load(s + 3 * plane), d + <usize>(oc << 2), row);
      }
      for (let j = 0; j < 4; j++) transposeTail(src, P, p + j, oc, OC, OCpad, d + <usize>(j) * row);
    }
    for (; p < P; p++) transposeTail(src, P, p, 0, OC, OCpad, out + <usize>(p) * row);
  }
}

/** Channels oc0 … OCpad−1 of pixel p into the row at `d` (zero past OC). */
// @ts-ignore: decorator
@inline function transposeTail(src: usize, P: i32, p: i32, oc0: i32, OC: i32, OCpad: i32, d: usize): void {
  for (let oc = oc0; oc < OCpad; oc++) store<f32>(d + <usize>(oc << 2), oc < OC ? load<f32>(src + <usize>((oc * P + p) << 2)) : 0);
}

/** One task: the k rows k0…k0+kr−1 × channels of panel j, summed over all images and pixels, added to dW. */
function filterTile(job: usize, k0: i32, kr: i32, j: i32, tile: usize): void {
  const K = slot(job, FJ_K), OC = slot(job, FJ_OC), OCpad = slot(job, FJ_OCPAD), N = slot(job, FJ_N), P = slot(job, FJ_P);
  const koff = <usize>slot(job, FJ_KOFF), pbase = <usize>slot(job, FJ_PBASE);
  const image = <usize>slot(job, FJ_IMAGE);
  const rowBytes = <usize>(OCpad << 2);
  // Offsets of the tile's k rows (a missing row repeats the last real one; it is not stored).
  const o0 = <usize>load<i32>(koff + <usize>(k0 << 2));
  const o1 = <usize>load<i32>(koff + <usize>(imin(k0 + 1, k0 + kr - 1) << 2));
  const o2 = <usize>load<i32>(koff + <usize>(imin(k0 + 2, k0 + kr - 1) << 2));
  const o3 = <usize>load<i32>(koff + <usize>(imin(k0 + 3, k0 + kr - 1) << 2));
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let xn = <usize>slot(job, FJ_X);
  let b = <usize>slot(job, FJ_DYT) + <usize>(j << 5);
  const pend = pbase + <usize>(P << 2);
  for (let n = 0; n < N; n++, xn += image) {
    const x0 = xn + o0, x1 = xn + o1, x2 = xn + o2, x3 = xn + o3;
    for (let q = pbase; q < pend; q += 4) {
      const at = <usize>load<i32>(q);
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let s = v128.load32_splat(x0 + at);
      c00 = madd(s, b0, c00);
      c01 = madd(s, b1, c01);
      s = v128.load32_splat(x1 + at);
      c10 = madd(s, b0, c10);
      c11 = madd(s, b1, c11);
      s = v128.load32_splat(x2 + at);
      c20 = madd(s, b0, c20);
      c21 = madd(s, b1, c21);
      s = v128.load32_splat(x3 + at);
      c30 = madd(s, b0, c30);
      c31 = madd(s, b1, c31);
      b += rowBytes;
    }
  }
  const oc0 = j * NR;
  const nc = imin(NR, OC - oc0);
  const dw = <usize>slot(job, FJ_DW) + <usize>((oc0 * K + k0) << 2);
  const step = <usize>(K << 2);
  if (kr == 4) {
    // Rows are k, lanes channels: the forward's transposed store, adding to dW.
    storeChannels(c00, c10, c20, c30, dw, step, 0, nc, true);
    if (nc > 4) storeChannels(c01, c11, c21, c31, dw + (step << 2), step, 0, nc - 4, true);
    return;
  }
  spillTile(tile, c00, c01, c10, c11, c20, c21, c30, c31);
  for (let r = 0; r < kr; r++) {
    for (let c = 0; c < nc; c++) {
      const d = dw + <usize>(c) * step + <usize>(r << 2);
      store<f32>(d, load<f32>(d) + load<f32>(tile + <usize>((r << 5) + (c << 2))));
    }
  }
}

/** Runs thread `tid`'s share of the backward-filter job at `job`: (k tile, panel) tasks until none is left. */
export function convFilterRun(job: usize, tid: i32): void {
  const tasks = slot(job, FJ_TASKS), panels = slot(job, FJ_PANELS), K = slot(job, FJ_K);
  const tile = <usize>slot(job, FJ_TILES) + <usize>(tid << 7);
  for (let t = fetchAdd(job, 1); t < tasks; t = fetchAdd(job, 1)) {
    const k0 = (t / panels) << 2;
    filterTile(job, k0, imin(4, K - k0), t % panels, tile);
  }
}
