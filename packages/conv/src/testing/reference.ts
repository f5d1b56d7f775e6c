/**
 * Plain float64 references: the specification every device's convolution, pooling and LRN are
 * checked against. Written from the definitions (PyTorch's semantics), not from the lowering:
 * direct loops, output sizes from the course's formula, padding rules restated here.
 */

/**
 * A convolution or pooling window geometry in the terms of the definitions.
 *
 * @example
 * ```ts
 * import type { WindowSpec } from "@tessera/conv/testing";
 * const s: WindowSpec = { kernel: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1], dilation: [1, 1] };
 * ```
 */
export interface WindowSpec {
  /** `[kh, kw]`. */ readonly kernel: readonly [number, number];
  /** `[sh, sw]`. */ readonly stride: readonly [number, number];
  /** `[top, bottom, left, right]`, or `'same'` (TensorFlow's rule). */ readonly padding: readonly [number, number, number, number] | "same";
  /** `[dh, dw]`. */ readonly dilation: readonly [number, number];
}

/**
 * A reference forward result: values and output size.
 *
 * @example
 * ```ts
 * import { referenceConv2d, type ReferenceResult } from "@tessera/conv/testing";
 * const spec = { kernel: [1, 1], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] } as const;
 * const r: ReferenceResult = referenceConv2d([1, 1, 1, 1], 1, 1, spec, [2], [3], null);
 * ```
 */
export interface ReferenceResult {
  /** Output values, NCHW, float64. */ readonly y: Float64Array;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
}

/**
 * A reference max pooling: values, sizes and the flat in-plane argmax.
 *
 * @example
 * ```ts
 * import { referenceMaxPool2d, type MaxPoolReference } from "@tessera/conv/testing";
 * const spec = { kernel: [1, 1], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] } as const;
 * const r: MaxPoolReference = referenceMaxPool2d([1, 1, 1, 1], spec, false, [5]);
 * ```
 */
export interface MaxPoolReference extends ReferenceResult {
  /** Index `ih·W + iw` of each maximum within its plane (−1 for a window without input cells). */ readonly argmax: Int32Array;
}

/**
 * TensorFlow's 'same' padding, restated: out = ceil(I/S), total = max((out−1)·S + D·(K−1) + 1 − I, 0),
 * the smaller half before.
 *
 * @example
 * ```ts
 * import { tfSamePadding } from "@tessera/conv/testing";
 * tfSamePadding(4, 3, 2, 1); // [0, 1]
 * ```
 */
export function tfSamePadding(input: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - input);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * The explicit `[top, bottom, left, right]` padding of a spec over an `H×W` input.
 *
 * @example
 * ```ts
 * import { explicitPadding } from "@tessera/conv/testing";
 * explicitPadding({ kernel: [3, 3], stride: [1, 1], padding: "same", dilation: [1, 1] }, 5, 5); // [1, 1, 1, 1]
 * ```
 */
export function explicitPadding(s: WindowSpec, H: number, W: number): [number, number, number, number] {
  if (s.padding !== "same") return [...s.padding] as [number, number, number, number];
  const [t, b] = tfSamePadding(H, s.kernel[0], s.stride[0], s.dilation[0]);
  const [l, r] = tfSamePadding(W, s.kernel[1], s.stride[1], s.dilation[1]);
  return [t, b, l, r];
}

/**
 * Output size, the course's formula `floor((I + P_before + P_after − D·(K−1) − 1)/S) + 1`, or with
 * `ceil` PyTorch's pooling rule (ceil, then one less if the last window starts past I + P_before).
 *
 * @example
 * ```ts
 * import { referenceOutputSize } from "@tessera/conv/testing";
 * referenceOutputSize(227, 11, 4, 0, 0, 1, false); // 55
 * ```
 */
export function referenceOutputSize(I: number, K: number, S: number, before: number, after: number, D: number, ceil: boolean): number {
  const span = I + before + after - D * (K - 1) - 1;
  if (!ceil) return Math.floor(span / S) + 1;
  let out = Math.ceil(span / S) + 1;
  if ((out - 1) * S >= I + before) out -= 1;
  return out;
}

