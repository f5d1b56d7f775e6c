/**
 * `conv2dGeometry`: user options (stride, padding modes, dilation, groups) resolved against the
 * input and weight shapes into everything the device-level functions need.
 */
import { outputSize, winogradIncompatibility, type Conv2dGeometry } from "@tessera/blas";
import { MAX_ELEMENTS } from "@tessera/ndarray";
import { resolvePadding, type Padding2d } from "./padding.js";
import { checkNCHW, checkPositive, fail, fmt, positivePair } from "./validate.js";

/**
 * Options of a 2-D convolution (PyTorch's names; all combinable, including stride > 1 with
 * dilation, which TensorFlow.js forbids).
 *
 * @example
 * ```ts
 * import type { Conv2dOptions } from "@tessera/conv";
 * const alexNetConv1: Conv2dOptions = { stride: 4 };
 * const depthwise: Conv2dOptions = { padding: 1, groups: 32 };
 * ```
 */
export interface Conv2dOptions {
  /** Step between output positions: `s` or `[sh, sw]`; positive. Default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zero padding, see {@link Padding2d}. Default 0. */
  readonly padding?: Padding2d;
  /** Spacing between kernel taps: `d` or `[dh, dw]`; positive. Default 1. */
  readonly dilation?: number | readonly [number, number];
  /** Channel groups: C and OC must both be divisible by it; `groups = C` is depthwise. Default 1. */
  readonly groups?: number;
  /**
   * Images lowered into one column matrix per GEMM. Default: chosen per device by
   * {@link defaultImagesPerGemm}. Results are identical up to float32 rounding order.
   */
  readonly imagesPerGemm?: number;
  /**
   * How the three passes run.
   * - `'direct'`: the device's fused kernel when it has one for this geometry
   *   (`Device.convForward` / `convBackwardData` / `convBackwardFilter`: the wasm device's
   *   implicit GEMMs), else the lowering to im2col/col2im + sgemm. Bit for bit what `'auto'` gave
   *   before Winograd existed.
   * - `'auto'` (default): `'direct'`, except that forward and backward-data of a 3×3, stride-1,
   *   dilation-1, ungrouped convolution run by Winograd F(2×2, 3×3) where the device has the
   *   routines and its hints (`winogradMinChannels`, `winogradMinPixels`) say they are faster
   *   (the wasm device: at least 16 channels and 49 output pixels per channel over the batch,
   *   e.g. 7×7 at batch 1, with or without worker threads). Winograd results
   *   differ from direct ones by float32 rounding only (a bounded error, tested against float64).
   * - `'winograd'`: forward and backward-data by Winograd F(2×2, 3×3) (backward-filter as
   *   `'direct'`); rejected with an error for any other geometry, and when the device has no
   *   Winograd routines.
   * - `'im2col'`: always the lowering (to compare, or to pin the summation order).
   */
  readonly algorithm?: ConvAlgorithm;
}

/**
 * Forward algorithm of a convolution, see {@link Conv2dOptions.algorithm}.
 *
 * @example
 * ```ts
 * import { conv2dGeometry, type ConvAlgorithm } from "@tessera/conv";
 * const algorithm: ConvAlgorithm = "im2col";
 * conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { algorithm }).algorithm; // 'im2col'
 * ```
 */
export type ConvAlgorithm = "auto" | "direct" | "winograd" | "im2col";

const ALGORITHMS: readonly ConvAlgorithm[] = ["auto", "direct", "winograd", "im2col"];

/**
 * A convolution with every option resolved: shapes, explicit padding, and the per-group
 * `Conv2dGeometry` the device routines (`im2col`, `col2im`) consume. Made by {@link conv2dGeometry}.
 *
 * @example
 * ```ts
 * import { conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([64, 1, 28, 28], [6, 1, 5, 5], { padding: 2 });
 * g.outputShape; // [64, 6, 28, 28]
 * ```
 */
export interface ResolvedConv2d {
  /** Batch size. */ readonly N: number;
  /** Input channels (all groups). */ readonly C: number;
  /** Input height. */ readonly H: number;
  /** Input width. */ readonly W: number;
  /** Output channels (all groups). */ readonly OC: number;
  /** Kernel height. */ readonly KH: number;
  /** Kernel width. */ readonly KW: number;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
  /** Channel groups. */ readonly groups: number;
  /** `[sh, sw]`. */ readonly stride: readonly [number, number];
  /** `[dh, dw]`. */ readonly dilation: readonly [number, number];
  /** Resolved `[top, bottom, left, right]`. */ readonly padding: readonly [number, number, number, number];
  /** The geometry of one channel group (its `C` is `C / groups`), as `Device.im2col` takes it. */
  readonly group: Conv2dGeometry;
  /** `[N, C, H, W]`. */ readonly inputShape: readonly number[];
  /** `[OC, C / groups, KH, KW]`. */ readonly weightShape: readonly number[];
  /** `[N, OC, OH, OW]`. */ readonly outputShape: readonly number[];
  /** The explicit {@link Conv2dOptions.imagesPerGemm}, or undefined for the device's default. */
  readonly imagesPerGemm: number | undefined;
  /** The forward algorithm ({@link Conv2dOptions.algorithm}). */
  readonly algorithm: ConvAlgorithm;
  /** True for 1×1 kernels with stride 1 and no padding: the GEMM reads the input directly, no im2col. */
  readonly direct: boolean;
}

