/**
 * The sgemm micro-kernel: a 4×8 tile of C held in eight f32x4 accumulators (two vectors per row).
 * Each step of k loads one row of the B micro-panel (two vectors), broadcasts the four values of
 * the A micro-panel (`v128.load32_splat`) and issues eight multiply-adds.
 *
 * Why 4×8: V8 (TurboFan, x64) allocates 15 of the 16 xmm registers; 4×8 needs 8 accumulators,
 * 2 B vectors and 1 broadcast, and measured 52 GFLOP/s (mul+add) and 62 GFLOP/s (relaxed madd) on
 * an L1/L2-resident macro-kernel, 92–96 % of the register-resident peak, while 5×8, 6×8 and 4×12
 * ran at 27–34 GFLOP/s because TurboFan hoists the broadcasts and spills accumulators. Unrolling
 * k by 2 or 4 spilled too (see README.md, "How the block sizes were chosen").
 */
import { madd } from "../common";

/** Rows of the register tile. */
export const MR: i32 = 4;
/** Columns of the register tile (two f32x4). */
export const NR: i32 = 8;

/** C ← α·AB (β = 0 in the first K block: C is never read). */
export const MODE_OVERWRITE: i32 = 0;
/** C ← α·AB + C (β = 1, and every K block after the first). */
export const MODE_ACCUMULATE: i32 = 1;
/** C ← α·AB + β·C (other β, first K block). */
export const MODE_SCALE: i32 = 2;

// @ts-ignore: decorator
@inline function updateRow(c: usize, acc0: v128, acc1: v128, va: v128, vb: v128, mode: i32): void {
  const p0 = f32x4.mul(va, acc0);
  const p1 = f32x4.mul(va, acc1);
  if (mode == MODE_OVERWRITE) {
    v128.store(c, p0);
    v128.store(c, p1, 16);
  } else if (mode == MODE_ACCUMULATE) {
    v128.store(c, f32x4.add(p0, v128.load(c)));
    v128.store(c, f32x4.add(p1, v128.load(c, 16)), 16);
  } else {
    v128.store(c, f32x4.add(p0, f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(p1, f32x4.mul(vb, v128.load(c, 16))), 16);
  }
}

/** Stores the eight accumulators of a 4×8 tile at `tile` (4 rows of 8 floats, 128 bytes), for the scalar paths of partial tiles. */
// @ts-ignore: decorator
@inline export function spillTile(tile: usize, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
}

/**
 * The scalar update of a partial tile (or of C with a non-unit column stride): the accumulators
 * were spilled to `tile` (4 rows of 8 floats); the arithmetic is the vector path's, lane by lane,
 * so a C element gets the same bits whichever path stores it.
 */
function updatePartial(c: usize, sc1: i32, sc2: i32, mr: i32, nr: i32, tile: usize, alpha: f32, beta: f32, mode: i32): void {
  for (let r = 0; r < mr; r++) {
    let p = c + <usize>(r * sc1);
    const t = tile + <usize>(r * 32);
    for (let j = 0; j < nr; j++) {
      const v = alpha * load<f32>(t + <usize>(j << 2));
      if (mode == MODE_OVERWRITE) store<f32>(p, v);
      else if (mode == MODE_ACCUMULATE) store<f32>(p, v + load<f32>(p));
      else store<f32>(p, v + beta * load<f32>(p));
      p += <usize>sc2;
    }
  }
}

/**
 * One micro-tile: AB over `kc` steps of the packed A micro-panel at `a` (MR floats per step) and
 * the B micro-panel at `b` (NR floats per step, rows `bStride` bytes apart: 32 when packed, the
 * row stride of B when read in place), then the update of the `mr`×`nr` tile of C at `c` (strides
 * in bytes). `tile` is this thread's 128-byte scratch for partial tiles.
 */
export function microKernel(
  kc: i32, a: usize, b: usize, bStride: i32, c: usize, sc1: i32, sc2: i32, mr: i32, nr: i32,
  alpha: f32, beta: f32, mode: i32, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const step = <usize>bStride;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    a += 16;
    b += step;
  }
  if (mr == MR && nr == NR && sc2 == 4) {
    const va = f32x4.splat(alpha);
    const vb = f32x4.splat(beta);
    const s1 = <usize>sc1;
    updateRow(c, c00, c01, va, vb, mode);
    updateRow(c + s1, c10, c11, va, vb, mode);
    updateRow(c + s1 + s1, c20, c21, va, vb, mode);
    updateRow(c + s1 + s1 + s1, c30, c31, va, vb, mode);
    return;
  }
  spillTile(tile, c00, c01, c10, c11, c20, c21, c30, c31);
  updatePartial(c, sc1, sc2, mr, nr, tile, alpha, beta, mode);
}
