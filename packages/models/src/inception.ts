/**
 * Inception v3 as torchvision defines it (`Inception3`): the stem, Mixed_5b … Mixed_7c, the
 * optional auxiliary classifier `AuxLogits`, and torchvision's state-dict keys
 * (`Conv2d_1a_3x3.conv.weight`, `Mixed_6b.branch7x7_2.bn.running_var`, …).
 */
import { flatten, type Tensor } from "@tessera/autograd";
import { AdaptiveAvgPool2d, Dropout, initNormal, Linear, MaxPool2d, Module } from "@tessera/nn";
import { BasicConv2d, transformInput } from "./basic-conv.js";
import { INCEPTION_STD, InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionV3Aux } from "./inception-blocks.js";
import { classes, init, rejectUnknownOptions, type ModelOptions } from "./options.js";

/**
 * Options of {@link inceptionV3}.
 *
 * @example
 * ```ts
 * import { inceptionV3, type InceptionV3Options } from "@tessera/models";
 * const o: InceptionV3Options = { auxLogits: false, transformInput: true };
 * inceptionV3(o);
 * ```
 */
export interface InceptionV3Options extends ModelOptions {
  /** Build the auxiliary classifier `AuxLogits` (default true, as torchvision's class). */
  readonly auxLogits?: boolean;
  /** Rescale an ImageNet-normalised input to the [-1, 1] range the ported weights expect (torchvision's `transform_input`; default false). */
  readonly transformInput?: boolean;
  /** Dropout before the classifier (default 0.5). */
  readonly dropout?: number;
}

/**
 * The outputs of {@link Inception3.forwardWithAux}, named as torchvision's `InceptionOutputs`.
 *
 * @example
 * ```ts
 * import { inceptionV3, type InceptionOutputs } from "@tessera/models";
 * import { zeros } from "@tessera/autograd";
 * const out: InceptionOutputs = inceptionV3({ numClasses: 10 }).forwardWithAux(zeros([2, 3, 299, 299]));
 * ```
 */
export interface InceptionOutputs {
  /** The main classifier's logits. */
  logits: Tensor;
  /** The auxiliary classifier's logits (after Mixed_6e). */
  auxLogits: Tensor;
}

const OPTION_KEYS = ["numClasses", "seed", "device", "auxLogits", "transformInput", "dropout"];

/**
 * torchvision's Inception v3 (`Inception3`), for 299×299 input (75×75 at least). `forward`
 * returns the logits (in training mode too, so `fit` and `summary` work);
 * {@link Inception3.forwardWithAux} returns the auxiliary logits beside them.
 *
 * @example
 * ```ts
 * import { Inception3 } from "@tessera/models";
 * new Inception3({ numClasses: 10, auxLogits: false });
 * ```
 */
