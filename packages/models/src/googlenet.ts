/**
 * GoogLeNet (Inception v1, Szegedy et al., 2014) as torchvision defines it: BasicConv2d blocks
 * (conv + batch norm), nine Inception modules, two optional auxiliary classifiers, and its
 * state-dict keys (`inception3a.branch1.conv.weight`, `aux1.fc2.bias`, …).
 */
import { adaptiveAvgPool2d, concat, flatten, relu, type Tensor } from "@tessera/autograd";
import { AdaptiveAvgPool2d, Dropout, initNormal, Linear, MaxPool2d, Module, Sequential } from "@tessera/nn";
import { BasicConv2d, transformInput } from "./basic-conv.js";
import { classes, init, rejectUnknownOptions, type Init, type ModelOptions } from "./options.js";

/** torchvision's GoogLeNet initialisation: normal, std 0.01, for every conv and linear weight. */
const STD = 0.01;

function linear(inF: number, outF: number, i: Init): Linear {
  const l = new Linear(inF, outF, i);
  initNormal(l.weight, 0, STD, i.rng);
  return l;
}

/**
 * GoogLeNet's Inception module: four branches (1×1; 1×1 → 3×3; 1×1 → 3×3, torchvision's 3×3 where
 * the paper has 5×5; 3×3 max pool → 1×1) joined along the channels.
 *
 * @example
 * ```ts
 * import { Inception } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new Inception(192, 64, 96, 128, 16, 32, 32, { rng: new Rng(0) }); // inception3a: 256 channels out
 * ```
 */
export class Inception extends Module {
  /** 1×1 convolution. */
  branch1: BasicConv2d;
  /** 1×1 reduction → 3×3. */
  branch2: Sequential;
  /** 1×1 reduction → 3×3 (the "5×5" branch). */
  branch3: Sequential;
  /** 3×3 max pooling (stride 1) → 1×1 projection. */
  branch4: Sequential;
  /** Creates the module with torchvision's channel arguments. */
  constructor(inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number, i: Init) {
    super();
    this.branch1 = new BasicConv2d(inChannels, ch1x1, 1, {}, STD, i);
    this.branch2 = new Sequential(new BasicConv2d(inChannels, ch3x3red, 1, {}, STD, i), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 }, STD, i));
    this.branch3 = new Sequential(new BasicConv2d(inChannels, ch5x5red, 1, {}, STD, i), new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 }, STD, i));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inChannels, poolProj, 1, {}, STD, i));
  }
  /** The four branches, concatenated along the channels. */
  forward(x: Tensor): Tensor {
    return concat([this.branch1.forward(x), this.branch2.forward(x), this.branch3.forward(x), this.branch4.forward(x)], 1);
  }
}

/**
 * GoogLeNet's auxiliary classifier: adaptive average pooling to 4×4 → 1×1 conv (128) → fc 1024 →
 * ReLU → dropout (`dropout.p`, default 0.7) → fc to the classes.
 *
 * @example
 * ```ts
 * import { InceptionAux } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionAux(512, 1000, { rng: new Rng(0) });
 * ```
 */
export class InceptionAux extends Module {
  /** 1×1 convolution to 128 channels. */
  conv: BasicConv2d;
  /** 2048 → 1024. */
  fc1: Linear;
  /** 1024 → the classes. */
  fc2: Linear;
  /** Dropout before `fc2`. */
  dropout: Dropout;
  /** Creates the classifier. */
  constructor(inChannels: number, numClasses: number, i: Init, dropout: { readonly p?: number; readonly seed?: number } = {}) {
    super();
    this.conv = new BasicConv2d(inChannels, 128, 1, {}, STD, i);
    this.fc1 = linear(2048, 1024, i);
    this.fc2 = linear(1024, numClasses, i);
    this.dropout = new Dropout(dropout.p ?? 0.7, { seed: dropout.seed ?? 0 });
  }
  /** The auxiliary logits. */
  forward(x: Tensor): Tensor {
    const y = flatten(this.conv.forward(adaptiveAvgPool2d(x, [4, 4])), 1);
    return this.fc2.forward(this.dropout.forward(relu(this.fc1.forward(y))));
  }
}

