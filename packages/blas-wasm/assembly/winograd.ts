/**
 * Winograd F(2×2, 3×3) convolution: the transforms, in WASM SIMD (src/winograd.ts plans the job
 * and runs the 16 products with the packed sgemm between the two transform phases).
 *
 * For a chunk of T tiles (whole tile rows; each row padded to TWP tiles, a multiple of 4):
 *   V[p][c][t]  = (Bᵀ·d·B)[p] of the 4×4 input patch d of tile t in channel c   (phase 0)
 *   M[p][o][t]  = Σ_c U[p][o][c] · V[p][c][t]                                  (16 sgemms)
 *   y[o][tile t] = Aᵀ·M[·][o][t]·A (+ bias, or added to y)                      (phase 1)
 * with U[p][o][c] = (G·f·Gᵀ)[p] of filter f = w[o][c] (forward) or w[c][o] rotated by 180°
 * (backward-data as a forward convolution). Lanes hold four horizontally adjacent tiles, so every
 * transform is lane-wise adds and subtracts; the patches' columns are gathered from two loads with
 * shuffles. Tasks are tile rows taken from an atomic ticket; every output is computed by one task
 * in a fixed order, so results do not depend on the thread count.
 *
 * Job record (i32 slots, written by src/winograd.ts): see the WJ_ constants.
 */
import { fetchAdd, imin } from "./common";
import { slot } from "./gemm/job";
import {
  WJ_ACC, WJ_BIAS, WJ_C, WJ_DST, WJ_H, WJ_M, WJ_OC, WJ_OH, WJ_OW, WJ_PHASE, WJ_PL, WJ_PT, WJ_ROW0, WJ_SCRATCH, WJ_SCRATCH_STRIDE,
  WJ_MP, WJ_SDN, WJ_SRC, WJ_SSN, WJ_T, WJ_TASKS, WJ_TH, WJ_TWP, WJ_U, WJ_UP, WJ_V, WJ_VP, WJ_W, WJ_WF, WJ_WR,
} from "./layout.generated";

/**
 * U[p][o][i] = (G·f·Gᵀ)[p] for output channel o of the cout × cin filters of a forward
 * convolution at `dst`, the 16 positions `plane` bytes apart (≥ 4·cout·cin, padded off multiples
 * of 4 KiB so that the 16 store streams do not share cache sets). `flip` = 0: f = w[o][i], w is
 * cout×cin×3×3; `flip` = 1 (backward-data): f = w[i][o] rotated by 180°, w is cin×cout×3×3.
 */
function filterRow(w: usize, cout: i32, cin: i32, flip: bool, dst: usize, plane: usize, o: i32): void {
  for (let i = 0; i < cin; i++) {
    const f = w + (<usize>(flip ? i * cout + o : o * cin + i) * 36);
    // k(r, c) with the 180° rotation folded into the index.
    let g00: f32, g01: f32, g02: f32, g10: f32, g11: f32, g12: f32, g20: f32, g21: f32, g22: f32;
    if (flip) {
      g00 = load<f32>(f, 32); g01 = load<f32>(f, 28); g02 = load<f32>(f, 24);
      g10 = load<f32>(f, 20); g11 = load<f32>(f, 16); g12 = load<f32>(f, 12);
      g20 = load<f32>(f, 8); g21 = load<f32>(f, 4); g22 = load<f32>(f, 0);
    } else {
      g00 = load<f32>(f, 0); g01 = load<f32>(f, 4); g02 = load<f32>(f, 8);
      g10 = load<f32>(f, 12); g11 = load<f32>(f, 16); g12 = load<f32>(f, 20);
      g20 = load<f32>(f, 24); g21 = load<f32>(f, 28); g22 = load<f32>(f, 32);
    }
    // G·f (4×3), row by row.
    const a0 = g00, a1 = g01, a2 = g02;
    const b0 = (g00 + g10 + g20) * 0.5, b1 = (g01 + g11 + g21) * 0.5, b2 = (g02 + g12 + g22) * 0.5;
    const c0 = (g00 - g10 + g20) * 0.5, c1 = (g01 - g11 + g21) * 0.5, c2 = (g02 - g12 + g22) * 0.5;
    const d0 = g20, d1 = g21, d2 = g22;
    const at = dst + (<usize>(o * cin + i) << 2);
    putRow(at, plane, 0, a0, a1, a2);
    putRow(at, plane, 4, b0, b1, b2);
    putRow(at, plane, 8, c0, c1, c2);
    putRow(at, plane, 12, d0, d1, d2);
  }
}

