/**
 * Convolution forward as an implicit GEMM: yᵀ = colᵀ · Wᵀ with the column matrix never built.
 *
 * A row of colᵀ is one output pixel; its element k = (c, kh, kw) is the input value at
 * `pixelBase + koff[k]`, where `pixelBase` depends on the pixel only (its image, oh·stride, ow·stride)
 * and `koff[k]` on k only (channel plane, kh·dilation, kw·dilation). So the micro-kernel reads the
 * four pixel rows of its 4×8 tile straight from the image: each step of k loads koff[k] and
 * broadcasts the four input values, where the GEMM kernel broadcasts a packed A panel. Wᵀ is packed
 * into 8-column panels (the GEMM's B panels), so the tile is 4 pixels × 8 output channels with
 * the same eight accumulators and multiply-adds as assembly/gemm/micro.ts: an output element gets
 * the same bits as im2col + sgemm gives it when K fits one K block.
 *
 * A job has two phases. Pack: tasks of one panel each pack Wᵀ (or, for backward-data, the flipped
 * and transposed weights, read straight from w), then a barrier. Compute: tasks are (image, pixel
 * chunk, block of output-channel panels) triples taken from an atomic ticket, so a single 7×7 image
 * still gives every thread work. Within a task, pixels go in sub-chunks of MC, and each panel passes
 * over a sub-chunk's tiles before the next. Every output element is computed by one task, over all
 * of K in order: results do not depend on the thread count.
 *
 * Padding: a task first copies the rows of the zero-padded image that its pixels read into the
 * thread's scratch, so every read is in bounds (skipped when the thread's previous task had the
 * same image and pixel chunk).
 *
 * Job record (i32 slots, written by src/conv-implicit.ts): see the CJ_ constants.
 */
import { fetchAdd, imin, madd } from "./common";
import { packPanelB, storeTransposed } from "./gemm/pack";
import { slot } from "./gemm/job";
import {
  CJ_ACC, CJ_BIAS, CJ_CBLOCKS, CJ_C, CJ_CHUNKS, CJ_H, CJ_HP, CJ_K, CJ_KOFF, CJ_KSPAN, CJ_OC, CJ_OW, CJ_P, CJ_PAD, CJ_PANELS,
  CJ_PL, CJ_PT, CJ_ROW, CJ_ROWS, CJ_SCRATCH, CJ_SCRATCH_STRIDE, CJ_SH, CJ_SW, CJ_SXN, CJ_SYN, CJ_TASKS, CJ_W, CJ_WP, CJ_WPACK, CJ_X,
  CJ_Y, CJ_SCALE, CJ_SHIFT, CJ_RES, CJ_SRN, CJ_RELU, CJ_N, CJ_WEIGHTS, CJ_FLIP, CJ_MC,
} from "./layout.generated";
import { NR, spillTile } from "./gemm/micro";

/** Packs output-channel panel `j` of Wᵀ (W is OC×K, row-major, at `w`): K×8 floats at `dst`, zero-padded past OC. */
function packPanel(w: usize, K: i32, OC: i32, j: i32, dst: usize): void {
  const oc = j * NR;
  packPanelB(w + <usize>(oc * K << 2), 4, K << 2, imin(NR, OC - oc), K, dst);
}

/**
 * Packs panels [j0, j1) (`panelBytes` apart at `dst`) of the weights of backward-data seen as a
 * forward convolution, straight from the weights `w` (F×OC×taps: F output channels of the
 * convolution whose backward-data this is, OC its input channels = this job's output channels): for
 * k = (f, t) and column i of panel j, the value w[f][8j + i][taps − 1 − t] (the kernel flipped, input
 * and output channels swapped), zero past OC. For each f it reads w[f]'s rows of the block in order.
 */
