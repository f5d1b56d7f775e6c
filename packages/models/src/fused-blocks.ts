/**
 * The fused (inference-only) form of the ResNet blocks that `nn.fuse()` produces through their
 * `fused()` hooks: each conv + bn (+ ReLU) one {@link FusedConv2d}, the last one also adding the
 * shortcut before its ReLU, in the same pass.
 */
import type { Tensor } from "@tessera/autograd";
import { FusedConv2d, Module } from "@tessera/nn";

/**
 * A residual block after `fuse()`: `convs` run in sequence and the last one adds the shortcut
 * (`downsample(x)`, or x itself) before its ReLU: `relu(bn(conv(out)) + shortcut)` in one pass.
 * Inference only.
 *
 * @example
 * ```ts
 * import { fuse } from "@tessera/nn";
 * import { resnet18 } from "@tessera/models";
 * const fast = await fuse(resnet18().eval()); // layer1.0 is a FusedResidualBlock
 * ```
 */
export class FusedResidualBlock extends Module {
  /** The fused convolutions in order (the last adds the shortcut). */
  readonly convs: FusedConv2d[];
  /** The (fused) projection shortcut, or null for the identity (or `shortcut`). */
  readonly downsample: Module | null;
  /** A parameter-free shortcut used when there is no `downsample` (the CIFAR ResNets' option A); absent: the identity. */
  private readonly shortcut: ((x: Tensor) => Tensor) | null;
  /**
   * Wraps fused convolutions (at least one) and the shortcut: `downsample` (a module), else
   * `shortcut` (a parameter-free function of the block's input), else the identity.
   */
  constructor(convs: readonly FusedConv2d[], downsample: Module | null, shortcut: ((x: Tensor) => Tensor) | null = null) {
    super();
    if (convs.length === 0 || !convs.every((c) => c instanceof FusedConv2d)) throw new TypeError("FusedResidualBlock: convs must be one or more FusedConv2d");
    if (downsample !== null && shortcut !== null) throw new TypeError("FusedResidualBlock: give a downsample module or a shortcut function, not both");
    this.convs = [...convs];
    this.downsample = downsample;
    this.shortcut = shortcut;
    this.training = false;
  }
  /** The block: the convs in turn, the last adding the shortcut before its ReLU. */
  forward(x: Tensor): Tensor {
    let out = x;
    for (let i = 0; i < this.convs.length - 1; i++) out = this.convs[i].forward(out);
    const shortcut = this.downsample ? this.downsample.forward(x) : this.shortcut ? this.shortcut(x) : x;
    return this.convs[this.convs.length - 1].forward(out, shortcut);
  }
}
