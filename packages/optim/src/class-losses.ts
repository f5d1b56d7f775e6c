/**
 * The classification losses `crossEntropy` and `nllLoss` with PyTorch's options: class `weight`,
 * `ignoreIndex` (default −100), `reduction`, label smoothing, and [N, C, d1, …] inputs. The
 * per-class coefficients are built on the host from the labels, so the gradient is the one of
 * `logSoftmax` (or of the input, for `nllLoss`) times constants.
 */
import { add, logSoftmax, mul, neg, sum, tensor, type Tensor } from "@tessera/autograd";
import { rejectUnknownOptions } from "./options.js";

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

/** Class labels: an int32 tensor on a CPU device, an Int32Array or a number array (row-major for [N, d1, …]). */
export type Labels = Tensor | Int32Array | readonly number[];

/** Class weights: a float tensor on a CPU device, or numbers, one per class. */
export type ClassWeights = Tensor | Float32Array | Float64Array | readonly number[];

/**
 * Options of {@link nllLoss} (PyTorch's `weight`, `ignore_index`, `reduction`).
 *
 * @example
 * ```ts
 * import type { NllLossOptions } from "@tessera/optim";
 * const o: NllLossOptions = { weight: [1, 2, 0.5], ignoreIndex: -1, reduction: "sum" };
 * ```
 */
export interface NllLossOptions {
  /** 'mean' (default: the weighted mean, Σ loss / Σ weight of the non-ignored targets), 'sum' or 'none'. */
  readonly reduction?: Reduction;
  /** A weight per class (C values); default all 1. */
  readonly weight?: ClassWeights;
  /** Targets equal to this label contribute nothing, to the loss or to the mean's divisor (default −100). */
  readonly ignoreIndex?: number;
}

/**
 * Options of {@link crossEntropy}.
 *
 * @example
 * ```ts
 * import type { CrossEntropyOptions } from "@tessera/optim";
 * const o: CrossEntropyOptions = { labelSmoothing: 0.1, weight: [1, 3], ignoreIndex: 255 };
 * ```
 */
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε of label smoothing (PyTorch's label_smoothing), in [0, 1]. */
  readonly labelSmoothing?: number;
}

/** Checks the reduction; returns it. @internal */
export function checkReduction(op: string, r: Reduction | undefined): Reduction {
  const v = r ?? "mean";
  if (v !== "mean" && v !== "sum" && v !== "none") throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  return v;
}

/** [N, C, d1, …] → N, C and S = d1·…; checks the dimensions. */
function classShape(op: string, arg: string, x: Tensor): { N: number; C: number; S: number } {
  if (x.ndim < 2) throw new RangeError(`${op}: ${arg} must be [N, C] or [N, C, d1, ...], got [${x.shape.join(",")}]`);
  const [N, C] = x.shape;
  if (C === 0) throw new RangeError(`${op}: ${arg} has no classes (shape [${x.shape.join(",")}])`);
  return { N, C, S: x.shape.slice(2).reduce((a, b) => a * b, 1) };
}

