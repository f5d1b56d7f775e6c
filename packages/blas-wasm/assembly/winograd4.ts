/**
 * Winograd F(4×4, 3×3) convolution in WASM SIMD, on the job structure of F(2×2) (assembly/winograd.ts:
 * the same WJ_ record, phases, tasks and schedules; src/winograd4.ts plans the call), with 4×4
 * output tiles and 36 positions:
 *   TH   tile rows per image (⌈OH/4⌉),  TWP  tiles per tile row (⌈OW/4⌉, not padded: tile t of a
 *        chunk is t = r·TWP + tw of chunk row r, and a group of four tiles that is not half a panel
 *        is stored lane by lane),
 *   WR   floats of one padded input row in the scratch (16·⌈TWP/4⌉ + 4).
 * For a chunk of whole tile rows (T tiles):
 *   U[p][o][c]  = (G·f·Gᵀ)[p], panels of MR = 4 output channels `[o/4][c][o%4]`      (phase 2, F)
 *   V[p][c][t]  = (Bᵀ·d·B)[p] of the 6×6 input patch d, panels of NR = 8 tiles `[t/8][c][t%8]` (0, I)
 *   M[p][o][t]  = Σ_c U[p][o][c] · V[p][c][t], row-major, on the sgemm micro-kernel       (3, G)
 *   y[o][tile t] = Aᵀ·M[·][o][t]·A (+ bias, then the forward epilogue; or added to y)   (1, O)
 * and phase 4 (B) runs I, G and O of a block of tile rows in the thread's own V and M, phase 5 (P)
 * F, G and O of a group of output-channel panels in its own U and M. The call is two jobs ([F],
 * [B] or [I], [P]) or 1 + 2·chunks ([F+I₀] G₀ [O₀+I₁] … [O_last]), as F(2×2)'s.
 * Interpolation points 0, ±1/2, ±2 and ∞ (see README.md: on N(0, 1) data their float32 error is
 * about 2/3 of the usual 0, ±1, ±2, and every constant of Bᵀ and Aᵀ is exact in float32):
 *   Bᵀ = [1 0 −17/4 0 1 0; 0 −2 −4 1/2 1 0; 0 2 −4 −1/2 1 0; 0 −1/2 −1/4 2 1 0; 0 1/2 −1/4 −2 1 0; 0 1 0 −17/4 0 1]
 *   G  = [1 0 0; −8/15 −4/15 −2/15; −8/15 4/15 −2/15; 1/30 1/15 2/15; 1/30 −1/15 2/15; 0 0 1]
 *   Aᵀ = [1 1 1 1 1 0; 0 1/2 −1/2 2 −2 0; 0 1/4 1/4 4 4 0; 0 1/8 −1/8 8 −8 1]
 * Lanes of the input and output transforms hold four horizontally adjacent tiles: the row
 * transform (over the patch rows) is lane-wise on plain loads, then the columns are gathered by
 * shuffles (a 4×4 transpose and two more); lanes of the filter transform hold four output
 * channels. Every output is computed by one task in a fixed order (a product task runs all of K
 * itself, in KC blocks), in every schedule, so results do not depend on the thread count.
 */