/**
 * Direct convolution (cross-correlation) with groups: the seven loops n, oc, oh, ow, c, kh, kw.
 *
 * @param shape - `[N, C, H, W]`; the weight is `[OC, C/groups, KH, KW]`.
 * @returns y `[N, OC, OH, OW]` and its sizes.
 *
 * @example
 * ```ts
 * import { referenceConv2d } from "@tessera/conv/testing";
 * const spec = { kernel: [2, 2], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] } as const;
 * referenceConv2d([1, 1, 2, 2], 1, 1, spec, [1, 2, 3, 4], [1, 1, 1, 1], null).y; // Float64Array [10]
 * ```
 */
export function referenceConv2d(
  shape: readonly number[], OC: number, groups: number, s: WindowSpec,
  x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null,
): ReferenceResult {
  const [N, C, H, W] = shape;
  const [KH, KW] = s.kernel;
  const [pt, pb, pl, pr] = explicitPadding(s, H, W);
  const OH = referenceOutputSize(H, KH, s.stride[0], pt, pb, s.dilation[0], false);
  const OW = referenceOutputSize(W, KW, s.stride[1], pl, pr, s.dilation[1], false);
  const Cg = C / groups;
  const OCg = OC / groups;
  const y = new Float64Array(N * OC * OH * OW);
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < OC; oc++) {
      const g = Math.floor(oc / OCg);
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = bias ? bias[oc] : 0;
          for (let c = 0; c < Cg; c++) {
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * s.stride[0] - pt + kh * s.dilation[0];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * s.stride[1] - pl + kw * s.dilation[1];
                if (iw < 0 || iw >= W) continue;
                acc += x[((n * C + g * Cg + c) * H + ih) * W + iw] * w[((oc * Cg + c) * KH + kh) * KW + kw];
              }
            }
          }
          y[((n * OC + oc) * OH + oh) * OW + ow] = acc;
        }
      }
    }
  }
  return { y, OH, OW };
}

/**
 * Direct max pooling (padded cells ignored; ties → first index in row-major window order, as
 * PyTorch) with the flat in-plane argmax.
 *
 * @example
 * ```ts
 * import { referenceMaxPool2d } from "@tessera/conv/testing";
 * const spec = { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1] } as const;
 * referenceMaxPool2d([1, 1, 2, 2], spec, false, [1, 4, 4, 2]).argmax; // Int32Array [1]
 * ```
 */
export function referenceMaxPool2d(shape: readonly number[], s: WindowSpec, ceil: boolean, x: ArrayLike<number>): MaxPoolReference {
  const [N, C, H, W] = shape;
  const [pt, pb, pl, pr] = explicitPadding(s, H, W);
  const OH = referenceOutputSize(H, s.kernel[0], s.stride[0], pt, pb, s.dilation[0], ceil);
  const OW = referenceOutputSize(W, s.kernel[1], s.stride[1], pl, pr, s.dilation[1], ceil);
  const y = new Float64Array(N * C * OH * OW);
  const argmax = new Int32Array(N * C * OH * OW);
  for (let p = 0; p < N * C; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let kh = 0; kh < s.kernel[0]; kh++) {
          const ih = oh * s.stride[0] - pt + kh * s.dilation[0];
          for (let kw = 0; kw < s.kernel[1]; kw++) {
            const iw = ow * s.stride[1] - pl + kw * s.dilation[1];
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            const v = x[p * H * W + ih * W + iw];
            if (at < 0 || v > best) {
              best = v;
              at = ih * W + iw;
            }
          }
        }
        y[(p * OH + oh) * OW + ow] = best;
        argmax[(p * OH + oh) * OW + ow] = at;
      }
    }
  }
  return { y, argmax, OH, OW };
}

/**
 * Direct average pooling with PyTorch's divisor: the window clipped to the padded input
 * `[−P_before, I + P_after)` when `countIncludePad`, to the input otherwise (dilation 1).
 *
 * @example
 * ```ts
 * import { referenceAvgPool2d } from "@tessera/conv/testing";
 * const spec = { kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1] } as const;
 * referenceAvgPool2d([1, 1, 2, 2], spec, false, true, [1, 2, 3, 4]).y; // Float64Array [2.5]
 * ```
 */
