/**
 * Scratch-layout pieces the job planners share: 64-byte alignment (sgemm, the implicit-GEMM
 * convolutions) and the k-offset table of the convolution kernels (conv-implicit.ts, conv-filter.ts).
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";

/** `n` rounded up to a multiple of 64 (bytes: one cache line). @internal */
export const align64 = (n: number): number => Math.ceil(n / 64) * 64;

/**
 * Writes the byte offset of every k = (c, kh, kw) of `g` from the input address of its pixel —
 * `(c·plane + kh·dilationH·row + kw·dilationW)·4`, planes of `plane` elements and rows of `row` —
 * as i32 at byte address `at` of `i32`'s memory.
 * @internal
 */
export function writeKOffsets(i32: Int32Array, at: number, g: Conv2dGeometry, plane: number, row: number): void {
  let k = at >>> 2;
  for (let c = 0; c < g.C; c++) {
    for (let kh = 0; kh < g.KH; kh++) {
      for (let kw = 0; kw < g.KW; kw++) i32[k++] = (c * plane + kh * g.dilationH * row + kw * g.dilationW) * 4;
    }
  }
}
