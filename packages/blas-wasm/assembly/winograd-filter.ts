/**
 * Winograd F(2×2, 3×3) backward-filter: the two transforms of dW that the forward lacks
 * (src/winograd-filter.ts plans the job; the input transform V is the forward's phase 0 of
 * assembly/winograd.ts, and the 16 products are the packed sgemm).
 *
 * The forward computes y_tile = Aᵀ·(U[p] ⊙ V[p])·A with U = G·f·Gᵀ, so its adjoint in f is
 *   Y[p][o][t] = (A·dy_tile·Aᵀ)[p]                 (winogradFilterDy: dy's 2×2 tile t, zeros outside)
 *   M[p][o][c] = Σ_t Y[p][o][t] · V[p][c][t]       (16 sgemms, K = the tiles of the whole batch)
 *   dw[o][c]  += Gᵀ·M[·][o][c]·G                   (winogradFilterOut, 4×4 → 3×3)
 * with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]] and Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]].
 * Both transforms run on the calling thread, in a fixed order: results do not depend on the
 * thread count.
 */

/**
 * Y[p][o][t] for output channels 0…OC−1 and tile rows row0…row0+rows−1 of the batch (TH tile
 * rows per image, TWP tiles per row, a multiple of 4): dy images OH×OW per channel at `dy`, `syn`
 * bytes apart; Y[p] at `y + p·pstride`, [OC][T] with T = rows·TWP. `tmp`: 16·TWP floats of scratch.
 */
export function winogradFilterDy(dy: usize, syn: usize, OC: i32, OH: i32, OW: i32, TH: i32, TWP: i32, row0: i32, rows: i32,
  y: usize, pstride: usize, tmp: usize): void {
  const T = rows * TWP;
  const rowBytes = <usize>(2 * TWP) << 2;
  for (let r = 0; r < rows; r++) {
    const g = row0 + r;
    const n = g / TH, th = g - n * TH;
    const oh = 2 * th;
    for (let o = 0; o < OC; o++) {
      // The tile row's two dy rows, zero beyond the image.
      const src = dy + <usize>n * syn + (<usize>((o * OH + oh) * OW) << 2);
      memory.fill(tmp, 0, rowBytes << 1);
      memory.copy(tmp, src, <usize>OW << 2);
      if (oh + 1 < OH) memory.copy(tmp + rowBytes, src + (<usize>OW << 2), <usize>OW << 2);
      let v = y + (<usize>(o * T + r * TWP) << 2);
      for (let tw = 0; tw < TWP; tw += 4, v += 16) {
        const x0 = tmp + (<usize>(2 * tw) << 2), x1 = x0 + rowBytes;
        let p = v128.load(x0), q = v128.load(x0, 16);
        const a = i32x4.shuffle(p, q, 0, 2, 4, 6), b = i32x4.shuffle(p, q, 1, 3, 5, 7);
        p = v128.load(x1); q = v128.load(x1, 16);
        const c = i32x4.shuffle(p, q, 0, 2, 4, 6), d = i32x4.shuffle(p, q, 1, 3, 5, 7);
        // Rows of A·dy: (a, b), (a + c, b + d), (a − c, b − d), (−c, −d); each row (u, w)·Aᵀ = (u, u + w, u − w, −w).
        let at = v;
        at = putRow(at, pstride, a, b);
        at = putRow(at, pstride, f32x4.add(a, c), f32x4.add(b, d));
        at = putRow(at, pstride, f32x4.sub(a, c), f32x4.sub(b, d));
        putRow(at, pstride, f32x4.neg(c), f32x4.neg(d));
      }
    }
  }
}

/** Stores (u, u + w, u − w, −w) at positions p … p + 3 (`pstride` bytes apart); returns the address of position p + 4. */
// @ts-ignore: decorator
@inline function putRow(at: usize, pstride: usize, u: v128, w: v128): usize {
  v128.store(at, u); at += pstride;
  v128.store(at, f32x4.add(u, w)); at += pstride;
  v128.store(at, f32x4.sub(u, w)); at += pstride;
  v128.store(at, f32x4.neg(w));
  return at + pstride;
}

/** Row r of Gᵀ applied to four rows (or columns) m0…m3: Gᵀ·m = (m0 + s, (m1 − m2)·½, s + m3) with s = (m1 + m2)·½. */
// @ts-ignore: decorator
@inline function gt0(m0: v128, m1: v128, m2: v128): v128 {
  return f32x4.add(m0, f32x4.mul(f32x4.add(m1, m2), f32x4.splat(0.5)));
}
// @ts-ignore: decorator
@inline function gt1(m1: v128, m2: v128): v128 {
  return f32x4.mul(f32x4.sub(m1, m2), f32x4.splat(0.5));
}
// @ts-ignore: decorator
@inline function gt2(m1: v128, m2: v128, m3: v128): v128 {
  return f32x4.add(m3, f32x4.mul(f32x4.add(m1, m2), f32x4.splat(0.5)));
}

