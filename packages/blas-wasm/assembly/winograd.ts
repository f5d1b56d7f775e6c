/**
 * Winograd F(2×2, 3×3) convolution in WASM SIMD: the transforms and the 16 products of every
 * chunk, as phases of one job kind of the worker pool (src/winograd.ts plans the call, sizes
 * the chunks and writes the WJ_ record; the product tasks, shared with F(4×4), are in
 * assembly/winograd-products.ts).
 *
 * For a chunk of T tiles (whole tile rows; each row padded to TWP tiles, a multiple of 4):
 *   U[p][o][c]   = (G·f·Gᵀ)[p] of filter f = w[o][c] (forward) or w[c][o] rotated by 180°
 *                  (backward-data as a forward convolution); once per call
 *   V[p][c][t]   = (Bᵀ·d·B)[p] of the 4×4 input patch d of tile t in channel c
 *   M[p][o][t]   = Σ_c U[p][o][c] · V[p][c][t]                          (16 products)
 *   y[o][tile t] = Aᵀ·M[·][o][t]·A (+ bias, then the forward epilogue; or added to y)
 * U and V are written straight in the packed layouts of the sgemm micro-kernel
 * (assembly/gemm/micro.ts), so the products pack nothing: U[p] as panels of MR = 4 output
 * channels (`[o/4][c][o%4]`), V[p] as panels of NR = 8 tiles (`[t/8][c][t%8]`); M[p] is row-major
 * `[o][t]`. The 16 positions p of U, V and M are UP, VP and MP bytes apart.
 *
 * Phases (PHASE), run as jobs of the worker pool whose join is the barrier between them (tasks
 * from the atomic TICKET; no barrier inside a job, so the pool may start one without a worker that
 * has not woken yet):
 *   2 (F)  filter transform, a task per panel of 4 output channels, once per call
 *   for each chunk of tile rows (ROW0 its first of N·⌈OH/2⌉, T its tiles):
 *     0 (I)  input transform, a task per tile row (per two when TWP = 4 mod 8: whole panels)
 *     3 (G)  the 16 products, a task per (position p, MC rows of U, TASK_COLS tiles), all of K
 *     1 (O)  output transform, a task per tile row
 * Two phases that touch disjoint data share a job (PHASE2, TASKS2, ROW02, T2 describe the second):
 * F with the first chunk's I (U and V), and each chunk's O with the next chunk's I (O reads M and
 * writes y, I writes V, which the last G has finished reading; the next G, which overwrites M,
 * is a later job). So a call is 1 + 2·chunks jobs: [F+I₀] G₀ [O₀+I₁] G₁ … [O_last].
 * Or, when the tile rows make two blocks per thread, two jobs: F, then
 *   4 (B)  blocks of BLOCK_ROWS tile rows (of ROWS_TOTAL), a task each: I, G and O of the block
 *          in the thread's own V and M (OWN_AT bytes into its scratch; VP and MP are their planes)
 * Or, when the whole call is a few tiles (one chunk), two jobs: I of every tile row, then
 *   5 (P)  output-channel panels, PANELS_PER_TASK panels of 4 a task: F, G and O of those
 *          channels in the thread's own U and M (at OWN_AT), so U never crosses memory
 * Every mode computes each output with the same operations in the same order: the same bits.
 * Lanes of the transforms hold four horizontally adjacent tiles, so they are lane-wise adds and
 * subtracts; the patches' columns are gathered from two loads with shuffles. Every output is
 * computed by one task in a fixed order (a product task runs all of K itself, in KC blocks), so
 * results do not depend on the thread count.
 *
 * Job record (i32 slots, written by src/winograd.ts): see the WJ_ constants.
 */
import { fetchAdd, imin } from "./common";
import { slot } from "./gemm/job";
import { MR } from "./gemm/micro";
import { panelProducts, productTask } from "./winograd-products";
import {
  WJ_ACC, WJ_BIAS, WJ_C, WJ_DST, WJ_H, WJ_M, WJ_MC, WJ_MP, WJ_OC, WJ_OH, WJ_OW, WJ_PHASE, WJ_PHASE2, WJ_PL, WJ_PT, WJ_RELU, WJ_RES, WJ_ROW0, WJ_ROW02, WJ_ROWS_TOTAL, WJ_BLOCK_ROWS, WJ_OWN_AT,
  WJ_SCALE, WJ_SCRATCH, WJ_SCRATCH_STRIDE, WJ_SDN, WJ_SHIFT, WJ_SRC, WJ_SRN, WJ_SSN, WJ_T, WJ_T2, WJ_TASK_COLS, WJ_TASKS, WJ_TASKS2, WJ_TH, WJ_TWP, WJ_U,
  WJ_UP, WJ_V, WJ_VP, WJ_W, WJ_WF, WJ_WR, WJ_PANELS_PER_TASK,
} from "./layout.generated";

