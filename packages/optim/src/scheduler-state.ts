/**
 * What the learning-rate schedules share: the saved-state format and the argument checks.
 */
import type { HasLr } from "./optimizer.js";

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

/** Checks a saved state's class and hyper-parameters against this scheduler. @internal */
export function checkState(fn: string, sd: SchedulerStateDict, name: string, config: Record<string, unknown>): void {
  if (typeof sd !== "object" || sd === null || typeof sd.state !== "object" || sd.state === null) {
    throw new TypeError(`${fn}: expected { scheduler, config, state } as stateDict() returns`);
  }
  if (sd.scheduler !== name) throw new RangeError(`${fn}: the state was saved by ${String(sd.scheduler)}, this is ${name}`);
  const want = JSON.stringify(config);
  const got = JSON.stringify(sd.config);
  if (got !== want) throw new RangeError(`${fn}: the state was saved with ${got}, this scheduler has ${want}`);
}

/** Throws unless v is a finite number >= min. @internal */
export function finiteAtLeast(name: string, arg: string, v: unknown, min: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) throw new RangeError(`${name}: ${arg} must be a finite number >= ${min}, got ${v}`);
}

/** Throws unless v is a finite number > 0. @internal */
export function positive(name: string, arg: string, v: number): void {
  if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${name}: ${arg} must be a finite number > 0, got ${v}`);
}

/** Throws unless v is a positive integer. @internal */
export function positiveInteger(name: string, arg: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${name}: ${arg} must be a positive integer, got ${v}`);
}

