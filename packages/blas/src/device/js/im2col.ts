/**
 * im2col and col2im of the JS device (the course's "im2col: matrix multiplication it is").
 * @internal
 */
import type { Conv2dGeometry } from "../geometry.js";

/** @internal */
export function im2colImages(
  g: Conv2dGeometry, N: number, x: Float32Array, ox: number, sxn: number, col: Float32Array, oc: number, ld: number,
): void {
  const { C, H, W, KH, KW, OH, OW } = g;
  const P = OH * OW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = ox + n * sxn + c * H * W;
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          let o = oc + ((c * KH + kh) * KW + kw) * ld + n * P;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
            const rowOk = ih >= 0 && ih < H;
            const base = plane + ih * W;
            for (let ow = 0; ow < OW; ow++, o++) {
              const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
              col[o] = rowOk && iw >= 0 && iw < W ? x[base + iw] : 0;
            }
          }
        }
      }
    }
  }
}

/** x += col2im(col): the adjoint of {@link im2colImages}. @internal */
export function col2imImages(
  g: Conv2dGeometry, N: number, col: Float32Array, oc: number, ld: number, x: Float32Array, ox: number, sxn: number,
): void {
  const { C, H, W, KH, KW, OH, OW } = g;
  const P = OH * OW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = ox + n * sxn + c * H * W;
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          let o = oc + ((c * KH + kh) * KW + kw) * ld + n * P;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
            if (ih < 0 || ih >= H) {
              o += OW;
              continue;
            }
            const base = plane + ih * W;
            for (let ow = 0; ow < OW; ow++, o++) {
              const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
              if (iw >= 0 && iw < W) x[base + iw] += col[o];
            }
          }
        }
      }
    }
  }
}
