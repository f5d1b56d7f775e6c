/**
 * batchNorm in training mode as one graph node. Composed of the generic ops, it made eight
 * full-size intermediates forward and about twenty passes backward (each broadcast's gradient
 * materialised back to the input's shape); here the forward is two reductions and three
 * broadcast passes, and the backward is PyTorch's formula written out:
 *
 *     x̂ = (x − μ)·s,  s = 1/√(σ² + ε),  y = x̂·γ + β
 *     ∂β = Σ g,  ∂γ = s·Σ g·(x − μ)
 *     ∂x = (g − Σg/n − (x − μ)·s²·Σ g·(x − μ)/n)·s·γ
 *
 * with sums per channel over the n = N·H·W… values of it: two reductions and four passes.
 * @internal
 */
import type { View } from "@tessera/blas";
import { noGrad } from "../grad-mode.js";
import type { Tensor } from "../tensor.js";
import { alloc, record } from "./util.js";

/** The layout of a batch-norm input: channels on dimension 1. */
interface Layout {
  readonly C: number;
  /** Values per channel: N·H·W… */ readonly count: number;
  /** The input's dimensions with the channel first (the reduction's order). */ readonly order: readonly number[];
}

/** A tensor of the input's shape, its dimensions in reduction order (channel first). */
function channelFirst(t: Tensor, l: Layout): View {
  return { buffer: t.storage.buffer, offset: t.offset, strides: l.order.map((i) => t.strides[i]) };
}

/** A [C] vector broadcast over a tensor of `shape` (channels on dimension 1). */
function perChannel(v: Tensor, shape: readonly number[]): View {
  return { buffer: v.storage.buffer, offset: v.offset, strides: shape.map((_, i) => (i === 1 ? v.strides[0] : 0)) };
}

/** A [C] vector as a 1-d view. */
function vector(v: Tensor): View {
  return { buffer: v.storage.buffer, offset: v.offset, strides: [v.strides[0]] };
}

/** Per-channel sums of `t` (the input's shape) into a new [C] vector. */
function channelSums(op: "sum" | "mean" | "sumSquares", t: Tensor, l: Layout): Tensor {
  const out = alloc(t, [l.C]);
  t.device.reduce(op, l.order.map((i) => t.shape[i]), l.order.length - 1, channelFirst(t, l), vector(out));
  return out;
}

/** out ← op(a, b) over [C] vectors (a new vector unless `out` is given). */
function vecBinary(op: "mul" | "sub", a: Tensor, b: Tensor, out: Tensor = alloc(a, [a.shape[0]])): Tensor {
  a.device.binary(op, [a.shape[0]], vector(a), vector(b), vector(out));
  return out;
}

/** out ← p0·a + p1 over a [C] vector (a new vector unless `out` is given). */
function vecAffine(a: Tensor, p0: number, p1: number, out: Tensor = alloc(a, [a.shape[0]])): Tensor {
  a.device.unary("affine", [a.shape[0]], vector(a), vector(out), p0, p1);
  return out;
}

/**
 * Training-mode batch normalisation of `x` ([N, C, …], checked by the caller, more than one value
 * per channel): batch statistics (biased variance), the running-stat update when given, and a
 * single graph node. @internal
 */
export function batchNormTraining(
  x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, momentum: number, eps: number,
): Tensor {
  const d = x.device;
  const C = x.shape[1];
  const l: Layout = { C, count: x.size / C, order: [1, ...x.shape.map((_, i) => i).filter((i) => i !== 1)] };
  const mu = channelSums("mean", x, l);
  const centred = alloc(x, x.shape);
  d.binary("sub", x.shape, x.view(), perChannel(mu, x.shape), centred.view());
  const variance = vecAffine(channelSums("sumSquares", centred, l), 1 / l.count, 0);
  if (runningMean && runningVar) {
    noGrad(() => {
      d.sscal(C, 1 - momentum, runningMean.storage.buffer, runningMean.strides[0], runningMean.offset);
      d.saxpy(C, momentum, mu.storage.buffer, 1, 0, runningMean.storage.buffer, runningMean.strides[0], runningMean.offset);
      d.sscal(C, 1 - momentum, runningVar.storage.buffer, runningVar.strides[0], runningVar.offset);
      d.saxpy(C, (momentum * l.count) / (l.count - 1), variance.storage.buffer, 1, 0, runningVar.storage.buffer, runningVar.strides[0], runningVar.offset);
    });
  }
  // s = 1/√(σ² + ε) in place of σ², then scale = s·γ.
  const invStd = vecAffine(variance, 1, eps, variance);
  d.unary("rsqrt", [C], vector(invStd), vector(invStd));
  mu.dispose();
  const scale = weight ? vecBinary("mul", weight, invStd) : invStd;
  const y = alloc(x, x.shape);
  d.binary("mul", x.shape, centred.view(), perChannel(scale, x.shape), y.view());
  if (bias) d.binary("add", x.shape, y.view(), perChannel(bias, x.shape), y.view());
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  const release = () => {
    centred.dispose();
    invStd.dispose();
    if (scale !== invStd) scale.dispose();
  };
  const out = record(y, "batchNorm", inputs, () => ({
    backward: (g) => {
      const sumG = channelSums("sum", g, l);
      // Σ g·(x − μ) per channel, through a full-size product that the ∂x passes reuse.
      const prod = alloc(x, x.shape);
      d.binary("mul", x.shape, g.view(), centred.view(), prod.view());
      const sumGC = channelSums("sum", prod, l);
      const grads: (Tensor | null)[] = [null];
      if (x.requiresGrad) {
        // k = s²·Σg(x − μ)/n, then ∂x = ((g − Σg/n) − (x − μ)·k)·s·γ.
        const k = vecAffine(vecBinary("mul", vecBinary("mul", sumGC, invStd), invStd), 1 / l.count, 0);
        const meanG = vecAffine(sumG, 1 / l.count, 0);
        const gx = alloc(x, x.shape);
        d.binary("mul", x.shape, centred.view(), perChannel(k, x.shape), prod.view());
        d.binary("sub", x.shape, g.view(), perChannel(meanG, x.shape), gx.view());
        d.binary("sub", x.shape, gx.view(), prod.view(), gx.view());
        d.binary("mul", x.shape, gx.view(), perChannel(scale, x.shape), gx.view());
        grads[0] = gx;
      }
      if (weight) grads.push(weight.requiresGrad ? vecBinary("mul", sumGC, invStd) : null);
      if (bias) grads.push(bias.requiresGrad ? sumG : null);
      return grads;
    },
    saved: scale === invStd ? [centred, invStd] : [centred, invStd, scale],
    release,
  }));
  if (!out.gradFn) release();
  return out;
}
