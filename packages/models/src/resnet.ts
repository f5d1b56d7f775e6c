/**
 * ResNet (He et al., 2016): torchvision's ImageNet models (BasicBlock / Bottleneck, keys such as
 * `layer1.0.conv1.weight`). The paper's CIFAR models (option-A shortcuts) are in cifar-resnet.ts.
 */
import { add, relu, type Tensor } from "@tessera/autograd";
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, FusedConv2d, Identity, initNormal, kaimingNormalStd, Linear, MaxPool2d, Module, ReLU, Sequential,
  withChildren, type Fusable,
} from "@tessera/nn";
import { FusedResidualBlock } from "./fused-blocks.js";
import { classes, init, type Init, type ModelOptions } from "./options.js";

/** A bias-free conv with He (fan-out) normal initialisation, as torchvision's ResNet. */
function conv(inC: number, outC: number, k: number, stride: number, i: Init): Conv2d {
  const c = new Conv2d(inC, outC, k, { stride, padding: (k - 1) / 2, bias: false, ...i });
  const std = kaimingNormalStd(outC * k * k);
  initNormal(c.weight, 0, std, i.rng);
  return c;
}

/**
 * The two-layer residual block of ResNet-18/34 (expansion 1).
 *
 * @example
 * ```ts
 * import { BasicBlock } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new BasicBlock(64, 64, 1, null, { rng: new Rng(0) });
 * ```
 */
export class BasicBlock extends Module implements Fusable {
  /** Output channels = planes × expansion. */
  static readonly expansion = 1;
  /** First 3×3 convolution (carries the block's stride). */
  conv1: Conv2d;
  /** Batch norm after `conv1`. */
  bn1: BatchNorm2d;
  /** ReLU (parameter-free; kept as torchvision's attribute). */
  relu = new ReLU();
  /** Second 3×3 convolution. */
  conv2: Conv2d;
  /** Batch norm after `conv2`. */
  bn2: BatchNorm2d;
  /** Projection shortcut when shape changes, else null (identity). */
  downsample: Sequential | null;
  /** Creates the block. */
  constructor(inplanes: number, planes: number, stride: number, downsample: Sequential | null, i: Init) {
    super();
    this.conv1 = conv(inplanes, planes, 3, stride, i);
    this.bn1 = new BatchNorm2d(planes, { device: i.device });
    this.conv2 = conv(planes, planes, 3, 1, i);
    this.bn2 = new BatchNorm2d(planes, { device: i.device });
    this.downsample = downsample;
  }
  /** relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)). */
  forward(x: Tensor): Tensor {
    const out = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    return relu(add(out, this.downsample ? this.downsample.forward(x) : x));
  }
  /** For `nn.fuse()`: conv1 + bn1 + ReLU and conv2 + bn2 + shortcut + ReLU, each one fused convolution. */
  async fused(fuse: (m: Module) => Promise<Module>): Promise<Module> {
    return new FusedResidualBlock([
      await FusedConv2d.fold(this.conv1, this.bn1, { relu: true }),
      await FusedConv2d.fold(this.conv2, this.bn2, { relu: true }),
    ], this.downsample ? await fuse(this.downsample) : null);
  }
}

/**
 * The three-layer bottleneck block of ResNet-50/101/152 (1×1 → 3×3 with the stride → 1×1, expansion 4; torchvision's v1.5).
 *
 * @example
 * ```ts
 * import { Bottleneck } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new Bottleneck(256, 64, 1, null, { rng: new Rng(0) });
 * ```
 */
