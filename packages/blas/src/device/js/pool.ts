/**
 * Max and average pooling of the JS device over contiguous H×W planes.
 * @internal
 */
import type { Pool2dGeometry } from "../geometry.js";

/** @internal */
export function maxPoolPlanes(g: Pool2dGeometry, planes: number, x: Float32Array, ox: number, y: Float32Array, oy: number, arg: Int32Array | null, oa: number): void {
  const { H, W, KH, KW, OH, OW } = g;
  for (let p = 0; p < planes; p++) {
    const xp = ox + p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            if (iw < 0 || iw >= W) continue;
            const v = x[xp + ih * W + iw];
            if (bestIndex < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
              best = v;
              bestIndex = ih * W + iw;
            }
          }
        }
        y[oy + o] = bestIndex < 0 ? -Infinity : best;
        if (arg) arg[oa + o] = bestIndex;
      }
    }
  }
}

/** @internal */
export function maxPoolBackwardPlanes(g: Pool2dGeometry, planes: number, dy: Float32Array, ody: number, arg: Int32Array, oa: number, dx: Float32Array, odx: number): void {
  const P = g.OH * g.OW;
  const HW = g.H * g.W;
  for (let p = 0; p < planes; p++) {
    for (let o = p * P, e = o + P; o < e; o++) {
      const i = arg[oa + o];
      if (i >= 0) dx[odx + p * HW + i] += dy[ody + o];
    }
  }
}

/** Window bounds of one output cell and its divisor (PyTorch's rules). */
function window(g: Pool2dGeometry, oh: number, ow: number, countIncludePad: boolean): [number, number, number, number, number] {
  let h0 = oh * g.strideH - g.padTop;
  let w0 = ow * g.strideW - g.padLeft;
  let h1 = Math.min(h0 + (g.KH - 1) * g.dilationH + 1, g.H + g.padBottom);
  let w1 = Math.min(w0 + (g.KW - 1) * g.dilationW + 1, g.W + g.padRight);
  const padded = Math.ceil((h1 - h0) / g.dilationH) * Math.ceil((w1 - w0) / g.dilationW);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.H);
  w1 = Math.min(w1, g.W);
  const inside = Math.max(0, Math.ceil((h1 - h0) / g.dilationH)) * Math.max(0, Math.ceil((w1 - w0) / g.dilationW));
  return [h0, h1, w0, w1, countIncludePad ? padded : inside];
}

/** @internal */
export function avgPoolPlanes(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: Float32Array, ox: number, y: Float32Array, oy: number): void {
  const { H, W, OH, OW } = g;
  for (let p = 0; p < planes; p++) {
    const xp = ox + p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const [h0, h1, w0, w1, div] = window(g, oh, ow, countIncludePad);
        let s = 0;
        for (let ih = h0; ih < h1; ih += g.dilationH) for (let iw = w0; iw < w1; iw += g.dilationW) s += x[xp + ih * W + iw];
        y[oy + o] = div > 0 ? s / div : 0;
      }
    }
  }
}

/** @internal */
export function avgPoolBackwardPlanes(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: Float32Array, ody: number, dx: Float32Array, odx: number): void {
  const { H, W, OH, OW } = g;
  for (let p = 0; p < planes; p++) {
    const xp = odx + p * H * W;
    let o = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        const [h0, h1, w0, w1, div] = window(g, oh, ow, countIncludePad);
        if (div === 0) continue;
        const gval = dy[ody + o] / div;
        for (let ih = h0; ih < h1; ih += g.dilationH) for (let iw = w0; iw < w1; iw += g.dilationW) dx[xp + ih * W + iw] += gval;
      }
    }
  }
}