/**
 * Options of {@link googlenet}.
 *
 * @example
 * ```ts
 * import { googlenet, type GoogLeNetOptions } from "@tessera/models";
 * const o: GoogLeNetOptions = { auxLogits: false, transformInput: true };
 * googlenet(o);
 * ```
 */
export interface GoogLeNetOptions extends ModelOptions {
  /** Build the two auxiliary classifiers `aux1`, `aux2` (default true, as torchvision's class). */
  readonly auxLogits?: boolean;
  /** Rescale an ImageNet-normalised input to the [-1, 1] range the ported weights expect (torchvision's `transform_input`; default false). */
  readonly transformInput?: boolean;
  /** Dropout before the classifier (default 0.2). */
  readonly dropout?: number;
  /** Dropout in the auxiliary classifiers (default 0.7). */
  readonly dropoutAux?: number;
}

/**
 * The outputs of {@link GoogLeNet.forwardWithAux}, named as torchvision's `GoogLeNetOutputs`.
 *
 * @example
 * ```ts
 * import { googlenet, type GoogLeNetOutputs } from "@tessera/models";
 * import { zeros } from "@tessera/autograd";
 * const out: GoogLeNetOutputs = googlenet({ numClasses: 10 }).forwardWithAux(zeros([2, 3, 32, 32]));
 * ```
 */
export interface GoogLeNetOutputs {
  /** The main classifier's logits. */
  logits: Tensor;
  /** The second auxiliary classifier's (after inception4d). */
  auxLogits2: Tensor;
  /** The first auxiliary classifier's (after inception4a). */
  auxLogits1: Tensor;
}

const OPTION_KEYS = ["numClasses", "seed", "device", "auxLogits", "transformInput", "dropout", "dropoutAux"];

/**
 * torchvision's GoogLeNet. `forward` returns the logits (in training mode too, so `fit` and
 * `summary` work); {@link GoogLeNet.forwardWithAux} returns the auxiliary logits beside them.
 *
 * @example
 * ```ts
 * import { GoogLeNet } from "@tessera/models";
 * new GoogLeNet({ numClasses: 10, auxLogits: false });
 * ```
 */
