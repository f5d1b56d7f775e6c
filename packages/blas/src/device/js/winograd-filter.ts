/**
 * The plain Winograd F(2×2, 3×3) backward-filter of the js device, the specification the wasm
 * kernel is tested beside. The forward computes each 2×2 output tile as Aᵀ·(U[p] ⊙ V[p])·A with
 * U = G·f·Gᵀ and V = Bᵀ·d·B, so its adjoint in the filter f is, per tile,
 * Y = A·dy_tile·Aᵀ (4×4), summed products M[p] = Σ_tiles Y[p] · V[p], and dw += Gᵀ·M·G.
 * Arithmetic in float64 (JS numbers), rounded once when added into dw.
 */
import type { Conv2dGeometry } from "../geometry.js";

/** Bᵀ·d·B of a 4×4 patch d (row-major) in place. */
function inputTransform(d: Float64Array): void {
  for (let r = 0; r < 4; r++) {
    const a = d[r * 4], b = d[r * 4 + 1], c = d[r * 4 + 2], e = d[r * 4 + 3];
    d[r * 4] = a - c; d[r * 4 + 1] = b + c; d[r * 4 + 2] = c - b; d[r * 4 + 3] = b - e;
  }
  for (let j = 0; j < 4; j++) {
    const a = d[j], b = d[4 + j], c = d[8 + j], e = d[12 + j];
    d[j] = a - c; d[4 + j] = b + c; d[8 + j] = c - b; d[12 + j] = b - e;
  }
}

/** A·t·Aᵀ of a 2×2 tile [t00, t01, t10, t11] into y (4×4, row-major): the adjoint of Aᵀ·m·A. */
function dyTransform(t00: number, t01: number, t10: number, t11: number, y: Float64Array): void {
  const rows: [number, number][] = [[t00, t01], [t00 + t10, t01 + t11], [t00 - t10, t01 - t11], [-t10, -t11]];
  for (let i = 0; i < 4; i++) {
    const [u, w] = rows[i];
    y[i * 4] = u; y[i * 4 + 1] = u + w; y[i * 4 + 2] = u - w; y[i * 4 + 3] = -w;
  }
}

/** Gᵀ·m·G of 16 summed products m (4×4): the 3×3 filter gradient, row-major. */
function filterAdjoint(m: Float64Array, at: number): number[] {
  const gt = (a: number, b: number, c: number, d: number): [number, number, number] => [a + (b + c) / 2, (b - c) / 2, (b + c) / 2 + d];
  const s: number[][] = [[], [], []]; // Gᵀ·m: 3×4
  for (let j = 0; j < 4; j++) {
    const [r0, r1, r2] = gt(m[at + j], m[at + 4 + j], m[at + 8 + j], m[at + 12 + j]);
    s[0][j] = r0; s[1][j] = r1; s[2][j] = r2;
  }
  return s.flatMap((row) => gt(row[0], row[1], row[2], row[3]));
}

/**
 * dw += ∂L/∂w of conv(x, w) at dy by Winograd F(2×2, 3×3); operands as
 * `Device.convBackwardFilterWinograd` (validated by the caller).
 * @internal
 */
export function winogradBackwardFilter(g: Conv2dGeometry, N: number, OC: number, x: ArrayLike<number>, ox: number, sxn: number,
  dy: ArrayLike<number>, oy: number, syn: number, dw: Float32Array, ow: number): void {
  const { C, H, W, OH, OW, padTop, padLeft } = g;
  const M = new Float64Array(OC * C * 16);
  const V = new Float64Array(C * 16);
  const Y = new Float64Array(16);
  for (let n = 0; n < N; n++) {
    for (let th = 0; th < OH; th += 2) {
      for (let tw = 0; tw < OW; tw += 2) {
        for (let c = 0; c < C; c++) {
          const d = V.subarray(c * 16, c * 16 + 16);
          const plane = ox + n * sxn + c * H * W;
          for (let r = 0; r < 4; r++) {
            const ih = th + r - padTop;
            for (let q = 0; q < 4; q++) {
              const iw = tw + q - padLeft;
              d[r * 4 + q] = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[plane + ih * W + iw] : 0;
            }
          }
          inputTransform(d);
        }
        for (let o = 0; o < OC; o++) {
          const t = oy + n * syn + o * OH * OW + th * OW + tw;
          const right = tw + 1 < OW, below = th + 1 < OH;
          dyTransform(dy[t], right ? dy[t + 1] : 0, below ? dy[t + OW] : 0, right && below ? dy[t + OW + 1] : 0, Y);
          for (let c = 0; c < C; c++) {
            const m = (o * C + c) * 16, v = c * 16;
            for (let p = 0; p < 16; p++) M[m + p] += Y[p] * V[v + p];
          }
        }
      }
    }
  }
  for (let o = 0; o < OC; o++) {
    for (let c = 0; c < C; c++) {
      const f = filterAdjoint(M, (o * C + c) * 16);
      const at = ow + (o * C + c) * 9;
      for (let k = 0; k < 9; k++) dw[at + k] += f[k];
    }
  }
}