/** Host copy of integer labels for [N, d1, …], each in [0, C) or equal to ignoreIndex. */
function hostLabels(op: string, labels: Labels, input: Tensor, C: number, ignoreIndex: number): Int32Array {
  const want = [input.shape[0], ...input.shape.slice(2)];
  const count = want.reduce((a, b) => a * b, 1);
  let y: ArrayLike<number>;
  if (labels instanceof Int32Array) y = labels;
  else if (Array.isArray(labels)) y = labels as readonly number[];
  else if (typeof labels === "object" && labels !== null && (labels as Tensor).isTensor) {
    const t = labels as Tensor;
    if (t.dtype !== "int32") throw new TypeError(`${op}: label tensor must be int32, got ${t.dtype}`);
    if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new RangeError(`${op}: labels of shape [${t.shape.join(",")}] for input [${input.shape.join(",")}]: expected [${want.join(",")}]`);
    }
    y = t.dataSync();
  } else throw new TypeError(`${op}: target must be an int32 tensor, an Int32Array, a number array or a float tensor of probabilities, got ${labels === null ? "null" : typeof labels}`);
  if (y.length !== count) {
    throw new RangeError(`${op}: ${y.length} labels for ${want.length > 1 ? `input [${input.shape.join(",")}] (expected ${count})` : `a batch of ${count}`}`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = y[i];
    if (v === ignoreIndex) {
      out[i] = v;
      continue;
    }
    if (typeof v !== "number" || !Number.isInteger(v)) throw new RangeError(`${op}: label ${v} at index ${i} is not an integer class index`);
    if (v < 0 || v >= C) throw new RangeError(`${op}: label ${v} at index ${i} is out of range [0, ${C})${ignoreIndex !== -100 ? ` and is not ignoreIndex (${ignoreIndex})` : ""}`);
    out[i] = v;
  }
  return out;
}

/** The class weights on the host (all 1 when absent), checked. */
function hostWeights(op: string, w: ClassWeights | undefined, C: number): Float64Array | null {
  if (w === undefined) return null;
  let v: ArrayLike<number>;
  if (typeof w === "object" && w !== null && (w as Tensor).isTensor) {
    const t = w as Tensor;
    if (t.dtype !== "float32" || t.ndim !== 1) throw new RangeError(`${op}: weight must be a 1-D float tensor of ${C} values, got [${t.shape.join(",")}] ${t.dtype}`);
    v = t.dataSync();
  } else if (Array.isArray(w) || w instanceof Float32Array || w instanceof Float64Array) v = w as ArrayLike<number>;
  else throw new TypeError(`${op}: weight must be a tensor or an array of ${C} numbers, got ${typeof w}`);
  if (v.length !== C) throw new RangeError(`${op}: weight has ${v.length} values, expected one per class (${C})`);
  const out = Float64Array.from(v as ArrayLike<number>);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`${op}: weight[${i}] must be finite, got ${x}`);
  });
  return out;
}

function checkIgnoreIndex(op: string, v: number | undefined): number {
  const i = v ?? -100;
  if (!Number.isInteger(i)) throw new RangeError(`${op}: ignoreIndex must be an integer, got ${v}`);
  return i;
}

/**
 * −Σ_c A[n,c,s]·logp[n,c,s] reduced, with A built from integer labels:
 * A = (1 − ε)·w_y·onehot(y) + (ε/C)·w_c for kept targets, 0 for ignored ones; 'mean' divides by
 * Σ w_y over kept targets (their count without weights), as PyTorch does.
 */
function labelLoss(op: string, logp: Tensor, y: Int32Array, w: Float64Array | null, eps: number, ignoreIndex: number, r: Reduction): Tensor {
  const { N, C, S } = classShape(op, "input", logp);
  const a = new Float32Array(N * C * S);
  let divisor = 0;
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      const c = y[n * S + s];
      if (c === ignoreIndex) continue;
      const wy = w ? w[c] : 1;
      divisor += wy;
      const base = n * C * S + s;
      if (eps > 0) for (let k = 0; k < C; k++) a[base + k * S] = (eps / C) * (w ? w[k] : 1);
      a[base + c * S] += (1 - eps) * wy;
    }
  }
  const coef = tensor(a, { shape: [...logp.shape], device: logp.device });
  const per = neg(sum(mul(logp, coef), { axis: 1 }));
  if (r === "none") return per;
  const total = sum(per);
  return r === "sum" ? total : mul(total, 1 / divisor);
}

