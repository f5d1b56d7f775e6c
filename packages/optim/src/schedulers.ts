/**
 * Learning-rate schedules with torch.optim.lr_scheduler's names and formulas. Call `step()` once
 * per epoch (or per batch for OneCycleLR), after `optimizer.step()`.
 */
import type { HasLr } from "./optimizer.js";

/** What a scheduler needs of an optimizer: groups with a mutable `lr`. */
export interface HasParamGroups {
  /** The groups whose `lr` is set. */
  readonly paramGroups: HasLr[];
}

/**
 * Base of the epoch-indexed schedules: lr_t = f(base_lr, t) in closed form.
 *
 * @example
 * ```ts
 * import { StepLR } from "@tessera/optim";
 * // const sched = new StepLR(optimizer, 30, 0.1); each epoch: sched.step();
 * ```
 */
export abstract class LRScheduler {
  /** The learning rates at construction. */
  readonly baseLrs: number[];
  /** Number of `step()` calls so far. */
  lastEpoch = 0;

  /**
   * Records the base learning rates and applies the schedule at t = 0.
   *
   * @param optimizer The optimizer whose groups' `lr` is scheduled.
   */
  constructor(readonly optimizer: HasParamGroups) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** lr of a group at step t. */
  protected abstract lrAt(base: number, t: number): number;

  /** Applies the schedule at t = lastEpoch. */
  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = this.lrAt(this.baseLrs[i], this.lastEpoch)));
  }

  /**
   * Advances one step and sets every group's lr.
   *
   * @example
   * ```ts
   * // for (let epoch = 0; epoch < 90; epoch++) { train(); scheduler.step(); }
   * ```
   */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /**
   * The current learning rate of each group.
   *
   * @example
   * ```ts
   * // scheduler.getLastLr(); // [0.01]
   * ```
   */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

function positive(name: string, arg: string, v: number): void {
  if (!(v > 0)) throw new RangeError(`${name}: ${arg} must be > 0, got ${v}`);
}

/**
 * lr = base · γ^⌊t / stepSize⌋.
 *
 * @example
 * ```ts
 * import { StepLR } from "@tessera/optim";
 * const s = new StepLR({ paramGroups: [{ lr: 0.1 }] }, 30, 0.1);
 * ```
 */
export class StepLR extends LRScheduler {
  /**
   * Decays by `gamma` every `stepSize` steps.
   *
   * @param stepSize Steps between two decays.
   * @param gamma Multiplicative decay factor (default 0.1).
   */
  constructor(optimizer: HasParamGroups, readonly stepSize: number, readonly gamma = 0.1) {
    super(optimizer);
    positive("StepLR", "stepSize", stepSize);
  }
  protected lrAt(base: number, t: number): number {
    return base * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/**
 * lr = base · γ^(number of milestones ≤ t).
 *
 * @example
 * ```ts
 * import { MultiStepLR } from "@tessera/optim";
 * const s = new MultiStepLR({ paramGroups: [{ lr: 0.1 }] }, [100, 150], 0.1); // He et al.'s CIFAR recipe (in epochs)
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /**
   * Decays by `gamma` at each milestone.
   *
   * @param milestones Increasing step indices at which the lr decays.
   * @param gamma Multiplicative decay factor (default 0.1).
   */
  constructor(optimizer: HasParamGroups, readonly milestones: readonly number[], readonly gamma = 0.1) {
    super(optimizer);
    if (milestones.some((m, i) => i > 0 && m <= milestones[i - 1])) throw new RangeError(`MultiStepLR: milestones must increase, got [${milestones.join(",")}]`);
  }
  protected lrAt(base: number, t: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= t).length;
  }
}

/**
 * lr = base · γ^t.
 *
 * @example
 * ```ts
 * import { ExponentialLR } from "@tessera/optim";
 * const s = new ExponentialLR({ paramGroups: [{ lr: 0.1 }] }, 0.95);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /**
   * Decays by `gamma` every step.
   *
   * @param gamma Multiplicative decay factor per step.
   */
  constructor(optimizer: HasParamGroups, readonly gamma: number) {
    super(optimizer);
  }
  protected lrAt(base: number, t: number): number {
    return base * this.gamma ** t;
  }
}

