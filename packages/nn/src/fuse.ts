/**
 * `fuse()`: an equivalent inference-only module with Conv2d → BatchNorm2d (→ ReLU) runs folded
 * into one {@link FusedConv2d} each, so that inference makes one pass over memory per layer.
 */
import { Module } from "./module.js";
import { Sequential } from "./layers/containers.js";
import { Identity, ReLU } from "./layers/activations.js";
import { Conv2d } from "./layers/conv.js";
import { FusedConv2d, describeModule } from "./layers/fused-conv.js";
import { BatchNorm2d } from "./layers/normalization.js";

/**
 * A module that knows how to fuse itself (a block whose forward is not a plain sequence, such as
 * a ResNet block with its residual add): {@link fuse} calls `fused(fuse)` instead of walking its
 * children, passing itself to fuse the children the block does not handle.
 *
 * @example
 * ```ts
 * import { FusedConv2d, Module, type Fusable } from "@tessera/nn";
 * class Block extends Module implements Fusable {
 *   // …conv and bn fields, forward…
 *   async fused(): Promise<Module> { return FusedConv2d.fold(this.conv, this.bn, { relu: true }); }
 * }
 * ```
 */
export interface Fusable {
  /** An equivalent eval-mode module built from this one (which must be left unchanged). */
  fused(fuse: (m: Module) => Promise<Module>): Promise<Module>;
}

function isFusable(m: Module): m is Module & Fusable {
  return typeof (m as Partial<Fusable>).fused === "function";
}

/**
 * A shallow copy of `module` (same class, same fields) with the named children replaced: the
 * building block of {@link Fusable} implementations whose forward reads named children. Fields
 * not named are shared with the original.
 *
 * @example
 * ```ts
 * import { Identity, Sequential, Linear, withChildren } from "@tessera/nn";
 * const m = new Sequential(new Linear(2, 2), new Linear(2, 2));
 * withChildren(m, { "1": new Identity() }).layers.length; // 2, the second an Identity
 * ```
 */
export function withChildren<M extends Module>(module: M, children: Readonly<Record<string, Module>>): M {
  const copy = Object.create(Object.getPrototypeOf(module)) as M;
  Object.assign(copy, module);
  // Buffers registered later on the copy (to(), loadStateDict) must not reach the original's map.
  const own = copy as unknown as { _buffers: Map<string, unknown> };
  own._buffers = new Map(own._buffers);
  for (const [k, v] of Object.entries(children)) {
    if (!(k in module) || !((module as unknown as Record<string, unknown>)[k] instanceof Module)) {
      throw new RangeError(`withChildren: ${describeModule(module)} has no child '${k}'`);
    }
    if (!(v instanceof Module)) throw new TypeError(`withChildren: child '${k}' must be a Module, got ${describeModule(v)}`);
    (copy as unknown as Record<string, Module>)[k] = v;
  }
  return copy;
}

/** Fuses the runs of a Sequential: Conv2d, then BatchNorm2d and/or ReLU; folded layers become Identity (indices and keys kept). */
async function fuseSequential(seq: Sequential, walk: (m: Module) => Promise<Module>): Promise<Module> {
  const layers = seq.layers;
  const out: Module[] = [];
  let changed = false;
  for (let i = 0; i < layers.length; i++) {
    const m = layers[i];
    if (m instanceof Conv2d) {
      const bn = layers[i + 1] instanceof BatchNorm2d && (layers[i + 1] as BatchNorm2d).numFeatures === m.outChannels ? layers[i + 1] as BatchNorm2d : null;
      const relu = layers[i + (bn ? 2 : 1)] instanceof ReLU;
      if (bn || relu) {
        out.push(await FusedConv2d.fold(m, bn, { relu }));
        const folded = (bn ? 1 : 0) + (relu ? 1 : 0);
        for (let k = 0; k < folded; k++) out.push(new Identity());
        i += folded;
        changed = true;
        continue;
      }
    }
    const f = await walk(m);
    changed ||= f !== m;
    out.push(f);
  }
  return changed ? new Sequential(...out) : seq;
}

/** Copies a module whose children changed; returns it unchanged otherwise. */
async function fuseChildren(m: Module, walk: (m: Module) => Promise<Module>): Promise<Module> {
  const replaced: Record<string, Module> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k.startsWith("_")) continue;
    if (v instanceof Module) {
      const f = await walk(v);
      if (f !== v) replaced[k] = f;
    } else if (Array.isArray(v) && v.length > 0 && v.every((c) => c instanceof Module)) {
      const fs = await Promise.all(v.map(walk));
      if (fs.some((f, i) => f !== v[i])) replaced[k] = fs as unknown as Module;
    }
  }
  if (Object.keys(replaced).length === 0) return m;
  const copy = Object.create(Object.getPrototypeOf(m)) as Module;
  Object.assign(copy, m, replaced);
  const own = copy as unknown as { _buffers: Map<string, unknown> };
  own._buffers = new Map(own._buffers);
  return copy;
}

/**
 * Returns an equivalent inference-only module: in every {@link Sequential}, Conv2d → BatchNorm2d
 * (→ ReLU) and Conv2d → ReLU become one {@link FusedConv2d} (BatchNorm folded into the weights,
 * ReLU applied as the output is stored) followed by Identity placeholders, so the indices of the
 * other layers and their state-dict keys stay; modules implementing {@link Fusable} (the ResNet
 * blocks and stem of `@tessera/models`) fuse themselves, residual add included. `module` must be
 * in eval mode (all of it) and is not changed: its state dict stays as it was. The result shares
 * the layers it did not fuse with `module` (same tensors, not copies); its fused layers throw in
 * training mode, and it has no parameters to train. On the wasm device each fused layer is one
 * pass of the implicit GEMM (bias, residual and ReLU in the store); elsewhere the same values come
 * from separate passes.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, Conv2d, ReLU, Sequential, fuse } from "@tessera/nn";
 * import { noGrad, zeros } from "@tessera/autograd";
 * const net = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new BatchNorm2d(8), new ReLU()).eval();
 * const fast = await fuse(net);
 * noGrad(() => fast.forward(zeros([1, 3, 8, 8]))).shape; // [1, 8, 8, 8], equal to net's output
 * ```
 */
export async function fuse<M extends Module>(module: M): Promise<Module> {
  if (!(module instanceof Module)) throw new TypeError(`fuse: module must be a Module, got ${describeModule(module)}`);
  const training = module.namedModules().find(([, m]) => m.training);
  if (training) {
    const [name, m] = training;
    throw new Error(`fuse: ${name === "" ? "the module" : `submodule '${name}'`} (${m.constructor.name}) is in training mode; call eval() first (fusing folds BatchNorm's running statistics into the weights, which is only equivalent in eval mode)`);
  }
  const walk = async (m: Module): Promise<Module> => {
    if (isFusable(m)) return m.fused(walk);
    if (m instanceof Sequential) return fuseSequential(m, walk);
    return fuseChildren(m, walk);
  };
  const out = await walk(module);
  return out === module ? withChildren(module, {}) : out;
}