/** Lane-wise (a + b + c)·½. */
// @ts-ignore: decorator
@inline function half3(a: v128, b: v128, c: v128): v128 {
  return f32x4.mul(f32x4.add(f32x4.add(a, b), c), f32x4.splat(0.5));
}

/** Lane-wise (a − b + c)·½. */
// @ts-ignore: decorator
@inline function halfAlt(a: v128, b: v128, c: v128): v128 {
  return f32x4.mul(f32x4.add(f32x4.sub(a, b), c), f32x4.splat(0.5));
}

/** Row r of (G·f)·Gᵀ from row (t0, t1, t2) of G·f: positions p0…p0+3, `plane` bytes apart. */
// @ts-ignore: decorator
@inline function putRow(at: usize, plane: usize, p0: i32, t0: v128, t1: v128, t2: v128): void {
  v128.store(at + <usize>p0 * plane, t0);
  v128.store(at + <usize>(p0 + 1) * plane, half3(t0, t1, t2));
  v128.store(at + <usize>(p0 + 2) * plane, halfAlt(t0, t1, t2));
  v128.store(at + <usize>(p0 + 3) * plane, t2);
}

/** Tap (r, c) of the four 3×3 filters at f0…f3, one per lane; `flip` reads the filters rotated by 180°. */
// @ts-ignore: decorator
@inline function tap(f0: usize, f1: usize, f2: usize, f3: usize, flip: bool, r: i32, c: i32): v128 {
  const off = <usize>(flip ? 32 - 4 * (3 * r + c) : 4 * (3 * r + c));
  let v = f32x4.splat(load<f32>(f0 + off));
  v = f32x4.replace_lane(v, 1, load<f32>(f1 + off));
  v = f32x4.replace_lane(v, 2, load<f32>(f2 + off));
  return f32x4.replace_lane(v, 3, load<f32>(f3 + off));
}

/**
 * Phase F, task q: the panel of output channels 4q…4q+3 of U (lanes = channels; a channel past
 * OC repeats the last one, and its rows of M are never stored). Forward (ACC = 0): f = w[o][c],
 * w is OC×C×3×3; backward-data (ACC = 1): f = w[c][o] rotated by 180°, w is C×OC×3×3.
 */
function filterPanel(job: usize, q: i32): void {
  filterPanelTo(job, q, <usize>slot(job, WJ_U) + (<usize>(q * slot(job, WJ_C)) << 4), <usize>slot(job, WJ_UP));
}