function packFlippedPanels(w: usize, F: i32, OC: i32, taps: i32, j0: i32, j1: i32, dst: usize, panelBytes: usize): void {
  const colBytes = <usize>(taps << 2), fBytes = <usize>(taps << 5);
  for (let f = 0; f < F; f++) {
    for (let j = j0; j < j1; j++) {
      const oc = j * NR, cols = imin(NR, OC - oc);
      const src = w + <usize>((f * OC + oc) * taps << 2);
      const d = dst + <usize>(j - j0) * panelBytes + <usize>(f) * fBytes;
      let t = 0;
      if (cols == NR && taps >= 4) {
        // Four taps of eight columns at a time: taps taps−4−t … taps−1−t of each column, reversed, then
        // transposed; the last group ends at the last tap (rewriting some taps with the same values).
        for (let done = false; !done; t += 4) {
          if (t + 4 >= taps) {
            t = taps - 4;
            done = true;
          }
          for (let g = 0; g < 2; g++) {
            const r = src + <usize>((taps - 4 - t) << 2) + <usize>(g << 2) * colBytes;
            storeTransposed(reversed(r), reversed(r + colBytes), reversed(r + colBytes + colBytes), reversed(r + 3 * colBytes),
              d + <usize>((t << 5) + (g << 4)), 32);
          }
        }
      }
      for (; t < taps; t++) {
        let s = src + <usize>((taps - 1 - t) << 2);
        const o = d + <usize>(t << 5);
        for (let i = 0; i < NR; i++, s += colBytes) store<f32>(o + <usize>(i << 2), i < cols ? load<f32>(s) : 0);
      }
    }
  }
}

/** The four floats at p in reverse order. */
// @ts-ignore: decorator
@inline function reversed(p: usize): v128 {
  const v = v128.load(p);
  return i32x4.shuffle(v, v, 3, 2, 1, 0);
}

/**
 * Copies rows [r0, r1) of the zero-padded image (C planes of H×W at `src`, padded by pT rows above
 * and pL columns on the left to Wp columns) into `dst`: C planes of `rows` rows × Wp, row r0 first.
 */
export function padRows(src: usize, dst: usize, C: i32, H: i32, W: i32, pT: i32, pL: i32, Wp: i32, r0: i32, r1: i32, rows: i32): void {
  const rowBytes = <usize>(Wp << 2);
  for (let c = 0; c < C; c++) {
    let d = dst + <usize>(c * rows) * rowBytes;
    const plane = src + <usize>(c * H * W << 2);
    for (let r = r0; r < r1; r++, d += rowBytes) {
      const ih = r - pT;
      if (ih < 0 || ih >= H) {
        memory.fill(d, 0, rowBytes);
        continue;
      }
      const s = plane + <usize>(ih * W << 2);
      for (let i = 0; i < pL; i++) store<f32>(d + <usize>(i << 2), 0);
      const o = d + <usize>(pL << 2);
      let i = 0;
      for (; i + 4 <= W; i += 4) v128.store(o + <usize>(i << 2), v128.load(s + <usize>(i << 2)));
      for (; i < W; i++) store<f32>(o + <usize>(i << 2), load<f32>(s + <usize>(i << 2)));
      for (let i = pL + W; i < Wp; i++) store<f32>(d + <usize>(i << 2), 0);
    }
  }
}

/** Stores v at dst, or adds it to what is there when `acc`. */
// @ts-ignore: decorator
@inline function put(dst: usize, v: v128, acc: bool): void {
  v128.store(dst, acc ? f32x4.add(v128.load(dst), v) : v);
}

/**
 * Stores (or with `acc` adds) the first `count` (≤ 4) channels of a 4-pixel × 4-channel block held
 * as four pixel rows (lanes = channels): channel j's four pixels go to `dst + j·step` (consecutive
 * pixels of one image), plus bias[j] when `bias` ≠ 0.
 */
// @ts-ignore: decorator
@inline export function storeChannels(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize, bias: usize, count: i32, acc: bool): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  let v0 = i64x2.shuffle(t0, t1, 0, 2), v1 = i64x2.shuffle(t0, t1, 1, 3);
  let v2 = i64x2.shuffle(t2, t3, 0, 2), v3 = i64x2.shuffle(t2, t3, 1, 3);
  if (bias != 0) {
    // Only the channels stored: bias may end right after them.
    v0 = f32x4.add(v0, v128.load32_splat(bias));
    if (count > 1) v1 = f32x4.add(v1, v128.load32_splat(bias, 4));
    if (count > 2) v2 = f32x4.add(v2, v128.load32_splat(bias, 8));
    if (count > 3) v3 = f32x4.add(v3, v128.load32_splat(bias, 12));
  }
  if (count > 0) put(dst, v0, acc);
  if (count > 1) put(dst + step, v1, acc);
  if (count > 2) put(dst + step + step, v2, acc);
  if (count > 3) put(dst + step + step + step, v3, acc);
}

