/**
 * Regression and binary losses with PyTorch's definitions, names and `reduction` ('mean' | 'sum' | 'none'),
 * composed from autograd ops (so their gradients are the ops').
 */
import { abs, add, clamp, exp, log, mean, mul, neg, relu, sub, sum, type Tensor } from "@tessera/autograd";
import { checkReduction, type Reduction } from "./class-losses.js";
import { rejectUnknownOptions } from "./options.js";

function reduce(op: string, t: Tensor, r: Reduction | undefined): Tensor {
  const v = checkReduction(op, r);
  return v === "mean" ? mean(t) : v === "sum" ? sum(t) : t;
}

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${op}: input [${a.shape.join(",")}] and target [${b.shape.join(",")}] must have the same shape`);
  }
}

/**
 * Mean squared error (x − y)².
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { mseLoss } from "@tessera/optim";
 * mseLoss(tensor([1, 2]), tensor([1, 4])); // 2
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  rejectUnknownOptions("mseLoss", "options", o, ["reduction"]);
  sameShape("mseLoss", input, target);
  const d = sub(input, target);
  return reduce("mseLoss", mul(d, d), o.reduction);
}

/**
 * Mean absolute error |x − y|.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { l1Loss } from "@tessera/optim";
 * l1Loss(tensor([1, 2]), tensor([0, 4])); // 1.5
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  rejectUnknownOptions("l1Loss", "options", o, ["reduction"]);
  sameShape("l1Loss", input, target);
  return reduce("l1Loss", abs(sub(input, target)), o.reduction);
}

/**
 * Smooth L1 (Huber with threshold β, PyTorch's default β = 1): 0.5·d²/β where |d| < β, else |d| − 0.5·β.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { smoothL1Loss } from "@tessera/optim";
 * smoothL1Loss(tensor([0, 3]), tensor([0.5, 0])); // mean(0.125, 2.5)
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, o: { readonly reduction?: Reduction; readonly beta?: number } = {}): Tensor {
  rejectUnknownOptions("smoothL1Loss", "options", o, ["reduction", "beta"]);
  sameShape("smoothL1Loss", input, target);
  const beta = o.beta ?? 1;
  if (!(beta > 0)) throw new RangeError(`smoothL1Loss: beta must be > 0, got ${beta}`);
  const a = abs(sub(input, target));
  const m = clamp(a, 0, beta);
  return reduce("smoothL1Loss", mul(mul(m, sub(a, mul(m, 0.5))), 1 / beta), o.reduction);
}

/**
 * Binary cross-entropy of probabilities p against targets y: −[y·log p + (1−y)·log(1−p)], with
 * the logs clamped at −100 as PyTorch does.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { binaryCrossEntropy } from "@tessera/optim";
 * binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0]));
 * ```
 */
export function binaryCrossEntropy(p: Tensor, y: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  rejectUnknownOptions("binaryCrossEntropy", "options", o, ["reduction"]);
  sameShape("binaryCrossEntropy", p, y);
  const lp = clamp(log(p), -100);
  const lq = clamp(log(sub(1, p)), -100);
  return reduce("binaryCrossEntropy", neg(add(mul(y, lp), mul(sub(1, y), lq))), o.reduction);
}

/**
 * Binary cross-entropy on logits, stable for any x: max(x, 0) − x·y + log(1 + e^−|x|).
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { bceWithLogits } from "@tessera/optim";
 * bceWithLogits(tensor([3, -2]), tensor([1, 0]));
 * ```
 */
export function bceWithLogits(x: Tensor, y: Tensor, o: { readonly reduction?: Reduction } = {}): Tensor {
  rejectUnknownOptions("bceWithLogits", "options", o, ["reduction"]);
  sameShape("bceWithLogits", x, y);
  return reduce("bceWithLogits", add(sub(relu(x), mul(x, y)), log(add(exp(neg(abs(x))), 1))), o.reduction);
}
