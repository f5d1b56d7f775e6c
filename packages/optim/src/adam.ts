import type { Tensor } from "@tessera/autograd";
import { flatView, nonNegative, Optimizer, type ParamGroup, type ParamState } from "./optimizer.js";

const ADAM_KEYS = ["lr", "betas", "eps", "weightDecay", "amsgrad"];

/**
 * Options of {@link Adam} and {@link AdamW}.
 *
 * @example
 * ```ts
 * import type { AdamOptions } from "@tessera/optim";
 * const o: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false };
 * ```
 */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */ lr: number;
  /** Decay rates of the first and second moments (default [0.9, 0.999]). */ betas: readonly [number, number];
  /** Added to the denominator (default 1e-8). */ eps: number;
  /** Weight decay: L2 in the gradient for Adam, decoupled for AdamW (default 0 / 1e-2). */ weightDecay: number;
  /** Use the maximum of past second moments (default false). */ amsgrad: boolean;
}

/** Shared update; `decoupled` is AdamW. */
function adamStep(buffer: (k: string) => Tensor, p: Tensor, grad: Tensor, o: AdamOptions, s: ParamState, decoupled: boolean): void {
  const d = p.device;
  const n = p.size;
  const [b1, b2] = o.betas;
  const step = ((s.step as number | undefined) ?? 0) + 1;
  s.step = step;
  let g = grad;
  if (o.weightDecay !== 0) {
    if (decoupled) d.sscal(n, 1 - o.lr * o.weightDecay, p.storage.buffer, 1, p.offset);
    else {
      const tmp = buffer("_g");
      d.scopy(n, grad.storage.buffer, 1, grad.offset, tmp.storage.buffer, 1, tmp.offset);
      d.saxpy(n, o.weightDecay, p.storage.buffer, 1, p.offset, tmp.storage.buffer, 1, tmp.offset);
      g = tmp;
    }
  }
  const m = buffer("expAvg");
  const v = buffer("expAvgSq");
  const t = buffer("_t");
  d.sscal(n, b1, m.storage.buffer, 1, m.offset);
  d.saxpy(n, 1 - b1, g.storage.buffer, 1, g.offset, m.storage.buffer, 1, m.offset);
  d.binary("mul", [n], flatView(g), flatView(g), flatView(t));
  d.sscal(n, b2, v.storage.buffer, 1, v.offset);
  d.saxpy(n, 1 - b2, t.storage.buffer, 1, t.offset, v.storage.buffer, 1, v.offset);
  let second = v;
  if (o.amsgrad) {
    const vmax = buffer("maxExpAvgSq");
    d.binary("maximum", [n], flatView(vmax), flatView(v), flatView(vmax));
    second = vmax;
  }
  const bc1 = 1 - b1 ** step;
  const bc2 = 1 - b2 ** step;
  // denom = √v / √bc2 + ε; p ← p − (lr / bc1) · m / denom
  d.unary("sqrt", [n], flatView(second), flatView(t));
  d.unary("affine", [n], flatView(t), flatView(t), 1 / Math.sqrt(bc2), o.eps);
  d.binary("div", [n], flatView(m), flatView(t), flatView(t));
  d.saxpy(n, -o.lr / bc1, t.storage.buffer, 1, t.offset, p.storage.buffer, 1, p.offset);
}

function checkAdam(o: AdamOptions, name: string): void {
  const [b1, b2] = o.betas;
  if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) throw new RangeError(`${name}: betas must be in [0, 1), got [${b1}, ${b2}]`);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new RangeError(`${name}: betas must be a pair [beta1, beta2], got ${JSON.stringify(o.betas)}`);
  nonNegative(name, "eps", o.eps);
  nonNegative(name, "weightDecay", o.weightDecay);
}

/**
 * Adam (Kingma & Ba, 2015) with torch.optim.Adam's semantics: bias-corrected moments,
 * weight decay as L2 in the gradient, optional AMSGrad.
 *
 * @example
 * ```ts
 * import { Adam } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const opt = new Adam([zeros([4], { requiresGrad: true })], { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  /** Creates the optimizer. */
  constructor(params: readonly Tensor[] | readonly ParamGroup<AdamOptions>[], o: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...o }, "Adam", ADAM_KEYS);
  }
  protected override validate(o: AdamOptions, name: string): void {
    super.validate(o, name);
    checkAdam(o, name);
  }
  protected update(p: Tensor, grad: Tensor, o: AdamOptions, s: ParamState): void {
    adamStep((k) => this.buffer(p, s, k), p, grad, o, s, false);
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay p ← p·(1 − lr·λ), as
 * torch.optim.AdamW (default weightDecay 1e-2).
 *
 * @example
 * ```ts
 * import { AdamW } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const opt = new AdamW([zeros([4], { requiresGrad: true })], { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Optimizer<AdamOptions> {
  /** Creates the optimizer. */
  constructor(params: readonly Tensor[] | readonly ParamGroup<AdamOptions>[], o: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, ...o }, "AdamW", ADAM_KEYS);
  }
  protected override validate(o: AdamOptions, name: string): void {
    super.validate(o, name);
    checkAdam(o, name);
  }
  protected update(p: Tensor, grad: Tensor, o: AdamOptions, s: ParamState): void {
    adamStep((k) => this.buffer(p, s, k), p, grad, o, s, true);
  }
}