/** Row r of (G·f)·Gᵀ from row (t0, t1, t2) of G·f: positions p0…p0+3, `plane` bytes apart. */
// @ts-ignore: decorator
@inline function putRow(at: usize, plane: usize, p0: i32, t0: f32, t1: f32, t2: f32): void {
  store<f32>(at + <usize>p0 * plane, t0);
  store<f32>(at + <usize>(p0 + 1) * plane, (t0 + t1 + t2) * 0.5);
  store<f32>(at + <usize>(p0 + 2) * plane, (t0 - t1 + t2) * 0.5);
  store<f32>(at + <usize>(p0 + 3) * plane, t2);
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

/** Phase 0: the input transform of tile row `r` of the chunk, every channel. */
function inputRow(job: usize, r: i32, rows: usize): void {
  const C = slot(job, WJ_C), H = slot(job, WJ_H), W = slot(job, WJ_W), PT = slot(job, WJ_PT), PL = slot(job, WJ_PL);
  const TH = slot(job, WJ_TH), TWP = slot(job, WJ_TWP), WR = slot(job, WJ_WR), T = slot(job, WJ_T);
  const g = slot(job, WJ_ROW0) + r;
  const n = g / TH, th = g - n * TH;
  const src = <usize>slot(job, WJ_SRC) + <usize>n * <usize>slot(job, WJ_SSN);
  const rowBytes = <usize>WR << 2;
  const pstride = <usize>slot(job, WJ_VP); // bytes between positions p of V
  for (let c = 0; c < C; c++) {
    copyRows(src + (<usize>(c * H * W) << 2), H, W, PT, PL, th, WR, rows);
    let v = <usize>slot(job, WJ_V) + (<usize>(c * T + r * TWP) << 2);
    for (let tw = 0; tw < TWP; tw += 4, v += 16) {
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
}

/** Stores v at dst, or adds it to what is there when `acc`. */
// @ts-ignore: decorator
@inline function put(dst: usize, v: v128, acc: bool): void {
  v128.store(dst, acc ? f32x4.add(v128.load(dst), v) : v);
}

/** Phase 1: the output transform of tile row `r` of the chunk, every output channel. */
function outputRow(job: usize, r: i32, tail: usize): void {
  const OC = slot(job, WJ_OC), OH = slot(job, WJ_OH), OW = slot(job, WJ_OW);
  const TH = slot(job, WJ_TH), TWP = slot(job, WJ_TWP), T = slot(job, WJ_T);
  const acc = slot(job, WJ_ACC) != 0, bias = <usize>slot(job, WJ_BIAS);
  const g = slot(job, WJ_ROW0) + r;
  const n = g / TH, th = g - n * TH;
  const oh = 2 * th;
  const dst = <usize>slot(job, WJ_DST) + <usize>n * <usize>slot(job, WJ_SDN);
  const pstride = <usize>slot(job, WJ_MP);
  const rowBytes = <usize>OW << 2;
  const twoRows = oh + 1 < OH;
  for (let oc = 0; oc < OC; oc++) {
    const bv = bias != 0 && !acc ? v128.load32_splat(bias + (<usize>oc << 2)) : f32x4.splat(0);
    let m = <usize>slot(job, WJ_M) + (<usize>(oc * T + r * TWP) << 2);
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
        put(at, r0lo, acc); put(at + 16, r0hi, acc);
        put(at + rowBytes, r1lo, acc); put(at + rowBytes + 16, r1hi, acc);
        continue;
      }
      // A ragged edge: the valid columns and rows one by one.
      v128.store(tail, r0lo); v128.store(tail, r0hi, 16); v128.store(tail, r1lo, 32); v128.store(tail, r1hi, 48);
      const cols = imin(8, OW - ow);
      const nrows = twoRows ? 2 : 1;
      for (let i = 0; i < nrows; i++) {
        const row = at + <usize>i * rowBytes;
        for (let j = 0; j < cols; j++) {
          const d = row + (<usize>j << 2);
          const v = load<f32>(tail + (<usize>(i * 8 + j) << 2));
          store<f32>(d, acc ? load<f32>(d) + v : v);
        }
      }
    }
  }
}

/**
 * Runs the tasks of a Winograd transform job on thread `tid`: phase 0 the input transform (a task
 * per tile row), 1 the output transform (the same), 2 the filter transform (a task per output
 * channel of U; ACC set means backward-data, whose filters are transposed and flipped).
 */
export function winogradRun(job: usize, tid: i32): void {
  const tasks = slot(job, WJ_TASKS), phase = slot(job, WJ_PHASE);
  const scratch = <usize>slot(job, WJ_SCRATCH) + <usize>tid * <usize>slot(job, WJ_SCRATCH_STRIDE);
  for (let t = fetchAdd(job, 1); t < tasks; t = fetchAdd(job, 1)) {
    if (phase == 0) inputRow(job, t, scratch);
    else if (phase == 1) outputRow(job, t, scratch);
    else {
      filterRow(<usize>slot(job, WJ_WF), slot(job, WJ_OC), slot(job, WJ_C), slot(job, WJ_ACC) != 0, <usize>slot(job, WJ_U),
        <usize>slot(job, WJ_UP), t);
    }
  }
}
