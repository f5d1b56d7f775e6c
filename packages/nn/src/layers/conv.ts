import { conv2d, type Tensor } from "@tessera/autograd";
import type { Conv2dOptions } from "@tessera/conv";
import { defaultBound, uniformParameter, type InitOptions } from "../init.js";
import { Module } from "../module.js";

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
 * 'valid'), dilation, groups and whether to have a bias.
 *
 * @example
 * ```ts
 * import type { Conv2dLayerOptions } from "@tessera/nn";
 * const o: Conv2dLayerOptions = { stride: 2, padding: "same", bias: false };
 * ```
 */
export type Conv2dLayerOptions = Omit<Conv2dOptions, "imagesPerGemm"> & InitOptions & BiasOption;

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
  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels produced by the convolution.
   */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | readonly [number, number], o: Conv2dLayerOptions = {}) {
    super();
    const [kh, kw] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
    const groups = o.groups ?? 1;
    for (const [k, v] of [["inChannels", inChannels], ["outChannels", outChannels], ["kernelSize", kh], ["kernelSize", kw], ["groups", groups]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Conv2d: ${k} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups || outChannels % groups) {
      throw new RangeError(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    const bound = defaultBound((inChannels / groups) * kh * kw);
    this.weight = uniformParameter([outChannels, inChannels / groups, kh, kw], bound, o);
    this.bias = o.bias === false ? null : uniformParameter([outChannels], bound, o);
    this.options = { stride: o.stride, padding: o.padding, dilation: o.dilation, groups };
  }
  /** The convolution. */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}
