/**
 * Convolution backward-filter as an implicit GEMM: dWᵀ += col · dYᵀ summed over every pixel of every
 * image, with the column matrix never built (the same k-offset idea as conv-implicit.ts).
 *
 * A tile is 4 rows k (= (c, kh, kw)) × 8 output channels held in eight f32x4 accumulators. Each
 * step over one pixel p of image n broadcasts the four input values x[n][base(p) + koff[k]] and
 * multiplies them with the pixel's eight dy values, read as two vectors from dY transposed to
 * [panels, N·P, 8] (zero lanes past OC). A task is a group of k tiles × every
 * channel panel; it sums over all images and pixels in order (in blocks of pixels that may span
 * images, one segment per image; the partial
 * tiles kept in memory between blocks: the same additions in the same order), then adds its tiles
 * to dW, so every dW element is one task's sum: results depend neither on the thread count nor on
 * the blocking. The input is read in place, or from a zero-padded copy of the batch made first
 * (convPadBatch), so every read is in bounds.
 *
 * Job record (i32 slots, written by src/conv-filter.ts): see the FJ_ constants.
 */
import { fetchAdd, imin, madd } from "./common";
import { padRows, storeChannels } from "./conv-implicit";
import { slot } from "./gemm/job";
import {
  FJ_DW, FJ_DYT, FJ_IMAGE, FJ_K, FJ_KGROUP, FJ_KOFF, FJ_N, FJ_OC, FJ_P, FJ_PANELS, FJ_PARTS, FJ_PBASE, FJ_PBLOCK, FJ_TASKS, FJ_X,
} from "./layout.generated";
import { NR, spillTile } from "./gemm/micro";
import { storeTransposed } from "./gemm/pack";

/** Copies N images (C planes of H×W, `sxn` bytes apart) into zero-padded C×Hp×Wp images at `dst`. */
export function convPadBatch(src: usize, sxn: i32, N: i32, C: i32, H: i32, W: i32, pT: i32, pL: i32, Hp: i32, Wp: i32, dst: usize): void {
  const image = <usize>(C * Hp * Wp << 2);
  for (let n = 0; n < N; n++) padRows(src + <usize>(n * sxn), dst + <usize>(n) * image, C, H, W, pT, pL, Wp, 0, Hp, Hp);
}

/**
 * dY transposed panel by panel: dst[j][n·P + p][i] ← dy[n][8j + i][p] for channels below OC and 0
 * up to OCpad (dy images `syn` bytes apart), so one panel's pixels are 32 contiguous bytes each (a
 * [N·P, OCpad] layout would put them OCpad·4 bytes apart: with 256+ channels, a few cache sets).
 * 4×4 blocks (four channels of four pixels) go through an in-register transpose, the rest one by one.
 */
export function convTransposeDy(dy: usize, syn: i32, N: i32, OC: i32, P: i32, dst: usize, OCpad: i32): void {
  const plane = <usize>(P << 2), panel = <usize>(N * P) << 5;
  for (let n = 0; n < N; n++) {
    const src = dy + <usize>(n * syn);
    const out = dst + (<usize>(n * P) << 5);
    let p = 0;
    for (; p + 4 <= P; p += 4) {
      const d = out + (<usize>(p) << 5);
      let oc = 0;
      for (; oc + 4 <= OC; oc += 4) {
        const s = src + <usize>(oc) * plane + <usize>(p << 2);
        storeTransposed(v128.load(s), v128.load(s + plane), v128.load(s + 2 * plane), v128.load(s + 3 * plane), d + <usize>(oc >> 3) * panel + <usize>((oc & 7) << 2), 32);
      }
      for (let j = 0; j < 4; j++) transposeTail(src, P, p + j, oc, OC, OCpad, d + (<usize>(j) << 5), panel);
    }
    for (; p < P; p++) transposeTail(src, P, p, 0, OC, OCpad, out + (<usize>(p) << 5), panel);
  }
}

/** Channels oc0 … OCpad−1 of pixel p into its rows, panel 0's at `d` (zero past OC). */
// @ts-ignore: decorator
@inline function transposeTail(src: usize, P: i32, p: i32, oc0: i32, OC: i32, OCpad: i32, d: usize, panel: usize): void {
  for (let oc = oc0; oc < OCpad; oc++) {
    store<f32>(d + <usize>(oc >> 3) * panel + <usize>((oc & 7) << 2), oc < OC ? load<f32>(src + <usize>((oc * P + p) << 2)) : 0);
  }
}

/**
 * Pixels f0…f1−1 of the batch (in (n, p) order; image n at x + n·image, pixel p at the table entry
 * pbase[p]) into the partial tile of k rows k0…k0+3 × the panel whose dYᵀ rows start at b (pixel
 * f0's), kept at `part` (8 vectors, row r at r·32 bytes): the tile is loaded, the pixels' products
 * are added in pixel order, and it is stored back, so a dW element's sum runs over (n, p) in
 * order however the pixels are blocked.
 */
