/**
 * Winograd F(4×4, 3×3) convolution: the transforms, in WASM SIMD (src/winograd4.ts plans the job
 * and runs the 36 products with the packed sgemm between the two transform phases). The job
 * record is F(2×2)'s (the WJ_ slots of assembly/winograd.ts) with 4×4 output tiles:
 *   TH   tile rows per image (⌈OH/4⌉),  TWP  tiles per tile row (⌈OW/4⌉, not padded),
 *   WR   floats of one padded input row in the scratch (4·⌈TWP/4⌉·4 + 4).
 * For a chunk of whole tile rows (T tiles, tile t = r·TWP + tw of chunk row r):
 *   V[p][c][t]  = (Bᵀ·d·B)[p] of the 6×6 input patch d of tile t in channel c   (phase 0)
 *   M[p][o][t]  = Σ_c U[p][o][c] · V[p][c][t]                                  (36 sgemms)
 *   y[o][tile t] = Aᵀ·M[·][o][t]·A (+ bias, or added to y)                      (phase 1)
 *   U[p][o][c]  = (G·f·Gᵀ)[p], four input channels in the lanes                   (phase 2)
 * Interpolation points 0, ±1/2, ±2 and ∞ (see README.md: on N(0, 1) data their float32 error is
 * about 2/3 of the usual 0, ±1, ±2, and every constant of Bᵀ and Aᵀ is exact in float32):
 *   Bᵀ = [1 0 −17/4 0 1 0; 0 −2 −4 1/2 1 0; 0 2 −4 −1/2 1 0; 0 −1/2 −1/4 2 1 0; 0 1/2 −1/4 −2 1 0; 0 1 0 −17/4 0 1]
 *   G  = [1 0 0; −8/15 −4/15 −2/15; −8/15 4/15 −2/15; 1/30 1/15 2/15; 1/30 −1/15 2/15; 0 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1/2 −1/2 2 −2 0; 0 1/4 1/4 4 4 0; 0 1/8 −1/8 8 −8 1]
 * Lanes hold four horizontally adjacent tiles: the row transform (over the patch rows) is lane-wise
 * on plain loads, then the columns are gathered by shuffles (a 4×4 transpose and two more). A
 * group of four tiles that runs past the end of a tile row stores only its valid lanes (V and M
 * have no padding between tile rows). Tasks are tile rows (or output channels) taken from an
 * atomic ticket; every output is computed by one task in a fixed order, so results do not depend
 * on the thread count.
 */
import { fetchAdd, imin, madd } from "./common";
import { slot } from "./gemm/job";
import {
  WJ_ACC, WJ_BIAS, WJ_C, WJ_DST, WJ_H, WJ_M, WJ_OC, WJ_OH, WJ_OW, WJ_PHASE, WJ_PL, WJ_PT, WJ_ROW0, WJ_SCRATCH, WJ_SCRATCH_STRIDE,
  WJ_MP, WJ_SDN, WJ_SRC, WJ_SSN, WJ_T, WJ_TASKS, WJ_TH, WJ_TWP, WJ_U, WJ_UP, WJ_V, WJ_VP, WJ_W, WJ_WF, WJ_WR,
} from "./layout.generated";

/**
 * G·(g0, g1, g2) on four lanes: the six values to `out`, `stride` bytes apart (the constants of
 * G rounded to float32).
 */
// @ts-ignore: decorator
@inline function filterTransform(g0: v128, g1: v128, g2: v128, out: usize, stride: usize): void {
  const s = madd(g0, f32x4.splat(<f32>(-8.0 / 15)), f32x4.mul(g2, f32x4.splat(<f32>(-2.0 / 15)))), t = f32x4.mul(g1, f32x4.splat(<f32>(-4.0 / 15)));
  const s2 = madd(g0, f32x4.splat(<f32>(1.0 / 30)), f32x4.mul(g2, f32x4.splat(<f32>(4.0 / 30)))), t2 = f32x4.mul(g1, f32x4.splat(<f32>(2.0 / 30)));
  v128.store(out, g0);
  v128.store(out + stride, f32x4.add(s, t));
  v128.store(out + 2 * stride, f32x4.sub(s, t));
  v128.store(out + 3 * stride, f32x4.add(s2, t2));
  v128.store(out + 4 * stride, f32x4.sub(s2, t2));
  v128.store(out + 5 * stride, g2);
}

/** Element e of the 3×3 filters of lanes 0 … n−1 (`step` bytes apart from `f`), zero in the other lanes. */
// @ts-ignore: decorator
@inline function gather(f: usize, step: usize, e: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(f + (e << 2)));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(f + step + (e << 2)));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(f + 2 * step + (e << 2)));
  if (n > 3) v = f32x4.replace_lane(v, 3, load<f32>(f + 3 * step + (e << 2)));
  return v;
}