/** {@link filterPanel} into `at` (this panel's first row in position 0), positions `plane` bytes apart. */
function filterPanelTo(job: usize, q: i32, at: usize, plane: usize): void {
  const cout = slot(job, WJ_OC), cin = slot(job, WJ_C), flip = slot(job, WJ_ACC) != 0;
  const w = <usize>slot(job, WJ_WF);
  const o0 = q * MR;
  const o1 = imin(o0 + 1, cout - 1), o2 = imin(o0 + 2, cout - 1), o3 = imin(o0 + 3, cout - 1);
  for (let i = 0; i < cin; i++, at += 16) {
    const f0 = w + <usize>(flip ? i * cout + o0 : o0 * cin + i) * 36;
    const f1 = w + <usize>(flip ? i * cout + o1 : o1 * cin + i) * 36;
    const f2 = w + <usize>(flip ? i * cout + o2 : o2 * cin + i) * 36;
    const f3 = w + <usize>(flip ? i * cout + o3 : o3 * cin + i) * 36;
    // Positions 0–8 of the four filters with lane = filter: 0–3 and 4–7 by a vector load per filter
    // and a 4×4 transpose, 8 by scalar loads (never past a filter's 36 bytes). Tap (r, c) is position
    // 3r + c, or 8 − (3r + c) with the filters rotated by 180°.
    let a = v128.load(f0), b = v128.load(f1), c = v128.load(f2), d = v128.load(f3);
    let s0 = i32x4.shuffle(a, b, 0, 4, 1, 5), s1 = i32x4.shuffle(c, d, 0, 4, 1, 5);
    let s2 = i32x4.shuffle(a, b, 2, 6, 3, 7), s3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
    const p0 = i64x2.shuffle(s0, s1, 0, 2), p1 = i64x2.shuffle(s0, s1, 1, 3), p2 = i64x2.shuffle(s2, s3, 0, 2), p3 = i64x2.shuffle(s2, s3, 1, 3);
    a = v128.load(f0, 16); b = v128.load(f1, 16); c = v128.load(f2, 16); d = v128.load(f3, 16);
    s0 = i32x4.shuffle(a, b, 0, 4, 1, 5); s1 = i32x4.shuffle(c, d, 0, 4, 1, 5);
    s2 = i32x4.shuffle(a, b, 2, 6, 3, 7); s3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
    const p4 = i64x2.shuffle(s0, s1, 0, 2), p5 = i64x2.shuffle(s0, s1, 1, 3), p6 = i64x2.shuffle(s2, s3, 0, 2), p7 = i64x2.shuffle(s2, s3, 1, 3);
    const p8 = tap(f0, f1, f2, f3, false, 2, 2);
    const g00 = flip ? p8 : p0, g01 = flip ? p7 : p1, g02 = flip ? p6 : p2;
    const g10 = flip ? p5 : p3, g11 = p4, g12 = flip ? p3 : p5;
    const g20 = flip ? p2 : p6, g21 = flip ? p1 : p7, g22 = flip ? p0 : p8;
    // G·f (4×3), row by row, each row then ·Gᵀ.
    putRow(at, plane, 0, g00, g01, g02);
    putRow(at, plane, 4, half3(g00, g10, g20), half3(g01, g11, g21), half3(g02, g12, g22));
    putRow(at, plane, 8, halfAlt(g00, g10, g20), halfAlt(g01, g11, g21), halfAlt(g02, g12, g22));
    putRow(at, plane, 12, g20, g21, g22);
  }
}

/** Copies padded rows 2·th … 2·th+3 of one channel plane (H×W at `src`) into `dst`: 4 rows of WR floats, zeros outside. */
function copyRows(src: usize, H: i32, W: i32, PT: i32, PL: i32, th: i32, WR: i32, dst: usize): void {
  const rowBytes = <usize>WR << 2;
  memory.fill(dst, 0, rowBytes << 2);
  for (let r = 0; r < 4; r++) {
    const ih = 2 * th + r - PT;
    if (ih < 0 || ih >= H) continue;
    memory.copy(dst + <usize>r * rowBytes + (<usize>PL << 2), src + (<usize>(ih * W) << 2), <usize>W << 2);
  }
}

/**
 * Phase I: the input transform of tile row `r` of the chunk whose first row is `row0` and which
 * has T tiles, every channel, into the packed V. The task of the last row also zeroes the unused
 * half of the last panel when T is not a multiple of 8 (the products read whole panels).
 */
