/**
 * `convTranspose2dGeometry`: a transposed convolution (PyTorch's `conv_transpose2d`) resolved
 * against its input and weight shapes, together with the ordinary convolution it is the adjoint
 * of. Its forward pass is that convolution's backward-data pass, its backward-data pass that
 * convolution's forward, its backward-filter that convolution's backward-filter with the roles of
 * input and output gradient swapped.
 */
import { MAX_ELEMENTS } from "@tessera/ndarray";
import { conv2dGeometry, type ConvAlgorithm, type ResolvedConv2d } from "./conv-geometry.js";
import { checkNCHW, checkPositive, fail, fmt, positivePair } from "./validate.js";

/**
 * Options of a 2-D transposed convolution, PyTorch's `conv_transpose2d` names. The output size per
 * dimension is `(I − 1)·S − P_before − P_after + D·(K − 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * import type { ConvTranspose2dOptions } from "@tessera/conv";
 * const upsample2x: ConvTranspose2dOptions = { stride: 2, padding: 1, outputPadding: 1 }; // with a 3×3 kernel
 * ```
 */
export interface ConvTranspose2dOptions {
  /** Step between input positions in the output: `s` or `[sh, sw]`; positive. Default 1. */
  readonly stride?: number | readonly [number, number];
  /**
   * Rows and columns removed from each border of the full output: `p`, `[ph, pw]` (both sides),
   * or `[top, bottom, left, right]`; non-negative. Default 0. (PyTorch's `padding`; ONNX's `pads`.)
   */
  readonly padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /**
   * Extra rows (columns) added at the bottom (right) of the output: `op` or `[oph, opw]`, each
   * smaller than the stride or the dilation of its dimension, as PyTorch requires. Default 0.
   */
  readonly outputPadding?: number | readonly [number, number];
  /** Spacing between kernel taps: `d` or `[dh, dw]`; positive. Default 1. */
  readonly dilation?: number | readonly [number, number];
  /** Channel groups: the input and output channels must both be divisible by it. Default 1. */
  readonly groups?: number;
  /** Passed to the adjoint convolution, see {@link Conv2dOptions.imagesPerGemm}. */
  readonly imagesPerGemm?: number;
  /** Passed to the adjoint convolution, see {@link Conv2dOptions.algorithm}. */
  readonly algorithm?: ConvAlgorithm;
}

/**
 * A transposed convolution with every option resolved. Made by {@link convTranspose2dGeometry}.
 *
 * @example
 * ```ts
 * import { convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([8, 16, 7, 7], [16, 4, 3, 3], { stride: 2, padding: 1, outputPadding: 1 });
 * g.outputShape; // [8, 4, 14, 14]
 * ```
 */
export interface ResolvedConvTranspose2d {
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
  /** `[top, bottom, left, right]`. */ readonly padding: readonly [number, number, number, number];
  /** `[oph, opw]`. */ readonly outputPadding: readonly [number, number];
  /** `[N, C, H, W]`. */ readonly inputShape: readonly number[];
  /** `[C, OC / groups, KH, KW]` (PyTorch's layout of a transposed convolution's weight). */ readonly weightShape: readonly number[];
  /** `[N, OC, OH, OW]`. */ readonly outputShape: readonly number[];
  /**
   * `[rows, columns]` of the output (from its top-left corner) that the kernel reaches. It is the
   * whole output unless output padding exceeds the bottom (right) padding: the extra rows
   * (columns) then hold only the bias.
   */
  readonly reach: readonly [number, number];
  /**
   * The convolution whose backward-data pass this is: input `[N, OC, reach…]`, weight as above read
   * as OIHW `[C, OC / groups, KH, KW]`, output `[N, C, H, W]`. Null when the kernel reaches no output
   * cell (the padding removes everything it writes).
   */
  readonly conv: ResolvedConv2d | null;
}

const fn = "convTranspose2d";
const OPTION_KEYS = ["stride", "padding", "outputPadding", "dilation", "groups", "imagesPerGemm", "algorithm"];

function paddingOf(value: ConvTranspose2dOptions["padding"]): [number, number, number, number] {
  const v = value ?? 0;
  const list = typeof v === "number" ? [v, v, v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[0], v[1], v[1]] : Array.isArray(v) && v.length === 4 ? [...v] : null;
  if (list === null || list.some((p) => typeof p !== "number" || !Number.isInteger(p) || p < 0)) {
    fail(fn, `padding must be a non-negative integer, [h, w] or [top, bottom, left, right] of non-negative integers, got ${JSON.stringify(value)}`);
  }
  return [list[0], list[1], list[2], list[3]];
}

function outputPaddingOf(value: ConvTranspose2dOptions["outputPadding"]): [number, number] {
  const v = value ?? 0;
  const pair = typeof v === "number" ? [v, v] : Array.isArray(v) ? [...v] : [];
  if (pair.length !== 2 || pair.some((p) => typeof p !== "number" || !Number.isInteger(p) || p < 0)) {
    fail(fn, `outputPadding must be a non-negative integer or a pair [h, w] of non-negative integers, got ${JSON.stringify(value)}`);
  }
  return [pair[0], pair[1]];
}

