import { convTranspose2d, type Tensor } from "@tessera/autograd";
import type { ConvTranspose2dOptions } from "@tessera/conv";
import { rejectUnknownOptions } from "@tessera/optim";
import { defaultBound, uniformParameter, type InitOptions } from "../init.js";
import { Module } from "../module.js";
import type { BiasOption } from "./conv.js";

/**
 * Options of {@link ConvTranspose2d}: stride, padding (number, [h, w] or [top, bottom, left,
 * right]), outputPadding, dilation, groups, the convolution algorithm, whether to have a bias, and
 * `paddingMode`, which (as in PyTorch) may only be 'zeros'.
 *
 * @example
 * ```ts
 * import type { ConvTranspose2dLayerOptions } from "@tessera/nn";
 * const o: ConvTranspose2dLayerOptions = { stride: 2, padding: 1, outputPadding: 1, bias: false };
 * ```
 */
export type ConvTranspose2dLayerOptions = Omit<ConvTranspose2dOptions, "imagesPerGemm"> & InitOptions & BiasOption & {
  /** Only 'zeros' (the default): PyTorch's `ConvTranspose2d` supports no other `padding_mode`. */
  readonly paddingMode?: "zeros";
};

const KEYS = ["stride", "padding", "outputPadding", "dilation", "groups", "algorithm", "rng", "device", "bias", "paddingMode"];

/**
 * 2-D transposed convolution layer ("deconvolution", the upsampling of decoders and GAN
 * generators) with PyTorch's semantics: weight `[in, out/groups, kh, kw]`, state-dict keys
 * `weight` and `bias`, PyTorch's default init (U(±1/√fan_in) with fan_in = out/groups·kh·kw, the
 * weight's second dimension times the kernel, for weight and bias). The output size per dimension
 * is `(H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * import { ConvTranspose2d } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up.forward(zeros([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 * ```
 */
export class ConvTranspose2d extends Module {
  /** [in, out/groups, kh, kw]. */
  weight: Tensor;
  /** [out], or absent. */
  bias: Tensor | null;
  /** The geometry options passed to convTranspose2d. */
  readonly options: ConvTranspose2dOptions;
  /**
   * Creates the layer.
   *
   * @param inChannels Channels of the input.
   * @param outChannels Channels of the output.
   */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | readonly [number, number], o: ConvTranspose2dLayerOptions = {}) {
    super();
    rejectUnknownOptions("ConvTranspose2d", "options", o, KEYS);
    const [kh, kw] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
    const groups = o.groups ?? 1;
    for (const [k, v] of [["inChannels", inChannels], ["outChannels", outChannels], ["kernelSize", kh], ["kernelSize", kw], ["groups", groups]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`ConvTranspose2d: ${k} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups || outChannels % groups) {
      throw new RangeError(`ConvTranspose2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    if (o.paddingMode !== undefined && o.paddingMode !== "zeros") {
      throw new RangeError(`ConvTranspose2d: paddingMode must be 'zeros' (the only mode PyTorch's ConvTranspose2d supports), got ${JSON.stringify(o.paddingMode)}`);
    }
    const bound = defaultBound((outChannels / groups) * kh * kw);
    const init = { rng: o.rng, device: o.device };
    this.weight = uniformParameter([inChannels, outChannels / groups, kh, kw], bound, init);
    this.bias = o.bias === false ? null : uniformParameter([outChannels], bound, init);
    this.options = { stride: o.stride, padding: o.padding, outputPadding: o.outputPadding, dilation: o.dilation, groups, algorithm: o.algorithm };
  }
  /** The transposed convolution. */
  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.options);
  }
}
