/**
 * A float64 reference of Winograd F(4×4, 3×3) for the tests: the transform matrices of
 * assembly/winograd4.ts (interpolation points 0, 1/2, −1/2, 2, −2 and ∞) as exact rationals, the
 * float64 direct convolution, and, for every output, the magnitude that bounds the float32 error
 * of the Winograd algorithm: W = |Aᵀ|·(Σ_c (|G|·|g_c|·|Gᵀ|) ⊙ (|Bᵀ|·|d_c|·|B|))·|A| over the output's
 * tile, d_c its 6×6 input patch and g_c its filter in channel c.
 *
 * Error bound: every float32 operation rounds with relative error ≤ u = 2⁻²⁴, and the Winograd
 * output is a sum of terms ±(transform entries)·x·w, each of which passes through at most
 * n = C + 22 roundings on its way (the kernel: ≤ 3 per 1-d input transform stage × 2, ≤ 4 per
 * filter stage × 2 (the constants of G are rounded too), 1 product, ≤ C in the sum over channels,
 * ≤ 3 per output stage × 2, 1 for the bias or the accumulation). Hence
 * |ŷ − y| ≤ γ_n·(W + |b|) with γ_n = n·u / (1 − n·u) (Higham, "Accuracy and Stability of
 * Numerical Algorithms", lemma 3.1), where the absolute values of the transform matrices replace
 * them in W.
 * @internal
 */
/** Bᵀ (6×6) of F(4×4, 3×3) with points 0, 1/2, −1/2, 2, −2, ∞. @internal */
export const F43_BT: readonly (readonly number[])[] = [
  [1, 0, -17 / 4, 0, 1, 0],
  [0, -2, -4, 1 / 2, 1, 0],
  [0, 2, -4, -1 / 2, 1, 0],
  [0, -1 / 2, -1 / 4, 2, 1, 0],
  [0, 1 / 2, -1 / 4, -2, 1, 0],
  [0, 1, 0, -17 / 4, 0, 1],
];
/** G (6×3). @internal */
export const F43_G: readonly (readonly number[])[] = [
  [1, 0, 0],
  [-8 / 15, -4 / 15, -2 / 15],
  [-8 / 15, 4 / 15, -2 / 15],
  [1 / 30, 2 / 30, 4 / 30],
  [1 / 30, -2 / 30, 4 / 30],
  [0, 0, 1],
];
/** Aᵀ (4×6): column k is (1, a, a², a³) for the finite point a of row k of G, (0, 0, 0, 1) for ∞. @internal */
export const F43_AT: readonly (readonly number[])[] = [
  [1, 1, 1, 1, 1, 0],
  [0, 1 / 2, -1 / 2, 2, -2, 0],
  [0, 1 / 4, 1 / 4, 4, 4, 0],
  [0, 1 / 8, -1 / 8, 8, -8, 1],
];

type Matrix = readonly (readonly number[])[];

/** X·Y in float64. */
function mul(X: Matrix, Y: Matrix): number[][] {
  return X.map((row) => Y[0]!.map((_, j) => row.reduce((s, x, k) => s + x * Y[k]![j]!, 0)));
}
const transpose = (X: Matrix): number[][] => X[0]!.map((_, j) => X.map((r) => r[j]!));
const abs = (X: Matrix): number[][] => X.map((r) => r.map(Math.abs));

/** One 4×4 output tile of F(4×4, 3×3) in float64: Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A for a 6×6 patch d and a 3×3 filter g. @internal */
export function f43Tile(d: Matrix, g: Matrix): number[][] {
  const U = mul(mul(F43_G, g), transpose(F43_G)), V = mul(mul(F43_BT, d), transpose(F43_BT));
  return mul(mul(F43_AT, U.map((r, i) => r.map((u, j) => u * V[i]![j]!))), transpose(F43_AT));
}

/** A 3×3 stride-1 convolution problem: N images of C×H×W, OC filters, padding top and left (the output size is given). @internal */
export interface F43Problem {
  readonly N: number; readonly C: number; readonly OC: number; readonly H: number; readonly W: number;
  readonly OH: number; readonly OW: number; readonly padTop: number; readonly padLeft: number;
  /** Input element (n, c, ih, iw), inside the image. */ readonly x: (n: number, c: number, ih: number, iw: number) => number;
  /** Filter element (o, c, kh, kw). */ readonly w: (o: number, c: number, kh: number, kw: number) => number;
}

/**
 * The float64 direct convolution y[n][o][i][j] = Σ x·w (no bias) and, per output, the Winograd
 * magnitude W of the module comment (`mag`) and Σ|x·w| (`direct`), all in [n][o][i][j] order. @internal
 */
export function f43Reference(p: F43Problem): { y: Float64Array; mag: Float64Array; direct: Float64Array } {
  const { N, C, OC, H, W, OH, OW, padTop, padLeft } = p;
  const y = new Float64Array(N * OC * OH * OW), mag = new Float64Array(y.length), direct = new Float64Array(y.length);
  const aG = abs(F43_G), aGt = transpose(aG), aBT = abs(F43_BT), aB = transpose(aBT), aAT = abs(F43_AT), aA = transpose(aAT);
  const gAbs: number[][][] = []; // |G|·|g|·|Gᵀ| per (o, c)
  for (let o = 0; o < OC; o++) for (let c = 0; c < C; c++) {
    const g = [0, 1, 2].map((kh) => [0, 1, 2].map((kw) => Math.abs(p.w(o, c, kh, kw))));
    gAbs.push(mul(mul(aG, g), aGt));
  }
  const xAt = (n: number, c: number, ih: number, iw: number) => (ih < 0 || ih >= H || iw < 0 || iw >= W ? 0 : p.x(n, c, ih, iw));
  for (let n = 0; n < N; n++) for (let th = 0; th < Math.ceil(OH / 4); th++) for (let tw = 0; tw < Math.ceil(OW / 4); tw++) {
    const dAbs: number[][][] = [];
    for (let c = 0; c < C; c++) {
      const d = [0, 1, 2, 3, 4, 5].map((r) => [0, 1, 2, 3, 4, 5].map((s) => Math.abs(xAt(n, c, 4 * th + r - padTop, 4 * tw + s - padLeft))));
      dAbs.push(mul(mul(aBT, d), aB));
    }
    for (let o = 0; o < OC; o++) {
      const S = Array.from({ length: 6 }, () => new Array<number>(6).fill(0));
      for (let c = 0; c < C; c++) {
        const u = gAbs[o * C + c]!, v = dAbs[c]!;
        for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) S[a]![b]! += u[a]![b]! * v[a]![b]!;
      }
      const T = mul(mul(aAT, S), aA);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
        const oh = 4 * th + i, ow = 4 * tw + j;
        if (oh >= OH || ow >= OW) continue;
        let s = 0, m = 0;
        for (let c = 0; c < C; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
          const t = xAt(n, c, oh + kh - padTop, ow + kw - padLeft) * p.w(o, c, kh, kw);
          s += t;
          m += Math.abs(t);
        }
        const at = ((n * OC + o) * OH + oh) * OW + ow;
        y[at] = s;
        mag[at] = T[i]![j]!;
        direct[at] = m;
      }
    }
  }
  return { y, mag, direct };
}

/** γ_n of the module comment for C input channels: the allowed error is this times (W + |b|) (or W + |dx₀|). @internal */
export function f43Gamma(C: number): number {
  const n = C + 22, u = 2 ** -24;
  return (n * u) / (1 - n * u);
}
