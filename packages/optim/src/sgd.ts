import type { Tensor } from "@tessera/autograd";
import { nonNegative, Optimizer, type ParamGroup, type ParamState } from "./optimizer.js";

/**
 * Options of {@link SGD} (torch.optim.SGD's, camelCase).
 *
 * @example
 * ```ts
 * import type { SGDOptions } from "@tessera/optim";
 * const o: SGDOptions = { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 };
 * ```
 */
export interface SGDOptions {
  /** Learning rate. */ lr: number;
  /** Momentum factor (default 0). */ momentum: number;
  /** Dampening of the momentum (default 0). */ dampening: number;
  /** L2 penalty coupled into the gradient (default 0). */ weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */ nesterov: boolean;
}

/**
 * Stochastic gradient descent with torch.optim.SGD's semantics:
 * g ← ∇ + λ·p; b ← μ·b + (1 − τ)·g (b ← g on the first step); g ← g + μ·b (Nesterov) or b; p ← p − lr·g.
 *
 * The course's AlexNet rule v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w, w ← w + v is this optimizer with
 * momentum 0.9, weightDecay 0.0005 and lr ε: v = −ε·b. The two agree exactly while ε is constant;
 * when ε changes they differ, because v carries the old ε and b does not.
 *
 * @example
 * ```ts
 * import { SGD } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const w = zeros([10], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 });
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  /** Creates the optimizer. */
  constructor(params: readonly Tensor[] | readonly ParamGroup<SGDOptions>[], o: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...o }, "SGD", ["lr", "momentum", "dampening", "weightDecay", "nesterov"]);
  }

  protected override validate(o: SGDOptions, name: string): void {
    super.validate(o, name);
    nonNegative(name, "momentum", o.momentum);
    nonNegative(name, "dampening", o.dampening);
    nonNegative(name, "weightDecay", o.weightDecay);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new RangeError(`${name}: Nesterov momentum requires momentum > 0 and dampening 0`);
  }

  protected update(p: Tensor, grad: Tensor, o: SGDOptions, s: ParamState): void {
    const d = p.device;
    const n = p.size;
    let g = grad;
    if (o.weightDecay !== 0 || (o.nesterov && o.momentum !== 0)) {
      const tmp = this.buffer(p, s, "_tmp");
      d.scopy(n, grad.storage.buffer, 1, grad.offset, tmp.storage.buffer, 1, tmp.offset);
      if (o.weightDecay !== 0) d.saxpy(n, o.weightDecay, p.storage.buffer, 1, p.offset, tmp.storage.buffer, 1, tmp.offset);
      g = tmp;
    }
    if (o.momentum !== 0) {
      const first = s.momentumBuffer === undefined;
      const b = this.buffer(p, s, "momentumBuffer");
      if (first) d.scopy(n, g.storage.buffer, 1, g.offset, b.storage.buffer, 1, b.offset);
      else {
        d.sscal(n, o.momentum, b.storage.buffer, 1, b.offset);
        d.saxpy(n, 1 - o.dampening, g.storage.buffer, 1, g.offset, b.storage.buffer, 1, b.offset);
      }
      if (o.nesterov) d.saxpy(n, o.momentum, b.storage.buffer, 1, b.offset, g.storage.buffer, 1, g.offset);
      else g = b;
    }
    d.saxpy(n, -o.lr, g.storage.buffer, 1, g.offset, p.storage.buffer, 1, p.offset);
  }
}
