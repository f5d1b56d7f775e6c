import { batchNorm, keep, localResponseNorm, ones, tensor, zeros, type Tensor } from "@tessera/autograd";
import type { LocalResponseNormOptions } from "@tessera/conv";
import type { InitOptions } from "../init.js";
import { Module } from "../module.js";

/**
 * Options of the batch-norm layers (PyTorch's).
 *
 * @example
 * ```ts
 * import type { BatchNormLayerOptions } from "@tessera/nn";
 * const o: BatchNormLayerOptions = { momentum: 0.1, eps: 1e-5 };
 * ```
 */
export interface BatchNormLayerOptions extends Pick<InitOptions, "device"> {
  /** Added to the variance (default 1e-5). */ readonly eps?: number;
  /** Running-stat update factor (default 0.1). */ readonly momentum?: number;
  /** Learnable weight and bias (default true). */ readonly affine?: boolean;
}

abstract class BatchNormBase extends Module {
  /** [C] scale γ (initialised to 1). */
  weight: Tensor | null;
  /** [C] shift β (initialised to 0). */
  bias: Tensor | null;
  private batches = 0;
  /**
   * Creates the layer.
   *
   * @param numFeatures Number of channels C.
   */
  constructor(readonly numFeatures: number, private readonly o: BatchNormLayerOptions, private readonly ndims: number[]) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${this.constructor.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    const device = o.device;
    this.weight = o.affine === false ? null : keep(ones([numFeatures], { device, requiresGrad: true }));
    this.bias = o.affine === false ? null : keep(zeros([numFeatures], { device, requiresGrad: true }));
    this.registerBuffer("running_mean", keep(zeros([numFeatures], { device })));
    this.registerBuffer("running_var", keep(ones([numFeatures], { device })));
    this.registerBuffer("num_batches_tracked", keep(tensor(0, { device, dtype: "int32" })));
  }
  /** Normalises with batch statistics in training (updating the running ones), running statistics in evaluation. */
  forward(x: Tensor): Tensor {
    if (!this.ndims.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`${this.constructor.name}: expected input of ${this.ndims.join(" or ")} dimensions with ${this.numFeatures} channels, got [${x.shape.join(",")}]`);
    }
    if (this.training) {
      this.batches++;
      const n = this.getBuffer("num_batches_tracked");
      n.device.fill([], this.batches, n.view());
    }
    return batchNorm(x, this.getBuffer("running_mean"), this.getBuffer("running_var"), this.weight, this.bias, {
      training: this.training, momentum: this.o.momentum ?? 0.1, eps: this.o.eps ?? 1e-5,
    });
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] input.
 *
 * @example
 * ```ts
 * import { BatchNorm1d } from "@tessera/nn";
 * import { randn } from "@tessera/autograd";
 * import { Rng } from "@tessera/ndarray";
 * new BatchNorm1d(16).forward(randn([8, 16], new Rng(0)));
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  /** Creates the layer. */
  constructor(numFeatures: number, o: BatchNormLayerOptions = {}) {
    super(numFeatures, o, [2, 3]);
  }
}

/**
 * Batch normalisation of [N, C, H, W] input, per channel.
 *
 * @example
 * ```ts
 * import { BatchNorm2d } from "@tessera/nn";
 * import { randn } from "@tessera/autograd";
 * import { Rng } from "@tessera/ndarray";
 * new BatchNorm2d(3).forward(randn([2, 3, 4, 4], new Rng(0)));
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  /** Creates the layer. */
  constructor(numFeatures: number, o: BatchNormLayerOptions = {}) {
    super(numFeatures, o, [4]);
  }
}

/**
 * Local Response Normalization across channels (AlexNet 2012; PyTorch's defaults α = 1e-4, β = 0.75, k = 1).
 *
 * @example
 * ```ts
 * import { LocalResponseNorm } from "@tessera/nn";
 * const lrn = new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 }); // the paper's constants
 * ```
 */
export class LocalResponseNorm extends Module {
  /** The normalisation options. */
  readonly options: LocalResponseNormOptions;
  /** Creates the layer. */
  constructor(size: number, o: Omit<LocalResponseNormOptions, "size"> = {}) {
    super();
    this.options = { ...o, size };
  }
  /** The normalisation. */
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.options);
  }
}
