/**
 * Reducing the learning rate when a metric stops improving (torch.optim.lr_scheduler.ReduceLROnPlateau).
 */
import { rejectUnknownOptions } from "./options.js";
import { checkState, finiteAtLeast, type HasParamGroups, type SchedulerStateDict } from "./scheduler-state.js";

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