/**
 * Phase 2: U[p][o][i] = (G·f·Gᵀ)[p] for output channel o, every input channel (`plane` bytes
 * between positions), four input channels in the lanes. `flip` = 0: f = w[o][i] (w is
 * cout×cin×3×3); 1 (backward-data): f = w[i][o] rotated by 180° (w is cin×cout×3×3). `scratch`:
 * 384 bytes of this thread's.
 */
function filterRow(w: usize, cout: i32, cin: i32, flip: bool, dst: usize, plane: usize, o: i32, scratch: usize): void {
  const step = <usize>(flip ? cout : 1) * 36; // bytes between the filters of input channels i and i + 1
  for (let i = 0; i < cin; i += 4) {
    const n = imin(4, cin - i);
    const f = w + (<usize>(flip ? i * cout + o : o * cin + i) * 36);
    // Column c of G·k for k = f (or f rotated: element e of k is 8 − e of f), rows 6 vectors apart.
    for (let c: usize = 0; c < 3; c++) {
      filterTransform(gather(f, step, flip ? 8 - c : c, n), gather(f, step, flip ? 5 - c : 3 + c, n), gather(f, step, flip ? 2 - c : 6 + c, n),
        scratch + (c << 4), 48);
    }
    const at = dst + (<usize>(o * cin + i) << 2);
    for (let r = 0; r < 6; r++) {
      const a = scratch + <usize>r * 48;
      const out = at + <usize>(6 * r) * plane;
      if (n == 4) {
        filterTransform(v128.load(a), v128.load(a, 16), v128.load(a, 32), out, plane);
      } else {
        filterTransform(v128.load(a), v128.load(a, 16), v128.load(a, 32), scratch + 288, 16);
        for (let c = 0; c < 6; c++) storeLanes(out + <usize>c * plane, v128.load(scratch + 288 + (<usize>c << 4)), n);
      }
    }
  }
}

/** Copies padded rows 4·th … 4·th+5 of one channel plane (H×W at `src`) into `dst`: 6 rows of WR floats, zeros outside. */
function copyRows(src: usize, H: i32, W: i32, PT: i32, PL: i32, th: i32, WR: i32, dst: usize): void {
  const rowBytes = <usize>WR << 2;
  for (let r = 0; r < 6; r++) {
    const ih = 4 * th + r - PT;
    const row = dst + <usize>r * rowBytes;
    if (ih < 0 || ih >= H) {
      memory.fill(row, 0, rowBytes);
      continue;
    }
    const left = <usize>PL << 2, bytes = <usize>W << 2;
    memory.fill(row, 0, left);
    memory.copy(row + left, src + (<usize>(ih * W) << 2), bytes);
    memory.fill(row + left + bytes, 0, rowBytes - left - bytes);
  }
}

/**
 * The 1-d input transform Bᵀ·(d0 … d5) on four lanes, written to `out`, `stride` bytes apart.
 */
// @ts-ignore: decorator
@inline function inputTransform(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, out: usize, stride: usize): void {
  const p = madd(d2, f32x4.splat(-4), d4), q = madd(d3, f32x4.splat(-0.5), f32x4.add(d1, d1));
  const p2 = madd(d2, f32x4.splat(-0.25), d4), q2 = madd(d3, f32x4.splat(-2), f32x4.mul(d1, f32x4.splat(0.5)));
  v128.store(out, madd(d2, f32x4.splat(-4.25), f32x4.add(d0, d4)));
  v128.store(out + stride, f32x4.sub(p, q));
  v128.store(out + 2 * stride, f32x4.add(p, q));
  v128.store(out + 3 * stride, f32x4.sub(p2, q2));
  v128.store(out + 4 * stride, f32x4.add(p2, q2));
  v128.store(out + 5 * stride, madd(d3, f32x4.splat(-4.25), f32x4.add(d1, d5)));
}

