import { keep, tensor, type Tensor } from "@tessera/autograd";
import type { Device } from "@tessera/blas";
import { rejectUnknownOptions } from "@tessera/optim";
import { isParameter, Parameter } from "./parameter.js";

/**
 * A state dict: names (torchvision's keys, e.g. `layer1.0.conv1.weight`) to tensors, in
 * registration order (a module's parameters, then its buffers, then its children).
 *
 * @example
 * ```ts
 * import type { StateDict } from "@tessera/nn";
 * const sd: StateDict = new Map();
 * ```
 */
export type StateDict = Map<string, Tensor>;

/**
 * Options of {@link Module.loadStateDict}.
 *
 * @example
 * ```ts
 * import type { LoadOptions } from "@tessera/nn";
 * const o: LoadOptions = { strict: false };
 * ```
 */
export interface LoadOptions {
  /** Require exactly the module's keys (default true). Shapes must always match. */
  readonly strict?: boolean;
}

/**
 * What {@link Module.loadStateDict} found: the module's keys absent from the state dict, and the
 * state dict's keys the module does not have (both empty after a strict load).
 *
 * @example
 * ```ts
 * import { Linear } from "@tessera/nn";
 * const { missingKeys, unexpectedKeys } = await new Linear(2, 2).loadStateDict(new Map(), { strict: false });
 * missingKeys; // ["weight", "bias"]
 * ```
 */
export interface LoadResult {
  /** Keys of the module that the state dict lacks (left unchanged). */
  readonly missingKeys: string[];
  /** Keys of the state dict that the module does not have (ignored). */
  readonly unexpectedKeys: string[];
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && (v as { isTensor?: boolean }).isTensor === true;
}

/**
 * The base of every layer and model. Parameters are found by walking the module's own fields
 * (tensors marked with {@link Parameter} or requiring grad, modules, and arrays of modules), so
 * keys follow field names and match torchvision's when the fields do. A frozen parameter
 * (`requiresGrad = false`) stays a parameter. Buffers (e.g. BatchNorm running statistics) are
 * registered with {@link Module.registerBuffer}.
 *
 * @example
 * ```ts
 * import { Module, Linear, ReLU } from "@tessera/nn";
 * import type { Tensor } from "@tessera/autograd";
 * class Mlp extends Module {
 *   fc1 = new Linear(784, 16);
 *   act = new ReLU();
 *   fc2 = new Linear(16, 10);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
 *   }
 * }
 * new Mlp().numParameters(); // 12730
 * ```
 */
export abstract class Module {
  /** Training mode (Dropout and BatchNorm behave differently in evaluation). */
  training = true;
  private readonly _buffers = new Map<string, Tensor>();

