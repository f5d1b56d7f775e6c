/**
 * Learning-rate schedules with torch.optim.lr_scheduler's names and formulas. Call `step()` once
 * per epoch (or per batch for OneCycleLR), after `optimizer.step()`.
 */
import type { HasLr } from "./optimizer.js";
import { rejectUnknownOptions } from "./options.js";

/** What a scheduler needs of an optimizer: groups with a mutable `lr`. */
export interface HasParamGroups {
  /** The groups whose `lr` is set. */
  readonly paramGroups: HasLr[];
}

/**
 * A scheduler's saved state: its class, its hyper-parameters (checked on load: a state saved by
 * another schedule is refused, never silently continued), and its progress.
 *
 * @example
 * ```ts
 * import { StepLR, type SchedulerStateDict } from "@tessera/optim";
 * const sd: SchedulerStateDict = new StepLR({ paramGroups: [{ lr: 0.1 }] }, 30).stateDict();
 * JSON.stringify(sd); // plain numbers: store it beside the optimizer's state
 * ```
 */
export interface SchedulerStateDict {
  /** The scheduler's class name (`StepLR`, …). */
  readonly scheduler: string;
  /** The constructor's hyper-parameters. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The progress: `lastEpoch` and `baseLrs` (epoch schedules) or the plateau counters. */
  readonly state: Readonly<Record<string, number | null | readonly number[]>>;
}

function checkState(fn: string, sd: SchedulerStateDict, name: string, config: Record<string, unknown>): void {
  if (typeof sd !== "object" || sd === null || typeof sd.state !== "object" || sd.state === null) {
    throw new TypeError(`${fn}: expected { scheduler, config, state } as stateDict() returns`);
  }
  if (sd.scheduler !== name) throw new RangeError(`${fn}: the state was saved by ${String(sd.scheduler)}, this is ${name}`);
  const want = JSON.stringify(config);
  const got = JSON.stringify(sd.config);
  if (got !== want) throw new RangeError(`${fn}: the state was saved with ${got}, this scheduler has ${want}`);
}

function finiteAtLeast(name: string, arg: string, v: unknown, min: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) throw new RangeError(`${name}: ${arg} must be a finite number >= ${min}, got ${v}`);
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

function positive(name: string, arg: string, v: number): void {
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${name}: ${arg} must be a finite number > 0, got ${v}`);
}

function positiveInteger(name: string, arg: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name}: ${arg} must be a positive integer, got ${v}`);
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
    const name = "ReduceLROnPlateau";
    rejectUnknownOptions(name, "options", o, ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"]);
    this.o = { mode: "min", factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: "rel", cooldown: 0, minLr: 0, eps: 1e-8, ...o };
    if (!(this.o.factor < 1 && this.o.factor > 0)) throw new RangeError(`${name}: factor must be in (0, 1), got ${this.o.factor}`);
    if (this.o.mode !== "min" && this.o.mode !== "max") throw new RangeError(`${name}: mode must be 'min' or 'max', got ${JSON.stringify(this.o.mode)}`);
    if (this.o.thresholdMode !== "rel" && this.o.thresholdMode !== "abs") throw new RangeError(`${name}: thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(this.o.thresholdMode)}`);
    for (const k of ["patience", "cooldown"] as const) if (!(Number.isInteger(this.o[k]) && this.o[k] >= 0)) throw new RangeError(`${name}: ${k} must be an integer >= 0, got ${this.o[k]}`);
    for (const k of ["threshold", "minLr", "eps"] as const) finiteAtLeast(name, k, this.o[k], 0);
    this.best = this.o.mode === "min" ? Infinity : -Infinity;
  }

  private config(): Record<string, unknown> {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps } = this.o;
    return { mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps };
  }

  /**
   * The plateau counters (the best metric is `null` before the first `step`), to save with the
   * optimizer's state.
   *
   * @example
   * ```ts
   * import { ReduceLROnPlateau } from "@tessera/optim";
   * const s = new ReduceLROnPlateau({ paramGroups: [{ lr: 0.1 }] });
   * s.step(1.5);
   * s.stateDict().state; // { best: 1.5, numBadEpochs: 0, cooldownCounter: 0 }
   * ```
   */
  stateDict(): SchedulerStateDict {
    return {
      scheduler: "ReduceLROnPlateau", config: this.config(),
      state: { best: Number.isFinite(this.best) ? this.best : null, numBadEpochs: this.bad, cooldownCounter: this.cooling },
    };
  }

  /**
   * Restores the counters from {@link ReduceLROnPlateau.stateDict} (same options). The learning
   * rates themselves are the optimizer's state: load it too.
   *
   * @example
   * ```ts
   * import { ReduceLROnPlateau } from "@tessera/optim";
   * const a = new ReduceLROnPlateau({ paramGroups: [{ lr: 0.1 }] });
   * a.step(1.5);
   * new ReduceLROnPlateau({ paramGroups: [{ lr: 0.1 }] }).loadStateDict(a.stateDict());
   * ```
   */
  loadStateDict(sd: SchedulerStateDict): void {
    const fn = "ReduceLROnPlateau.loadStateDict";
    checkState(fn, sd, "ReduceLROnPlateau", this.config());
    const { best, numBadEpochs, cooldownCounter } = sd.state;
    if (best !== null && (typeof best !== "number" || !Number.isFinite(best))) throw new RangeError(`${fn}: best must be a finite number or null, got ${best}`);
    for (const [k, v] of [["numBadEpochs", numBadEpochs], ["cooldownCounter", cooldownCounter]] as const) {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: ${k} must be an integer >= 0, got ${v}`);
    }
    this.best = best ?? (this.o.mode === "min" ? Infinity : -Infinity);
    this.bad = numBadEpochs as number;
    this.cooling = cooldownCounter as number;
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
