/**
 * Learning-rate schedules with torch.optim.lr_scheduler's names and formulas. Call `step()` once
 * per epoch (or per batch for OneCycleLR), after `optimizer.step()`.
 */
import { checkState, finiteAtLeast, positive, positiveInteger, type HasParamGroups, type SchedulerStateDict } from "./scheduler-state.js";

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
  /** The learning rates at construction (or as loaded by {@link LRScheduler.loadStateDict}). */
  baseLrs: number[];
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

  /** The hyper-parameters a saved state must match. */
  protected abstract config(): Record<string, unknown>;

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

  /**
   * The schedule's state (plain numbers): save it with the optimizer's so a resumed run continues
   * the schedule exactly.
   *
   * @example
   * ```ts
   * import { CosineAnnealingLR } from "@tessera/optim";
   * const s = new CosineAnnealingLR({ paramGroups: [{ lr: 0.1 }] }, 10);
   * s.step();
   * s.stateDict().state; // { lastEpoch: 1, baseLrs: [0.1] }
   * ```
   */
  stateDict(): SchedulerStateDict {
    return { scheduler: this.constructor.name, config: this.config(), state: { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] } };
  }

  /**
   * Restores a state from {@link LRScheduler.stateDict} (same class and hyper-parameters, same
   * number of groups) and sets every group's lr to the schedule's value at the restored step, so
   * the order of loading optimizer and scheduler does not matter. Checks everything before it
   * changes anything.
   *
   * @example
   * ```ts
   * import { StepLR } from "@tessera/optim";
   * const opt = { paramGroups: [{ lr: 0.1 }] };
   * const a = new StepLR(opt, 2, 0.5);
   * a.step(); a.step();
   * const b = new StepLR({ paramGroups: [{ lr: 0.1 }] }, 2, 0.5);
   * b.loadStateDict(a.stateDict()); // b continues at step 2, lr 0.05
   * ```
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const name = this.constructor.name;
    const fn = `${name}.loadStateDict`;
    checkState(fn, sd, name, this.config());
    const { lastEpoch, baseLrs } = sd.state;
    if (typeof lastEpoch !== "number" || !Number.isInteger(lastEpoch) || lastEpoch < 0) throw new RangeError(`${fn}: lastEpoch must be an integer >= 0, got ${lastEpoch}`);
    const groups = this.optimizer.paramGroups.length;
    if (!Array.isArray(baseLrs) || baseLrs.length !== groups) throw new RangeError(`${fn}: baseLrs must hold ${groups} learning rates, got ${JSON.stringify(baseLrs)}`);
    baseLrs.forEach((v, i) => finiteAtLeast(fn, `baseLrs[${i}]`, v, 0));
    this.checkStep(fn, lastEpoch);
    this.baseLrs = [...baseLrs];
    this.lastEpoch = lastEpoch;
    this.apply();
  }

  /** Throws when step t is beyond the schedule (OneCycleLR). */
  protected checkStep(_fn: string, _t: number): void {}
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
    positiveInteger("StepLR", "stepSize", stepSize);
    finiteAtLeast("StepLR", "gamma", gamma, 0);
  }
  protected config(): Record<string, unknown> {
    return { stepSize: this.stepSize, gamma: this.gamma };
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
    if (!Array.isArray(milestones) || milestones.some((m, i) => !Number.isInteger(m) || m < 0 || (i > 0 && m <= milestones[i - 1]))) {
      throw new RangeError(`MultiStepLR: milestones must be increasing integers >= 0, got ${JSON.stringify(milestones)}`);
    }
    finiteAtLeast("MultiStepLR", "gamma", gamma, 0);
  }
  protected config(): Record<string, unknown> {
    return { milestones: [...this.milestones], gamma: this.gamma };
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
    finiteAtLeast("ExponentialLR", "gamma", gamma, 0);
  }
  protected config(): Record<string, unknown> {
    return { gamma: this.gamma };
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
    finiteAtLeast("CosineAnnealingLR", "etaMin", etaMin, 0);
  }
  protected config(): Record<string, unknown> {
    return { tMax: this.tMax, etaMin: this.etaMin };
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
    if (!(endFactor >= 0 && endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    positiveInteger("LinearLR", "totalIters", totalIters);
    this.apply();
  }
  protected config(): Record<string, unknown> {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }
  protected lrAt(base: number, t: number): number {
    const f = this.startFactor + ((this.endFactor - this.startFactor) * Math.min(t, this.totalIters)) / this.totalIters;
    return base * f;
  }
}
