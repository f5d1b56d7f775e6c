/**
 * `pool2dGeometry`: pooling options (window, stride, padding modes, dilation, ceil mode) resolved
 * against an NCHW input into the device's `Pool2dGeometry`.
 */
import type { Pool2dGeometry } from "@tessera/blas";
import { resolvePadding, type Padding2d } from "./padding.js";
import { checkNCHW, fail, positivePair } from "./validate.js";

/**
 * Options of max and average pooling (PyTorch's `MaxPool2d` / `AvgPool2d` names, camelCase).
 *
 * @example
 * ```ts
 * import type { Pool2dOptions } from "@tessera/conv";
 * const alexNet: Pool2dOptions = { kernelSize: 3, stride: 2 }; // overlapping windows
 * ```
 */
export interface Pool2dOptions {
  /** Window size `k` or `[kh, kw]`. */
  readonly kernelSize: number | readonly [number, number];
  /** Step between windows; default the window size. */
  readonly stride?: number | readonly [number, number];
  /** Implicit padding (max pooling ignores padded cells; see {@link Padding2d}); at most half the window on each side. Default 0. */
  readonly padding?: Padding2d;
  /** Spacing of window taps (max pooling only). Default 1. */
  readonly dilation?: number | readonly [number, number];
  /** Use ceil instead of floor in the output size (windows may run past the padding, never start in it). Default false. */
  readonly ceilMode?: boolean;
}

/**
 * A pooling with every option resolved: shapes, the user's padding, and the device geometry whose
 * `padBottom`/`padRight` also hold the cells ceil mode adds. Made by {@link pool2dGeometry}.
 *
 * @example
 * ```ts
 * import { pool2dGeometry } from "@tessera/conv";
 * const p = pool2dGeometry([8, 96, 55, 55], { kernelSize: 3, stride: 2 });
 * p.outputShape; // [8, 96, 27, 27]
 * ```
 */
export interface ResolvedPool2d {
  /** Batch size. */ readonly N: number;
  /** Channels. */ readonly C: number;
  /** Input height. */ readonly H: number;
  /** Input width. */ readonly W: number;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
  /** `[kh, kw]`. */ readonly kernel: readonly [number, number];
  /** `[sh, sw]`. */ readonly stride: readonly [number, number];
  /** `[dh, dw]`. */ readonly dilation: readonly [number, number];
  /** The user's padding resolved to `[top, bottom, left, right]` (without the ceil-mode cells). */
  readonly padding: readonly [number, number, number, number];
  /** Whether the output size was rounded up. */ readonly ceilMode: boolean;
  /** What the device routines take (ceil-mode cells included in padBottom/padRight). */
  readonly geometry: Pool2dGeometry;
  /** `[N, C, H, W]`. */ readonly inputShape: readonly number[];
  /** `[N, C, OH, OW]`. */ readonly outputShape: readonly number[];
}

/** PyTorch's pooled size: floor or ceil, and in ceil mode the last window must start inside the input or the leading padding. */
function pooledSize(input: number, kernel: number, stride: number, before: number, after: number, dilation: number, ceil: boolean): number {
  const span = input + before + after - dilation * (kernel - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= input + before) out--;
  return out;
}

/**
 * Resolves a max or average pooling of an NCHW input. Output size
 * `floor((I + P_before + P_after − D·(K−1) − 1) / S) + 1`, or with `ceilMode` PyTorch's ceil rule.
 *
 * @param op - Which pooling, for the error messages and rules (average pooling has no dilation).
 * @throws RangeError naming the values for a non-positive window, stride or dilation, padding above
 *   half the window, or a window larger than the padded input.
 *
 * @example
 * ```ts
 * import { pool2dGeometry } from "@tessera/conv";
 * pool2dGeometry([1, 1, 5, 5], { kernelSize: 2, ceilMode: true }).outputShape; // [1, 1, 3, 3]
 * ```
 */
export function pool2dGeometry(inputShape: readonly number[], options: Pool2dOptions, op: "maxPool2d" | "avgPool2d" = "maxPool2d"): ResolvedPool2d {
  const [N, C, H, W] = checkNCHW(op, "input shape", inputShape);
  if (options === null || typeof options !== "object") fail(op, `options must be an object with kernelSize, got ${String(options)}`);
  const kernel = positivePair(op, "kernelSize", options.kernelSize);
  const stride = positivePair(op, "stride", options.stride ?? kernel);
  const dilation = positivePair(op, "dilation", options.dilation ?? 1);
  if (op === "avgPool2d" && (dilation[0] !== 1 || dilation[1] !== 1)) fail(op, `dilation must be 1, got [${dilation.join(",")}]`);
  const padding = resolvePadding(op, options.padding ?? 0, H, W, kernel, stride, dilation);
  const ceilMode = options.ceilMode ?? false;
  const sides = ["top", "bottom", "left", "right"];
  const input = [H, W];
  for (let d = 0; d < 2; d++) {
    const extent = dilation[d] * (kernel[d] - 1) + 1;
    for (const s of [2 * d, 2 * d + 1]) {
      if (padding[s] > Math.floor(extent / 2)) {
        fail(op, `padding ${padding[s]} (${sides[s]}) must be at most half the window extent ${extent} ` +
          `(kernel ${kernel[d]}, dilation ${dilation[d]}), i.e. <= ${Math.floor(extent / 2)}`);
      }
    }
    const padded = input[d] + padding[2 * d] + padding[2 * d + 1];
    if (extent > padded) {
      fail(op, `window ${d === 0 ? "height" : "width"} ${kernel[d]} (dilation ${dilation[d]}: extent ${extent}) is larger than the padded input ` +
        `${d === 0 ? "height" : "width"} ${padded} (input ${input[d]} + padding ${padding[2 * d]} + ${padding[2 * d + 1]})`);
    }
  }
  const out = [0, 1].map((d) => pooledSize(input[d], kernel[d], stride[d], padding[2 * d], padding[2 * d + 1], dilation[d], ceilMode));
  const extra = [0, 1].map((d) => Math.max(0, (out[d] - 1) * stride[d] + dilation[d] * (kernel[d] - 1) + 1 - (input[d] + padding[2 * d] + padding[2 * d + 1])));
  const [OH, OW] = out;
  const geometry: Pool2dGeometry = {
    H, W, KH: kernel[0], KW: kernel[1], strideH: stride[0], strideW: stride[1],
    padTop: padding[0], padBottom: padding[1] + extra[0], padLeft: padding[2], padRight: padding[3] + extra[1],
    dilationH: dilation[0], dilationW: dilation[1], OH, OW,
  };
  return { N, C, H, W, OH, OW, kernel, stride, dilation, padding, ceilMode, geometry, inputShape: [N, C, H, W], outputShape: [N, C, OH, OW] };
}