export function referenceAvgPool2d(shape: readonly number[], s: WindowSpec, ceil: boolean, countIncludePad: boolean, x: ArrayLike<number>): ReferenceResult {
  const [N, C, H, W] = shape;
  const [pt, pb, pl, pr] = explicitPadding(s, H, W);
  const [KH, KW] = s.kernel;
  const OH = referenceOutputSize(H, KH, s.stride[0], pt, pb, 1, ceil);
  const OW = referenceOutputSize(W, KW, s.stride[1], pl, pr, 1, ceil);
  const y = new Float64Array(N * C * OH * OW);
  for (let p = 0; p < N * C; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const h0 = oh * s.stride[0] - pt;
        const w0 = ow * s.stride[1] - pl;
        const h1 = Math.min(h0 + KH, H + pb);
        const w1 = Math.min(w0 + KW, W + pr);
        const padded = (h1 - h0) * (w1 - w0);
        let sum = 0;
        let inside = 0;
        for (let ih = Math.max(h0, 0); ih < Math.min(h1, H); ih++) {
          for (let iw = Math.max(w0, 0); iw < Math.min(w1, W); iw++) {
            sum += x[p * H * W + ih * W + iw];
            inside++;
          }
        }
        y[(p * OH + oh) * OW + ow] = sum / (countIncludePad ? padded : inside);
      }
    }
  }
  return { y, OH, OW };
}

/**
 * Adaptive average pooling: output (i, j) averages rows `[floor(i·H/OH), ceil((i+1)·H/OH))` and
 * columns `[floor(j·W/OW), ceil((j+1)·W/OW))`.
 *
 * @example
 * ```ts
 * import { referenceAdaptiveAvgPool2d } from "@tessera/conv/testing";
 * referenceAdaptiveAvgPool2d([1, 1, 3, 1], 2, 1, [1, 2, 4]); // Float64Array [1.5, 3]
 * ```
 */
export function referenceAdaptiveAvgPool2d(shape: readonly number[], OH: number, OW: number, x: ArrayLike<number>): Float64Array {
  const [N, C, H, W] = shape;
  const y = new Float64Array(N * C * OH * OW);
  for (let p = 0; p < N * C; p++) {
    for (let i = 0; i < OH; i++) {
      const h0 = Math.floor((i * H) / OH);
      const h1 = Math.ceil(((i + 1) * H) / OH);
      for (let j = 0; j < OW; j++) {
        const w0 = Math.floor((j * W) / OW);
        const w1 = Math.ceil(((j + 1) * W) / OW);
        let sum = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) sum += x[p * H * W + ih * W + iw];
        y[(p * OH + i) * OW + j] = sum / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return y;
}

/**
 * PyTorch's Local Response Normalization written out:
 * `b_c = a_c / (k + α/n · Σ_{c' = c − floor(n/2)}^{c + floor((n−1)/2)} a_{c'}²)^β`, channels outside
 * [0, C) contributing zero.
 *
 * @example
 * ```ts
 * import { referenceLocalResponseNorm } from "@tessera/conv/testing";
 * referenceLocalResponseNorm([1, 2, 1, 1], 2, 2, 1, 0, [1, 2]); // Float64Array [1, 0.4]
 * ```
 */
export function referenceLocalResponseNorm(shape: readonly number[], size: number, alpha: number, beta: number, k: number, x: ArrayLike<number>): Float64Array {
  const [N, C, H, W] = shape;
  const HW = H * W;
  const y = new Float64Array(N * C * HW);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let q = 0; q < HW; q++) {
        let sum = 0;
        for (let cc = c - Math.floor(size / 2); cc <= c + Math.floor((size - 1) / 2); cc++) {
          if (cc >= 0 && cc < C) sum += x[(n * C + cc) * HW + q] ** 2;
        }
        const i = (n * C + c) * HW + q;
        y[i] = x[i] / (k + (alpha / size) * sum) ** beta;
      }
    }
  }
  return y;
}
