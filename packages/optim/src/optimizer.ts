/**
 * The base of every optimizer: parameter groups with per-group options, per-parameter state on
 * the parameters' device, `zeroGrad`, `step`, and state dicts. Updates are device routines over
 * buffers (BLAS-first): no graph is recorded and no tensor is allocated after the first step.
 */
import { keep, zeros, type Tensor } from "@tessera/autograd";
import type { View } from "@tessera/blas";
import { rejectUnknownOptions } from "./options.js";

/**
 * Anything with a mutable learning rate `lr`: the options every optimizer has, and what a
 * learning-rate schedule changes in each parameter group.
 *
 * @example
 * ```ts
 * import type { HasLr } from "@tessera/optim";
 * const group: HasLr = { lr: 0.1 };
 * group.lr *= 0.1; // what StepLR does at a milestone
 * ```
 */
export interface HasLr {
  /** Learning rate. */
  lr: number;
}

/**
 * The parameters of a group: the tensors an optimizer updates with the group's options.
 *
 * @example
 * ```ts
 * import type { HasParams } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const group: HasParams = { params: [zeros([3], { requiresGrad: true })] };
 * ```
 */
export interface HasParams {
  /** The parameters (leaf tensors; those without a gradient, e.g. frozen ones, are skipped by `step()`). */
  params: readonly Tensor[];
}

/**
 * A group of parameters with its own options (e.g. no weight decay for biases).
 *
 * @example
 * ```ts
 * import { SGD } from "@tessera/optim";
 * import { zeros } from "@tessera/autograd";
 * const w = zeros([3], { requiresGrad: true }), b = zeros([1], { requiresGrad: true });
 * new SGD([{ params: [w] }, { params: [b], weightDecay: 0 }], { lr: 0.1, weightDecay: 1e-4 });
 * ```
 */
export type ParamGroup<O> = Readonly<HasParams> & Partial<O>;

/** Per-parameter state: tensors (moments) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number>;

/**
 * A parameter group in an {@link OptimizerStateDict}: the group's options (`lr`, `momentum`…) and
 * the indices of its parameters instead of the tensors.
 *
 * @example
 * ```ts
 * import type { SavedParamGroup } from "@tessera/optim";
 * const g: SavedParamGroup = { lr: 0.1, momentum: 0.9, params: [0, 1] };
 * ```
 */
export interface SavedParamGroup {
  /** The group's options, by name. */
  [option: string]: unknown;
  /** Indices of the group's parameters (global index over the groups, in group order). */
  params: number[];
}

/**
 * A serialisable optimizer state: per-parameter state (by index in group order) and the groups'
 * options. Tensors are stored as number arrays.
 *
 * @example
 * ```ts
 * import type { OptimizerStateDict } from "@tessera/optim";
 * const empty: OptimizerStateDict = { state: {}, paramGroups: [] };
 * ```
 */
export interface OptimizerStateDict {
  /** State of parameter i (global index over the groups). */
  readonly state: Record<number, Record<string, number | number[]>>;
  /** Options of each group, with the indices of its parameters. */
  readonly paramGroups: readonly SavedParamGroup[];
}