import { fetchAdd, imin, madd } from "./common";
import { slot } from "./gemm/job";
import { MR } from "./gemm/micro";
import { put } from "./winograd";
import { panelProducts, productTask } from "./winograd-products";
import {
  WJ_ACC, WJ_BIAS, WJ_C, WJ_DST, WJ_GROUPS, WJ_H, WJ_M, WJ_MC, WJ_MP, WJ_OC, WJ_OH, WJ_OW, WJ_OWN_AT, WJ_PHASE, WJ_PHASE2, WJ_PL, WJ_PT,
  WJ_RELU, WJ_RES, WJ_ROW0, WJ_ROW02, WJ_ROWS_TOTAL, WJ_SCALE, WJ_SCRATCH, WJ_SCRATCH_STRIDE, WJ_SDN, WJ_SHIFT, WJ_SRC, WJ_SRN, WJ_SSN,
  WJ_T, WJ_T2, WJ_TASK_COLS, WJ_TASKS, WJ_TASKS2, WJ_TH, WJ_TWP, WJ_U, WJ_UP, WJ_V, WJ_VP, WJ_W, WJ_WF, WJ_WR, WJ_PANELS_PER_TASK,
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

/** Tap e of the four 3×3 filters at f0 … f3, one per lane (four output channels). */
// @ts-ignore: decorator
@inline function tap(f0: usize, f1: usize, f2: usize, f3: usize, e: usize): v128 {
  let v = f32x4.splat(load<f32>(f0 + (e << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(f1 + (e << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(f2 + (e << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(f3 + (e << 2)));
}

/**
 * Phase 2 (F), task q: the panel of output channels 4q … 4q+3 of U (lanes = channels; a channel
 * past OC repeats the last one, and its rows of M are never stored), every input channel, in the
 * micro-kernel's packed layout `[o/4][c][o%4]`, positions UP bytes apart. Forward (ACC = 0):
 * f = w[o][c], w is OC×C×3×3; backward-data (ACC = 1): f = w[c][o] rotated by 180° (element e of
 * the filter is 8 − e of w's), w is C×OC×3×3. `work`: 288 bytes of this thread's.
 */
function filterPanel(job: usize, q: i32, work: usize): void {
  filterPanelTo(job, q, work, <usize>slot(job, WJ_U) + (<usize>(q * slot(job, WJ_C)) << 4), <usize>slot(job, WJ_UP));
}

/** {@link filterPanel} into `at` (this panel's first row in position 0), positions `plane` bytes apart. */
function filterPanelTo(job: usize, q: i32, work: usize, at: usize, plane: usize): void {
  const cout = slot(job, WJ_OC), cin = slot(job, WJ_C), flip = slot(job, WJ_ACC) != 0;
  const w = <usize>slot(job, WJ_WF);
  const o0 = q * MR;
  const o1 = imin(o0 + 1, cout - 1), o2 = imin(o0 + 2, cout - 1), o3 = imin(o0 + 3, cout - 1);
  for (let i = 0; i < cin; i++, at += 16) {
    const f0 = w + <usize>(flip ? i * cout + o0 : o0 * cin + i) * 36;
    const f1 = w + <usize>(flip ? i * cout + o1 : o1 * cin + i) * 36;
    const f2 = w + <usize>(flip ? i * cout + o2 : o2 * cin + i) * 36;
    const f3 = w + <usize>(flip ? i * cout + o3 : o3 * cin + i) * 36;
    // Column c of G·k, rows 48 bytes apart in `work`; then each row ·Gᵀ to positions 6r … 6r+5.
    for (let c: usize = 0; c < 3; c++) {
      filterTransform(tap(f0, f1, f2, f3, flip ? 8 - c : c), tap(f0, f1, f2, f3, flip ? 5 - c : 3 + c),
        tap(f0, f1, f2, f3, flip ? 2 - c : 6 + c), work + (c << 4), 48);
    }
    for (let r = 0; r < 6; r++) {
      const a = work + <usize>r * 48;
      filterTransform(v128.load(a), v128.load(a, 16), v128.load(a, 32), at + <usize>(6 * r) * plane, plane);
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

/**
 * Phase 0 (I): the input transform of tile row `r` of the chunk whose first row is `row0` and
 * which has T tiles, channels [c0, c1), into the packed V (`pstride` bytes between positions). `work`:
 * 24·WR + 576 bytes of this thread's. The task of the last row also zeroes the rest of the last
 * panel (of these channels) when T is not a multiple of 8 (the products read whole panels).
 */
function inputRow(job: usize, V: usize, pstride: usize, row0: i32, T: i32, r: i32, c0: i32, c1: i32, work: usize): void {
  const C = slot(job, WJ_C), H = slot(job, WJ_H), W = slot(job, WJ_W), PT = slot(job, WJ_PT), PL = slot(job, WJ_PL);
  const TH = slot(job, WJ_TH), TW = slot(job, WJ_TWP), WR = slot(job, WJ_WR);
  const g = row0 + r;
  const n = g / TH, th = g - n * TH;
  const src = <usize>slot(job, WJ_SRC) + <usize>n * <usize>slot(job, WJ_SSN);
  const rowBytes = <usize>WR << 2;
  const rows = work, s = work + <usize>(6 * WR << 2); // s: 6 rows × 5 vectors after the row transform
  const panelBytes = <usize>C << 5; // one panel of 8 tiles: C rows of 8 floats
  const cols = s + 480; // 6 transformed vectors of a group stored lane by lane
  for (let c = c0; c < c1; c++) {
    copyRows(src + (<usize>(c * H * W) << 2), H, W, PT, PL, th, WR, rows);
    for (let tw = 0; tw < TW; tw += 4) {
      const t = r * TW + tw, n = imin(4, TW - tw);
      // Four tiles that make half a panel: one store per position; else lane by lane.
      const whole = n == 4 && (t & 3) == 0;
      const v = V + <usize>(t >> 3) * panelBytes + (<usize>c << 5) + (<usize>(t & 4) << 2);
      const x0 = rows + (<usize>(4 * tw) << 2);
      // Bᵀ over the 6 patch rows, on the 20 columns of the four patches: s[i][k] = vector k of row i.
      for (let k = 0; k < 5; k++) {
        const x = x0 + (<usize>k << 4);
        inputTransform(v128.load(x), v128.load(x + rowBytes), v128.load(x + 2 * rowBytes), v128.load(x + 3 * rowBytes),
          v128.load(x + 4 * rowBytes), v128.load(x + 5 * rowBytes), s + (<usize>k << 4), 80);
      }
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
        if (whole) {
          inputTransform(d0, d1, d2, d3, d4, d5, v + <usize>(6 * i) * pstride, pstride);
          continue;
        }
        inputTransform(d0, d1, d2, d3, d4, d5, cols, 16);
        for (let l = 0; l < n; l++) {
          const at = V + <usize>((t + l) >> 3) * panelBytes + (<usize>c << 5) + (<usize>((t + l) & 7) << 2) + <usize>(6 * i) * pstride;
          for (let j = 0; j < 6; j++) store<f32>(at + <usize>j * pstride, load<f32>(cols + (<usize>j << 4) + (<usize>l << 2)));
        }
      }
    }
  }
  if ((T & 7) != 0 && g == row0 + (T / TW) - 1) {
    // Tiles T … of the last panel do not exist: zeros (never denormal garbage) for the products.
    const last = V + <usize>(T >> 3) * panelBytes;
    for (let c = c0; c < c1; c++) {
      for (let p = 0; p < 36; p++) {
        const at = last + (<usize>c << 5) + <usize>p * pstride;
        for (let l = T & 7; l < 8; l++) store<f32>(at + (<usize>l << 2), 0);
      }
    }
  }
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

/**
 * Phase 1 (O): the output transform of tile row `r` of the chunk (first row `row0`, T tiles),
 * output channels [o0, o1), with the bias and the forward epilogue (`put` of assembly/winograd.ts).
 * `work`: 448 bytes of this thread's; `tail`: 16.
 */
function outputRow(job: usize, M: usize, pstride: usize, row0: i32, T: i32, r: i32, o0: i32, o1: i32, work: usize, tail: usize): void {
  const OC = slot(job, WJ_OC), OH = slot(job, WJ_OH), OW = slot(job, WJ_OW);
  const TH = slot(job, WJ_TH), TW = slot(job, WJ_TWP);
  const acc = slot(job, WJ_ACC) != 0, bias = <usize>slot(job, WJ_BIAS);
  const scaleAt = <usize>slot(job, WJ_SCALE), shiftAt = <usize>slot(job, WJ_SHIFT), resAt = <usize>slot(job, WJ_RES);
  const sc = scaleAt != 0, sh = shiftAt != 0, res = resAt != 0, relu = slot(job, WJ_RELU) != 0;
  const ep = !acc && (sc || sh || res || relu);
  const g = row0 + r;
  const n = g / TH, th = g - n * TH;
  const oh = 4 * th;
  const dst = <usize>slot(job, WJ_DST) + <usize>n * <usize>slot(job, WJ_SDN);
  // Residual image n minus y image n, wrapping (the residual may lie below y).
  const rdelta = res ? resAt + <usize>n * <usize>slot(job, WJ_SRN) - dst : 0;
  const rowBytes = <usize>OW << 2;
  const nrows = imin(4, OH - oh);
  const s = work, y = work + 384; // s: 4 rows × 6 vectors after Aᵀ over the patch rows
  for (let oc = o0; oc < o1; oc++) {
    const bv = bias != 0 && !acc ? v128.load32_splat(bias + (<usize>oc << 2)) : f32x4.splat(0);
    const sv = sc ? v128.load32_splat(scaleAt + (<usize>oc << 2)) : f32x4.splat(1);
    const hv = sh ? v128.load32_splat(shiftAt + (<usize>oc << 2)) : f32x4.splat(0);
    const sf = f32x4.extract_lane(sv, 0), hf = f32x4.extract_lane(hv, 0);
    const m0 = M + (<usize>(oc * T + r * TW) << 2);
    const y0 = dst + (<usize>(oc * OH * OW + oh * OW) << 2);
    for (let tw = 0; tw < TW; tw += 4) {
      // Lanes past the tile row (the next row's tiles, or up to 3 floats past the plane) are ignored.
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
            put(at, v, acc, ep, sv, hv, rdelta, sc, sh, res, relu);
            continue;
          }
          // A ragged right edge: the valid columns one by one, with the same operations per lane.
          v128.store(tail, v);
          for (let jj = 0; jj < cols; jj++) {
            const d = at + (<usize>jj << 2);
            let x = load<f32>(tail + (<usize>jj << 2));
            if (acc) x = load<f32>(d) + x;
            else if (ep) {
              if (sc) x = x * sf;
              if (sh) x = x + hf;
              if (res) x = x + load<f32>(d + rdelta);
              if (relu) x = max<f32>(x, 0);
            }
            store<f32>(d, x);
          }
        }
      }
    }
  }
}

/**
 * Phase 4 (B), task b of `blocks`: tile rows [⌊b·ROWS_TOTAL/blocks⌋, ⌊(b+1)·ROWS_TOTAL/blocks⌋) of the call (at most
 * BLOCK_ROWS, which the own V and M are sized for), every phase of them on this thread
 * (input transform, the 36 products, output transform) in its own V and M at `own`.
 */
function blockTask(job: usize, b: i32, blocks: i32, tile: usize, work: usize, own: usize): void {
  const rowsTotal = slot(job, WJ_ROWS_TOTAL), TWP = slot(job, WJ_TWP);
  const cout = slot(job, WJ_OC), MC = slot(job, WJ_MC), taskCols = slot(job, WJ_TASK_COLS);
  const row0 = <i32>((<i64>b * rowsTotal) / blocks), rows = <i32>((<i64>(b + 1) * rowsTotal) / blocks) - row0, T = rows * TWP;
  const VP = <usize>slot(job, WJ_VP), MP = <usize>slot(job, WJ_MP), M = own + VP * 36;
  const C = slot(job, WJ_C);
  for (let r = 0; r < rows; r++) inputRow(job, own, VP, row0, T, r, 0, C, work);
  const products = 36 * ((cout + MC - 1) / MC) * ((T + taskCols - 1) / taskCols);
  for (let t = 0; t < products; t++) productTask(job, own, VP, M, MP, T, t, tile);
  for (let r = 0; r < rows; r++) outputRow(job, M, MP, row0, T, r, 0, cout, work, tile);
}

/**
 * Phase 5 (P), task q: output channels [4·PPT·q, 4·PPT·(q+1)) of the whole call (one chunk of T
 * tiles, V made by phase I), as F(2×2)'s `panelTask`: the filter transform of its PANELS_PER_TASK
 * panels into its own U, the 36 products over all tiles and the output transform, at `own`.
 */
function panelTask(job: usize, q: i32, T: i32, tile: usize, work: usize, own: usize): void {
  const cout = slot(job, WJ_OC), cin = slot(job, WJ_C), ppt = slot(job, WJ_PANELS_PER_TASK);
  const q0 = q * ppt, q1 = imin(q0 + ppt, (cout + MR - 1) / MR);
  const o0 = q0 * MR, o1 = imin(cout, q1 * MR);
  // In phase 5, UP and MP are the strides of this task's own U and M (src/winograd4.ts: M has 16
  // floats more a position, the output transform reads up to 3 floats past a tile row).
  const uPlane = <usize>slot(job, WJ_UP), mPlane = <usize>slot(job, WJ_MP);
  for (let k = q0; k < q1; k++) filterPanelTo(job, k, work, own + <usize>(k - q0) * (<usize>cin << 4), uPlane);
  const M = own + uPlane * 36;
  panelProducts(job, 36, o0, o1, T, own, uPlane, M, mPlane, tile);
  // M's row oc is at M + (oc − o0)·T·4: pass the base of row 0.
  const rows = T / slot(job, WJ_TWP), row0 = slot(job, WJ_ROW0);
  for (let r = 0; r < rows; r++) outputRow(job, M - (<usize>(o0 * T) << 2), mPlane, row0, T, r, o0, o1, work, tile);
}

/** Task t of phase `phase` of the chunk whose first tile row is `row0` and which has T tiles. */
// @ts-ignore: decorator
@inline function runTask(job: usize, phase: i32, row0: i32, T: i32, t: i32, tasks: i32, tile: usize, work: usize, own: usize): void {
  const V = <usize>slot(job, WJ_V), VP = <usize>slot(job, WJ_VP), M = <usize>slot(job, WJ_M), MP = <usize>slot(job, WJ_MP);
  if (phase == 0) {
    // Task (row unit, channel group): rows in pairs when TWP = 4 mod 8 (then two threads never
    // write one cache line of V); groups of a multiple of 8 channels.
    const TWP = slot(job, WJ_TWP), pair = (TWP & 7) == 4 ? 2 : 1, G = slot(job, WJ_GROUPS), u = t / G, q = t - u * G;
    const C = slot(job, WJ_C), per = ((C + G - 1) / G + 7) & ~7, c0 = imin(C, q * per), c1 = imin(C, c0 + per);
    const r1 = imin(T / TWP, (u + 1) * pair);
    for (let r = u * pair; r < r1; r++) inputRow(job, V, VP, row0, T, r, c0, c1, work);
  } else if (phase == 1) {
    // Task (tile row, output channel group).
    const G = slot(job, WJ_GROUPS), r = t / G, q = t - r * G;
    const OC = slot(job, WJ_OC), per = ((OC + G - 1) / G + 7) & ~7, o0 = imin(OC, q * per);
    outputRow(job, M, MP, row0, T, r, o0, imin(OC, o0 + per), work, tile);
  }
  else if (phase == 2) filterPanel(job, t, work);
  else if (phase == 3) productTask(job, V, VP, M, MP, T, t, tile);
  else if (phase == 4) blockTask(job, t, tasks, tile, work, own);
  else panelTask(job, t, T, tile, work, own);
}

/**
 * Runs thread `tid`'s tasks of a Winograd F(4×4, 3×3) job, taken from the TICKET: tasks
 * [0, TASKS) of phase PHASE (chunk ROW0, T tiles), then tasks [TASKS, TASKS + TASKS2) of PHASE2
 * (chunk ROW02, T2 tiles), as `winogradRun` of assembly/winograd.ts. There is no barrier inside a
 * job; the pool's join after it is the barrier.
 */
export function winograd4Run(job: usize, tid: i32): void {
  const tasks = slot(job, WJ_TASKS), phase = slot(job, WJ_PHASE), row0 = slot(job, WJ_ROW0), T = slot(job, WJ_T);
  const all = tasks + slot(job, WJ_TASKS2), phase2 = slot(job, WJ_PHASE2), row02 = slot(job, WJ_ROW02), T2 = slot(job, WJ_T2);
  const scratch = <usize>slot(job, WJ_SCRATCH) + <usize>tid * <usize>slot(job, WJ_SCRATCH_STRIDE);
  const tile = scratch; // 128 bytes: the micro-kernel's partial tiles, the output transform's ragged edges
  const work = scratch + 128; // the transforms' rows and vectors
  const own = scratch + <usize>slot(job, WJ_OWN_AT); // phase 4: this thread's V and M
  for (let t = fetchAdd(job, 1); t < all; t = fetchAdd(job, 1)) {
    if (t < tasks) runTask(job, phase, row0, T, t, tasks, tile, work, own);
    else runTask(job, phase2, row02, T2, t - tasks, all - tasks, tile, work, own);
  }
}