/**
 * Cross-entropy of logits [N, C] or [N, C, d1, …] against integer labels ([N] or [N, d1, …]) or
 * probability targets (the input's shape), fused with log-softmax for stability, with PyTorch's
 * formulas: for labels ℓ = −w_y·log softmax(x)_y (label smoothing ε mixes in ε/C·Σ_c w_c·(−log p_c)),
 * targets equal to `ignoreIndex` contribute 0, and 'mean' divides by the sum of the weights of
 * the non-ignored targets; for probabilities ℓ = −Σ_c w_c·q_c·log p_c and 'mean' divides by N·d1·….
 *
 * @example
 * ```ts
 * import { tensor } from "@tessera/autograd";
 * import { crossEntropy } from "@tessera/optim";
 * const logits = tensor([[2, 0.5, -1], [0, 0, 3]], { requiresGrad: true });
 * const loss = crossEntropy(logits, [0, 2], { weight: [1, 1, 2] });
 * loss.backward();
 * crossEntropy(logits, [0, -100]); // the second sample is ignored (PyTorch's default ignore_index)
 * ```
 */
export function crossEntropy(logits: Tensor, target: Labels, o: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropy";
  rejectUnknownOptions(op, "options", o, ["reduction", "labelSmoothing", "weight", "ignoreIndex"]);
  const { N, C, S } = classShape(op, "logits", logits);
  const r = checkReduction(op, o.reduction);
  const eps = o.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${eps}`);
  const w = hostWeights(op, o.weight, C);
  const isProb = typeof target === "object" && target !== null && (target as Tensor).isTensor && (target as Tensor).dtype !== "int32";
  if (!isProb) {
    const ignoreIndex = checkIgnoreIndex(op, o.ignoreIndex);
    const y = hostLabels(op, target, logits, C, ignoreIndex);
    return labelLoss(op, logSoftmax(logits, 1), y, w, eps, ignoreIndex, r);
  }
  const t = target as Tensor;
  // As PyTorch: a non-negative ignoreIndex cannot apply to probability targets (a negative one, like the default −100, selects nothing).
  if (o.ignoreIndex !== undefined && !(Number.isInteger(o.ignoreIndex) && o.ignoreIndex < 0)) {
    throw new RangeError(`${op}: ignoreIndex applies to integer labels only, not to probability targets (got ${o.ignoreIndex})`);
  }
  if (t.ndim !== logits.ndim || t.shape.some((d, i) => d !== logits.shape[i])) {
    throw new RangeError(`${op}: input [${logits.shape.join(",")}] and target [${t.shape.join(",")}] must have the same shape`);
  }
  let q = eps > 0 ? add(mul(t, 1 - eps), eps / C) : t;
  if (w) q = mul(q, tensor(Float32Array.from(w), { shape: logits.shape.map((d, i) => (i === 1 ? d : 1)), device: logits.device }));
  const per = neg(sum(mul(logSoftmax(logits, 1), q), { axis: 1 }));
  if (r === "none") return per;
  const total = sum(per);
  return r === "sum" ? total : mul(total, 1 / (N * S));
}

/**
 * Negative log-likelihood of log-probabilities [N, C] or [N, C, d1, …] at integer labels, with
 * PyTorch's `weight`, `ignoreIndex` (default −100) and `reduction`: ℓ = −w_y·x_y, ignored targets
 * contribute 0, and 'mean' divides by the sum of the weights of the non-ignored targets.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "@tessera/autograd";
 * import { nllLoss } from "@tessera/optim";
 * nllLoss(logSoftmax(tensor([[1, 2], [0, 1]]), 1), [1, 0], { weight: [2, 1] });
 * ```
 */
export function nllLoss(logProbs: Tensor, labels: Labels, o: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  rejectUnknownOptions(op, "options", o, ["reduction", "weight", "ignoreIndex"]);
  const { C } = classShape(op, "input", logProbs);
  const r = checkReduction(op, o.reduction);
  const w = hostWeights(op, o.weight, C);
  const ignoreIndex = checkIgnoreIndex(op, o.ignoreIndex);
  return labelLoss(op, logProbs, hostLabels(op, labels, logProbs, C, ignoreIndex), w, 0, ignoreIndex, r);
}