  /** Computes the output. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers (or replaces) a buffer: state that is saved but not trained. */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this._buffers.set(name, t);
    return t;
  }

  /** A registered buffer by name (buffers can be replaced by `to()`, so read them through this). */
  protected getBuffer(name: string): Tensor {
    const b = this._buffers.get(name);
    if (!b) throw new Error(`${this.constructor.name}: no buffer named '${name}'`);
    return b;
  }

  /** Called on every module of the tree after {@link Module.loadStateDict} wrote the values (a hook for host-side copies of state). */
  protected async afterLoad(): Promise<void> {}

  /**
   * Own fields holding parameters, in definition order: tensors marked with {@link Parameter}, and
   * leaf tensors that require grad (marked here, so that freezing them later keeps them).
   */
  private ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (k.startsWith("_") || !isTensor(v)) continue;
      if (isParameter(v)) out.push([k, v]);
      else if (v.requiresGrad && v.isLeaf) out.push([k, Parameter(v)]);
    }
    return out;
  }

  /**
   * Direct children with their names (modules, and elements of module arrays as `name.i`).
   *
   * @example
   * ```ts
   * import { Sequential, Linear } from "@tessera/nn";
   * new Sequential(new Linear(2, 2)).namedChildren().map(([k]) => k); // ["0"]
   * ```
   */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (k.startsWith("_")) continue;
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module)) v.forEach((m, i) => out.push([`${k}.${i}`, m]));
    }
    return out;
  }

  /**
   * Every module in the tree with its dotted name ('' for this one), depth first.
   *
   * @example
   * ```ts
   * import { Sequential, Linear, ReLU } from "@tessera/nn";
   * new Sequential(new Linear(2, 2), new ReLU()).namedModules().length; // 3
   * ```
   */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [k, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${k}` : k));
    return out;
  }

  /**
   * Parameters with their dotted names (`features.0.weight`).
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * new Linear(3, 2).namedParameters().map(([k]) => k); // ["weight", "bias"]
   * ```
   */
  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = this.ownParameters().map(([k, t]) => [prefix + k, t]);
    for (const [k, m] of this.namedChildren()) out.push(...m.namedParameters(`${prefix}${k}.`));
    return out;
  }

  /**
   * The parameters, for an optimizer.
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * import { SGD } from "@tessera/optim";
   * const fc = new Linear(3, 2);
   * const opt = new SGD(fc.parameters(), { lr: 0.1 });
   * ```
   */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /**
   * Buffers with their dotted names (`bn1.running_mean`).
   *
   * @example
   * ```ts
   * import { BatchNorm2d } from "@tessera/nn";
   * new BatchNorm2d(4).namedBuffers().map(([k]) => k); // ["running_mean", "running_var", "num_batches_tracked"]
   * ```
   */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [...this._buffers].map(([k, t]) => [prefix + k, t]);
    for (const [k, m] of this.namedChildren()) out.push(...m.namedBuffers(`${prefix}${k}.`));
    return out;
  }

  /**
   * The buffers.
   *
   * @example
   * ```ts
   * import { BatchNorm1d } from "@tessera/nn";
   * new BatchNorm1d(8).buffers().length; // 3
   * ```
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, t]) => t);
  }

  /**
   * Number of parameter elements: all parameters (PyTorch's `sum(p.numel() for p in
   * model.parameters())`), or with `trainableOnly` those that require grad.
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * const fc = new Linear(784, 16);
   * fc.bias!.requiresGrad = false;
   * fc.numParameters();                         // 12560
   * fc.numParameters({ trainableOnly: true });  // 12544
   * ```
   */
  numParameters(o: { readonly trainableOnly?: boolean } = {}): number {
    rejectUnknownOptions("numParameters", "options", o, ["trainableOnly"]);
    return this.parameters().reduce((s, p) => s + (o.trainableOnly && !p.requiresGrad ? 0 : p.size), 0);
  }

  /**
   * Switches training mode on (or off) for the whole tree. Returns this.
   *
   * @example
   * ```ts
   * import { Dropout } from "@tessera/nn";
   * const d = new Dropout(0.5).train();
   * ```
   */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)`.
   *
   * @example
   * ```ts
   * import { BatchNorm2d } from "@tessera/nn";
   * new BatchNorm2d(4).eval().training; // false
   * ```
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Parameters then buffers of each module, in registration order, keyed like torchvision.
   *
   * @example
   * ```ts
   * import { BatchNorm2d } from "@tessera/nn";
   * [...new BatchNorm2d(2).stateDict().keys()]; // ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
   * ```
   */
  stateDict(prefix = ""): StateDict {
    const sd: StateDict = new Map();
    for (const [k, t] of this.ownParameters()) sd.set(prefix + k, t);
    for (const [k, t] of this._buffers) sd.set(prefix + k, t);
    for (const [k, m] of this.namedChildren()) for (const [kk, t] of m.stateDict(`${prefix}${k}.`)) sd.set(kk, t);
    return sd;
  }

  /**
   * Copies values into the module's parameters and buffers (frozen parameters included). Every
   * key and shape is checked before anything is written, so a failed load changes nothing. Strict
   * (the default) requires exactly the module's keys; `{ strict: false }` loads the keys both have
   * and reports the others, as PyTorch's `load_state_dict` does.
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * const a = new Linear(3, 2), b = new Linear(3, 2);
   * await b.loadStateDict(a.stateDict());
   * const { missingKeys } = await b.loadStateDict(new Map([["weight", a.weight]]), { strict: false }); // ["bias"]
   * ```
   */
  async loadStateDict(sd: ReadonlyMap<string, Tensor | { readonly shape: readonly number[]; readonly data: ArrayLike<number> }>, o: LoadOptions = {}): Promise<LoadResult> {
    rejectUnknownOptions("loadStateDict", "options", o, ["strict"]);
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !sd.has(k));
    const unexpected = [...sd.keys()].filter((k) => !own.has(k));
    if ((o.strict ?? true) && (missing.length || unexpected.length)) {
      throw new RangeError(`loadStateDict: ${missing.length ? `missing keys: ${missing.join(", ")}` : ""}${missing.length && unexpected.length ? "; " : ""}${unexpected.length ? `unexpected keys: ${unexpected.join(", ")}` : ""}`);
    }
    const writes: [Tensor, Float32Array | Int32Array][] = [];
    for (const [k, target] of own) {
      const src = sd.get(k);
      if (!src) continue;
      const shape = src.shape;
      if (shape.length !== target.shape.length || shape.some((d, i) => d !== target.shape[i])) {
        throw new RangeError(`loadStateDict: '${k}' has shape [${shape.join(",")}], the module expects [${target.shape.join(",")}]`);
      }
      const data = isTensor(src) ? await src.data() : src.data;
      if (data.length !== target.size) throw new RangeError(`loadStateDict: '${k}' has ${data.length} values, the module expects ${target.size}`);
      if (target.dtype === "int32") {
        for (let i = 0; i < data.length; i++) {
          if (!Number.isInteger(data[i]) || Math.abs(data[i]) > 2 ** 31 - 1) throw new RangeError(`loadStateDict: '${k}' is an int32 buffer, got ${data[i]} at index ${i}`);
        }
      }
      writes.push([target, target.dtype === "int32" ? Int32Array.from(data) : Float32Array.from(data)]);
    }
    for (const [t, d] of writes) t.device.write(t.storage.buffer, d, t.offset);
    for (const [, m] of this.namedModules()) await m.afterLoad();
    return { missingKeys: missing, unexpectedKeys: unexpected };
  }

  /**
   * Moves every parameter (frozen ones included), its gradient, and every buffer to `device`. The
   * tensors stay the same objects (their storage moves, as in PyTorch), so an optimizer created
   * before the move keeps updating them; its state must not exist yet (the optimizer's `step()`
   * throws when its state is on another device than the parameter).
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * import { getDevice } from "@tessera/blas";
   * await new Linear(2, 2).to(getDevice("js"));
   * ```
   */
  async to(device: Device): Promise<this> {
    const move = async (t: Tensor): Promise<Tensor> => keep(tensor(await t.data(), { shape: t.shape, device, dtype: t.dtype }));
    for (const [, m] of this.namedModules()) {
      for (const [, p] of m.ownParameters()) {
        if (p.device === device) continue;
        const grad = p.grad && p.grad.device !== device ? await move(p.grad) : p.grad;
        p.adoptStorage(await move(p));
        if (grad !== p.grad) {
          p.grad?.dispose();
          p.grad = grad;
        }
      }
      for (const [, b] of m._buffers) if (b.device !== device) b.adoptStorage(await move(b));
    }
    return this;
  }

  /**
   * Frees every parameter and buffer.
   *
   * @example
   * ```ts
   * import { Linear } from "@tessera/nn";
   * new Linear(2, 2).dispose();
   * ```
   */
  dispose(): void {
    for (const t of this.stateDict().values()) t.dispose();
  }
}