export class GoogLeNet extends Module {
  /** 7×7 stride-2 stem. */ conv1: BasicConv2d;
  /** 3×3/2 max pool (ceil mode). */ maxpool1 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** 1×1 conv. */ conv2: BasicConv2d;
  /** 3×3 conv to 192 channels. */ conv3: BasicConv2d;
  /** 3×3/2 max pool (ceil mode). */ maxpool2 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** → 256 channels. */ inception3a: Inception;
  /** → 480 channels. */ inception3b: Inception;
  /** 3×3/2 max pool (ceil mode). */ maxpool3 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  /** → 512. */ inception4a: Inception;
  /** → 512. */ inception4b: Inception;
  /** → 512. */ inception4c: Inception;
  /** → 528. */ inception4d: Inception;
  /** → 832. */ inception4e: Inception;
  /** 2×2/2 max pool (ceil mode). */ maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
  /** → 832. */ inception5a: Inception;
  /** → 1024. */ inception5b: Inception;
  /** Auxiliary classifier on inception4a's output, or null. */ aux1: InceptionAux | null;
  /** Auxiliary classifier on inception4d's output, or null. */ aux2: InceptionAux | null;
  /** Global average pooling. */ avgpool = new AdaptiveAvgPool2d(1);
  /** Dropout before `fc`. */ dropout: Dropout;
  /** 1024 → the classes. */ fc: Linear;
  /** Whether the input is rescaled as torchvision's `transform_input`. */
  readonly transformInput: boolean;
  /** Builds the network. */
  constructor(o: GoogLeNetOptions = {}) {
    super();
    rejectUnknownOptions("googlenet", "options", o, OPTION_KEYS);
    const i = init(o);
    const n = classes("googlenet", o, 1000);
    const seed = o.seed ?? 0;
    this.transformInput = o.transformInput ?? false;
    this.conv1 = new BasicConv2d(3, 64, 7, { stride: 2, padding: 3 }, STD, i);
    this.conv2 = new BasicConv2d(64, 64, 1, {}, STD, i);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1 }, STD, i);
    this.inception3a = new Inception(192, 64, 96, 128, 16, 32, 32, i);
    this.inception3b = new Inception(256, 128, 128, 192, 32, 96, 64, i);
    this.inception4a = new Inception(480, 192, 96, 208, 16, 48, 64, i);
    this.inception4b = new Inception(512, 160, 112, 224, 24, 64, 64, i);
    this.inception4c = new Inception(512, 128, 128, 256, 24, 64, 64, i);
    this.inception4d = new Inception(512, 112, 144, 288, 32, 64, 64, i);
    this.inception4e = new Inception(528, 256, 160, 320, 32, 128, 128, i);
    this.inception5a = new Inception(832, 256, 160, 320, 32, 128, 128, i);
    this.inception5b = new Inception(832, 384, 192, 384, 48, 128, 128, i);
    const aux = o.auxLogits ?? true;
    this.aux1 = aux ? new InceptionAux(512, n, i, { p: o.dropoutAux, seed: seed + 1 }) : null;
    this.aux2 = aux ? new InceptionAux(528, n, i, { p: o.dropoutAux, seed: seed + 2 }) : null;
    this.dropout = new Dropout(o.dropout ?? 0.2, { seed });
    this.fc = linear(1024, n, i);
  }
  /** The logits (the auxiliary classifiers are not run). */
  forward(x: Tensor): Tensor {
    return this.run(x, false).logits;
  }
  /**
   * The logits and both auxiliary logits, as torchvision's forward in training mode. Throws in
   * evaluation mode or without auxiliary classifiers, where torchvision returns the logits alone.
   *
   * @example
   * ```ts
   * import { googlenet } from "@tessera/models";
   * import { zeros } from "@tessera/autograd";
   * const { logits, auxLogits1, auxLogits2 } = googlenet({ numClasses: 10 }).forwardWithAux(zeros([2, 3, 64, 64]));
   * ```
   */
  forwardWithAux(x: Tensor): GoogLeNetOutputs {
    if (!this.training || !this.aux1 || !this.aux2) {
      throw new Error(`GoogLeNet.forwardWithAux: auxiliary outputs exist only in training mode with auxLogits: true (training ${this.training}, auxLogits ${this.aux1 !== null})`);
    }
    return this.run(x, true) as GoogLeNetOutputs;
  }
  private run(x: Tensor, withAux: boolean): { logits: Tensor; auxLogits1?: Tensor; auxLogits2?: Tensor } {
    let y = this.transformInput ? transformInput("GoogLeNet", x) : x;
    y = this.maxpool1.forward(this.conv1.forward(y));
    y = this.maxpool2.forward(this.conv3.forward(this.conv2.forward(y)));
    y = this.maxpool3.forward(this.inception3b.forward(this.inception3a.forward(y)));
    y = this.inception4a.forward(y);
    const auxLogits1 = withAux ? this.aux1!.forward(y) : undefined;
    y = this.inception4d.forward(this.inception4c.forward(this.inception4b.forward(y)));
    const auxLogits2 = withAux ? this.aux2!.forward(y) : undefined;
    y = this.maxpool4.forward(this.inception4e.forward(y));
    y = this.inception5b.forward(this.inception5a.forward(y));
    const logits = this.fc.forward(this.dropout.forward(flatten(this.avgpool.forward(y), 1)));
    return { logits, auxLogits1, auxLogits2 };
  }
}

/**
 * GoogLeNet as torchvision: 6,624,904 parameters with `auxLogits: false`, 13,004,888 with the
 * auxiliary classifiers (the default). torchvision's pretrained checkpoint holds the auxiliary
 * classifiers' keys; load it into `googlenet()` (or drop them, see `loadTorchvision`'s `ignoreKeys`),
 * with `transformInput: true` as torchvision sets for those weights.
 *
 * @example
 * ```ts
 * import { googlenet } from "@tessera/models";
 * googlenet({ auxLogits: false }).numParameters(); // 6624904
 * ```
 */
export const googlenet = (o: GoogLeNetOptions = {}): GoogLeNet => new GoogLeNet(o);