/** Stores the first `n` (< 4) lanes of v at dst. */
// @ts-ignore: decorator
@inline function storeLanes(dst: usize, v: v128, n: i32): void {
  store<f32>(dst, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
}

/** Phase 0: the input transform of tile row `r` of the chunk, every channel. */
function inputRow(job: usize, r: i32, scratch: usize): void {
  const C = slot(job, WJ_C), H = slot(job, WJ_H), W = slot(job, WJ_W), PT = slot(job, WJ_PT), PL = slot(job, WJ_PL);
  const TH = slot(job, WJ_TH), TW = slot(job, WJ_TWP), WR = slot(job, WJ_WR), T = slot(job, WJ_T);
  const g = slot(job, WJ_ROW0) + r;
  const n = g / TH, th = g - n * TH;
  const src = <usize>slot(job, WJ_SRC) + <usize>n * <usize>slot(job, WJ_SSN);
  const rowBytes = <usize>WR << 2;
  const rows = scratch, s = scratch + <usize>(6 * WR << 2); // s: 6 rows × 5 vectors after the row transform
  const cols = s + 480; // 6 transformed vectors of a partial group
  const pstride = <usize>slot(job, WJ_VP); // bytes between positions p of V
  for (let c = 0; c < C; c++) {
    copyRows(src + (<usize>(c * H * W) << 2), H, W, PT, PL, th, WR, rows);
    const v0 = <usize>slot(job, WJ_V) + (<usize>(c * T + r * TW) << 2);
    for (let tw = 0; tw < TW; tw += 4) {
      const x0 = rows + (<usize>(4 * tw) << 2);
      // Bᵀ over the 6 patch rows, on the 20 columns of the four patches: s[i][k] = vector k of row i.
      for (let k = 0; k < 5; k++) {
        const x = x0 + (<usize>k << 4);
        inputTransform(v128.load(x), v128.load(x + rowBytes), v128.load(x + 2 * rowBytes), v128.load(x + 3 * rowBytes),
          v128.load(x + 4 * rowBytes), v128.load(x + 5 * rowBytes), s + (<usize>k << 4), 80);
      }
      const full = tw + 4 <= TW;
      const v = v0 + (<usize>tw << 2);
      // Each transformed row: gather the 6 patch columns (lane l = tile tw + l), then Bᵀ over them.
      for (let i = 0; i < 6; i++) {
        const si = s + <usize>i * 80;
        const a = v128.load(si), b = v128.load(si, 16), c2 = v128.load(si, 32), e = v128.load(si, 48), f = v128.load(si, 64);
        const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5), t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(c2, e, 0, 4, 1, 5), t3 = i32x4.shuffle(c2, e, 2, 6, 3, 7);
        const u = i32x4.shuffle(b, c2, 0, 4, 1, 5), w = i32x4.shuffle(e, f, 0, 4, 1, 5);
        const d0 = i32x4.shuffle(t0, t2, 0, 1, 4, 5), d1 = i32x4.shuffle(t0, t2, 2, 3, 6, 7);
        const d2 = i32x4.shuffle(t1, t3, 0, 1, 4, 5), d3 = i32x4.shuffle(t1, t3, 2, 3, 6, 7);
        const d4 = i32x4.shuffle(u, w, 0, 1, 4, 5), d5 = i32x4.shuffle(u, w, 2, 3, 6, 7);
        if (full) {
          inputTransform(d0, d1, d2, d3, d4, d5, v + <usize>(6 * i) * pstride, pstride);
        } else {
          inputTransform(d0, d1, d2, d3, d4, d5, cols, 16);
          for (let j = 0; j < 6; j++) storeLanes(v + <usize>(6 * i + j) * pstride, v128.load(cols + (<usize>j << 4)), TW - tw);
        }
      }
    }
  }
}

/** Stores v at dst, or adds it to what is there when `acc`. */
// @ts-ignore: decorator
@inline function put(dst: usize, v: v128, acc: bool): void {
  v128.store(dst, acc ? f32x4.add(v128.load(dst), v) : v);
}

/** The 1-d output transform Aᵀ·(m0 … m5) on four lanes: rows 0…3 to `out`, `stride` bytes apart. */
// @ts-ignore: decorator
@inline function outputTransform(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, out: usize, stride: usize): void {
  const a = f32x4.add(m1, m2), b = f32x4.sub(m1, m2), c = f32x4.add(m3, m4), e = f32x4.sub(m3, m4);
  v128.store(out, f32x4.add(f32x4.add(m0, a), c));
  v128.store(out + stride, madd(e, f32x4.splat(2), f32x4.mul(b, f32x4.splat(0.5))));
  v128.store(out + 2 * stride, madd(c, f32x4.splat(4), f32x4.mul(a, f32x4.splat(0.25))));
  v128.store(out + 3 * stride, madd(e, f32x4.splat(8), madd(b, f32x4.splat(0.125), m5)));
}

