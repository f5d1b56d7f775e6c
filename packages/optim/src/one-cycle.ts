/**
 * The 1cycle learning-rate policy (torch.optim.lr_scheduler.OneCycleLR). Step it per batch.
 */
import { rejectUnknownOptions } from "./options.js";
import { LRScheduler } from "./schedulers.js";
import { positive, positiveInteger, type HasParamGroups } from "./scheduler-state.js";

/**
 * Options of {@link OneCycleLR} (PyTorch's names; momentum cycling is not implemented).
 *
 * @example
 * ```ts
 * import type { OneCycleOptions } from "@tessera/optim";
 * const o: OneCycleOptions = { maxLr: 0.1, totalSteps: 1000 };
 * ```
 */
export interface OneCycleOptions {
  /** Peak learning rate. */ readonly maxLr: number;
  /** Number of `step()` calls in the whole run. */ readonly totalSteps: number;
  /** Fraction of the run spent increasing (default 0.3). */ readonly pctStart?: number;
  /** 'cos' (default) or 'linear'. */ readonly annealStrategy?: "cos" | "linear";
  /** initial lr = maxLr / divFactor (default 25). */ readonly divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */ readonly finalDivFactor?: number;
}

/**
 * The 1cycle policy (Smith & Topin, 2018) as torch.optim.lr_scheduler.OneCycleLR (two phases):
 * from maxLr/divFactor up to maxLr over pctStart·totalSteps − 1 steps, then down to
 * initial/finalDivFactor at step totalSteps − 1. Step it per batch.
 *
 * @example
 * ```ts
 * import { OneCycleLR } from "@tessera/optim";
 * const s = new OneCycleLR({ paramGroups: [{ lr: 0.1 }] }, { maxLr: 0.1, totalSteps: 500 });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  private readonly o: Required<OneCycleOptions>;
  /** Starts at maxLr / divFactor. */
  constructor(optimizer: HasParamGroups, o: OneCycleOptions) {
    super(optimizer);
    rejectUnknownOptions("OneCycleLR", "options", o, ["maxLr", "totalSteps", "pctStart", "annealStrategy", "divFactor", "finalDivFactor"]);
    this.o = { pctStart: 0.3, annealStrategy: "cos", divFactor: 25, finalDivFactor: 1e4, ...o };
    positive("OneCycleLR", "maxLr", this.o.maxLr);
    positiveInteger("OneCycleLR", "totalSteps", this.o.totalSteps);
    positive("OneCycleLR", "divFactor", this.o.divFactor);
    positive("OneCycleLR", "finalDivFactor", this.o.finalDivFactor);
    if (!(this.o.pctStart > 0 && this.o.pctStart < 1)) throw new RangeError(`OneCycleLR: pctStart must be in (0, 1), got ${this.o.pctStart}`);
    if (this.o.annealStrategy !== "cos" && this.o.annealStrategy !== "linear") {
      throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${JSON.stringify(this.o.annealStrategy)}`);
    }
    this.apply();
  }
  protected config(): Record<string, unknown> {
    const { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor } = this.o;
    return { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor };
  }
  protected override checkStep(fn: string, t: number): void {
    // PyTorch allows exactly totalSteps calls of step() after construction (last_epoch = totalSteps).
    if (t > this.o.totalSteps) throw new RangeError(`${fn}: stepped ${t} times, more than totalSteps = ${this.o.totalSteps}`);
  }
  /**
   * Advances one step; throws beyond `totalSteps` steps (PyTorch's limit) without changing the lr.
   *
   * @example
   * ```ts
   * // per batch: optimizer.step(); scheduler.step();
   * ```
   */
  override step(): void {
    this.checkStep("OneCycleLR", this.lastEpoch + 1);
    super.step();
  }
  protected lrAt(_base: number, t: number): number {
    const { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor } = this.o;
    const initial = maxLr / divFactor;
    const minLr = initial / finalDivFactor;
    const upEnd = pctStart * totalSteps - 1;
    const anneal = (a: number, b: number, pct: number) => (annealStrategy === "cos" ? b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1) : (b - a) * pct + a);
    if (t <= upEnd) return anneal(initial, maxLr, upEnd > 0 ? t / upEnd : 1);
    return anneal(maxLr, minLr, (t - upEnd) / (totalSteps - 1 - upEnd));
  }
}