/**
 * lr = η_min + (base − η_min)·(1 + cos(π·t/T_max))/2 (the closed form of PyTorch's SGDR without restarts).
 *
 * @example
 * ```ts
 * import { CosineAnnealingLR } from "@tessera/optim";
 * const s = new CosineAnnealingLR({ paramGroups: [{ lr: 0.1 }] }, 200);
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /**
   * Anneals over `tMax` steps down to `etaMin`.
   *
   * @param tMax Steps of the half cosine (T_max).
   * @param etaMin Minimum learning rate η_min (default 0).
   */
  constructor(optimizer: HasParamGroups, readonly tMax: number, readonly etaMin = 0) {
    super(optimizer);
    positive("CosineAnnealingLR", "tMax", tMax);
  }
  protected lrAt(base: number, t: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

/**
 * Linear warm-up (PyTorch's LinearLR): the factor goes linearly from `startFactor` to `endFactor`
 * over `totalIters` steps, then stays.
 *
 * @example
 * ```ts
 * import { LinearLR } from "@tessera/optim";
 * const warmup = new LinearLR({ paramGroups: [{ lr: 0.1 }] }, 0.1, 1, 5);
 * ```
 */
export class LinearLR extends LRScheduler {
  /**
   * Scales the base lr by a linearly changing factor.
   *
   * @param startFactor Factor of the base lr at step 0, in (0, 1] (default 1/3).
   * @param endFactor Factor of the base lr from step `totalIters` on (default 1).
   * @param totalIters Steps over which the factor changes (default 5).
   */
  constructor(optimizer: HasParamGroups, readonly startFactor = 1 / 3, readonly endFactor = 1, readonly totalIters = 5) {
    super(optimizer);
    if (!(startFactor > 0 && startFactor <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${startFactor}`);
    this.apply();
  }
  protected lrAt(base: number, t: number): number {
    const f = this.startFactor + ((this.endFactor - this.startFactor) * Math.min(t, this.totalIters)) / this.totalIters;
    return base * f;
  }
}

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
    this.o = { pctStart: 0.3, annealStrategy: "cos", divFactor: 25, finalDivFactor: 1e4, ...o };
    positive("OneCycleLR", "totalSteps", o.totalSteps);
    if (!(this.o.pctStart > 0 && this.o.pctStart < 1)) throw new RangeError(`OneCycleLR: pctStart must be in (0, 1), got ${this.o.pctStart}`);
    this.apply();
  }
  protected lrAt(_base: number, t: number): number {
    const { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor } = this.o;
    if (t >= totalSteps) throw new RangeError(`OneCycleLR: stepped ${t + 1} times, more than totalSteps = ${totalSteps}`);
    const initial = maxLr / divFactor;
    const minLr = initial / finalDivFactor;
    const upEnd = pctStart * totalSteps - 1;
    const anneal = (a: number, b: number, pct: number) => (annealStrategy === "cos" ? b + ((a - b) / 2) * (Math.cos(Math.PI * pct) + 1) : (b - a) * pct + a);
    if (t <= upEnd) return anneal(initial, maxLr, upEnd > 0 ? t / upEnd : 1);
    return anneal(maxLr, minLr, (t - upEnd) / (totalSteps - 1 - upEnd));
  }
}

/**
 * Options of {@link ReduceLROnPlateau} (PyTorch's).
 *
 * @example
 * ```ts
 * import type { PlateauOptions } from "@tessera/optim";
 * const o: PlateauOptions = { mode: "max", factor: 0.1, patience: 5 };
 * ```
 */
export interface PlateauOptions {
  /** 'min' (a loss, default) or 'max' (an accuracy). */ readonly mode?: "min" | "max";
  /** Multiplier of the lr (default 0.1, the course's "reduce by 10"). */ readonly factor?: number;
  /** Epochs without improvement before reducing (default 10). */ readonly patience?: number;
  /** Minimum significant change (default 1e-4). */ readonly threshold?: number;
  /** 'rel' (default) or 'abs'. */ readonly thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction (default 0). */ readonly cooldown?: number;
  /** Lower bound of the lr (default 0). */ readonly minLr?: number;
  /** Smallest change of lr that is applied (default 1e-8). */ readonly eps?: number;
}

/**
 * Reduces the lr when a metric stops improving — the course's "reduced by 10 manually when the
 * validation accuracy plateaus", automated. Call `step(metric)` once per epoch.
 *
 * @example
 * ```ts
 * import { ReduceLROnPlateau } from "@tessera/optim";
 * const s = new ReduceLROnPlateau({ paramGroups: [{ lr: 0.01 }] }, { mode: "max", patience: 3 });
 * s.step(0.91); // validation accuracy
 * ```
 */
export class ReduceLROnPlateau {
  private readonly o: Required<PlateauOptions>;
  private best: number;
  private bad = 0;
  private cooling = 0;

  /**
   * Watches a metric for the optimizer's groups.
   *
   * @param optimizer The optimizer whose groups' `lr` is reduced.
   */
  constructor(readonly optimizer: HasParamGroups, o: PlateauOptions = {}) {
    this.o = { mode: "min", factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: "rel", cooldown: 0, minLr: 0, eps: 1e-8, ...o };
    if (!(this.o.factor < 1 && this.o.factor > 0)) throw new RangeError(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.o.factor}`);
    this.best = this.o.mode === "min" ? Infinity : -Infinity;
  }

  private better(v: number): boolean {
    const { mode, threshold, thresholdMode } = this.o;
    if (mode === "min") return thresholdMode === "rel" ? v < this.best * (1 - threshold) : v < this.best - threshold;
    return thresholdMode === "rel" ? v > this.best * (1 + threshold) : v > this.best + threshold;
  }

  /**
   * Records this epoch's metric; reduces the lr after `patience` epochs without improvement.
   *
   * @example
   * ```ts
   * // scheduler.step(validationLoss);
   * ```
   */
  step(metric: number): void {
    if (Number.isNaN(metric)) throw new RangeError("ReduceLROnPlateau: metric is NaN");
    if (this.better(metric)) {
      this.best = metric;
      this.bad = 0;
    } else this.bad++;
    if (this.cooling > 0) {
      this.cooling--;
      this.bad = 0;
    }
    if (this.bad > this.o.patience) {
      for (const g of this.optimizer.paramGroups) {
        const next = Math.max(g.lr * this.o.factor, this.o.minLr);
        if (g.lr - next > this.o.eps) g.lr = next;
      }
      this.cooling = this.o.cooldown;
      this.bad = 0;
    }
  }

  /**
   * Current learning rates.
   *
   * @example
   * ```ts
   * // scheduler.getLastLr();
   * ```
   */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
