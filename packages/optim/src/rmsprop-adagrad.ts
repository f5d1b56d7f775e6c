import type { Tensor } from "@tessera/autograd";
import { flatView, nonNegative, Optimizer, type ParamGroup, type ParamState } from "./optimizer.js";

/** g + λ·p into a scratch buffer when λ ≠ 0 (coupled weight decay). */
function decayed(opt: { buf: (k: string) => Tensor }, p: Tensor, grad: Tensor, wd: number): Tensor {
  if (wd === 0) return grad;
  const d = p.device;
  const tmp = opt.buf("_g");
  d.scopy(p.size, grad.storage.buffer, 1, grad.offset, tmp.storage.buffer, 1, tmp.offset);
  d.saxpy(p.size, wd, p.storage.buffer, 1, p.offset, tmp.storage.buffer, 1, tmp.offset);
  return tmp;
}

/**
 * Options of {@link RMSprop} (torch.optim.RMSprop's).
 *
 * @example
 * ```ts
 * import type { RMSpropOptions } from "@tessera/optim";
 * const o: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false };
 * ```
 */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */ lr: number;
  /** Smoothing constant (default 0.99). */ alpha: number;
  /** Added to the denominator (default 1e-8). */ eps: number;
  /** L2 penalty (default 0). */ weightDecay: number;
  /** Momentum (default 0). */ momentum: number;
  /** Normalise by the variance estimate (default false). */ centered: boolean;
}

/**
 * RMSprop with torch.optim.RMSprop's semantics: v ← α·v + (1−α)·g²; d = √v + ε (centered:
 * √(v − ḡ²) + ε); with momentum b ← μ·b + g/d, p ← p − lr·b; else p ← p − lr·g/d.
 *
 * @example
 * ```ts
 * import { RMSprop } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const opt = new RMSprop([zeros([4], { requiresGrad: true })], { lr: 0.01 });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /** Creates the optimizer. */
  constructor(params: readonly Tensor[] | readonly ParamGroup<RMSpropOptions>[], o: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...o }, "RMSprop", ["lr", "alpha", "eps", "weightDecay", "momentum", "centered"]);
  }
  protected override validate(o: RMSpropOptions, name: string): void {
    super.validate(o, name);
    if (!(o.alpha >= 0 && o.alpha <= 1)) throw new RangeError(`${name}: alpha must be in [0, 1], got ${o.alpha}`);
    nonNegative(name, "eps", o.eps);
    nonNegative(name, "weightDecay", o.weightDecay);
    nonNegative(name, "momentum", o.momentum);
  }
  protected update(p: Tensor, grad: Tensor, o: RMSpropOptions, s: ParamState): void {
    const d = p.device;
    const n = p.size;
    const buf = (k: string) => this.buffer(p, s, k);
    s.step = ((s.step as number | undefined) ?? 0) + 1;
    const g = decayed({ buf }, p, grad, o.weightDecay);
    const v = buf("squareAvg");
    const t = buf("_t");
    d.binary("mul", [n], flatView(g), flatView(g), flatView(t));
    d.sscal(n, o.alpha, v.storage.buffer, 1, v.offset);
    d.saxpy(n, 1 - o.alpha, t.storage.buffer, 1, t.offset, v.storage.buffer, 1, v.offset);
    if (o.centered) {
      const ga = buf("gradAvg");
      d.sscal(n, o.alpha, ga.storage.buffer, 1, ga.offset);
      d.saxpy(n, 1 - o.alpha, g.storage.buffer, 1, g.offset, ga.storage.buffer, 1, ga.offset);
      d.binary("mul", [n], flatView(ga), flatView(ga), flatView(t));
      d.binary("sub", [n], flatView(v), flatView(t), flatView(t));
      d.unary("sqrt", [n], flatView(t), flatView(t));
    } else d.unary("sqrt", [n], flatView(v), flatView(t));
    d.unary("affine", [n], flatView(t), flatView(t), 1, o.eps);
    d.binary("div", [n], flatView(g), flatView(t), flatView(t));
    if (o.momentum > 0) {
      const b = buf("momentumBuffer");
      d.sscal(n, o.momentum, b.storage.buffer, 1, b.offset);
      d.saxpy(n, 1, t.storage.buffer, 1, t.offset, b.storage.buffer, 1, b.offset);
      d.saxpy(n, -o.lr, b.storage.buffer, 1, b.offset, p.storage.buffer, 1, p.offset);
    } else d.saxpy(n, -o.lr, t.storage.buffer, 1, t.offset, p.storage.buffer, 1, p.offset);
  }
}

/**
 * Options of {@link Adagrad} (torch.optim.Adagrad's).
 *
 * @example
 * ```ts
 * import type { AdagradOptions } from "@tessera/optim";
 * const o: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 };
 * ```
 */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */ lr: number;
  /** lr ← lr / (1 + (t−1)·lrDecay) (default 0). */ lrDecay: number;
  /** L2 penalty (default 0). */ weightDecay: number;
  /** Starting value of the sum of squares (default 0). */ initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */ eps: number;
}

/**
 * Adagrad (Duchi et al., 2011) with torch.optim.Adagrad's semantics: Σ ← Σ + g²,
 * p ← p − lr_t · g / (√Σ + ε).
 *
 * @example
 * ```ts
 * import { Adagrad } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const opt = new Adagrad([zeros([4], { requiresGrad: true })], { lr: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  /** Creates the optimizer. */
  constructor(params: readonly Tensor[] | readonly ParamGroup<AdagradOptions>[], o: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, ...o }, "Adagrad", ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps"]);
  }
  protected override validate(o: AdagradOptions, name: string): void {
    super.validate(o, name);
    for (const k of ["lrDecay", "weightDecay", "initialAccumulatorValue", "eps"] as const) nonNegative(name, k, o[k]);
  }
  protected update(p: Tensor, grad: Tensor, o: AdagradOptions, s: ParamState): void {
    const d = p.device;
    const n = p.size;
    const buf = (k: string) => this.buffer(p, s, k);
    const first = s.sum === undefined;
    const acc = buf("sum");
    if (first && o.initialAccumulatorValue !== 0) d.fill([n], o.initialAccumulatorValue, flatView(acc));
    const step = ((s.step as number | undefined) ?? 0) + 1;
    s.step = step;
    const g = decayed({ buf }, p, grad, o.weightDecay);
    const t = buf("_t");
    d.binary("mul", [n], flatView(g), flatView(g), flatView(t));
    d.saxpy(n, 1, t.storage.buffer, 1, t.offset, acc.storage.buffer, 1, acc.offset);
    d.unary("sqrt", [n], flatView(acc), flatView(t));
    d.unary("affine", [n], flatView(t), flatView(t), 1, o.eps);
    d.binary("div", [n], flatView(g), flatView(t), flatView(t));
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    d.saxpy(n, -clr, t.storage.buffer, 1, t.offset, p.storage.buffer, 1, p.offset);
  }
}