export class Bottleneck extends Module implements Fusable {
  /** Output channels = planes × expansion. */
  static readonly expansion = 4;
  /** 1×1 convolution reducing to `planes` channels. */
  conv1: Conv2d;
  /** Batch norm after `conv1`. */
  bn1: BatchNorm2d;
  /** 3×3 convolution (carries the block's stride). */
  conv2: Conv2d;
  /** Batch norm after `conv2`. */
  bn2: BatchNorm2d;
  /** 1×1 convolution expanding to `planes × 4` channels. */
  conv3: Conv2d;
  /** Batch norm after `conv3`. */
  bn3: BatchNorm2d;
  /** ReLU (parameter-free; kept as torchvision's attribute). */
  relu = new ReLU();
  /** Projection shortcut when shape changes, else null. */
  downsample: Sequential | null;
  /** Creates the block. */
  constructor(inplanes: number, planes: number, stride: number, downsample: Sequential | null, i: Init) {
    super();
    this.conv1 = conv(inplanes, planes, 1, 1, i);
    this.bn1 = new BatchNorm2d(planes, { device: i.device });
    this.conv2 = conv(planes, planes, 3, stride, i);
    this.bn2 = new BatchNorm2d(planes, { device: i.device });
    this.conv3 = conv(planes, planes * 4, 1, 1, i);
    this.bn3 = new BatchNorm2d(planes * 4, { device: i.device });
    this.downsample = downsample;
  }
  /** The bottleneck with its shortcut. */
  forward(x: Tensor): Tensor {
    let out = relu(this.bn1.forward(this.conv1.forward(x)));
    out = relu(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    return relu(add(out, this.downsample ? this.downsample.forward(x) : x));
  }
  /** For `nn.fuse()`: the three conv + bn (+ ReLU) as fused convolutions, the last adding the shortcut. */
  async fused(fuse: (m: Module) => Promise<Module>): Promise<Module> {
    return new FusedResidualBlock([
      await FusedConv2d.fold(this.conv1, this.bn1, { relu: true }),
      await FusedConv2d.fold(this.conv2, this.bn2, { relu: true }),
      await FusedConv2d.fold(this.conv3, this.bn3, { relu: true }),
    ], this.downsample ? await fuse(this.downsample) : null);
  }
}

/**
 * The residual block a {@link ResNet} is built from: {@link BasicBlock} (ResNet-18/34) or
 * {@link Bottleneck} (ResNet-50/101/152).
 *
 * @example
 * ```ts
 * import { ResNet, Bottleneck, type BlockClass } from "@tessera/models";
 * const block: BlockClass = Bottleneck;
 * new ResNet(block, [3, 4, 6, 3]); // ResNet-50
 * ```
 */
export type BlockClass = (typeof BasicBlock | typeof Bottleneck);

/**
 * torchvision's ResNet: `ResNet(block, [2, 2, 2, 2])` is ResNet-18.
 *
 * @example
 * ```ts
 * import { ResNet, BasicBlock } from "@tessera/models";
 * new ResNet(BasicBlock, [2, 2, 2, 2], { numClasses: 10 });
 * ```
 */
export class ResNet extends Module implements Fusable {
  /** Stem: 7×7 convolution, 64 channels, stride 2. */
  conv1: Conv2d;
  /** Batch norm after `conv1`. */
  bn1: BatchNorm2d;
  /** ReLU after `bn1`. */
  relu = new ReLU();
  /** 3×3 max pooling, stride 2. */
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  /** Stage 1: 64 planes, stride 1. */
  layer1: Sequential;
  /** Stage 2: 128 planes, stride 2. */
  layer2: Sequential;
  /** Stage 3: 256 planes, stride 2. */
  layer3: Sequential;
  /** Stage 4: 512 planes, stride 2. */
  layer4: Sequential;
  /** Global average pooling to 1×1. */
  avgpool = new AdaptiveAvgPool2d(1);
  private readonly flatten = new Flatten();
  /** Classifier: 512 × expansion features to the classes. */
  fc: Linear;
  /** Builds the network with `layers[k]` blocks in stage k. */
  constructor(block: BlockClass, layers: readonly [number, number, number, number], o: ModelOptions = {}) {
    super();
    const i = init(o);
    this.conv1 = conv(3, 64, 7, 2, i);
    this.bn1 = new BatchNorm2d(64, { device: o.device });
    let inplanes = 64;
    const stage = (planes: number, blocks: number, stride: number) => {
      let down: Sequential | null = null;
      if (stride !== 1 || inplanes !== planes * block.expansion) {
        down = new Sequential(conv(inplanes, planes * block.expansion, 1, stride, i), new BatchNorm2d(planes * block.expansion, { device: o.device }));
      }
      const mods: Module[] = [new block(inplanes, planes, stride, down, i)];
      inplanes = planes * block.expansion;
      for (let b = 1; b < blocks; b++) mods.push(new block(inplanes, planes, 1, null, i));
      return new Sequential(...mods);
    };
    this.layer1 = stage(64, layers[0], 1);
    this.layer2 = stage(128, layers[1], 2);
    this.layer3 = stage(256, layers[2], 2);
    this.layer4 = stage(512, layers[3], 2);
    this.fc = new Linear(512 * block.expansion, classes("ResNet", o, 1000), i);
  }
  /** For `nn.fuse()`: the stem (conv1 + bn1 + ReLU) as one fused convolution (bn1 and relu become Identity), the stages fused block by block. */
  async fused(fuse: (m: Module) => Promise<Module>): Promise<Module> {
    return withChildren(this, {
      conv1: await FusedConv2d.fold(this.conv1, this.bn1, { relu: true }), bn1: new Identity(), relu: new Identity(),
      layer1: await fuse(this.layer1), layer2: await fuse(this.layer2), layer3: await fuse(this.layer3), layer4: await fuse(this.layer4),
    });
  }
  /** The network. */
  forward(x: Tensor): Tensor {
    let y = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    y = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(y))));
    return this.fc.forward(this.flatten.forward(this.avgpool.forward(y)));
  }
}

/** ResNet-18 (11,689,512 parameters). @example
 * ```ts
 * import { resnet18 } from "@tessera/models";
 * resnet18({ numClasses: 10 });
 * ```
 */
export const resnet18 = (o: ModelOptions = {}): ResNet => new ResNet(BasicBlock, [2, 2, 2, 2], o);
/** ResNet-34 (21,797,672). @example
 * ```ts
 * import { resnet34 } from "@tessera/models";
 * resnet34();
 * ```
 */
export const resnet34 = (o: ModelOptions = {}): ResNet => new ResNet(BasicBlock, [3, 4, 6, 3], o);
/** ResNet-50 (25,557,032). @example
 * ```ts
 * import { resnet50 } from "@tessera/models";
 * resnet50();
 * ```
 */
export const resnet50 = (o: ModelOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 6, 3], o);
/** ResNet-101 (44,549,160). @example
 * ```ts
 * import { resnet101 } from "@tessera/models";
 * resnet101();
 * ```
 */
export const resnet101 = (o: ModelOptions = {}): ResNet => new ResNet(Bottleneck, [3, 4, 23, 3], o);
/** ResNet-152 (60,192,808). @example
 * ```ts
 * import { resnet152 } from "@tessera/models";
 * resnet152();
 * ```
 */
export const resnet152 = (o: ModelOptions = {}): ResNet => new ResNet(Bottleneck, [3, 8, 36, 3], o);