/**
 * The epilogue of one output vector (4 pixels of channel byte offset `j`) stored at dst: bias,
 * scale, shift (per-channel, 0 = absent), the residual at dst + rdelta (when `res`), ReLU; each an
 * f32 operation in that order, as `applyConvEpilogue` runs them (bits equal).
 */
// @ts-ignore: decorator
@inline function putEpilogue(v: v128, j: usize, dst: usize, bias: usize, scale: usize, shift: usize, rdelta: usize, res: bool, relu: bool): void {
  if (bias != 0) v = f32x4.add(v, v128.load32_splat(bias + j));
  if (scale != 0) v = f32x4.mul(v, v128.load32_splat(scale + j));
  if (shift != 0) v = f32x4.add(v, v128.load32_splat(shift + j));
  if (res) v = f32x4.add(v, v128.load(dst + rdelta));
  // max(NaN, 0) is NaN and max(−0, 0) is +0 in wasm, as the reference ReLU.
  if (relu) v = f32x4.max(v, f32x4.splat(0));
  v128.store(dst, v);
}

/**
 * {@link storeChannels} with the forward epilogue (never accumulating): the first `count` (≤ 4)
 * channels of the 4 × 4 block, channel j at dst + j·step, through {@link putEpilogue}.
 */
// @ts-ignore: decorator
@inline function storeChannelsEpilogue(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize, bias: usize, scale: usize, shift: usize,
  rdelta: usize, res: bool, relu: bool, count: i32): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  putEpilogue(i64x2.shuffle(t0, t1, 0, 2), 0, dst, bias, scale, shift, rdelta, res, relu);
  if (count > 1) putEpilogue(i64x2.shuffle(t0, t1, 1, 3), 4, dst + step, bias, scale, shift, rdelta, res, relu);
  if (count > 2) putEpilogue(i64x2.shuffle(t2, t3, 0, 2), 8, dst + step + step, bias, scale, shift, rdelta, res, relu);
  if (count > 3) putEpilogue(i64x2.shuffle(t2, t3, 1, 3), 12, dst + step + step + step, bias, scale, shift, rdelta, res, relu);
}

/**
 * One 4-pixel × 8-channel tile over all K: pixel rows at x0…x3 (byte addresses of k = 0), koff the
 * byte offsets of each k, b the packed Wᵀ panel. Tiles of four pixels are stored with vector
 * stores (the first nc ≤ 8 channels); fewer pixels go through `tile` (128 bytes) and scalar stores.
 * With `acc` the tile is added to y (backward-data) instead of overwriting it.
 */
