import { conv2d, type Tensor } from "@tessera/autograd";
import { conv2dGeometry, type Conv2dOptions } from "@tessera/conv";
import { rejectUnknownOptions } from "@tessera/optim";
import { defaultBound, uniformParameter, type InitOptions } from "../init.js";
import { Module } from "../module.js";
import { padNCHW, PADDING_MODES, type PaddingMode } from "./pad.js";

/**
 * Whether a layer ({@link Conv2d}, {@link Linear}) has a learnable bias.
 *
 * @example
 * ```ts
 * import { Conv2d, type BiasOption } from "@tessera/nn";
 * const noBias: BiasOption = { bias: false }; // e.g. a conv followed by batch norm
 * new Conv2d(3, 64, 3, { padding: 1, ...noBias });
 * ```
 */
export interface BiasOption {
  /** Learnable additive bias (default true). */
  readonly bias?: boolean;
}

/**
 * Options of {@link Conv2d}: stride, padding (number, pair, [top, bottom, left, right], 'same',
 * 'valid'), how the border is padded (`paddingMode`), dilation, groups, the convolution
 * algorithm and whether to have a bias.
 *
 * @example
 * ```ts
 * import type { Conv2dLayerOptions } from "@tessera/nn";
 * const o: Conv2dLayerOptions = { stride: 2, padding: "same", bias: false, paddingMode: "reflect" };
 * ```
 */
export type Conv2dLayerOptions = Omit<Conv2dOptions, "imagesPerGemm"> & InitOptions & BiasOption & {
  /** How the border is padded: 'zeros' (default), 'reflect', 'replicate' or 'circular' (PyTorch's `padding_mode`). */
  readonly paddingMode?: PaddingMode;
};

const CONV_KEYS = ["stride", "padding", "dilation", "groups", "algorithm", "rng", "device", "bias", "paddingMode"];

/** `algorithm: 'winograd'` at construction: the geometry it needs that does not depend on the input (padding is checked per call). */
function checkWinograd(kh: number, kw: number, stride: number | readonly [number, number], dilation: number | readonly [number, number], groups: number): void {
  const pair = (v: number | readonly [number, number]) => (typeof v === "number" ? [v, v] : v);
  const [s, d] = [pair(stride), pair(dilation)];
  if (kh !== 3 || kw !== 3 || s.some((v) => v !== 1) || d.some((v) => v !== 1) || groups !== 1) {
    throw new RangeError(`Conv2d: algorithm 'winograd' needs a 3×3 kernel, stride 1, dilation 1 and groups 1, ` +
      `got kernel ${kh}×${kw}, stride ${s.join(",")}, dilation ${d.join(",")}, groups ${groups}`);
  }
}

/**
 * 2-D convolution layer, weight [out, in/groups, kh, kw] (OIHW), PyTorch's default init.
 *
 * @example
 * ```ts
 * import { Conv2d } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new Conv2d(1, 6, 5, { padding: 2 }).forward(zeros([1, 1, 28, 28])).shape; // [1, 6, 28, 28]
 * ```
 */
export class Conv2d extends Module {
  /** [out, in/groups, kh, kw]. */
  weight: Tensor;
  /** [out], or absent. */
  bias: Tensor | null;
  /** The geometry options passed to conv2d. */
  readonly options: Conv2dOptions;
  /** How the border is padded ('zeros' pads inside the convolution; the others pad the input first). */
  readonly paddingMode: PaddingMode;
  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels produced by the convolution.
   */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | readonly [number, number], o: Conv2dLayerOptions = {}) {
    super();
    rejectUnknownOptions("Conv2d", "options", o, CONV_KEYS);
    const [kh, kw] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
    const groups = o.groups ?? 1;
    for (const [k, v] of [["inChannels", inChannels], ["outChannels", outChannels], ["kernelSize", kh], ["kernelSize", kw], ["groups", groups]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Conv2d: ${k} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups || outChannels % groups) {
      throw new RangeError(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    this.paddingMode = o.paddingMode ?? "zeros";
    if (!PADDING_MODES.includes(this.paddingMode)) {
      throw new RangeError(`Conv2d: paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(", ")}, got ${JSON.stringify(o.paddingMode)}`);
    }
    const bound = defaultBound((inChannels / groups) * kh * kw);
    const init = { rng: o.rng, device: o.device };
    this.weight = uniformParameter([outChannels, inChannels / groups, kh, kw], bound, init);
    this.bias = o.bias === false ? null : uniformParameter([outChannels], bound, init);
    if (o.algorithm === "winograd") checkWinograd(kh, kw, o.stride ?? 1, o.dilation ?? 1, groups);
    this.options = { stride: o.stride, padding: o.padding, dilation: o.dilation, groups, algorithm: o.algorithm };
  }
  /** The convolution (the input padded first when `paddingMode` is not 'zeros'). */
  forward(x: Tensor): Tensor {
    if (this.paddingMode === "zeros") return conv2d(x, this.weight, this.bias, this.options);
    const padding = conv2dGeometry(x.shape, this.weight.shape, this.options).padding;
    const padded = padNCHW("Conv2d", x, padding, this.paddingMode);
    return conv2d(padded, this.weight, this.bias, { ...this.options, padding: 0 });
  }
}
