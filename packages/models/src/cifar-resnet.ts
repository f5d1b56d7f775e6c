/**
 * The CIFAR-10 ResNets of He et al. (2016, §4.2): 6n+2 layers, 16/32/64 filters, option-A
 * shortcuts (identity, stride-2 subsampling and zero-padded channels: no extra parameters).
 */
import { add, concat, relu, slice, zeros, type Tensor } from "@tessera/autograd";
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, FusedConv2d, Identity, initNormal, kaimingNormalStd, Linear, Module, Sequential, withChildren,
  type Fusable,
} from "@tessera/nn";
import { FusedResidualBlock } from "./fused-blocks.js";
import { classes, init, type Init, type ModelOptions } from "./options.js";

function conv3(inC: number, outC: number, stride: number, i: Init): Conv2d {
  const c = new Conv2d(inC, outC, 3, { stride, padding: 1, bias: false, ...i });
  initNormal(c.weight, 0, kaimingNormalStd(outC * 9), i.rng);
  return c;
}

/**
 * A CIFAR residual block with the option-A shortcut.
 *
 * @example
 * ```ts
 * import { CifarBlock } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new CifarBlock(16, 32, 2, { rng: new Rng(0) });
 * ```
 */
export class CifarBlock extends Module implements Fusable {
  /** First 3×3 convolution (carries the block's stride). */
  conv1: Conv2d;
  /** Batch norm after `conv1`. */
  bn1: BatchNorm2d;
  /** Second 3×3 convolution. */
  conv2: Conv2d;
  /** Batch norm after `conv2`. */
  bn2: BatchNorm2d;
  /**
   * Creates the block.
   *
   * @param inPlanes Input channels.
   * @param planes Output channels.
   * @param stride Stride of `conv1` and of the shortcut's subsampling.
   */
  constructor(readonly inPlanes: number, readonly planes: number, readonly stride: number, i: Init) {
    super();
    this.conv1 = conv3(inPlanes, planes, stride, i);
    this.bn1 = new BatchNorm2d(planes, { device: i.device });
    this.conv2 = conv3(planes, planes, 1, i);
    this.bn2 = new BatchNorm2d(planes, { device: i.device });
  }
  /** Option A: x[:, :, ::s, ::s] with (planes − inPlanes)/2 zero channels on each side. */
  private shortcut(x: Tensor): Tensor {
    if (this.stride === 1 && this.inPlanes === this.planes) return x;
    const sub = slice(x, null, null, [null, null, this.stride], [null, null, this.stride]);
    const pad = (this.planes - this.inPlanes) / 2;
    if (pad === 0) return sub;
    const z = zeros([sub.shape[0], pad, sub.shape[2], sub.shape[3]], { device: x.device });
    return concat([z, sub, z], 1);
  }
  /** relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)). */
  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(out, this.shortcut(x)));
  }
  /** For `nn.fuse()`: conv1 + bn1 + ReLU, and conv2 + bn2 + the option-A shortcut + ReLU, each one fused convolution. */
  async fused(): Promise<Module> {
    return new FusedResidualBlock([
      await FusedConv2d.fold(this.conv1, this.bn1, { relu: true }),
      await FusedConv2d.fold(this.conv2, this.bn2, { relu: true }),
    ], null, (x) => this.shortcut(x));
  }
}

/**
 * A CIFAR ResNet of depth 6n + 2.
 *
 * @example
 * ```ts
 * import { CifarResNet } from "@tessera/models";
 * new CifarResNet(3).numParameters(); // 269722 (ResNet-20)
 * ```
 */
export class CifarResNet extends Module implements Fusable {
  /** Stem: 3×3 convolution, 16 channels. */
  conv1: Conv2d;
  /** Batch norm after `conv1`. */
  bn1: BatchNorm2d;
  /** Stage 1: n blocks, 16 channels, 32×32. */
  layer1: Sequential;
  /** Stage 2: n blocks, 32 channels, 16×16. */
  layer2: Sequential;
  /** Stage 3: n blocks, 64 channels, 8×8. */
  layer3: Sequential;
  /** Global average pooling to 1×1. */
  avgpool = new AdaptiveAvgPool2d(1);
  private readonly flatten = new Flatten();
  /** Classifier: 64 features to the classes. */
  fc: Linear;
  /**
   * n blocks per stage.
   *
   * @param n Blocks per stage (depth 6n + 2).
   */
  constructor(readonly n: number, o: ModelOptions = {}) {
    super();
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`CifarResNet: n must be a positive integer, got ${n}`);
    const i = init(o);
    this.conv1 = conv3(3, 16, 1, i);
    this.bn1 = new BatchNorm2d(16, { device: o.device });
    let inPlanes = 16;
    const stage = (planes: number, stride: number) => {
      const blocks = [];
      for (let b = 0; b < n; b++) {
        blocks.push(new CifarBlock(inPlanes, planes, b === 0 ? stride : 1, i));
        inPlanes = planes;
      }
      return new Sequential(...blocks);
    };
    this.layer1 = stage(16, 1);
    this.layer2 = stage(32, 2);
    this.layer3 = stage(64, 2);
    this.fc = new Linear(64, classes("CifarResNet", o, 10), i);
  }
  /**
   * For `nn.fuse()`: the stem's conv1 + bn1 as one fused convolution (bn1 becomes Identity; the
   * forward's ReLU stays a separate pass), the stages fused block by block.
   */
  async fused(fuse: (m: Module) => Promise<Module>): Promise<Module> {
    return withChildren(this, {
      conv1: await FusedConv2d.fold(this.conv1, this.bn1, { relu: false }), bn1: new Identity(),
      layer1: await fuse(this.layer1), layer2: await fuse(this.layer2), layer3: await fuse(this.layer3),
    });
  }
  /** The network. */
  forward(x: Tensor): Tensor {
    const y = this.layer3.forward(this.layer2.forward(this.layer1.forward(relu(this.bn1.forward(this.conv1.forward(x))))));
    return this.fc.forward(this.flatten.forward(this.avgpool.forward(y)));
  }
}

/** ResNet-20 for CIFAR (269,722 parameters). @example
 * ```ts
 * import { resnet20 } from "@tessera/models";
 * resnet20();
 * ```
 */
export const resnet20 = (o: ModelOptions = {}): CifarResNet => new CifarResNet(3, o);
/** ResNet-32 for CIFAR. @example
 * ```ts
 * import { resnet32 } from "@tessera/models";
 * resnet32();
 * ```
 */
export const resnet32 = (o: ModelOptions = {}): CifarResNet => new CifarResNet(5, o);
/** ResNet-44 for CIFAR. @example
 * ```ts
 * import { resnet44 } from "@tessera/models";
 * resnet44();
 * ```
 */
export const resnet44 = (o: ModelOptions = {}): CifarResNet => new CifarResNet(7, o);
/** ResNet-56 for CIFAR. @example
 * ```ts
 * import { resnet56 } from "@tessera/models";
 * resnet56();
 * ```
 */
export const resnet56 = (o: ModelOptions = {}): CifarResNet => new CifarResNet(9, o);
/** ResNet-110 for CIFAR. @example
 * ```ts
 * import { resnet110 } from "@tessera/models";
 * resnet110();
 * ```
 */
export const resnet110 = (o: ModelOptions = {}): CifarResNet => new CifarResNet(18, o);