function inputRow(job: usize, V: usize, pstride: usize, row0: i32, T: i32, r: i32, rows: usize): void {
  const C = slot(job, WJ_C), H = slot(job, WJ_H), W = slot(job, WJ_W), PT = slot(job, WJ_PT), PL = slot(job, WJ_PL);
  const TH = slot(job, WJ_TH), TWP = slot(job, WJ_TWP), WR = slot(job, WJ_WR);
  const g = row0 + r;
  const n = g / TH, th = g - n * TH;
  const src = <usize>slot(job, WJ_SRC) + <usize>n * <usize>slot(job, WJ_SSN);
  const rowBytes = <usize>WR << 2;
  const panelBytes = <usize>C << 5; // one panel of 8 tiles: C rows of 8 floats
  for (let c = 0; c < C; c++) {
    copyRows(src + (<usize>(c * H * W) << 2), H, W, PT, PL, th, WR, rows);
    for (let tw = 0; tw < TWP; tw += 4) {
      const t = r * TWP + tw;
      const v = V + <usize>(t >> 3) * panelBytes + (<usize>c << 5) + (<usize>(t & 4) << 2);
      const x0 = rows + (<usize>(2 * tw) << 2);
      // Rows of the patches after the row transform (d·B): t[i][j] for i = 0..3.
      let a = v128.load(x0), b = v128.load(x0, 16), p = v128.load(x0, 8), q = v128.load(x0, 24);
      let d0 = i32x4.shuffle(a, b, 0, 2, 4, 6), d1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
      let d2 = i32x4.shuffle(p, q, 0, 2, 4, 6), d3 = i32x4.shuffle(p, q, 1, 3, 5, 7);
      const t00 = f32x4.sub(d0, d2), t01 = f32x4.add(d1, d2), t02 = f32x4.sub(d2, d1), t03 = f32x4.sub(d1, d3);
      a = v128.load(x0 + rowBytes); b = v128.load(x0 + rowBytes, 16); p = v128.load(x0 + rowBytes, 8); q = v128.load(x0 + rowBytes, 24);
      d0 = i32x4.shuffle(a, b, 0, 2, 4, 6); d1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
      d2 = i32x4.shuffle(p, q, 0, 2, 4, 6); d3 = i32x4.shuffle(p, q, 1, 3, 5, 7);
      const t10 = f32x4.sub(d0, d2), t11 = f32x4.add(d1, d2), t12 = f32x4.sub(d2, d1), t13 = f32x4.sub(d1, d3);
      const x2 = x0 + (rowBytes << 1);
      a = v128.load(x2); b = v128.load(x2, 16); p = v128.load(x2, 8); q = v128.load(x2, 24);
      d0 = i32x4.shuffle(a, b, 0, 2, 4, 6); d1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
      d2 = i32x4.shuffle(p, q, 0, 2, 4, 6); d3 = i32x4.shuffle(p, q, 1, 3, 5, 7);
      const t20 = f32x4.sub(d0, d2), t21 = f32x4.add(d1, d2), t22 = f32x4.sub(d2, d1), t23 = f32x4.sub(d1, d3);
      const x3 = x2 + rowBytes;
      a = v128.load(x3); b = v128.load(x3, 16); p = v128.load(x3, 8); q = v128.load(x3, 24);
      d0 = i32x4.shuffle(a, b, 0, 2, 4, 6); d1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
      d2 = i32x4.shuffle(p, q, 0, 2, 4, 6); d3 = i32x4.shuffle(p, q, 1, 3, 5, 7);
      const t30 = f32x4.sub(d0, d2), t31 = f32x4.add(d1, d2), t32 = f32x4.sub(d2, d1), t33 = f32x4.sub(d1, d3);
      // Bᵀ·(d·B): position p = 4·i + j.
      let o = v;
      v128.store(o, f32x4.sub(t00, t20)); o += pstride;
      v128.store(o, f32x4.sub(t01, t21)); o += pstride;
      v128.store(o, f32x4.sub(t02, t22)); o += pstride;
      v128.store(o, f32x4.sub(t03, t23)); o += pstride;
      v128.store(o, f32x4.add(t10, t20)); o += pstride;
      v128.store(o, f32x4.add(t11, t21)); o += pstride;
      v128.store(o, f32x4.add(t12, t22)); o += pstride;
      v128.store(o, f32x4.add(t13, t23)); o += pstride;
      v128.store(o, f32x4.sub(t20, t10)); o += pstride;
      v128.store(o, f32x4.sub(t21, t11)); o += pstride;
      v128.store(o, f32x4.sub(t22, t12)); o += pstride;
      v128.store(o, f32x4.sub(t23, t13)); o += pstride;
      v128.store(o, f32x4.sub(t10, t30)); o += pstride;
      v128.store(o, f32x4.sub(t11, t31)); o += pstride;
      v128.store(o, f32x4.sub(t12, t32)); o += pstride;
      v128.store(o, f32x4.sub(t13, t33));
    }
  }
  if ((T & 7) != 0 && g == row0 + (T / TWP) - 1) {
    // Tiles T … T+3 of the last panel do not exist: zeros (never denormal garbage) for the products.
    const last = V + <usize>(T >> 3) * panelBytes + 16;
    for (let c = 0; c < C; c++) {
      for (let p = 0; p < 16; p++) v128.store(last + (<usize>c << 5) + <usize>p * pstride, f32x4.splat(0));
    }
  }
}