export class Inception3 extends Module {
  /** 3×3/2 → 32. */ Conv2d_1a_3x3: BasicConv2d;
  /** 3×3 → 32. */ Conv2d_2a_3x3: BasicConv2d;
  /** 3×3 pad 1 → 64. */ Conv2d_2b_3x3: BasicConv2d;
  /** 3×3/2 max pool. */ maxpool1 = new MaxPool2d(3, { stride: 2 });
  /** 1×1 → 80. */ Conv2d_3b_1x1: BasicConv2d;
  /** 3×3 → 192. */ Conv2d_4a_3x3: BasicConv2d;
  /** 3×3/2 max pool. */ maxpool2 = new MaxPool2d(3, { stride: 2 });
  /** → 256. */ Mixed_5b: InceptionA;
  /** → 288. */ Mixed_5c: InceptionA;
  /** → 288. */ Mixed_5d: InceptionA;
  /** → 768, 17×17. */ Mixed_6a: InceptionB;
  /** → 768. */ Mixed_6b: InceptionC;
  /** → 768. */ Mixed_6c: InceptionC;
  /** → 768. */ Mixed_6d: InceptionC;
  /** → 768. */ Mixed_6e: InceptionC;
  /** Auxiliary classifier on Mixed_6e's output, or null. */ AuxLogits: InceptionV3Aux | null;
  /** → 1280, 8×8. */ Mixed_7a: InceptionD;
  /** → 2048. */ Mixed_7b: InceptionE;
  /** → 2048. */ Mixed_7c: InceptionE;
  /** Global average pooling. */ avgpool = new AdaptiveAvgPool2d(1);
  /** Dropout before `fc`. */ dropout: Dropout;
  /** 2048 → the classes. */ fc: Linear;
  /** Whether the input is rescaled as torchvision's `transform_input`. */
  readonly transformInput: boolean;
  /** Builds the network. */
  constructor(o: InceptionV3Options = {}) {
    super();
    rejectUnknownOptions("inceptionV3", "options", o, OPTION_KEYS);
    const i = init(o);
    const n = classes("inceptionV3", o, 1000);
    this.transformInput = o.transformInput ?? false;
    const bc = (inC: number, outC: number, k: number, p: { stride?: number; padding?: number } = {}) => new BasicConv2d(inC, outC, k, p, INCEPTION_STD, i);
    this.Conv2d_1a_3x3 = bc(3, 32, 3, { stride: 2 });
    this.Conv2d_2a_3x3 = bc(32, 32, 3);
    this.Conv2d_2b_3x3 = bc(32, 64, 3, { padding: 1 });
    this.Conv2d_3b_1x1 = bc(64, 80, 1);
    this.Conv2d_4a_3x3 = bc(80, 192, 3);
    this.Mixed_5b = new InceptionA(192, 32, i);
    this.Mixed_5c = new InceptionA(256, 64, i);
    this.Mixed_5d = new InceptionA(288, 64, i);
    this.Mixed_6a = new InceptionB(288, i);
    this.Mixed_6b = new InceptionC(768, 128, i);
    this.Mixed_6c = new InceptionC(768, 160, i);
    this.Mixed_6d = new InceptionC(768, 160, i);
    this.Mixed_6e = new InceptionC(768, 192, i);
    this.AuxLogits = o.auxLogits ?? true ? new InceptionV3Aux(768, n, i) : null;
    this.Mixed_7a = new InceptionD(768, i);
    this.Mixed_7b = new InceptionE(1280, i);
    this.Mixed_7c = new InceptionE(2048, i);
    this.dropout = new Dropout(o.dropout ?? 0.5, { seed: o.seed ?? 0 });
    this.fc = new Linear(2048, n, i);
    initNormal(this.fc.weight, 0, INCEPTION_STD, i.rng);
  }
  /** The logits (the auxiliary classifier is not run). */
  forward(x: Tensor): Tensor {
    return this.run(x, false).logits;
  }
  /**
   * The logits and the auxiliary logits, as torchvision's forward in training mode. Throws in
   * evaluation mode or without the auxiliary classifier, where torchvision returns the logits alone,
 * and for inputs under 299×299, too small for the auxiliary classifier.
   *
   * @example
   * ```ts
   * import { inceptionV3 } from "@tessera/models";
   * import { zeros } from "@tessera/autograd";
   * const { logits, auxLogits } = inceptionV3({ numClasses: 10 }).forwardWithAux(zeros([2, 3, 299, 299]));
   * ```
   */
  forwardWithAux(x: Tensor): InceptionOutputs {
    if (!this.training || !this.AuxLogits) {
      throw new Error(`Inception3.forwardWithAux: auxiliary outputs exist only in training mode with auxLogits: true (training ${this.training}, auxLogits ${this.AuxLogits !== null})`);
    }
    if (x.ndim !== 4 || x.shape[2] < 299 || x.shape[3] < 299) {
      throw new RangeError(`Inception3.forwardWithAux: the auxiliary classifier needs H, W >= 299 (its 5×5 convolution runs on Mixed_6e's output pooled 5/3), got [${x.shape.join(", ")}]`);
    }
    return this.run(x, true) as InceptionOutputs;
  }
  private run(x: Tensor, withAux: boolean): { logits: Tensor; auxLogits?: Tensor } {
    if (x.ndim !== 4 || x.shape[2] < 75 || x.shape[3] < 75) {
      throw new RangeError(`Inception3: input must be [N, 3, H, W] with H, W >= 75, got [${x.shape.join(", ")}]`);
    }
    let y = this.transformInput ? transformInput("Inception3", x) : x;
    y = this.maxpool1.forward(this.Conv2d_2b_3x3.forward(this.Conv2d_2a_3x3.forward(this.Conv2d_1a_3x3.forward(y))));
    y = this.maxpool2.forward(this.Conv2d_4a_3x3.forward(this.Conv2d_3b_1x1.forward(y)));
    for (const m of [this.Mixed_5b, this.Mixed_5c, this.Mixed_5d, this.Mixed_6a, this.Mixed_6b, this.Mixed_6c, this.Mixed_6d, this.Mixed_6e]) y = m.forward(y);
    const auxLogits = withAux ? this.AuxLogits!.forward(y) : undefined;
    for (const m of [this.Mixed_7a, this.Mixed_7b, this.Mixed_7c]) y = m.forward(y);
    const logits = this.fc.forward(flatten(this.dropout.forward(this.avgpool.forward(y)), 1));
    return { logits, auxLogits };
  }
}

/**
 * Inception v3 as torchvision: 27,161,264 parameters with the auxiliary classifier (the default),
 * 23,834,568 with `auxLogits: false`. For torchvision's pretrained weights use
 * `transformInput: true`, as torchvision does.
 *
 * @example
 * ```ts
 * import { inceptionV3 } from "@tessera/models";
 * inceptionV3({ auxLogits: false }).numParameters(); // 23834568
 * ```
 */
export const inceptionV3 = (o: InceptionV3Options = {}): Inception3 => new Inception3(o);
