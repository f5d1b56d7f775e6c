/**
 * The fast JS sgemm: BLIS's five loops around a 4×4 register-blocked micro-kernel.
 *
 * ```
 * for jc (NC columns of C)            B block  KC×NC  → packed in NR-column panels
 *   for pc (KC of the K dimension)
 *     pack B
 *     for ic (MC rows of C)           A block  MC×KC  → packed in MR-row panels
 *       pack A
 *       for jr (NR) for ir (MR)       micro-kernel: MR×NR accumulators in locals
 * ```
 * Packing absorbs every stride, offset and transpose, so the micro-kernel reads two contiguous
 * streams. Edge panels are padded with zeros and only the valid part of the tile is stored. The
 * first K block applies β (β = 0: C is write-only), later blocks accumulate.
 * @internal
 */

/** Block sizes of the blocked sgemm (BLIS names). @internal */
export interface Blocking {
  readonly MC: number;
  readonly KC: number;
  readonly NC: number;
}

/** Register tile: rows and columns of the micro-kernel. @internal */
export const MR = 4;
/** @internal */
export const NR = 4;

/** Defaults chosen so the conformance sizes 64/65 and 127/129 straddle MC and KC. @internal */
export const DEFAULT_BLOCKING: Blocking = { MC: 64, KC: 128, NC: 512 };

let packA: Float32Array = new Float32Array(0);
let packB: Float32Array = new Float32Array(0);

function scratch(buf: Float32Array, n: number): Float32Array {
  return buf.length >= n ? buf : new Float32Array(n);
}

/** Packs the mc×kc block of A at (row, col) = (ic, pc) into MR-row panels, zero-padded. */
function packPanelsA(mc: number, kc: number, A: Float32Array, sa1: number, sa2: number, base: number, out: Float32Array): void {
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const rowBase = base + ir * sa1;
    for (let k = 0; k < kc; k++) {
      const src = rowBase + k * sa2;
      for (let r = 0; r < MR; r++) out[o++] = r < rows ? A[src + r * sa1] : 0;
    }
  }
}

/** Packs the kc×nc block of B at (pc, jc) into NR-column panels, zero-padded. */
function packPanelsB(kc: number, nc: number, B: Float32Array, sb1: number, sb2: number, base: number, out: Float32Array): void {
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const colBase = base + jr * sb2;
    for (let k = 0; k < kc; k++) {
      const src = colBase + k * sb1;
      for (let c = 0; c < NR; c++) out[o++] = c < cols ? B[src + c * sb2] : 0;
    }
  }
}

const tile = new Float64Array(MR * NR);

/** MR×NR micro-kernel over packed panels; stores α·AB (+ β·C) into the valid mr×nr part of C. */
function microKernel(
  kc: number, Ap: Float32Array, pa: number, Bp: Float32Array, pb: number,
  alpha: number, beta: number, C: Float32Array, sc1: number, sc2: number, oc: number, mr: number, nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < kc; k++, pa += MR, pb += NR) {
    const a0 = Ap[pa], a1 = Ap[pa + 1], a2 = Ap[pa + 2], a3 = Ap[pa + 3];
    const b0 = Bp[pb], b1 = Bp[pb + 1], b2 = Bp[pb + 2], b3 = Bp[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03; t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23; t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let r = 0; r < mr; r++) {
    let c = oc + r * sc1;
    const row = r * NR;
    if (beta === 0) for (let j = 0; j < nr; j++, c += sc2) C[c] = alpha * t[row + j];
    else if (beta === 1) for (let j = 0; j < nr; j++, c += sc2) C[c] += alpha * t[row + j];
    else for (let j = 0; j < nr; j++, c += sc2) C[c] = alpha * t[row + j] + beta * C[c];
  }
}

/**
 * Blocked sgemm with the same contract as {@link sgemmRef} (M, N, K > 0 and α ≠ 0 are the
 * caller's fast path; the function is also correct without them).
 * @internal
 */
export function sgemmBlocked(
  M: number, N: number, K: number, alpha: number,
  A: Float32Array, sa1: number, sa2: number, oa: number,
  B: Float32Array, sb1: number, sb2: number, ob: number,
  beta: number, C: Float32Array, sc1: number, sc2: number, oc: number,
  blocking: Blocking = DEFAULT_BLOCKING,
): void {
  const { MC, KC, NC } = blocking;
  packA = scratch(packA, roundUp(Math.min(MC, M), MR) * Math.min(KC, K));
  packB = scratch(packB, roundUp(Math.min(NC, N), NR) * Math.min(KC, K));
  const Ap = packA;
  const Bp = packB;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      const betaBlock = pc === 0 ? beta : 1;
      packPanelsB(kc, nc, B, sb1, sb2, ob + pc * sb1 + jc * sb2, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanelsA(mc, kc, A, sa1, sa2, oa + ic * sa1 + pc * sa2, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const c = oc + (ic + ir) * sc1 + (jc + jr) * sc2;
            microKernel(kc, Ap, ir * kc, Bp, jr * kc, alpha, betaBlock, C, sc1, sc2, c, mr, nr);
          }
        }
      }
    }
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
