/**
 * The blocks of torchvision's Inception v3 (Szegedy et al., 2015): InceptionA–E and the
 * auxiliary classifier, with torchvision's attribute names (`branch7x7_2`, `branch3x3dbl_3a`, …).
 * The factorised kernels (1×7 then 7×1, 1×3 beside 3×1) are ordinary Conv2d layers with
 * `[kh, kw]` kernels and `[padH, padW]` padding.
 */
import { adaptiveAvgPool2d, avgPool2d, concat, flatten, type Tensor } from "@tessera/autograd";
import { AvgPool2d, initNormal, Linear, MaxPool2d, Module } from "@tessera/nn";
import { BasicConv2d } from "./basic-conv.js";
import type { Init } from "./options.js";

/** torchvision's Inception v3 initialisation: normal, std 0.1 (0.01 and 0.001 in the auxiliary classifier). */
export const INCEPTION_STD = 0.1;


/** A BasicConv2d with Inception v3's std. */
function bc(inC: number, outC: number, k: number | readonly [number, number], i: Init, o: { stride?: number; padding?: number | readonly [number, number] } = {}): BasicConv2d {
  return new BasicConv2d(inC, outC, k, o, INCEPTION_STD, i);
}

/**
 * 35×35 block: 1×1 | 1×1 → 5×5 | 1×1 → 3×3 → 3×3 | avg pool → 1×1 (`poolFeatures`).
 *
 * @example
 * ```ts
 * import { InceptionA } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionA(192, 32, { rng: new Rng(0) }); // Mixed_5b: 256 channels out
 * ```
 */
export class InceptionA extends Module {
  /** 1×1 → 64. */ branch1x1: BasicConv2d;
  /** 1×1 → 48. */ branch5x5_1: BasicConv2d;
  /** 5×5 → 64. */ branch5x5_2: BasicConv2d;
  /** 1×1 → 64. */ branch3x3dbl_1: BasicConv2d;
  /** 3×3 → 96. */ branch3x3dbl_2: BasicConv2d;
  /** 3×3 → 96. */ branch3x3dbl_3: BasicConv2d;
  /** 1×1 after average pooling. */ branch_pool: BasicConv2d;
  /** The 3×3 average pool (stride 1, padding 1) before `branch_pool`: no parameters, a layer so ONNX export sees it. */
  pool = new AvgPool2d(3, { stride: 1, padding: 1 });
  /** Creates the block. */
  constructor(inChannels: number, poolFeatures: number, i: Init) {
    super();
    this.branch1x1 = bc(inChannels, 64, 1, i);
    this.branch5x5_1 = bc(inChannels, 48, 1, i);
    this.branch5x5_2 = bc(48, 64, 5, i, { padding: 2 });
    this.branch3x3dbl_1 = bc(inChannels, 64, 1, i);
    this.branch3x3dbl_2 = bc(64, 96, 3, i, { padding: 1 });
    this.branch3x3dbl_3 = bc(96, 96, 3, i, { padding: 1 });
    this.branch_pool = bc(inChannels, poolFeatures, 1, i);
  }
  /** The four branches, concatenated. */
  forward(x: Tensor): Tensor {
    const b5 = this.branch5x5_2.forward(this.branch5x5_1.forward(x));
    const b3 = this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x)));
    return concat([this.branch1x1.forward(x), b5, b3, this.branch_pool.forward(this.pool.forward(x))], 1);
  }
}

/**
 * Grid reduction 35 → 17: 3×3/2 | 1×1 → 3×3 → 3×3/2 | max pool 3×3/2.
 *
 * @example
 * ```ts
 * import { InceptionB } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionB(288, { rng: new Rng(0) }); // Mixed_6a: 768 channels out
 * ```
 */
export class InceptionB extends Module {
  /** The 3×3/2 max pool branch: no parameters, a layer so ONNX export sees it. */
  maxpool = new MaxPool2d(3, { stride: 2 });
  /** 3×3 stride 2 → 384. */ branch3x3: BasicConv2d;
  /** 1×1 → 64. */ branch3x3dbl_1: BasicConv2d;
  /** 3×3 → 96. */ branch3x3dbl_2: BasicConv2d;
  /** 3×3 stride 2 → 96. */ branch3x3dbl_3: BasicConv2d;
  /** Creates the block. */
  constructor(inChannels: number, i: Init) {
    super();
    this.branch3x3 = bc(inChannels, 384, 3, i, { stride: 2 });
    this.branch3x3dbl_1 = bc(inChannels, 64, 1, i);
    this.branch3x3dbl_2 = bc(64, 96, 3, i, { padding: 1 });
    this.branch3x3dbl_3 = bc(96, 96, 3, i, { stride: 2 });
  }
  /** The three branches, concatenated. */
  forward(x: Tensor): Tensor {
    const b3 = this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x)));
    return concat([this.branch3x3.forward(x), b3, this.maxpool.forward(x)], 1);
  }
}

