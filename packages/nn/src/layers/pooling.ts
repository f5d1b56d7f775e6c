import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type Tensor } from "@tessera/autograd";
import type { AvgPool2dOptions, Pool2dOptions } from "@tessera/conv";
import { rejectUnknownOptions } from "@tessera/optim";
import { Module } from "../module.js";

/**
 * Max pooling (kernelSize, stride = kernelSize, padding, dilation, ceilMode).
 *
 * @example
 * ```ts
 * import { MaxPool2d } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new MaxPool2d(3, { stride: 2 }).forward(zeros([1, 96, 55, 55])).shape; // [1, 96, 27, 27]
 * ```
 */
export class MaxPool2d extends Module {
  /** The pooling options. */
  readonly options: Pool2dOptions;
  /** Creates the layer. */
  constructor(kernelSize: number | readonly [number, number], o: Omit<Pool2dOptions, "kernelSize"> = {}) {
    super();
    rejectUnknownOptions("MaxPool2d", "options", o, ["stride", "padding", "dilation", "ceilMode"]);
    this.options = { ...o, kernelSize };
  }
  /** The pooling. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/**
 * Average pooling (countIncludePad default true, as PyTorch).
 *
 * @example
 * ```ts
 * import { AvgPool2d } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new AvgPool2d(2).forward(zeros([1, 6, 28, 28])).shape; // [1, 6, 14, 14]
 * ```
 */
export class AvgPool2d extends Module {
  /** The pooling options. */
  readonly options: AvgPool2dOptions;
  /** Creates the layer. */
  constructor(kernelSize: number | readonly [number, number], o: Omit<AvgPool2dOptions, "kernelSize"> = {}) {
    super();
    rejectUnknownOptions("AvgPool2d", "options", o, ["stride", "padding", "dilation", "ceilMode", "countIncludePad"]);
    this.options = { ...o, kernelSize };
  }
  /** The pooling. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}

/**
 * Adaptive average pooling to a fixed output size.
 *
 * @example
 * ```ts
 * import { AdaptiveAvgPool2d } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new AdaptiveAvgPool2d([6, 6]).forward(zeros([1, 256, 13, 13])).shape; // [1, 256, 6, 6]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /**
   * Creates the layer.
   *
   * @param outputSize Output height and width (one number for both).
   */
  constructor(readonly outputSize: number | readonly [number, number]) {
    super();
  }
  /** The pooling. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
