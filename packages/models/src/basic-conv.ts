/**
 * The building block of GoogLeNet and Inception v3 as torchvision writes it: a bias-free
 * convolution, batch norm with eps 0.001, ReLU — plus the input transform both models share.
 */
import { affine, concat, relu, slice, type Tensor } from "@tessera/autograd";
import { BatchNorm2d, Conv2d, FusedConv2d, initNormal, Module, type Conv2dLayerOptions, type Fusable } from "@tessera/nn";
import type { Init } from "./options.js";

/**
 * Convolution (no bias) → batch norm (eps 0.001) → ReLU, torchvision's `BasicConv2d` (keys
 * `conv.weight`, `bn.weight`, `bn.bias`, `bn.running_mean`, …). The weight is drawn from a normal
 * distribution with standard deviation `std`, as torchvision's `trunc_normal_(std, a=-2, b=2)`
 * (whose bounds, at ±2 absolute, lie 20 or more standard deviations out and never cut).
 *
 * @example
 * ```ts
 * import { BasicConv2d } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new BasicConv2d(768, 192, [1, 7], { padding: [0, 3] }, 0.1, { rng: new Rng(0) });
 * ```
 */
export class BasicConv2d extends Module implements Fusable {
  /** The convolution, without bias. */
  conv: Conv2d;
  /** Batch norm with eps 0.001. */
  bn: BatchNorm2d;
  /**
   * Creates the block.
   *
   * @param kernelSize Kernel height and width (one number for both, or `[kh, kw]` such as `[1, 7]`).
   * @param o Stride and padding of the convolution.
   * @param std Standard deviation of the initial weights.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly [number, number], o: Pick<Conv2dLayerOptions, "stride" | "padding">, std: number, i: Init) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, kernelSize, { ...o, bias: false, ...i });
    initNormal(this.conv.weight, 0, std, i.rng);
    this.bn = new BatchNorm2d(outChannels, { eps: 0.001, device: i.device });
  }
  /** relu(bn(conv(x))). */
  forward(x: Tensor): Tensor {
    return relu(this.bn.forward(this.conv.forward(x)));
  }
  /** For `nn.fuse()`: conv + bn + ReLU as one fused convolution. */
  async fused(): Promise<Module> {
    return FusedConv2d.fold(this.conv, this.bn, { relu: true });
  }
}

/** ImageNet mean and standard deviation per channel (torchvision's). @internal */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
/** @internal */
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * torchvision's `_transform_input`: maps an input normalised with ImageNet's mean and std to the
 * [-1, 1] scaling the TensorFlow-ported weights expect (channel c: x·std_c/0.5 + (mean_c − 0.5)/0.5).
 * @internal
 */
export function transformInput(name: string, x: Tensor): Tensor {
  if (x.ndim !== 4 || x.shape[1] !== 3) throw new RangeError(`${name}: transformInput needs an input of shape [N, 3, H, W], got [${x.shape.join(", ")}]`);
  const ch = [0, 1, 2].map((c) => affine(slice(x, null, [c, c + 1]), IMAGENET_STD[c] / 0.5, (IMAGENET_MEAN[c] - 0.5) / 0.5));
  return concat(ch, 1);
}