/**
 * 17×17 block with factorised 7×7 convolutions (1×7 and 7×1): 1×1 | 1×1 → 1×7 → 7×1 |
 * 1×1 → 7×1 → 1×7 → 7×1 → 1×7 | avg pool → 1×1; 768 channels out.
 *
 * @example
 * ```ts
 * import { InceptionC } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionC(768, 128, { rng: new Rng(0) }); // Mixed_6b
 * ```
 */
export class InceptionC extends Module {
  /** 1×1 → 192. */ branch1x1: BasicConv2d;
  /** 1×1 → c7. */ branch7x7_1: BasicConv2d;
  /** 1×7 → c7. */ branch7x7_2: BasicConv2d;
  /** 7×1 → 192. */ branch7x7_3: BasicConv2d;
  /** 1×1 → c7. */ branch7x7dbl_1: BasicConv2d;
  /** 7×1 → c7. */ branch7x7dbl_2: BasicConv2d;
  /** 1×7 → c7. */ branch7x7dbl_3: BasicConv2d;
  /** 7×1 → c7. */ branch7x7dbl_4: BasicConv2d;
  /** 1×7 → 192. */ branch7x7dbl_5: BasicConv2d;
  /** 1×1 → 192 after average pooling. */ branch_pool: BasicConv2d;
  /** The 3×3 average pool (stride 1, padding 1) before `branch_pool`: no parameters, a layer so ONNX export sees it. */
  pool = new AvgPool2d(3, { stride: 1, padding: 1 });
  /** Creates the block with `channels7x7` channels inside the 7×7 branches. */
  constructor(inChannels: number, channels7x7: number, i: Init) {
    super();
    const c7 = channels7x7;
    const k17 = [1, 7] as const, k71 = [7, 1] as const;
    const p17 = { padding: [0, 3] as const }, p71 = { padding: [3, 0] as const };
    this.branch1x1 = bc(inChannels, 192, 1, i);
    this.branch7x7_1 = bc(inChannels, c7, 1, i);
    this.branch7x7_2 = bc(c7, c7, k17, i, p17);
    this.branch7x7_3 = bc(c7, 192, k71, i, p71);
    this.branch7x7dbl_1 = bc(inChannels, c7, 1, i);
    this.branch7x7dbl_2 = bc(c7, c7, k71, i, p71);
    this.branch7x7dbl_3 = bc(c7, c7, k17, i, p17);
    this.branch7x7dbl_4 = bc(c7, c7, k71, i, p71);
    this.branch7x7dbl_5 = bc(c7, 192, k17, i, p17);
    this.branch_pool = bc(inChannels, 192, 1, i);
  }
  /** The four branches, concatenated. */
  forward(x: Tensor): Tensor {
    const b7 = this.branch7x7_3.forward(this.branch7x7_2.forward(this.branch7x7_1.forward(x)));
    let d = this.branch7x7dbl_1.forward(x);
    for (const m of [this.branch7x7dbl_2, this.branch7x7dbl_3, this.branch7x7dbl_4, this.branch7x7dbl_5]) d = m.forward(d);
    return concat([this.branch1x1.forward(x), b7, d, this.branch_pool.forward(this.pool.forward(x))], 1);
  }
}

/**
 * Grid reduction 17 → 8: 1×1 → 3×3/2 | 1×1 → 1×7 → 7×1 → 3×3/2 | max pool 3×3/2.
 *
 * @example
 * ```ts
 * import { InceptionD } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionD(768, { rng: new Rng(0) }); // Mixed_7a: 1280 channels out
 * ```
 */
export class InceptionD extends Module {
  /** The 3×3/2 max pool branch: no parameters, a layer so ONNX export sees it. */
  maxpool = new MaxPool2d(3, { stride: 2 });
  /** 1×1 → 192. */ branch3x3_1: BasicConv2d;
  /** 3×3 stride 2 → 320. */ branch3x3_2: BasicConv2d;
  /** 1×1 → 192. */ branch7x7x3_1: BasicConv2d;
  /** 1×7 → 192. */ branch7x7x3_2: BasicConv2d;
  /** 7×1 → 192. */ branch7x7x3_3: BasicConv2d;
  /** 3×3 stride 2 → 192. */ branch7x7x3_4: BasicConv2d;
  /** Creates the block. */
  constructor(inChannels: number, i: Init) {
    super();
    this.branch3x3_1 = bc(inChannels, 192, 1, i);
    this.branch3x3_2 = bc(192, 320, 3, i, { stride: 2 });
    this.branch7x7x3_1 = bc(inChannels, 192, 1, i);
    this.branch7x7x3_2 = bc(192, 192, [1, 7], i, { padding: [0, 3] });
    this.branch7x7x3_3 = bc(192, 192, [7, 1], i, { padding: [3, 0] });
    this.branch7x7x3_4 = bc(192, 192, 3, i, { stride: 2 });
  }
  /** The three branches, concatenated. */
  forward(x: Tensor): Tensor {
    const b3 = this.branch3x3_2.forward(this.branch3x3_1.forward(x));
    let b7 = this.branch7x7x3_1.forward(x);
    for (const m of [this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4]) b7 = m.forward(b7);
    return concat([b3, b7, this.maxpool.forward(x)], 1);
  }
}

