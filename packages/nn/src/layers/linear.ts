import { linear, type Tensor } from "@tessera/autograd";
import { defaultBound, uniformParameter, type InitOptions } from "../init.js";
import type { BiasOption } from "./conv.js";
import { rejectUnknownOptions } from "@tessera/optim";
import { Module } from "../module.js";

/**
 * Fully connected layer y = x·Wᵀ + b, weight [out, in] (PyTorch order), PyTorch's default init.
 *
 * @example
 * ```ts
 * import { Linear } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new Linear(120, 84).forward(zeros([64, 120])).shape; // [64, 84]
 * ```
 */
export class Linear extends Module {
  /** [outFeatures, inFeatures]. */
  weight: Tensor;
  /** [outFeatures], or absent. */
  bias: Tensor | null;
  /**
   * Creates the layer.
   *
   * @param inFeatures Size of each input sample.
   * @param outFeatures Size of each output sample.
   */
  constructor(readonly inFeatures: number, readonly outFeatures: number, o: InitOptions & BiasOption = {}) {
    super();
    rejectUnknownOptions("Linear", "options", o, ["rng", "device", "bias"]);
    for (const [k, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${k} must be a positive integer, got ${v}`);
    }
    const bound = defaultBound(inFeatures);
    const init = { rng: o.rng, device: o.device };
    this.weight = uniformParameter([outFeatures, inFeatures], bound, init);
    this.bias = o.bias === false ? null : uniformParameter([outFeatures], bound, init);
  }
  /** x·Wᵀ + b. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}
