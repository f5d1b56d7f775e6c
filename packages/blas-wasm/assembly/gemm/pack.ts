/**
 * Packing: copies a block of A into MR-row micro-panels and a block of B into NR-column
 * micro-panels, contiguous and zero-padded, so the micro-kernel reads two unit-stride streams.
 * Packing absorbs every stride, offset and transpose (strides are in bytes and may be negative).
 * Unit-stride layouts move whole vectors; the transposed layouts use 4×4 in-register transposes.
 */
import { at } from "../common";
import { MR, NR } from "./micro";

/** Transposes the 4×4 block whose rows are r0..r3 and stores its columns at dst, dst+step, … */
// @ts-ignore: decorator
@inline export function storeTransposed(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(dst + step, i64x2.shuffle(t0, t1, 1, 3));
  v128.store(dst + step + step, i64x2.shuffle(t2, t3, 0, 2));
  v128.store(dst + step + step + step, i64x2.shuffle(t2, t3, 1, 3));
}

/**
 * Packs `rows` (≤ MR) rows × `kc` columns of A starting at `src` (row stride `s1`, column stride
 * `s2`, in bytes) into one micro-panel at `dst`: for each k, MR floats, rows past `rows` zero.
 */
export function packPanelA(src: usize, s1: i32, s2: i32, rows: i32, kc: i32, dst: usize): void {
  if (rows == MR && s1 == 4) {
    for (let k = 0; k < kc; k++) v128.store(dst + <usize>(k << 4), v128.load(at(src, k * s2)));
    return;
  }
  let k = 0;
  if (rows == MR && s2 == 4) {
    const r1 = at(src, s1), r2 = at(src, 2 * s1), r3 = at(src, 3 * s1);
    for (; k + 4 <= kc; k += 4) {
      const o = <usize>(k << 2);
      storeTransposed(v128.load(src + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), dst + <usize>(k << 4), 16);
    }
  }
  for (; k < kc; k++) {
    const d = dst + <usize>(k << 4);
    const s = at(src, k * s2);
    for (let r = 0; r < MR; r++) store<f32>(d + <usize>(r << 2), r < rows ? load<f32>(at(s, r * s1)) : 0);
  }
}

/**
 * Packs `kc` rows × `cols` (≤ NR) columns of B starting at `src` (row stride `s1`, column stride
 * `s2`, in bytes) into one micro-panel at `dst`: for each k, NR floats, columns past `cols` zero.
 */
export function packPanelB(src: usize, s1: i32, s2: i32, cols: i32, kc: i32, dst: usize): void {
  if (cols == NR && s2 == 4) {
    for (let k = 0; k < kc; k++) {
      const s = at(src, k * s1);
      const d = dst + <usize>(k << 5);
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
    }
    return;
  }
  let k = 0;
  if (cols == NR && s1 == 4) {
    for (; k + 4 <= kc; k += 4) {
      const o = <usize>(k << 2);
      const d = dst + <usize>(k << 5);
      for (let g = 0; g < 2; g++) {
        const c0 = at(src, (4 * g) * s2) + o;
        storeTransposed(v128.load(c0), v128.load(at(c0, s2)), v128.load(at(c0, 2 * s2)), v128.load(at(c0, 3 * s2)), d + <usize>(g << 4), 32);
      }
    }
  }
  for (; k < kc; k++) {
    const d = dst + <usize>(k << 5);
    const s = at(src, k * s1);
    for (let j = 0; j < NR; j++) store<f32>(d + <usize>(j << 2), j < cols ? load<f32>(at(s, j * s2)) : 0);
  }
}
