import { dropout, flatten, gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from "@tessera/autograd";
import { Module } from "../module.js";
import { rejectUnknownOptions } from "@tessera/optim";

/**
 * max(x, 0).
 *
 * @example
 * ```ts
 * import { ReLU } from "@tessera/nn";
 * new ReLU();
 * ```
 */
export class ReLU extends Module {
  /** relu(x). */
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * Leaky ReLU with a negative slope (default 0.01).
 *
 * @example
 * ```ts
 * import { LeakyReLU } from "@tessera/nn";
 * new LeakyReLU(0.2);
 * ```
 */
export class LeakyReLU extends Module {
  /**
   * Creates the layer.
   *
   * @param negativeSlope Slope for x < 0 (default 0.01).
   */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  /** leakyRelu(x). */
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/**
 * The logistic sigmoid.
 *
 * @example
 * ```ts
 * import { Sigmoid } from "@tessera/nn";
 * new Sigmoid();
 * ```
 */
export class Sigmoid extends Module {
  /** sigmoid(x). */
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { Tanh } from "@tessera/nn";
 * new Tanh();
 * ```
 */
export class Tanh extends Module {
  /** tanh(x). */
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/**
 * GELU (exact).
 *
 * @example
 * ```ts
 * import { GELU } from "@tessera/nn";
 * new GELU();
 * ```
 */
export class GELU extends Module {
  /** gelu(x). */
  forward(x: Tensor): Tensor {
    return gelu(x);
  }
}

/**
 * Softmax along a dimension (default 1, the class axis of [N, C]).
 *
 * @example
 * ```ts
 * import { Softmax } from "@tessera/nn";
 * new Softmax(1);
 * ```
 */
export class Softmax extends Module {
  /**
   * Creates the layer.
   *
   * @param dim Dimension along which the values sum to 1 (default 1).
   */
  constructor(readonly dim = 1) {
    super();
  }
  /** softmax(x, dim). */
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
}

/**
 * Log-softmax along a dimension (default 1).
 *
 * @example
 * ```ts
 * import { LogSoftmax } from "@tessera/nn";
 * new LogSoftmax(1);
 * ```
 */
export class LogSoftmax extends Module {
  /**
   * Creates the layer.
   *
   * @param dim Dimension of the softmax (default 1).
   */
  constructor(readonly dim = 1) {
    super();
  }
  /** logSoftmax(x, dim). */
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
}

/**
 * Returns its input.
 *
 * @example
 * ```ts
 * import { Identity } from "@tessera/nn";
 * new Identity();
 * ```
 */
export class Identity extends Module {
  /** x. */
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Flattens dimensions startDim…endDim (default 1…−1: one vector per sample).
 *
 * @example
 * ```ts
 * import { Flatten } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * new Flatten().forward(zeros([8, 16, 5, 5])).shape; // [8, 400]
 * ```
 */
export class Flatten extends Module {
  /**
   * Creates the layer.
   *
   * @param startDim First dimension to flatten (default 1).
   * @param endDim Last dimension to flatten, negative from the end (default −1).
   */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  /** flatten(x). */
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

/**
 * Inverted dropout with probability p (identity in evaluation). Masks come from a counter-based
 * stream: `seed` fixes it, and each call advances the counter, so runs are reproducible.
 *
 * @example
 * ```ts
 * import { Dropout } from "@tessera/nn";
 * new Dropout(0.5, { seed: 1 });
 * ```
 */
export class Dropout extends Module {
  private counter = 0;
  private readonly seed: number;
  /**
   * Creates the layer.
   *
   * @param p Probability of zeroing an element, in [0, 1) (default 0.5).
   */
  constructor(readonly p = 0.5, o: { readonly seed?: number } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
    rejectUnknownOptions("Dropout", "options", o, ["seed"]);
    this.seed = o.seed ?? 0;
  }
  /** dropout(x) in training, x in evaluation. */
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const y = dropout(x, this.p, { training: true, seed: this.seed, counter: this.counter });
    this.counter = (this.counter + x.size) >>> 0;
    return y;
  }
}