/** Phase 1: the output transform of tile row `r` of the chunk, every output channel. */
function outputRow(job: usize, r: i32, scratch: usize): void {
  const OC = slot(job, WJ_OC), OH = slot(job, WJ_OH), OW = slot(job, WJ_OW);
  const TH = slot(job, WJ_TH), TW = slot(job, WJ_TWP), T = slot(job, WJ_T);
  const acc = slot(job, WJ_ACC) != 0, bias = <usize>slot(job, WJ_BIAS);
  const g = slot(job, WJ_ROW0) + r;
  const n = g / TH, th = g - n * TH;
  const oh = 4 * th;
  const dst = <usize>slot(job, WJ_DST) + <usize>n * <usize>slot(job, WJ_SDN);
  const pstride = <usize>slot(job, WJ_MP);
  const rowBytes = <usize>OW << 2;
  const nrows = imin(4, OH - oh);
  const s = scratch, y = scratch + 384, tail = scratch + 448; // s: 4 rows × 6 vectors after Aᵀ over the patch rows
  for (let oc = 0; oc < OC; oc++) {
    const bv = bias != 0 && !acc ? v128.load32_splat(bias + (<usize>oc << 2)) : f32x4.splat(0);
    const m0 = <usize>slot(job, WJ_M) + (<usize>(oc * T + r * TW) << 2);
    const y0 = dst + (<usize>(oc * OH * OW + oh * OW) << 2);
    for (let tw = 0; tw < TW; tw += 4) {
      // Lanes past the tile row (a partial last group) read the next row's tiles or the plane padding: ignored.
      const m = m0 + (<usize>tw << 2);
      for (let j = 0; j < 6; j++) {
        const mj = m + <usize>j * pstride;
        outputTransform(v128.load(mj), v128.load(mj + 6 * pstride), v128.load(mj + 12 * pstride), v128.load(mj + 18 * pstride),
          v128.load(mj + 24 * pstride), v128.load(mj + 30 * pstride), s + (<usize>j << 4), 96);
      }
      const ow = 4 * tw;
      for (let i = 0; i < nrows; i++) {
        const si = s + <usize>i * 96;
        outputTransform(v128.load(si), v128.load(si, 16), v128.load(si, 32), v128.load(si, 48), v128.load(si, 64), v128.load(si, 80), y, 16);
        // Transpose: lane l of y[j] is column j of tile tw + l; the stores take a tile (4 columns) each.
        const y0v = v128.load(y), y1v = v128.load(y, 16), y2v = v128.load(y, 32), y3v = v128.load(y, 48);
        const t0 = i32x4.shuffle(y0v, y1v, 0, 4, 1, 5), t1 = i32x4.shuffle(y0v, y1v, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(y2v, y3v, 0, 4, 1, 5), t3 = i32x4.shuffle(y2v, y3v, 2, 6, 3, 7);
        const row = y0 + <usize>i * rowBytes + (<usize>ow << 2);
        const tiles = imin(4, TW - tw);
        for (let l = 0; l < tiles; l++) {
          const q = l == 0 ? i32x4.shuffle(t0, t2, 0, 1, 4, 5) : l == 1 ? i32x4.shuffle(t0, t2, 2, 3, 6, 7)
            : l == 2 ? i32x4.shuffle(t1, t3, 0, 1, 4, 5) : i32x4.shuffle(t1, t3, 2, 3, 6, 7);
          const v = f32x4.add(q, bv);
          const at = row + (<usize>(4 * l) << 2);
          const cols = OW - ow - 4 * l;
          if (cols >= 4) {
            put(at, v, acc);
            continue;
          }
          // A ragged right edge: the valid columns one by one.
          v128.store(tail, v);
          for (let jj = 0; jj < cols; jj++) {
            const d = at + (<usize>jj << 2);
            const x = load<f32>(tail + (<usize>jj << 2));
            store<f32>(d, acc ? load<f32>(d) + x : x);
          }
        }
      }
    }
  }
}

/**
 * Runs the tasks of a Winograd F(4×4, 3×3) transform job on thread `tid`: phase 0 the input
 * transform (a task per tile row), 1 the output transform (the same), 2 the filter transform (a
 * task per output channel of U; ACC set means backward-data, whose filters are transposed and
 * flipped).
 */
export function winograd4Run(job: usize, tid: i32): void {
  const tasks = slot(job, WJ_TASKS), phase = slot(job, WJ_PHASE);
  const scratch = <usize>slot(job, WJ_SCRATCH) + <usize>tid * <usize>slot(job, WJ_SCRATCH_STRIDE);
  for (let t = fetchAdd(job, 1); t < tasks; t = fetchAdd(job, 1)) {
    if (phase == 0) inputRow(job, t, scratch);
    else if (phase == 1) outputRow(job, t, scratch);
    else {
      filterRow(<usize>slot(job, WJ_WF), slot(job, WJ_OC), slot(job, WJ_C), slot(job, WJ_ACC) != 0, <usize>slot(job, WJ_U),
        <usize>slot(job, WJ_UP), t, scratch);
    }
  }
}