/**
 * Resolves a transposed convolution of an NCHW input by a weight `[C, OC / groups, KH, KW]`:
 * checks the shapes and options as PyTorch does, computes the output size
 * `O = (I − 1)·S − P_before − P_after + D·(K − 1) + outputPadding + 1`, and builds the adjoint
 * convolution the device passes run on.
 *
 * @param inputShape - `[N, C, H, W]`.
 * @param weightShape - `[C, OC / groups, KH, KW]`.
 * @throws RangeError naming the values when a stride or dilation is not positive, a padding is
 *   negative, an output padding is not smaller than the stride or the dilation of its dimension,
 *   the weight does not match the input, C is not divisible by groups, the output would be empty,
 *   or `options` has a key it does not know (`output_padding` is not silently ignored).
 *
 * @example
 * ```ts
 * import { convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([1, 2, 3, 3], [2, 1, 3, 3], { stride: 2 });
 * g.outputShape; // [1, 1, 7, 7]
 * ```
 */
export function convTranspose2dGeometry(inputShape: readonly number[], weightShape: readonly number[], options: ConvTranspose2dOptions = {}): ResolvedConvTranspose2d {
  if (options === null || typeof options !== "object" || Array.isArray(options)) fail(fn, `options must be an options object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) fail(fn, `unknown option '${key}' in options (known: ${OPTION_KEYS.join(", ")})`);
  }
  const [N, C, H, W] = checkNCHW(fn, "input shape", inputShape);
  if (!Array.isArray(weightShape) || weightShape.length !== 4 || weightShape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(fn, `weight shape must be 4-D [C, OC / groups, KH, KW] of positive integers, got ${JSON.stringify(weightShape)}`);
  }
  const [WC, OCg, KH, KW] = weightShape;
  const groups = options.groups ?? 1;
  checkPositive(fn, "groups", groups);
  if (WC !== C) fail(fn, `weight shape ${fmt(weightShape)} does not match input shape ${fmt(inputShape)}: expected weight.shape[0] = C = ${C}, got ${WC}`);
  if (C % groups !== 0) fail(fn, `input channels C = ${C} (input shape ${fmt(inputShape)}) are not divisible by groups = ${groups}`);
  const OC = OCg * groups;
  const stride = positivePair(fn, "stride", options.stride ?? 1);
  const dilation = positivePair(fn, "dilation", options.dilation ?? 1);
  const padding = paddingOf(options.padding);
  const outputPadding = outputPaddingOf(options.outputPadding);
  if (options.imagesPerGemm !== undefined) checkPositive(fn, "imagesPerGemm", options.imagesPerGemm);
  const algorithm = options.algorithm ?? "auto";
  if (algorithm !== "auto" && algorithm !== "im2col") fail(fn, `algorithm must be 'auto' or 'im2col', got ${JSON.stringify(algorithm)}`);
  for (const a of [0, 1]) {
    if (outputPadding[a] >= stride[a] && outputPadding[a] >= dilation[a]) {
      fail(fn, `outputPadding ${fmt(outputPadding)} must be smaller than the stride ${fmt(stride)} or the dilation ${fmt(dilation)} in each dimension`);
    }
  }
  const size = (I: number, K: number, a: number) => (I - 1) * stride[a] - padding[2 * a] - padding[2 * a + 1] + dilation[a] * (K - 1) + outputPadding[a] + 1;
  const OH = size(H, KH, 0);
  const OW = size(W, KW, 1);
  if (OH < 1 || OW < 1) {
    fail(fn, `output size ${OH}×${OW} is not positive (input ${H}×${W}, kernel ${KH}×${KW}, stride ${fmt(stride)}, padding [top, bottom, left, right] = ` +
      `${fmt(padding)}, dilation ${fmt(dilation)}, outputPadding ${fmt(outputPadding)})`);
  }
  const outputShape = [N, OC, OH, OW];
  const n = N * OC * OH * OW;
  if (n > MAX_ELEMENTS) fail(fn, `the output ${fmt(outputShape)} has ${n} elements, more than the 2^32 = ${MAX_ELEMENTS} one buffer can hold`);
  // Output padding beyond the bottom (right) padding adds cells no kernel tap writes: the adjoint
  // convolution runs on the reached part, whose bottom padding is then 0 (never negative).
  const reach: [number, number] = [OH - Math.max(0, outputPadding[0] - padding[1]), OW - Math.max(0, outputPadding[1] - padding[3])];
  const conv = reach[0] < 1 || reach[1] < 1 ? null : conv2dGeometry([N, OC, reach[0], reach[1]], [C, OCg, KH, KW], {
    stride, dilation, groups,
    padding: [padding[0], Math.max(0, padding[1] - outputPadding[0]), padding[2], Math.max(0, padding[3] - outputPadding[1])],
    imagesPerGemm: options.imagesPerGemm, algorithm,
  });
  if (conv !== null && (conv.OH !== H || conv.OW !== W)) {
    throw new Error(`${fn}: internal error: the adjoint convolution maps ${conv.OH}×${conv.OW}, expected the input's ${H}×${W}`);
  }
  return {
    N, C, H, W, OC, KH, KW, OH, OW, groups, stride, dilation, padding, outputPadding,
    inputShape: [N, C, H, W], weightShape: [C, OCg, KH, KW], outputShape, reach, conv,
  };
}
