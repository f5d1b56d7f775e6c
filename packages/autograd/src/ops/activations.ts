/**
 * Activations and elementwise math: relu, leakyRelu, sigmoid, tanh, gelu, exp, log, sqrt, clamp.
 * Backward rules use the device's fused gradient ops where they exist.
 */
import { checkNumber } from "../args.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { binaryOp, unaryOp } from "./elementwise.js";

const grad = (name: string, op: "reluGrad" | "leakyReluGrad" | "sigmoidGrad" | "tanhGrad" | "geluGrad", p0 = 0) =>
  (g: Tensor, saved: Tensor) => binaryOp(name, op, g, saved, p0, null);

/**
 * max(x, 0).
 *
 * @example
 * ```ts
 * import { relu, tensor } from "@tessera/autograd";
 * relu(tensor([-1, 2])); // [0, 2]
 * ```
 */
export function relu(x: Tensor): Tensor {
  return unaryOp("relu", "relu", x, 0, 0, (g, xi) => grad("relu", "reluGrad")(g, xi));
}

/**
 * x for x > 0, slope·x otherwise (PyTorch's default slope 0.01).
 *
 * @example
 * ```ts
 * import { leakyRelu, tensor } from "@tessera/autograd";
 * leakyRelu(tensor([-10, 2]), 0.1); // [-1, 2]
 * ```
 */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkNumber("leakyRelu", "slope", slope);
  return unaryOp("leakyRelu", "leakyRelu", x, slope, 0, (g, xi) => grad("leakyRelu", "leakyReluGrad", slope)(g, xi));
}

/**
 * 1 / (1 + e^−x).
 *
 * @example
 * ```ts
 * import { sigmoid, tensor } from "@tessera/autograd";
 * sigmoid(tensor([0])); // [0.5]
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp("sigmoid", "sigmoid", x, 0, 0, (g, _x, y) => grad("sigmoid", "sigmoidGrad")(g, y));
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import { tanh, tensor } from "@tessera/autograd";
 * tanh(tensor([0])); // [0]
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return unaryOp("tanh", "tanh", x, 0, 0, (g, _x, y) => grad("tanh", "tanhGrad")(g, y));
}

/**
 * GELU, exact form x·Φ(x) (PyTorch's default).
 *
 * @example
 * ```ts
 * import { gelu, tensor } from "@tessera/autograd";
 * gelu(tensor([1])); // [0.8413]
 * ```
 */
export function gelu(x: Tensor): Tensor {
  return unaryOp("gelu", "gelu", x, 0, 0, (g, xi) => grad("gelu", "geluGrad")(g, xi));
}

/**
 * |x| (gradient sign(x), 0 at 0).
 *
 * @example
 * ```ts
 * import { abs, tensor } from "@tessera/autograd";
 * abs(tensor([-2, 3])); // [2, 3]
 * ```
 */
export function abs(x: Tensor): Tensor {
  return unaryOp("abs", "abs", x, 0, 0, (g, xi) => {
    const s = unaryOp("abs", "sign", xi, 0, 0, null);
    const r = mul(g, s);
    s.dispose();
    return r;
  });
}

/**
 * e^x.
 *
 * @example
 * ```ts
 * import { exp, tensor } from "@tessera/autograd";
 * exp(tensor([0, 1])); // [1, 2.718…]
 * ```
 */
export function exp(x: Tensor): Tensor {
  return unaryOp("exp", "exp", x, 0, 0, (g, _x, y) => mul(g, y));
}

/**
 * Natural logarithm.
 *
 * @example
 * ```ts
 * import { log, tensor } from "@tessera/autograd";
 * log(tensor([1])); // [0]
 * ```
 */
export function log(x: Tensor): Tensor {
  return unaryOp("log", "log", x, 0, 0, (g, xi) => binaryOp("log", "div", g, xi, 0, null));
}

/**
 * Square root.
 *
 * @example
 * ```ts
 * import { sqrt, tensor } from "@tessera/autograd";
 * sqrt(tensor([4])); // [2]
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  return unaryOp("sqrt", "sqrt", x, 0, 0, (g, _x, y) => {
    const q = binaryOp("sqrt", "div", g, y, 0, null);
    const r = unaryOp("sqrt", "affine", q, 0.5, 0, null);
    q.dispose();
    return r;
  });
}

/**
 * Clamps to [min, max]; the gradient passes where min ≤ x ≤ max (as PyTorch).
 *
 * @example
 * ```ts
 * import { clamp, tensor } from "@tessera/autograd";
 * clamp(tensor([-2, 0.5, 3]), -1, 1); // [-1, 0.5, 1]
 * ```
 */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  checkNumber("clamp", "min", min);
  checkNumber("clamp", "max", max);
  if (!(min <= max)) throw new RangeError(`clamp: min (${min}) must be <= max (${max})`);
  return unaryOp("clamp", "clamp", x, min, max, (g, xi) => {
    const mask = unaryOp("clamp", "inRange", xi, min, max, null);
    const r = mul(g, mask);
    mask.dispose();
    return r;
  });
}
