import { batchNorm, keep, localResponseNorm, ones, tensor, zeros, type Tensor } from "@tessera/autograd";
import type { LocalResponseNormOptions } from "@tessera/conv";
import { rejectUnknownOptions } from "@tessera/optim";
import type { InitOptions } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";

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
  /** Added to the variance (default 1e-5; finite and >= 0). */ readonly eps?: number;
  /**
   * Running-stat update factor in [0, 1] (default 0.1), or `null` for the cumulative moving
   * average (PyTorch's `momentum=None`: factor 1 / num_batches_tracked).
   */
  readonly momentum?: number | null;
  /** Learnable weight and bias (default true). */ readonly affine?: boolean;
}

abstract class BatchNormBase extends Module {
  /** [C] scale γ (initialised to 1). */
  weight: Tensor | null;
  /** [C] shift β (initialised to 0). */
  bias: Tensor | null;
  /** Host copy of `num_batches_tracked` for devices without synchronous reads (refreshed on load). */
  private batches = 0;
  /**
   * Creates the layer.
   *
   * @param numFeatures Number of channels C.
   */
  constructor(readonly numFeatures: number, private readonly o: BatchNormLayerOptions, private readonly ndims: number[]) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    rejectUnknownOptions(name, "options", o, ["eps", "momentum", "affine", "device"]);
    if (o.eps !== undefined && !(Number.isFinite(o.eps) && o.eps >= 0)) throw new RangeError(`${name}: eps must be a finite number >= 0, got ${o.eps}`);
    if (o.momentum !== undefined && o.momentum !== null && !(o.momentum >= 0 && o.momentum <= 1)) {
      throw new RangeError(`${name}: momentum must be in [0, 1] or null (cumulative average), got ${o.momentum}`);
    }
    const device = o.device;
    this.weight = o.affine === false ? null : Parameter(keep(ones([numFeatures], { device })));
    this.bias = o.affine === false ? null : Parameter(keep(zeros([numFeatures], { device })));
    this.registerBuffer("running_mean", keep(zeros([numFeatures], { device })));
    this.registerBuffer("running_var", keep(ones([numFeatures], { device })));
    this.registerBuffer("num_batches_tracked", keep(tensor(0, { device, dtype: "int32" })));
  }
  /** The ε added to the variance (default 1e-5). */
  get eps(): number {
    return this.o.eps ?? 1e-5;
  }
  /** Normalises with batch statistics in training (updating the running ones), running statistics in evaluation. */
  forward(x: Tensor): Tensor {
    if (!this.ndims.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`${this.constructor.name}: expected input of ${this.ndims.join(" or ")} dimensions with ${this.numFeatures} channels, got [${x.shape.join(",")}]`);
    }
    let momentum = this.o.momentum === undefined ? 0.1 : this.o.momentum;
    if (this.training) {
      // The buffer is the truth (a loaded checkpoint's count continues); the host copy only
      // stands in on devices that cannot read synchronously, and is refreshed by loadStateDict.
      const n = this.getBuffer("num_batches_tracked");
      const tracked = n.device.readSync ? n.dataSync()[0] : this.batches;
      this.batches = tracked + 1;
      n.device.fill([], this.batches, n.view());
      if (momentum === null) momentum = 1 / this.batches;
    }
    return batchNorm(x, this.getBuffer("running_mean"), this.getBuffer("running_var"), this.weight, this.bias, {
      training: this.training, momentum: momentum ?? 0.1, eps: this.o.eps ?? 1e-5,
    });
  }

  /** Refreshes the host copy of `num_batches_tracked` from the loaded buffer. */
  protected override async afterLoad(): Promise<void> {
    this.batches = (await this.getBuffer("num_batches_tracked").data())[0];
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
    rejectUnknownOptions("LocalResponseNorm", "options", o, ["alpha", "beta", "k"]);
    this.options = { ...o, size };
  }
  /** The normalisation. */
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.options);
  }
}