function tile4x8(K: i32, x0: usize, x1: usize, x2: usize, x3: usize, koff: usize, b: usize,
  y: usize, step: usize, mr: i32, nc: i32, bias: usize, tile: usize, acc: bool,
  epi: bool, scale: usize, shift: usize, rdelta: usize, res: bool, relu: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = koff + <usize>(K << 2);
  if (x1 == x0 + 4 && x2 == x0 + 8 && x3 == x0 + 12) {
    // Four neighbours in one input row (stride 1): one address per k.
    for (let o = koff; o < end; o += 4) {
      const p = x0 + <usize>load<i32>(o);
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let s = v128.load32_splat(p);
      c00 = madd(s, b0, c00);
      c01 = madd(s, b1, c01);
      s = v128.load32_splat(p, 4);
      c10 = madd(s, b0, c10);
      c11 = madd(s, b1, c11);
      s = v128.load32_splat(p, 8);
      c20 = madd(s, b0, c20);
      c21 = madd(s, b1, c21);
      s = v128.load32_splat(p, 12);
      c30 = madd(s, b0, c30);
      c31 = madd(s, b1, c31);
      b += 32;
    }
  } else {
    for (let o = koff; o < end; o += 4) {
      const k = <usize>load<i32>(o);
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      let s = v128.load32_splat(x0 + k);
      c00 = madd(s, b0, c00);
      c01 = madd(s, b1, c01);
      s = v128.load32_splat(x1 + k);
      c10 = madd(s, b0, c10);
      c11 = madd(s, b1, c11);
      s = v128.load32_splat(x2 + k);
      c20 = madd(s, b0, c20);
      c21 = madd(s, b1, c21);
      s = v128.load32_splat(x3 + k);
      c30 = madd(s, b0, c30);
      c31 = madd(s, b1, c31);
      b += 32;
    }
  }
  if (mr == 4 && epi) {
    storeChannelsEpilogue(c00, c10, c20, c30, y, step, bias, scale, shift, rdelta, res, relu, nc);
    if (nc > 4) {
      storeChannelsEpilogue(c01, c11, c21, c31, y + (step << 2), step, bias == 0 ? 0 : bias + 16, scale == 0 ? 0 : scale + 16,
        shift == 0 ? 0 : shift + 16, rdelta, res, relu, nc - 4);
    }
    return;
  }
  if (mr == 4) {
    storeChannels(c00, c10, c20, c30, y, step, bias, nc, acc);
    if (nc > 4) storeChannels(c01, c11, c21, c31, y + (step << 2), step, bias == 0 ? 0 : bias + 16, nc - 4, acc);
    return;
  }
  spillTile(tile, c00, c01, c10, c11, c20, c21, c30, c31);
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nc; j++) {
      let v = load<f32>(tile + <usize>((r << 5) + (j << 2)));
      if (bias != 0) v += load<f32>(bias + <usize>(j << 2));
      const d = y + <usize>(j) * step + <usize>(r << 2);
      if (epi) {
        if (scale != 0) v *= load<f32>(scale + <usize>(j << 2));
        if (shift != 0) v += load<f32>(shift + <usize>(j << 2));
        if (res) v += load<f32>(d + rdelta);
        if (relu && v <= 0) v = 0; // NaN compares false and stays NaN; −0 becomes +0
      }
      store<f32>(d, acc ? load<f32>(d) + v : v);
    }
  }
}

/**
 * Runs thread `tid`'s share of the convolution job at `job`: takes (panel block, image, pixel chunk)
 * tasks from an atomic ticket until none is left. Every thread of the job calls it; there is no
 * barrier, so a thread that comes late (or never) only leaves its tasks to the others.
 */
