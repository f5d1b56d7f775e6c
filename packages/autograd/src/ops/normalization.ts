/**
 * batchNorm (training: batch statistics and a running-stat update, one graph node with its own
 * backward rule, see batch-norm.ts; evaluation: running stats, a composition of differentiable ops)
 * and dropout (seeded, inverted scaling; identity in evaluation; a composition too).
 */
import { checkFinite, checkInteger, checkOptions, checkTensor, describe } from "../args.js";
import type { Tensor } from "../tensor.js";
import { add, affine, div, mul, sub } from "./arithmetic.js";
import { batchNormTraining } from "./batch-norm.js";
import { sqrt } from "./activations.js";
import { reshape } from "./shape.js";
import { alloc, checkFloat, checkOptionalTensor, sameDevice } from "./util.js";

/**
 * Options of {@link batchNorm} (PyTorch's names and defaults).
 *
 * @example
 * ```ts
 * import type { BatchNormOptions } from "@tessera/autograd";
 * const o: BatchNormOptions = { training: true, momentum: 0.1, eps: 1e-5 };
 * ```
 */
export interface BatchNormOptions {
  /** Use batch statistics and update the running ones. */
  readonly training: boolean;
  /** Running-stat update factor: r ← (1 − m)·r + m·batch. Default 0.1. */
  readonly momentum?: number;
  /** Added to the variance. Default 1e-5. */
  readonly eps?: number;
}

/**
 * Batch normalisation over dimension 1 (channels) of [N, C] or [N, C, …] input:
 * y = (x − μ) / √(σ² + ε) · weight + bias. In training, μ and σ² are the batch's (biased σ²),
 * and runningMean/runningVar are updated in place with the unbiased variance, as PyTorch does.
 *
 * @example
 * ```ts
 * import { batchNorm, tensor, zeros, ones } from "@tessera/autograd";
 * const x = tensor([[1, 2], [3, 6]]);
 * const y = batchNorm(x, zeros([2]), ones([2]), ones([2]), zeros([2]), { training: true });
 * ```
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, o: BatchNormOptions,
): Tensor {
  checkTensor("batchNorm", "x", x);
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) checkOptionalTensor("batchNorm", name, t);
  checkOptions("batchNorm", "o", o, false);
  if (typeof o.training !== "boolean") throw new TypeError(`batchNorm: o.training must be a boolean, got ${describe(o.training)}`);
  if (o.momentum !== undefined) {
    checkFinite("batchNorm", "o.momentum", o.momentum);
    if (o.momentum < 0 || o.momentum > 1) throw new RangeError(`batchNorm: o.momentum must be in [0, 1], got ${o.momentum}`);
  }
  if (o.eps !== undefined) {
    checkFinite("batchNorm", "o.eps", o.eps);
    if (o.eps < 0) throw new RangeError(`batchNorm: o.eps must be >= 0, got ${o.eps}`);
  }
  if ((runningMean == null) !== (runningVar == null)) throw new TypeError("batchNorm: runningMean and runningVar must be given together (or both null)");
  if (x.ndim < 2) throw new RangeError(`batchNorm: input must be [N, C, ...], got [${x.shape.join(",")}]`);
  const C = x.shape[1];
  const present = [x, runningMean, runningVar, weight, bias].filter((t): t is Tensor => t != null);
  sameDevice("batchNorm", ...present);
  for (const [name, t] of [["x", x], ["weight", weight], ["bias", bias]] as const) if (t) checkFloat("batchNorm", name, t);
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) throw new RangeError(`batchNorm: ${name} must be [${C}], got [${t.shape.join(",")}]`);
  }
  const eps = o.eps ?? 1e-5;
  if (o.training) {
    if (x.size / C <= 1) throw new RangeError(`batchNorm: expected more than 1 value per channel when training, got input [${x.shape.join(",")}]`);
    return batchNormTraining(x, runningMean, runningVar, weight, bias, o.momentum ?? 0.1, eps);
  }
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  if (!runningMean || !runningVar) throw new RangeError("batchNorm: evaluation needs runningMean and runningVar");
  const mu = reshape(runningMean, bshape);
  const variance = reshape(runningVar, bshape);
  const y = div(sub(x, mu), sqrt(affine(variance, 1, eps)));
  return affineChannels(y, weight, bias, bshape);
}

function affineChannels(y: Tensor, weight: Tensor | null, bias: Tensor | null, bshape: number[]): Tensor {
  let out = y;
  if (weight) out = mul(out, reshape(weight, bshape));
  if (bias) out = add(out, reshape(bias, bshape));
  return out;
}

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p), from a
 * counter-based stream (seed, counter), so masks are reproducible and identical on every device.
 * Identity when not training or p = 0.
 *
 * @example
 * ```ts
 * import { dropout, ones } from "@tessera/autograd";
 * const y = dropout(ones([4, 4]), 0.5, { training: true, seed: 7, counter: 0 });
 * ```
 */
export function dropout(x: Tensor, p: number, o: { readonly training: boolean; readonly seed: number; readonly counter: number }): Tensor {
  checkTensor("dropout", "x", x);
  if (typeof p !== "number") throw new TypeError(`dropout: p must be a number, got ${describe(p)}`);
  checkOptions("dropout", "o", o, false);
  if (typeof o.training !== "boolean") throw new TypeError(`dropout: o.training must be a boolean, got ${describe(o.training)}`);
  checkInteger("dropout", "o.seed", o.seed);
  checkInteger("dropout", "o.counter", o.counter);
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout: p must be in [0, 1), got ${p}`);
  if (!o.training || p === 0) return x;
  const mask = alloc(x, x.shape);
  x.device.fillRandom("bernoulli", o.seed, o.counter, x.size, mask.storage.buffer, 0, 1 - p, 1 / (1 - p));
  return mul(x, mask); // the mask is an intermediate like any other: a scope frees it
}
