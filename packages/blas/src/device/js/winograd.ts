/**
 * The plain Winograd F(2×2, 3×3) convolution of the js device, the specification the wasm kernel
 * is tested beside: per 2×2 output tile, the 4×4 input patch d is transformed to Bᵀ·d·B, the
 * 3×3 filter f to G·f·Gᵀ, the 16 products are summed over input channels, and Aᵀ·m·A gives the
 * tile (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2015). Arithmetic is
 * in float64 (JS numbers), rounded once when stored.
 */
import type { Conv2dGeometry } from "../geometry.js";
import { winogradBackwardGeometry } from "../winograd.js";

/** G·f·Gᵀ of one 3×3 filter (f row-major; `flip` reads it rotated by 180°) into out[o..o+16). */
function filterTransform(f: ArrayLike<number>, at: number, flip: boolean, out: Float64Array, o: number): void {
  const k = (r: number, c: number) => f[at + (flip ? (2 - r) * 3 + (2 - c) : r * 3 + c)];
  const t = new Float64Array(12); // G·f: 4×3
  for (let c = 0; c < 3; c++) {
    const f0 = k(0, c), f1 = k(1, c), f2 = k(2, c);
    t[c] = f0;
    t[3 + c] = (f0 + f1 + f2) / 2;
    t[6 + c] = (f0 - f1 + f2) / 2;
    t[9 + c] = f2;
  }
  for (let r = 0; r < 4; r++) {
    const t0 = t[r * 3], t1 = t[r * 3 + 1], t2 = t[r * 3 + 2];
    out[o + r * 4] = t0;
    out[o + r * 4 + 1] = (t0 + t1 + t2) / 2;
    out[o + r * 4 + 2] = (t0 - t1 + t2) / 2;
    out[o + r * 4 + 3] = t2;
  }
}

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

/** Aᵀ·m·A of 16 products: the 2×2 tile [y00, y01, y10, y11]. */
function outputTransform(m: Float64Array): [number, number, number, number] {
  const s = new Float64Array(8); // Aᵀ·m: 2×4
  for (let j = 0; j < 4; j++) {
    s[j] = m[j] + m[4 + j] + m[8 + j];
    s[4 + j] = m[4 + j] - m[8 + j] - m[12 + j];
  }
  return [s[0] + s[1] + s[2], s[1] - s[2] - s[3], s[4] + s[5] + s[6], s[5] - s[6] - s[7]];
}

/** One forward convolution by Winograd: `fg` is its geometry, U its transformed filters [Cout][Cin][16]. */
function run(fg: Conv2dGeometry, N: number, Cout: number, U: Float64Array,
  src: ArrayLike<number>, os: number, ssn: number, bias: ArrayLike<number> | null, ob: number,
  dst: Float32Array, od: number, sdn: number, accumulate: boolean): void {
  const { C, H, W, OH, OW, padTop, padLeft } = fg;
  const V = new Float64Array(C * 16);
  const m = new Float64Array(16);
  for (let n = 0; n < N; n++) {
    for (let th = 0; th < OH; th += 2) {
      for (let tw = 0; tw < OW; tw += 2) {
        for (let c = 0; c < C; c++) {
          const d = V.subarray(c * 16, c * 16 + 16);
          const plane = os + n * ssn + c * H * W;
          for (let r = 0; r < 4; r++) {
            const ih = th + r - padTop;
            for (let q = 0; q < 4; q++) {
              const iw = tw + q - padLeft;
              d[r * 4 + q] = ih >= 0 && ih < H && iw >= 0 && iw < W ? src[plane + ih * W + iw] : 0;
            }
          }
          inputTransform(d);
        }
        for (let o = 0; o < Cout; o++) {
          m.fill(0);
          for (let c = 0; c < C; c++) {
            const u = (o * C + c) * 16, v = c * 16;
            for (let p = 0; p < 16; p++) m[p] += U[u + p] * V[v + p];
          }
          const tile = outputTransform(m);
          const b = bias === null ? 0 : bias[ob + o];
          const out = od + n * sdn + o * OH * OW;
          for (let r = 0; r < 2 && th + r < OH; r++) {
            for (let q = 0; q < 2 && tw + q < OW; q++) {
              const i = out + (th + r) * OW + tw + q;
              dst[i] = accumulate ? dst[i] + tile[r * 2 + q] : tile[r * 2 + q] + b;
            }
          }
        }
      }
    }
  }
}

/**
 * y[n] = conv(x[n], w) (+ bias) by Winograd F(2×2, 3×3); operands as `Device.convForwardWinograd`
 * (validated by the caller).
 * @internal
 */
export function winogradForward(g: Conv2dGeometry, N: number, OC: number, x: ArrayLike<number>, ox: number, sxn: number,
  w: ArrayLike<number>, ow: number, bias: ArrayLike<number> | null, ob: number, y: Float32Array, oy: number, syn: number): void {
  const U = new Float64Array(OC * g.C * 16);
  for (let o = 0; o < OC; o++) for (let c = 0; c < g.C; c++) filterTransform(w, ow + (o * g.C + c) * 9, false, U, (o * g.C + c) * 16);
  run(g, N, OC, U, x, ox, sxn, bias, ob, y, oy, syn, false);
}

/**
 * dx[n] += backward-data of conv(·, w) at dy[n] by Winograd F(2×2, 3×3): the forward convolution
 * of dy padded by 2 − padding with the filters transposed and flipped; operands as
 * `Device.convBackwardDataWinograd` (validated by the caller).
 * @internal
 */
export function winogradBackwardData(g: Conv2dGeometry, N: number, OC: number, w: ArrayLike<number>, ow: number,
  dy: ArrayLike<number>, oy: number, syn: number, dx: Float32Array, ox: number, sxn: number): void {
  const C = g.C;
  const U = new Float64Array(C * OC * 16);
  // Output channel c of the backward convolution reads input channel oc through w[oc][c] flipped.
  for (let c = 0; c < C; c++) for (let o = 0; o < OC; o++) filterTransform(w, ow + (o * C + c) * 9, true, U, (c * OC + o) * 16);
  run(winogradBackwardGeometry(g, OC), N, C, U, dy, oy, syn, null, 0, dx, ox, sxn, true);
}
