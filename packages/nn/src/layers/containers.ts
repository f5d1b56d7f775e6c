import type { Tensor } from "@tessera/autograd";
import { Module } from "../module.js";

/**
 * Runs modules in order; children are named "0", "1", … as in PyTorch.
 *
 * @example
 * ```ts
 * import { Sequential, Linear, ReLU } from "@tessera/nn";
 * const mlp = new Sequential(new Linear(784, 16), new ReLU(), new Linear(16, 10));
 * [...mlp.stateDict().keys()]; // ["0.weight", "0.bias", "2.weight", "2.bias"]
 * ```
 */
export class Sequential extends Module {
  /** Creates the container. */
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
      (this as unknown as Record<string, Module>)[String(i)] = m;
    });
  }
  /** The children in order. */
  get layers(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }
  /** Applies every child in turn. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.forward(y);
    return y;
  }
}

/**
 * A list of modules registered as children "0", "1", … (no forward of its own).
 *
 * @example
 * ```ts
 * import { ModuleList, Linear } from "@tessera/nn";
 * const heads = new ModuleList([new Linear(8, 2), new Linear(8, 3)]);
 * heads.at(1);
 * ```
 */
export class ModuleList extends Module {
  /** Creates the list. */
  constructor(modules: readonly Module[] = []) {
    super();
    modules.forEach((m, i) => ((this as unknown as Record<string, Module>)[String(i)] = m));
  }
  /** Number of modules. */
  get length(): number {
    return this.namedChildren().length;
  }
  /** The i-th module. */
  at(i: number): Module {
    const m = (this as unknown as Record<string, Module>)[String(i)];
    if (!m) throw new RangeError(`ModuleList: index ${i} is out of range for ${this.length} modules`);
    return m;
  }
  /** A ModuleList cannot be called; iterate over it. */
  forward(): Tensor {
    throw new Error("ModuleList: has no forward(); call its modules");
  }
}