/**
 * Stores v (conv + bias) at dst through the forward epilogue (scale, shift, residual, ReLU, each
 * rounded, in `applyConvEpilogue`'s order), or adds it to what is there when `acc`.
 */
// @ts-ignore: decorator
@inline export function put(dst: usize, v: v128, acc: bool, e: bool, scale: v128, shift: v128, rdelta: usize, sc: bool, sh: bool, res: bool, relu: bool): void {
  if (acc) {
    v128.store(dst, f32x4.add(v128.load(dst), v));
    return;
  }
  if (e) {
    if (sc) v = f32x4.mul(v, scale);
    if (sh) v = f32x4.add(v, shift);
    if (res) v = f32x4.add(v, v128.load(dst + rdelta));
    // max(NaN, 0) is NaN and max(−0, 0) is +0 in wasm, as the reference ReLU.
    if (relu) v = f32x4.max(v, f32x4.splat(0));
  }
  v128.store(dst, v);
}

/**
 * Phase O: the output transform of tile row `r` of the chunk (first row `row0`, T tiles), output
 * channels [oc0, oc1) (M holds row oc at M + oc·T·4).
 */
function outputRow(job: usize, M: usize, pstride: usize, row0: i32, T: i32, r: i32, tail: usize, oc0: i32, oc1: i32): void {
  const OH = slot(job, WJ_OH), OW = slot(job, WJ_OW);
  const TH = slot(job, WJ_TH), TWP = slot(job, WJ_TWP);
  const acc = slot(job, WJ_ACC) != 0, bias = <usize>slot(job, WJ_BIAS);
  const scaleAt = <usize>slot(job, WJ_SCALE), shiftAt = <usize>slot(job, WJ_SHIFT), resAt = <usize>slot(job, WJ_RES);
  const sc = scaleAt != 0, sh = shiftAt != 0, res = resAt != 0, relu = slot(job, WJ_RELU) != 0;
  const e = !acc && (sc || sh || res || relu);
  const g = row0 + r;
  const n = g / TH, th = g - n * TH;
  const oh = 2 * th;
  const dst = <usize>slot(job, WJ_DST) + <usize>n * <usize>slot(job, WJ_SDN);
  // Residual image n minus y image n, wrapping (the residual may lie below y).
  const rdelta = res ? resAt + <usize>n * <usize>slot(job, WJ_SRN) - dst : 0;
  const rowBytes = <usize>OW << 2;
  const twoRows = oh + 1 < OH;
  for (let oc = oc0; oc < oc1; oc++) {
    const bv = bias != 0 && !acc ? v128.load32_splat(bias + (<usize>oc << 2)) : f32x4.splat(0);
    const sv = sc ? v128.load32_splat(scaleAt + (<usize>oc << 2)) : f32x4.splat(1);
    const hv = sh ? v128.load32_splat(shiftAt + (<usize>oc << 2)) : f32x4.splat(0);
    let m = M + (<usize>(oc * T + r * TWP) << 2);
    const y0 = dst + (<usize>(oc * OH * OW + oh * OW) << 2);
    for (let tw = 0; tw < TWP; tw += 4, m += 16) {
      const ow = 2 * tw;
      if (ow >= OW) break;
      let o = m;
      const m00 = v128.load(o); o += pstride; const m01 = v128.load(o); o += pstride;
      const m02 = v128.load(o); o += pstride; const m03 = v128.load(o); o += pstride;
      const m10 = v128.load(o); o += pstride; const m11 = v128.load(o); o += pstride;
      const m12 = v128.load(o); o += pstride; const m13 = v128.load(o); o += pstride;
      const m20 = v128.load(o); o += pstride; const m21 = v128.load(o); o += pstride;
      const m22 = v128.load(o); o += pstride; const m23 = v128.load(o); o += pstride;
      const m30 = v128.load(o); o += pstride; const m31 = v128.load(o); o += pstride;
      const m32 = v128.load(o); o += pstride; const m33 = v128.load(o);
      // Aᵀ·m (2×4), then ·A.
      const s00 = f32x4.add(f32x4.add(m00, m10), m20), s01 = f32x4.add(f32x4.add(m01, m11), m21);
      const s02 = f32x4.add(f32x4.add(m02, m12), m22), s03 = f32x4.add(f32x4.add(m03, m13), m23);
      const s10 = f32x4.sub(f32x4.sub(m10, m20), m30), s11 = f32x4.sub(f32x4.sub(m11, m21), m31);
      const s12 = f32x4.sub(f32x4.sub(m12, m22), m32), s13 = f32x4.sub(f32x4.sub(m13, m23), m33);
      const y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), bv), y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), bv);
      const y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), bv), y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), bv);
      // Output rows oh and oh+1, columns ow … ow+7: lanes interleaved (tile 0 col 0, tile 0 col 1, tile 1 col 0, …).
      const r0lo = i32x4.shuffle(y00, y01, 0, 4, 1, 5), r0hi = i32x4.shuffle(y00, y01, 2, 6, 3, 7);
      const r1lo = i32x4.shuffle(y10, y11, 0, 4, 1, 5), r1hi = i32x4.shuffle(y10, y11, 2, 6, 3, 7);
      const at = y0 + (<usize>ow << 2);
      if (ow + 8 <= OW && twoRows) {
        put(at, r0lo, acc, e, sv, hv, rdelta, sc, sh, res, relu);
        put(at + 16, r0hi, acc, e, sv, hv, rdelta, sc, sh, res, relu);
        put(at + rowBytes, r1lo, acc, e, sv, hv, rdelta, sc, sh, res, relu);
        put(at + rowBytes + 16, r1hi, acc, e, sv, hv, rdelta, sc, sh, res, relu);
        continue;
      }
      // A ragged edge: the valid columns and rows one by one, with the same operations per lane.
      v128.store(tail, r0lo); v128.store(tail, r0hi, 16); v128.store(tail, r1lo, 32); v128.store(tail, r1hi, 48);
      const cols = imin(8, OW - ow);
      const nrows = twoRows ? 2 : 1;
      const s = f32x4.extract_lane(sv, 0), h = f32x4.extract_lane(hv, 0);
      for (let i = 0; i < nrows; i++) {
        const row = at + <usize>i * rowBytes;
        for (let j = 0; j < cols; j++) {
          const d = row + (<usize>j << 2);
          let v = load<f32>(tail + (<usize>(i * 8 + j) << 2));
          if (acc) v = load<f32>(d) + v;
          else if (e) {
            if (sc) v = v * s;
            if (sh) v = v + h;
            if (res) v = v + load<f32>(d + rdelta);
            if (relu) v = max<f32>(v, 0);
          }
          store<f32>(d, v);
        }
      }
    }
  }
}

