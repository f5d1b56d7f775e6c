/**
 * im2col and col2im for N images of one channel group. The geometry is an i32 record at `g`
 * (GEO in layout.generated.ts): C, H, W, KH, KW, strideH, strideW, padTop, padLeft, padBottom,
 * padRight, dilationH, dilationW, OH, OW. Pointers are byte addresses; `sxn` and `ld` are in
 * elements. Column row r = (c·KH + kh)·KW + kw, column n·OH·OW + oh·OW + ow.
 */
import {
  GEO_C, GEO_DILATION_H, GEO_DILATION_W, GEO_H, GEO_KH, GEO_KW, GEO_OH, GEO_OW, GEO_PAD_LEFT, GEO_PAD_TOP, GEO_STRIDE_H, GEO_STRIDE_W,
  GEO_W,
} from "./layout.generated";

// @ts-ignore: decorator
@inline function geo(g: usize, i: i32): i32 {
  return load<i32>(g + <usize>(i << 2));
}

/** First and one-past-last ow whose input column iw = ow·sW − padL + off lies in [0, W). */
// @ts-ignore: decorator
@inline function owStart(off: i32, sW: i32): i32 {
  return off >= 0 ? 0 : (-off + sW - 1) / sW;
}

// @ts-ignore: decorator
@inline function owEnd(off: i32, sW: i32, W: i32, OW: i32): i32 {
  if (W - off <= 0) return 0;
  const e = (W - 1 - off) / sW + 1;
  return e < OW ? e : OW;
}

/**
 * Copies `n` floats. Short runs (a row of a small feature map: OW = 10 in LeNet's conv2) are
 * copied with v128 loads/stores inline; a `memory.copy` call costs more than such a run.
 */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  if (n >= 64) {
    memory.copy(dst, src, <usize>(n << 2));
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + <usize>(i << 2), v128.load(src + <usize>(i << 2)));
  for (; i < n; i++) store<f32>(dst + <usize>(i << 2), load<f32>(src + <usize>(i << 2)));
}

/** col ← im2col(x): padding reads as zero. */
export function im2col(g: usize, N: i32, x: usize, sxn: i32, col: usize, ld: i32): void {
  const C = geo(g, GEO_C), H = geo(g, GEO_H), W = geo(g, GEO_W), KH = geo(g, GEO_KH), KW = geo(g, GEO_KW);
  const sH = geo(g, GEO_STRIDE_H), sW = geo(g, GEO_STRIDE_W), pT = geo(g, GEO_PAD_TOP), pL = geo(g, GEO_PAD_LEFT), dH = geo(g, GEO_DILATION_H), dW = geo(g, GEO_DILATION_W);
  const OH = geo(g, GEO_OH), OW = geo(g, GEO_OW);
  const P = OH * OW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + <usize>((n * sxn + c * H * W) << 2);
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          let o = col + <usize>((((c * KH + kh) * KW + kw) * ld + n * P) << 2);
          const off = kw * dW - pL;
          const w0 = owStart(off, sW), w1 = owEnd(off, sW, W, OW);
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sH - pT + kh * dH;
            if (ih < 0 || ih >= H || w1 <= w0) {
              memory.fill(o, 0, <usize>(OW << 2));
            } else {
              const row = plane + <usize>(ih * W << 2);
              if (w0 > 0) memory.fill(o, 0, <usize>(w0 << 2));
              if (sW == 1) copyRun(o + <usize>(w0 << 2), row + <usize>((w0 + off) << 2), w1 - w0);
              else for (let ow = w0; ow < w1; ow++) store<f32>(o + <usize>(ow << 2), load<f32>(row + <usize>((ow * sW + off) << 2)));
              if (w1 < OW) memory.fill(o + <usize>(w1 << 2), 0, <usize>((OW - w1) << 2));
            }
            o += <usize>(OW << 2);
          }
        }
      }
    }
  }
}

/** x += col2im(col): the adjoint of im2col. */
export function col2im(g: usize, N: i32, col: usize, ld: i32, x: usize, sxn: i32): void {
  const C = geo(g, GEO_C), H = geo(g, GEO_H), W = geo(g, GEO_W), KH = geo(g, GEO_KH), KW = geo(g, GEO_KW);
  const sH = geo(g, GEO_STRIDE_H), sW = geo(g, GEO_STRIDE_W), pT = geo(g, GEO_PAD_TOP), pL = geo(g, GEO_PAD_LEFT), dH = geo(g, GEO_DILATION_H), dW = geo(g, GEO_DILATION_W);
  const OH = geo(g, GEO_OH), OW = geo(g, GEO_OW);
  const P = OH * OW;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = x + <usize>((n * sxn + c * H * W) << 2);
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          let o = col + <usize>((((c * KH + kh) * KW + kw) * ld + n * P) << 2);
          const off = kw * dW - pL;
          const w0 = owStart(off, sW), w1 = owEnd(off, sW, W, OW);
          for (let oh = 0; oh < OH; oh++, o += <usize>(OW << 2)) {
            const ih = oh * sH - pT + kh * dH;
            if (ih < 0 || ih >= H) continue;
            const row = plane + <usize>(ih * W << 2);
            let ow = w0;
            if (sW == 1) {
              const base = row + <usize>(off << 2);
              for (; ow + 4 <= w1; ow += 4) {
                const q = base + <usize>(ow << 2);
                v128.store(q, f32x4.add(v128.load(q), v128.load(o + <usize>(ow << 2))));
              }
            }
            for (; ow < w1; ow++) {
              const q = row + <usize>((ow * sW + off) << 2);
              store<f32>(q, load<f32>(q) + load<f32>(o + <usize>(ow << 2)));
            }
          }
        }
      }
    }
  }
}