export function convRun(job: usize, tid: i32): void {
  const tasks = slot(job, CJ_TASKS), chunks = slot(job, CJ_CHUNKS);
  const P = slot(job, CJ_P), OW = slot(job, CJ_OW), sH = slot(job, CJ_SH), sW = slot(job, CJ_SW);
  const row = slot(job, CJ_ROW), K = slot(job, CJ_K), OC = slot(job, CJ_OC), panels = slot(job, CJ_PANELS);
  const cblocks = slot(job, CJ_CBLOCKS), MC = slot(job, CJ_MC), images = slot(job, CJ_N) * chunks;
  const koff = <usize>slot(job, CJ_KOFF), w = <usize>slot(job, CJ_WEIGHTS), flip = slot(job, CJ_FLIP) != 0;
  const x = <usize>slot(job, CJ_X), sxn = slot(job, CJ_SXN), y = <usize>slot(job, CJ_Y), syn = slot(job, CJ_SYN);
  const bias = <usize>slot(job, CJ_BIAS), pad = slot(job, CJ_PAD) != 0, acc = slot(job, CJ_ACC) != 0;
  // The forward epilogue: scale and shift vectors (0 = absent), the residual images (0 = absent) and ReLU.
  const scale = <usize>slot(job, CJ_SCALE), shift = <usize>slot(job, CJ_SHIFT);
  const resBase = <usize>slot(job, CJ_RES), srn = slot(job, CJ_SRN), relu = slot(job, CJ_RELU) != 0;
  const res = resBase != 0;
  const epi = scale != 0 || shift != 0 || res || relu;
  // Thread scratch: tile (128 bytes) | pixel addresses (MC × 4 bytes) | padded rows | packed panels (at WPACK).
  const scratch = <usize>slot(job, CJ_SCRATCH) + <usize>(tid * slot(job, CJ_SCRATCH_STRIDE));
  const tile = scratch;
  const xs = scratch + 128;
  const padded = xs + <usize>(MC << 2);
  const wbuf = scratch + <usize>slot(job, CJ_WPACK);
  const step = <usize>(P << 2), tiles = (P + 3) >> 2;
  const panelBytes = <usize>(K << 5);
  const F = slot(job, CJ_C), taps = K / F;
  // What this thread's scratch holds from its previous task: the padded rows of (image, chunk) u, the panels of block cb.
  let paddedFor = -1, packedFor = -1;
  for (let t = fetchAdd(job, 1); t < tasks; t = fetchAdd(job, 1)) {
    // Block-major: a thread's consecutive tasks tend to share their panels.
    const cb = t / images, u = t - cb * images;
    // Blocks of ⌊panels/cblocks⌋ or ⌈panels/cblocks⌉ (= block at most) panels.
    const j0 = <i32>(<i64>cb * <i64>panels / <i64>cblocks), j1 = <i32>(<i64>(cb + 1) * <i64>panels / <i64>cblocks);
    if (packedFor != cb) {
      if (flip) packFlippedPanels(w, F, OC, taps, j0, j1, wbuf, panelBytes);
      else for (let j = j0; j < j1; j++) packPanel(w, K, OC, j, wbuf + <usize>(j - j0) * panelBytes);
      packedFor = cb;
    }
    const n = u / chunks;
    // Chunks of ⌊tiles/chunks⌋ or ⌈tiles/chunks⌉ 4-pixel tiles (CHUNK pixels at most), the last one ragged.
    const c = u - n * chunks;
    const p0 = <i32>(<i64>c * <i64>tiles / <i64>chunks) << 2, p1 = imin(P, <i32>(<i64>(c + 1) * <i64>tiles / <i64>chunks) << 2);
    let src = x + <usize>(n * sxn);
    if (pad) {
      // The padded rows this chunk reads, copied to the scratch; src is where row 0 would be.
      const r0 = (p0 / OW) * sH;
      if (paddedFor != u) {
        const r1 = imin(slot(job, CJ_HP), ((p1 - 1) / OW) * sH + slot(job, CJ_KSPAN));
        padRows(src, padded, slot(job, CJ_C), slot(job, CJ_H), slot(job, CJ_W), slot(job, CJ_PT), slot(job, CJ_PL),
          slot(job, CJ_WP), r0, r1, slot(job, CJ_ROWS));
        paddedFor = u;
      }
      src = padded - <usize>(r0 * row);
    }
    const yn = y + <usize>(n * syn);
    // The residual element of y's element at address a is at a + rdelta (modular, so either side may come first).
    const rdelta = res ? resBase + <usize>(n * srn) - yn : 0;
    for (let s0 = p0; s0 < p1; s0 += MC) {
      const s1 = imin(p1, s0 + MC);
      // The byte address of k = 0 of each pixel of the sub-chunk, the last real pixel standing in for missing ones.
      for (let q = s0, oh = s0 / OW, ow = s0 - (s0 / OW) * OW; q < s0 + MC; q++) {
        store<usize>(xs + <usize>((q - s0) << 2), src + <usize>((oh * sH * row) + (ow * sW << 2)));
        if (q + 1 < s1 && ++ow == OW) { ow = 0; oh++; }
      }
      // Each panel passes over the sub-chunk's tiles while it stays in L1 (or L2 for a long K).
      for (let j = j0; j < j1; j++) {
        const oc = j * NR, nc = imin(NR, OC - oc);
        const b = wbuf + <usize>(j - j0) * panelBytes, yj = yn + <usize>(oc) * step;
        const bj = bias == 0 ? 0 : bias + <usize>(oc << 2);
        const scj = scale == 0 ? 0 : scale + <usize>(oc << 2), shj = shift == 0 ? 0 : shift + <usize>(oc << 2);
        for (let q = s0; q < s1; q += 4) {
          const xq = xs + <usize>((q - s0) << 2);
          tile4x8(K, load<usize>(xq), load<usize>(xq, 4), load<usize>(xq, 8), load<usize>(xq, 12), koff, b, yj + <usize>(q << 2), step,
            imin(4, s1 - q), nc, bj, tile, acc, epi, scj, shj, rdelta, res, relu);
        }
      }
    }
  }
}