/**
 * Phase 4 (B), task b: tile rows [b·BLOCK_ROWS, …) of the call, every phase of them on this thread
 * (input transform, the 16 products, output transform) in its own V and M at `own`, so that
 * nothing crosses cores but U (taken when U fits in L2).
 */
function blockTask(job: usize, b: i32, tile: usize, rowsBuf: usize, own: usize): void {
  const rowsTotal = slot(job, WJ_ROWS_TOTAL), blockRows = slot(job, WJ_BLOCK_ROWS), TWP = slot(job, WJ_TWP);
  const cout = slot(job, WJ_OC), MC = slot(job, WJ_MC), taskCols = slot(job, WJ_TASK_COLS);
  const row0 = b * blockRows, rows = imin(blockRows, rowsTotal - row0), T = rows * TWP;
  const VP = <usize>slot(job, WJ_VP), MP = <usize>slot(job, WJ_MP), M = own + (VP << 4);
  for (let r = 0; r < rows; r++) inputRow(job, own, VP, row0, T, r, rowsBuf);
  const products = 16 * ((cout + MC - 1) / MC) * ((T + taskCols - 1) / taskCols);
  for (let t = 0; t < products; t++) productTask(job, own, VP, M, MP, T, t, tile);
  for (let r = 0; r < rows; r++) outputRow(job, M, MP, row0, T, r, tile, 0, cout);
}

/**
 * Phase 5 (P), task q: output channels [4·PPT·q, 4·PPT·(q+1)) of the whole call (one chunk of T
 * tiles, V already made by phase I), every phase of them on this thread in its own U and M at
 * `own`: the filter transform of its PANELS_PER_TASK panels, the 16 products over all tiles and
 * the output transform. U never leaves this core's caches, which pays where the tiles are few and
 * U is most of the traffic (7×7 and 14×14 planes at batch 1). The products and transforms are
 * those of phases F, G and O with the same operations in the same order: the same bits.
 */