/** Adds the nine values to the 3×3 filter at `f`. */
// @ts-ignore: decorator
@inline function addFilter(f: usize, v0: f32, v1: f32, v2: f32, v3: f32, v4: f32, v5: f32, v6: f32, v7: f32, v8: f32): void {
  store<f32>(f, load<f32>(f) + v0);
  store<f32>(f, load<f32>(f, 4) + v1, 4);
  store<f32>(f, load<f32>(f, 8) + v2, 8);
  store<f32>(f, load<f32>(f, 12) + v3, 12);
  store<f32>(f, load<f32>(f, 16) + v4, 16);
  store<f32>(f, load<f32>(f, 20) + v5, 20);
  store<f32>(f, load<f32>(f, 24) + v6, 24);
  store<f32>(f, load<f32>(f, 28) + v7, 28);
  store<f32>(f, load<f32>(f, 32) + v8, 32);
}

/**
 * dw[o][c] += Gᵀ·M[·][o][c]·G for every o < OC, c < C: M[p] at `m + p·pstride`, [OC][CP] floats
 * (CP ≥ C, a multiple of 4; columns C…CP−1 are ignored); dw row-major [OC][C][3][3] at `dw`.
 * Lanes hold four input channels.
 */
export function winogradFilterOut(m: usize, pstride: usize, OC: i32, C: i32, CP: i32, dw: usize): void {
  for (let o = 0; o < OC; o++) {
    for (let c = 0; c < C; c += 4) {
      let at = m + (<usize>(o * CP + c) << 2);
      const m00 = v128.load(at); at += pstride; const m01 = v128.load(at); at += pstride;
      const m02 = v128.load(at); at += pstride; const m03 = v128.load(at); at += pstride;
      const m10 = v128.load(at); at += pstride; const m11 = v128.load(at); at += pstride;
      const m12 = v128.load(at); at += pstride; const m13 = v128.load(at); at += pstride;
      const m20 = v128.load(at); at += pstride; const m21 = v128.load(at); at += pstride;
      const m22 = v128.load(at); at += pstride; const m23 = v128.load(at); at += pstride;
      const m30 = v128.load(at); at += pstride; const m31 = v128.load(at); at += pstride;
      const m32 = v128.load(at); at += pstride; const m33 = v128.load(at);
      // Gᵀ·M (3×4), column j from column j of M.
      const s00 = gt0(m00, m10, m20), s01 = gt0(m01, m11, m21), s02 = gt0(m02, m12, m22), s03 = gt0(m03, m13, m23);
      const s10 = gt1(m10, m20), s11 = gt1(m11, m21), s12 = gt1(m12, m22), s13 = gt1(m13, m23);
      const s20 = gt2(m10, m20, m30), s21 = gt2(m11, m21, m31), s22 = gt2(m12, m22, m32), s23 = gt2(m13, m23, m33);
      // (Gᵀ·M)·G: row i of the 3×3 result is Gᵀ applied to row i of Gᵀ·M.
      const r0 = gt0(s00, s01, s02), r1 = gt1(s01, s02), r2 = gt2(s01, s02, s03);
      const r3 = gt0(s10, s11, s12), r4 = gt1(s11, s12), r5 = gt2(s11, s12, s13);
      const r6 = gt0(s20, s21, s22), r7 = gt1(s21, s22), r8 = gt2(s21, s22, s23);
      const f = dw + (<usize>(o * C + c) * 36);
      const lanes = C - c;
      addFilter(f + 0, f32x4.extract_lane(r0, 0), f32x4.extract_lane(r1, 0), f32x4.extract_lane(r2, 0),
        f32x4.extract_lane(r3, 0), f32x4.extract_lane(r4, 0), f32x4.extract_lane(r5, 0),
        f32x4.extract_lane(r6, 0), f32x4.extract_lane(r7, 0), f32x4.extract_lane(r8, 0));
      if (lanes > 1) addFilter(f + 36, f32x4.extract_lane(r0, 1), f32x4.extract_lane(r1, 1), f32x4.extract_lane(r2, 1),
        f32x4.extract_lane(r3, 1), f32x4.extract_lane(r4, 1), f32x4.extract_lane(r5, 1),
        f32x4.extract_lane(r6, 1), f32x4.extract_lane(r7, 1), f32x4.extract_lane(r8, 1));
      if (lanes > 2) addFilter(f + 72, f32x4.extract_lane(r0, 2), f32x4.extract_lane(r1, 2), f32x4.extract_lane(r2, 2),
        f32x4.extract_lane(r3, 2), f32x4.extract_lane(r4, 2), f32x4.extract_lane(r5, 2),
        f32x4.extract_lane(r6, 2), f32x4.extract_lane(r7, 2), f32x4.extract_lane(r8, 2));
      if (lanes > 3) addFilter(f + 108, f32x4.extract_lane(r0, 3), f32x4.extract_lane(r1, 3), f32x4.extract_lane(r2, 3),
        f32x4.extract_lane(r3, 3), f32x4.extract_lane(r4, 3), f32x4.extract_lane(r5, 3),
        f32x4.extract_lane(r6, 3), f32x4.extract_lane(r7, 3), f32x4.extract_lane(r8, 3));
    }
  }
}