// @ts-ignore: decorator
@inline function filterBlock(job: usize, x: usize, image: usize, P: i32, pbase: usize, k0: i32, kr: i32, b: usize, f0: i32, f1: i32, part: usize): void {
  const koff = <usize>slot(job, FJ_KOFF);
  // Offsets of the tile's k rows (a missing row repeats the last real one; it is not stored).
  const o0 = <usize>load<i32>(koff + <usize>(k0 << 2));
  const o1 = <usize>load<i32>(koff + <usize>(imin(k0 + 1, k0 + kr - 1) << 2));
  const o2 = <usize>load<i32>(koff + <usize>(imin(k0 + 2, k0 + kr - 1) << 2));
  const o3 = <usize>load<i32>(koff + <usize>(imin(k0 + 3, k0 + kr - 1) << 2));
  let c00 = v128.load(part), c01 = v128.load(part, 16), c10 = v128.load(part, 32), c11 = v128.load(part, 48);
  let c20 = v128.load(part, 64), c21 = v128.load(part, 80), c30 = v128.load(part, 96), c31 = v128.load(part, 112);
  // One segment per image the pixels touch.
  for (let f = f0; f < f1;) {
    const n = f / P;
    const e = imin(f1, (n + 1) * P);
    const xn = x + <usize>(n) * image;
    const x0 = xn + o0, x1 = xn + o1, x2 = xn + o2, x3 = xn + o3;
    const q1 = pbase + (<usize>(e - n * P) << 2);
    for (let q = pbase + (<usize>(f - n * P) << 2); q < q1; q += 4) {
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
      b += 32;
    }
    f = e;
  }
  spillTile(part, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** Adds the finished partial tile of k rows k0…k0+kr−1 × panel j to dW (rows are k, lanes channels). */
function addTile(job: usize, k0: i32, kr: i32, j: i32, part: usize): void {
  const K = slot(job, FJ_K), OC = slot(job, FJ_OC);
  const oc0 = j * NR;
  const nc = imin(NR, OC - oc0);
  const dw = <usize>slot(job, FJ_DW) + <usize>((oc0 * K + k0) << 2);
  const step = <usize>(K << 2);
  if (kr == 4) {
    // The forward's transposed store, adding to dW.
    storeChannels(v128.load(part), v128.load(part, 32), v128.load(part, 64), v128.load(part, 96), dw, step, 0, nc, true);
    if (nc > 4) storeChannels(v128.load(part, 16), v128.load(part, 48), v128.load(part, 80), v128.load(part, 112), dw + (step << 2), step, 0, nc - 4, true);
    return;
  }
  for (let r = 0; r < kr; r++) {
    for (let c = 0; c < nc; c++) {
      const d = dw + <usize>(c) * step + <usize>(r << 2);
      store<f32>(d, load<f32>(d) + load<f32>(part + <usize>((r << 5) + (c << 2))));
    }
  }
}

/**
 * One task: the k tiles t·KGROUP … (t+1)·KGROUP−1 × every channel panel. Their partial tiles live
 * in the job's PARTS area (128 bytes each, the task's own); the pixels are taken in blocks of
 * PBLOCK, and within a block panel by panel, so the block's dYᵀ panel (PBLOCK × 8 floats) stays
 * in L1 while the group's k rows read the block's input rows.
 */
function filterGroup(job: usize, t: i32): void {
  const K = slot(job, FJ_K), N = slot(job, FJ_N), P = slot(job, FJ_P), panels = slot(job, FJ_PANELS);
  const kg = slot(job, FJ_KGROUP), pblock = slot(job, FJ_PBLOCK);
  const kt0 = t * kg, kt1 = imin(kt0 + kg, (K + 3) >> 2);
  const parts = <usize>slot(job, FJ_PARTS) + (<usize>(kt0 * panels) << 7);
  const pbase = <usize>slot(job, FJ_PBASE);
  memory.fill(parts, 0, <usize>((kt1 - kt0) * panels) << 7);
  const x = <usize>slot(job, FJ_X), dyt = <usize>slot(job, FJ_DYT), image = <usize>slot(job, FJ_IMAGE);
  // The pixels of all images in order (n, p), in blocks that may span images.
  const total = N * P;
  const panelBytes = <usize>(total) << 5;
  for (let p0 = 0; p0 < total; p0 += pblock) {
    const p1 = imin(total, p0 + pblock);
    for (let j = 0; j < panels; j++) {
      const b = dyt + <usize>(j) * panelBytes + (<usize>(p0) << 5);
      for (let kt = kt0; kt < kt1; kt++) {
        const k0 = kt << 2;
        filterBlock(job, x, image, P, pbase, k0, imin(4, K - k0), b, p0, p1, parts + (<usize>((kt - kt0) * panels + j) << 7));
      }
    }
  }
  for (let kt = kt0; kt < kt1; kt++) {
    const k0 = kt << 2;
    for (let j = 0; j < panels; j++) addTile(job, k0, imin(4, K - k0), j, parts + (<usize>((kt - kt0) * panels + j) << 7));
  }
}

/** Runs thread `tid`'s share of the backward-filter job at `job`: k-tile groups until none is left. */
export function convFilterRun(job: usize, tid: i32): void {
  const tasks = slot(job, FJ_TASKS);
  for (let t = fetchAdd(job, 1); t < tasks; t = fetchAdd(job, 1)) filterGroup(job, t);
}