/** Throws unless `v` is a finite number >= 0. @internal */
export function nonNegative(name: string, arg: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name}: ${arg} must be a finite number >= 0, got ${v}`);
}

/** A contiguous 1-D device view of a tensor. @internal */
export function flatView(t: Tensor): View {
  return { buffer: t.storage.buffer, offset: t.offset, strides: [1] };
}

/**
 * Base class. Subclasses implement `update(param, grad, group, state)` with device routines.
 *
 * @example
 * ```ts
 * import { SGD } from "@tessera/optim";
 * // optimizer.zeroGrad(); loss.backward(); optimizer.step();
 * ```
 */
export abstract class Optimizer<O extends HasLr> {
  /** Groups with resolved options; `lr` is what schedulers change. */
  readonly paramGroups: (O & HasParams)[];
  /** State per parameter. */
  readonly state = new Map<Tensor, ParamState>();
  /** The class's name, for messages. */
  private readonly optimizerName: string;
  /** Every option key the optimizer reads (undefined: not checked, for subclasses that do not say). */
  private readonly optionKeys: readonly string[] | undefined;

  /**
   * Creates an optimizer over parameters or parameter groups with default options.
   *
   * @param defaults The options of every group (the user's options merged over the defaults).
   * @param name The class's name, for messages.
   * @param optionKeys Every option key the optimizer reads: other keys in `defaults`, in a group or
   *   in a loaded state dict are rejected (a typo is never silently dropped).
   */
  constructor(params: readonly Tensor[] | readonly ParamGroup<O>[], defaults: O, name: string, optionKeys?: readonly string[]) {
    this.optimizerName = name;
    this.optionKeys = optionKeys;
    if (optionKeys) rejectUnknownOptions(name, "options", defaults, optionKeys);
    const groups: readonly ParamGroup<O>[] = params.length > 0 && (params[0] as { isTensor?: boolean }).isTensor
      ? [{ params: params as readonly Tensor[] } as ParamGroup<O>]
      : (params as readonly ParamGroup<O>[]);
    if (groups.length === 0 || groups.every((g) => g.params.length === 0)) throw new RangeError(`${name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      if (optionKeys) rejectUnknownOptions(name, `parameter group ${gi}`, g, ["params", ...optionKeys]);
      for (const p of g.params) {
        if (seen.has(p)) throw new RangeError(`${name}: a parameter appears in more than one group`);
        seen.add(p);
        p.assertLive(name);
        if (!p.isLeaf) throw new RangeError(`${name}: parameter of shape [${p.shape.join(",")}] is the result of '${p.gradFn?.name}', not a leaf tensor`);
        if (!p.isContiguous) throw new RangeError(`${name}: parameter of shape [${p.shape.join(",")}] must be contiguous`);
      }
      const o = { ...defaults, ...g } as O & HasParams;
      this.validate(o, gi === 0 && groups.length === 1 ? name : `${name}: parameter group ${gi}`);
      return o;
    });
  }

  /**
   * Checks a group's options (subclasses add their own checks); runs at construction, at every
   * `step()` (a scheduler or the user may have changed `lr`) and on `loadStateDict`.
   */
  protected validate(o: O, name: string): void {
    nonNegative(name, "lr", o.lr);
  }

  /**
   * Drops every parameter's gradient (PyTorch's `set_to_none=True`).
   *
   * @example
   * ```ts
   * // before each backward():
   * // optimizer.zeroGrad();
   * ```
   */
  zeroGrad(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        p.grad?.dispose();
        p.grad = null;
      }
    }
  }

  /**
   * Applies one update to every parameter that has a gradient (PyTorch skips those whose grad is
   * None: frozen parameters, unused ones). Checks every group's options first (an `lr` set since
   * construction included), and throws on a disposed parameter or on state left on another device
   * (a model moved with `to()` after the first step), before anything is updated.
   *
   * @example
   * ```ts
   * // loss.backward(); optimizer.step();
   * ```
   */
  step(): void {
    const name = this.optimizerName;
    let index = 0;
    this.paramGroups.forEach((group, gi) => {
      this.validate(group, this.paramGroups.length === 1 ? `${name}.step` : `${name}.step: parameter group ${gi}`);
      for (const p of group.params) {
        const i = index++;
        if (p.isDisposed || p.storage.freed) throw new Error(`${name}.step: parameter ${i} of shape [${p.shape.join(",")}] was disposed`);
        if (p.grad && p.grad.device !== p.device) throw new Error(`${name}.step: parameter ${i} is on '${p.device.name}' but its gradient is on '${p.grad.device.name}'`);
        for (const [k, v] of Object.entries(this.state.get(p) ?? {})) {
          if (typeof v === "object" && v.device !== p.device) {
            throw new Error(`${name}.step: state '${k}' of parameter ${i} is on '${v.device.name}' but the parameter is on '${p.device.name}'; move the model before the first step() or create a new optimizer`);
          }
        }
      }
    });
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        let s = this.state.get(p);
        if (!s) this.state.set(p, (s = {}));
        this.update(p, p.grad, group, s);
      }
    }
  }

  /** One parameter's update. */
  protected abstract update(param: Tensor, grad: Tensor, group: O, state: ParamState): void;

  /** A zero tensor like `p` that no scope frees, stored in `state[key]`. */
  protected buffer(p: Tensor, state: ParamState, key: string): Tensor {
    let t = state[key];
    if (typeof t !== "object") {
      t = keep(zeros(p.shape, { device: p.device }));
      state[key] = t;
    }
    return t;
  }

  /**
   * The state as plain numbers (reads device memory, hence async).
   *
   * @example
   * ```ts
   * // const saved = await optimizer.stateDict(); later: optimizer.loadStateDict(saved)
   * ```
   */
  async stateDict(): Promise<OptimizerStateDict> {
    const state: Record<number, Record<string, number | number[]>> = {};
    let i = 0;
    const paramGroups = [];
    for (const g of this.paramGroups) {
      const { params, ...opts } = g;
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s) {
          const out: Record<string, number | number[]> = {};
          for (const [k, v] of Object.entries(s)) if (!k.startsWith("_")) out[k] = typeof v === "number" ? v : [...(await v.data())];
          state[i] = out;
        }
        ids.push(i++);
      }
      paramGroups.push({ ...opts, params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state from {@link stateDict} (same parameter layout). All or nothing: every group,
   * option and state entry is checked before anything changes, so a failed load leaves the
   * optimizer as it was.
   *
   * @example
   * ```ts
   * // optimizer.loadStateDict(await other.stateDict());
   * ```
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const fn = `${this.optimizerName}.loadStateDict`;
    if (typeof sd !== "object" || sd === null || !Array.isArray(sd.paramGroups) || typeof sd.state !== "object" || sd.state === null) {
      throw new TypeError(`${fn}: expected { state, paramGroups } as stateDict() returns`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(`${fn}: state has ${sd.paramGroups.length} parameter groups, optimizer has ${this.paramGroups.length}`);
    }
    // 1. Check everything.
    const total = this.paramGroups.reduce((n, g) => n + g.params.length, 0);
    for (const k of Object.keys(sd.state)) {
      if (!(Number.isInteger(+k) && +k >= 0 && +k < total)) throw new RangeError(`${fn}: state for parameter '${k}', but the optimizer has ${total} parameters`);
    }
    const newOpts: Record<string, unknown>[] = [];
    let i = 0;
    this.paramGroups.forEach((g, gi) => {
      const src = sd.paramGroups[gi];
      if (!Array.isArray(src.params) || src.params.length !== g.params.length) {
        throw new RangeError(`${fn}: group ${gi} has ${Array.isArray(src.params) ? src.params.length : "no"} parameters, expected ${g.params.length}`);
      }
      const { params: _ignored, ...opts } = src;
      if (this.optionKeys) rejectUnknownOptions(fn, `parameter group ${gi}`, opts, this.optionKeys);
      this.validate({ ...g, ...opts } as O, `${fn}: parameter group ${gi}`);
      newOpts.push(opts);
      for (const p of g.params) {
        const s = sd.state[i++];
        if (!s) continue;
        for (const [k, v] of Object.entries(s)) {
          if (typeof v === "number") {
            if (!Number.isFinite(v)) throw new RangeError(`${fn}: state '${k}' of parameter ${i - 1} is ${v}`);
          } else if (!Array.isArray(v) || v.length !== p.size) {
            throw new RangeError(`${fn}: state '${k}' of parameter ${i - 1} has ${Array.isArray(v) ? v.length : "no"} values, expected ${p.size}`);
          }
        }
      }
    });
    // 2. Apply.
    i = 0;
    this.paramGroups.forEach((g, gi) => {
      Object.assign(g, newOpts[gi]);
      for (const p of g.params) {
        const s = sd.state[i++];
        const old = this.state.get(p);
        const st: ParamState = {};
        for (const [k, v] of Object.entries(s ?? {})) {
          if (typeof v === "number") st[k] = v;
          else {
            const t = this.buffer(p, st, k);
            p.device.write(t.storage.buffer, Float32Array.from(v), t.offset);
          }
        }
        for (const v of Object.values(old ?? {})) if (typeof v === "object") v.dispose();
        if (s) this.state.set(p, st);
        else this.state.delete(p);
      }
    });
  }
}