/**
 * 8×8 block with expanded outputs (1×3 beside 3×1): 1×1 | 1×1 → (1×3 ‖ 3×1) |
 * 1×1 → 3×3 → (1×3 ‖ 3×1) | avg pool → 1×1; 2048 channels out.
 *
 * @example
 * ```ts
 * import { InceptionE } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionE(1280, { rng: new Rng(0) }); // Mixed_7b
 * ```
 */
export class InceptionE extends Module {
  /** 1×1 → 320. */ branch1x1: BasicConv2d;
  /** 1×1 → 384. */ branch3x3_1: BasicConv2d;
  /** 1×3 → 384. */ branch3x3_2a: BasicConv2d;
  /** 3×1 → 384. */ branch3x3_2b: BasicConv2d;
  /** 1×1 → 448. */ branch3x3dbl_1: BasicConv2d;
  /** 3×3 → 384. */ branch3x3dbl_2: BasicConv2d;
  /** 1×3 → 384. */ branch3x3dbl_3a: BasicConv2d;
  /** 3×1 → 384. */ branch3x3dbl_3b: BasicConv2d;
  /** 1×1 → 192 after average pooling. */ branch_pool: BasicConv2d;
  /** The 3×3 average pool (stride 1, padding 1) before `branch_pool`: no parameters, a layer so ONNX export sees it. */
  pool = new AvgPool2d(3, { stride: 1, padding: 1 });
  /** Creates the block. */
  constructor(inChannels: number, i: Init) {
    super();
    this.branch1x1 = bc(inChannels, 320, 1, i);
    this.branch3x3_1 = bc(inChannels, 384, 1, i);
    this.branch3x3_2a = bc(384, 384, [1, 3], i, { padding: [0, 1] });
    this.branch3x3_2b = bc(384, 384, [3, 1], i, { padding: [1, 0] });
    this.branch3x3dbl_1 = bc(inChannels, 448, 1, i);
    this.branch3x3dbl_2 = bc(448, 384, 3, i, { padding: 1 });
    this.branch3x3dbl_3a = bc(384, 384, [1, 3], i, { padding: [0, 1] });
    this.branch3x3dbl_3b = bc(384, 384, [3, 1], i, { padding: [1, 0] });
    this.branch_pool = bc(inChannels, 192, 1, i);
  }
  /** The four branches (two of them split in two), concatenated. */
  forward(x: Tensor): Tensor {
    const b3 = this.branch3x3_1.forward(x);
    const d = this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x));
    return concat([
      this.branch1x1.forward(x),
      this.branch3x3_2a.forward(b3), this.branch3x3_2b.forward(b3),
      this.branch3x3dbl_3a.forward(d), this.branch3x3dbl_3b.forward(d),
      this.branch_pool.forward(this.pool.forward(x)),
    ], 1);
  }
}

/**
 * Inception v3's auxiliary classifier on Mixed_6e's 17×17 output: avg pool 5×5/3 → 1×1 (128) →
 * 5×5 (768) → global average pool → fc.
 *
 * @example
 * ```ts
 * import { InceptionV3Aux } from "@tessera/models";
 * import { Rng } from "@tessera/ndarray";
 * new InceptionV3Aux(768, 1000, { rng: new Rng(0) });
 * ```
 */
export class InceptionV3Aux extends Module {
  /** 1×1 → 128. */ conv0: BasicConv2d;
  /** 5×5 → 768 (std 0.01). */ conv1: BasicConv2d;
  /** 768 → the classes (std 0.001). */ fc: Linear;
  /** Creates the classifier. */
  constructor(inChannels: number, numClasses: number, i: Init) {
    super();
    this.conv0 = bc(inChannels, 128, 1, i);
    this.conv1 = new BasicConv2d(128, 768, 5, {}, 0.01, i);
    this.fc = new Linear(768, numClasses, i);
    initNormal(this.fc.weight, 0, 0.001, i.rng);
  }
  /** The auxiliary logits. */
  forward(x: Tensor): Tensor {
    const y = this.conv1.forward(this.conv0.forward(avgPool2d(x, { kernelSize: 5, stride: 3 })));
    return this.fc.forward(flatten(adaptiveAvgPool2d(y, 1), 1));
  }
}
