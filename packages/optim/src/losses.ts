/**
 * Loss functions with PyTorch's definitions, names and `reduction` ('mean' | 'sum' | 'none'),
 * composed from autograd ops (so their gradients are the ops').
 */
import {
  abs, add, clamp, exp, log, logSoftmax, mean, mul, neg, relu, sub, sum, tensor, type Tensor,
} from "@tessera/autograd";

/**
 * How a loss combines per-element values: average, total, or none (per sample).
 *
 * @example
 * ```ts
 * import type { Reduction } from "@tessera/optim";
 * const r: Reduction = "sum";
 * ```
 */
export type Reduction = "mean" | "sum" | "none";

/** Class labels: an int32 tensor on a CPU device, an Int32Array or a number array. */
export type Labels = Tensor | Int32Array | readonly number[];

function reduce(op: string, t: Tensor, r: Reduction = "mean"): Tensor {
  if (r === "mean") return mean(t);
  if (r === "sum") return sum(t);
  if (r === "none") return t;
  throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
}

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${op}: input [${a.shape.join(",")}] and target [${b.shape.join(",")}] must have the same shape`);
  }
}

/** Host copy of integer labels, validated against C classes. */
function hostLabels(op: string, labels: Labels, N: number, C: number): Int32Array {
  let y: Int32Array;
  if (labels instanceof Int32Array) y = labels;
  else if (Array.isArray(labels)) y = Int32Array.from(labels as number[]);
  else {
    const t = labels as Tensor;
    if (t.dtype !== "int32") throw new TypeError(`${op}: label tensor must be int32, got ${t.dtype}`);
    y = t.dataSync() as Int32Array;
  }
  if (y.length !== N) throw new RangeError(`${op}: ${y.length} labels for a batch of ${N}`);
  y.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= C) throw new RangeError(`${op}: label ${v} at index ${i} is out of range [0, ${C})`);
  });
  return y;
}

/** q = (1 − ε)·onehot(y) + ε/C as a tensor on `like`'s device. */
function smoothedOneHot(y: Int32Array, C: number, eps: number, like: Tensor): Tensor {
  const q = new Float32Array(y.length * C).fill(eps / C);
  y.forEach((c, i) => (q[i * C + c] += 1 - eps));
  return tensor(q, { shape: [y.length, C], device: like.device });
}

/**
 * Options of {@link crossEntropy}.
 *
 * @example
 * ```ts
 * import type { CrossEntropyOptions } from "@tessera/optim";
 * const o: CrossEntropyOptions = { labelSmoothing: 0.1 };
 * ```
 */
export interface CrossEntropyOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
  /** ε of label smoothing (PyTorch's label_smoothing), in [0, 1]. */
  readonly labelSmoothing?: number;
}

/**
 * Cross-entropy of logits [N, C] against integer labels or probability targets [N, C], fused with
 * log-softmax for stability: ℓᵢ = −Σ_c qᵢc · log softmax(xᵢ)_c.
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { crossEntropy } from "@tessera/optim";
 * const logits = tensor([[2, 0.5, -1], [0, 0, 3]], { requiresGrad: true });
 * const loss = crossEntropy(logits, [0, 2]);
 * loss.backward();
 * ```
 */
export function crossEntropy(logits: Tensor, target: Labels, o: CrossEntropyOptions = {}): Tensor {
  if (logits.ndim !== 2) throw new RangeError(`crossEntropy: logits must be [N, C], got [${logits.shape.join(",")}]`);
  const [N, C] = logits.shape;
  const eps = o.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new RangeError(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  let q: Tensor;
  if (target instanceof Int32Array || Array.isArray(target) || (target as Tensor).dtype === "int32") {
    q = smoothedOneHot(hostLabels("crossEntropy", target, N, C), C, eps, logits);
  } else {
    const t = target as Tensor;
    sameShape("crossEntropy", logits, t);
    q = eps > 0 ? add(mul(t, 1 - eps), eps / C) : t;
  }
  const perSample = neg(sum(mul(logSoftmax(logits, 1), q), { axis: 1 }));
  return reduce("crossEntropy", perSample, o.reduction);
}

/**
 * Negative log-likelihood of log-probabilities [N, C] at integer labels.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "@tessera/autograd";
 * import { nllLoss } from "@tessera/optim";
 * nllLoss(logSoftmax(tensor([[1, 2]])), [1]);
 * ```
 */
export function nllLoss(logProbs: Tensor, labels: Labels, o: { readonly reduction?: Reduction } = {}): Tensor {
  if (logProbs.ndim !== 2) throw new RangeError(`nllLoss: input must be [N, C], got [${logProbs.shape.join(",")}]`);
  const [N, C] = logProbs.shape;
  const q = smoothedOneHot(hostLabels("nllLoss", labels, N, C), C, 0, logProbs);
  return reduce("nllLoss", neg(sum(mul(logProbs, q), { axis: 1 })), o.reduction);
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
  sameShape("bceWithLogits", x, y);
  return reduce("bceWithLogits", add(sub(relu(x), mul(x, y)), log(add(exp(neg(abs(x))), 1))), o.reduction);
}