/** Throws unless a buffer can hold `shape` (instead of V8's `Invalid typed array length` later). */
function checkBufferSize(fn: string, what: string, shape: readonly number[], padding: readonly number[]): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) {
    fail(fn, `the ${what} ${fmt(shape)} has ${n} elements, more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold ` +
      `(padding [top, bottom, left, right] = ${fmt(padding)})`);
  }
}

function checkFits(fn: string, dim: string, input: number, kernel: number, dilation: number, before: number, after: number): void {
  const extent = dilation * (kernel - 1) + 1;
  if (extent > input + before + after) {
    fail(fn, `kernel ${dim} ${kernel} (dilation ${dilation}: extent ${extent}) is larger than the padded input ${dim} ` +
      `${input + before + after} (input ${input} + padding ${before} + ${after})`);
  }
}

/**
 * Resolves a convolution of an NCHW input by an OIHW weight: checks the shapes and options, applies
 * the padding mode, and computes the output size with the course's formula
 * `O = floor((I + P_before + P_after − D·(K−1) − 1) / S) + 1`.
 *
 * @param inputShape - `[N, C, H, W]`.
 * @param weightShape - `[OC, C / groups, KH, KW]`.
 * @throws RangeError naming the values when a stride or dilation is not positive, C or OC is not
 *   divisible by groups, the weight shape does not match, or the kernel is larger than the padded input.
 *
 * @example
 * ```ts
 * import { conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { padding: "same" });
 * [g.OH, g.OW, ...g.padding]; // [5, 5, 1, 1, 1, 1]
 * ```
 */
export function conv2dGeometry(inputShape: readonly number[], weightShape: readonly number[], options: Conv2dOptions = {}): ResolvedConv2d {
  const fn = "conv2d";
  const [N, C, H, W] = checkNCHW(fn, "input shape", inputShape);
  if (!Array.isArray(weightShape) || weightShape.length !== 4 || weightShape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(fn, `weight shape must be 4-D [OC, C / groups, KH, KW] of positive integers, got ${JSON.stringify(weightShape)}`);
  }
  const [OC, CG, KH, KW] = weightShape;
  const groups = options.groups ?? 1;
  checkPositive(fn, "groups", groups);
  if (C % groups !== 0) fail(fn, `input channels C = ${C} (input shape ${fmt(inputShape)}) are not divisible by groups = ${groups}`);
  if (OC % groups !== 0) fail(fn, `output channels OC = ${OC} (weight shape ${fmt(weightShape)}) are not divisible by groups = ${groups}`);
  if (CG !== C / groups) {
    fail(fn, `weight shape ${fmt(weightShape)} does not match input shape ${fmt(inputShape)} with groups = ${groups}: ` +
      `expected weight.shape[1] = C / groups = ${C / groups}, got ${CG}`);
  }
  const stride = positivePair(fn, "stride", options.stride ?? 1);
  const dilation = positivePair(fn, "dilation", options.dilation ?? 1);
  const padding = resolvePadding(fn, options.padding ?? 0, H, W, [KH, KW], stride, dilation);
  const [padTop, padBottom, padLeft, padRight] = padding;
  checkFits(fn, "height", H, KH, dilation[0], padTop, padBottom);
  checkFits(fn, "width", W, KW, dilation[1], padLeft, padRight);
  if (options.imagesPerGemm !== undefined) checkPositive(fn, "imagesPerGemm", options.imagesPerGemm);
  const algorithm = options.algorithm ?? "auto";
  if (!ALGORITHMS.includes(algorithm)) fail(fn, `algorithm must be ${ALGORITHMS.map((a) => `'${a}'`).join(", ")}, got ${JSON.stringify(algorithm)}`);
  const OH = outputSize(H, KH, stride[0], padTop, padBottom, dilation[0]);
  const OW = outputSize(W, KW, stride[1], padLeft, padRight, dilation[1]);
  checkBufferSize(fn, "output", [N, OC, OH, OW], padding);
  checkBufferSize(fn, "column matrix [C / groups · KH · KW, OH · OW] of one image", [CG * KH * KW, OH * OW], padding);
  const group: Conv2dGeometry = {
    C: CG, H, W, KH, KW, strideH: stride[0], strideW: stride[1], padTop, padLeft, padBottom, padRight,
    dilationH: dilation[0], dilationW: dilation[1], OH, OW,
  };
  if (algorithm === "winograd") {
    const why = groups !== 1 ? `groups must be 1, got ${groups}` : winogradIncompatibility(group);
    if (why !== null) fail(fn, `algorithm 'winograd' (F(2×2, 3×3)) does not apply to this convolution: ${why}`);
  }
  const direct = KH === 1 && KW === 1 && stride[0] === 1 && stride[1] === 1 && padding.every((p) => p === 0);
  return {
    N, C, H, W, OC, KH, KW, OH, OW, groups, stride, dilation, padding, group,
    inputShape: [N, C, H, W], weightShape: [OC, CG, KH, KW], outputShape: [N, OC, OH, OW],
    imagesPerGemm: options.imagesPerGemm, algorithm, direct,
  };
}

/**
 * Floating-point operations of one convolution pass (forward, backward-data and backward-filter
 * each cost the same): `2·N·OC·OH·OW·(C/groups)·KH·KW`.
 *
 * @example
 * ```ts
 * import { conv2dFlops, conv2dGeometry } from "@tessera/conv";
 * conv2dFlops(conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3])); // 2·9·9 = 162
 * ```
 */
export function conv2dFlops(g: ResolvedConv2d): number {
  return 2 * g.N * g.OC * g.OH * g.OW * (g.C / g.groups) * g.KH * g.KW;
}