function panelTask(job: usize, q: i32, T: i32, tile: usize, own: usize): void {
  const cout = slot(job, WJ_OC), cin = slot(job, WJ_C), ppt = slot(job, WJ_PANELS_PER_TASK);
  const q0 = q * ppt, q1 = imin(q0 + ppt, (cout + MR - 1) / MR);
  const o0 = q0 * MR, o1 = imin(cout, q1 * MR);
  // In phase 5, UP and MP are the strides of this task's own U and M (src/winograd.ts).
  const uPlane = <usize>slot(job, WJ_UP), mPlane = <usize>slot(job, WJ_MP);
  for (let k = q0; k < q1; k++) filterPanelTo(job, k, own + <usize>(k - q0) * (<usize>cin << 4), uPlane);
  const M = own + (uPlane << 4);
  panelProducts(job, 16, o0, o1, T, own, uPlane, M, mPlane, tile);
  // M's row oc is at M + (oc − o0)·T·4: pass the base of row 0.
  const rows = T / slot(job, WJ_TWP), row0 = slot(job, WJ_ROW0);
  for (let r = 0; r < rows; r++) outputRow(job, M - (<usize>(o0 * T) << 2), mPlane, row0, T, r, tile, o0, o1);
}

/** Task t of phase `phase` of the chunk whose first tile row is `row0` and which has T tiles. */
// @ts-ignore: decorator
@inline function runTask(job: usize, phase: i32, row0: i32, T: i32, t: i32, tile: usize, rowsBuf: usize, own: usize): void {
  const V = <usize>slot(job, WJ_V), VP = <usize>slot(job, WJ_VP), M = <usize>slot(job, WJ_M), MP = <usize>slot(job, WJ_MP);
  if (phase == 0) {
    // Tasks of whole panels: rows in pairs when a row ends mid-panel (TWP = 4 mod 8), so that two
    // threads never write one cache line of V.
    const TWP = slot(job, WJ_TWP), pair = (TWP & 7) != 0 ? 2 : 1, r1 = imin(T / TWP, (t + 1) * pair);
    for (let r = t * pair; r < r1; r++) inputRow(job, V, VP, row0, T, r, rowsBuf);
  } else if (phase == 1) outputRow(job, M, MP, row0, T, t, tile, 0, slot(job, WJ_OC));
  else if (phase == 2) filterPanel(job, t);
  else if (phase == 3) productTask(job, V, VP, M, MP, T, t, tile);
  else if (phase == 4) blockTask(job, t, tile, rowsBuf, own);
  else panelTask(job, t, T, tile, own);
}

/**
 * Runs thread `tid`'s tasks of a Winograd job, taken from the TICKET: tasks [0, TASKS) of phase
 * PHASE (chunk ROW0, T tiles), then tasks [TASKS, TASKS + TASKS2) of PHASE2 (chunk ROW02, T2
 * tiles): two phases that touch disjoint data share one job (see the header). There is no barrier
 * inside a job; the pool's join after it is the barrier.
 */
export function winogradRun(job: usize, tid: i32): void {
  const tasks = slot(job, WJ_TASKS), phase = slot(job, WJ_PHASE), row0 = slot(job, WJ_ROW0), T = slot(job, WJ_T);
  const all = tasks + slot(job, WJ_TASKS2), phase2 = slot(job, WJ_PHASE2), row02 = slot(job, WJ_ROW02), T2 = slot(job, WJ_T2);
  const scratch = <usize>slot(job, WJ_SCRATCH) + <usize>tid * <usize>slot(job, WJ_SCRATCH_STRIDE);
  const tile = scratch; // 128 bytes: the micro-kernel's partial tiles, the output transform's ragged edges
  const rowsBuf = scratch + 128; // four padded input rows
  const own = scratch + <usize>slot(job, WJ_OWN_AT); // phase 4: this thread's V and M
  for (let t = fetchAdd(job, 1); t < all; t = fetchAdd(job, 1)) {
    if (t < tasks) runTask(job, phase, row0, T, t, tile, rowsBuf, own);
    else runTask(job, phase2, row02, T2, t - tasks, tile, rowsBuf, own);
  }
}
