import { checkOptions, checkTensor, describe, isTensor } from "./args.js";
import { ones } from "./create.js";
import { noGrad } from "./grad-mode.js";
import { ref, unref } from "./graph.js";
import { materialise } from "./ops/util.js";
import { scope, untrack } from "./scope.js";
import type { Tensor } from "./tensor.js";

/**
 * Options of {@link Tensor.backward}.
 *
 * @example
 * ```ts
 * import { tensor, mul, sum } from "@tessera/autograd";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const h = mul(w, 3);
 * sum(h).backward(null, { retainGraph: true }); // h's node survives for a second loss
 * sum(mul(h, h)).backward();
 * ```
 */
export interface BackwardOptions {
  /** Keep the graph (nodes, saved buffers, intermediates) for another backward through it. Default false, as PyTorch. */
  readonly retainGraph?: boolean;
}

const describeTensor = (t: Tensor) => `tensor #${t.id} of shape [${t.shape.join(",")}]`;

/**
 * Tensors reachable from `root` through recorded ops, in topological order (inputs first). Checks
 * the whole graph before any gradient is computed, so a backward that cannot finish throws
 * without having touched a single `.grad`.
 */
function topoSort(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length) {
    const [t, done] = stack.pop()!;
    if (done) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    if (t.isDisposed) throw new Error(`backward: ${describeTensor(t)} in the graph was disposed before backward() (a tensor the graph needs must stay alive until backward ran)`);
    if (t.freedOp !== null) {
      throw new Error(`backward: the graph through ${describeTensor(t)} (op ${t.freedOp}) was already freed by an earlier backward() or dispose() ` +
        "(PyTorch: 'Trying to backward through the graph a second time'); pass { retainGraph: true } to the first backward(), or add the losses and call backward() once");
    }
    stack.push([t, true]);
    const fn = t.gradFn;
    if (!fn) continue;
    for (const i of [...fn.inputs, ...(fn.saved ?? [])]) {
      if (i.isDisposed) throw new Error(`backward: ${describeTensor(i)}, read by op ${fn.name}, was disposed before backward()`);
    }
    for (const i of fn.inputs) if (i.requiresGrad && !seen.has(i)) stack.push([i, false]);
  }
  return order;
}

function checkShape(g: Tensor, t: Tensor): void {
  if (g.shape.length !== t.shape.length || g.shape.some((d, i) => d !== t.shape[i])) {
    throw new Error(`backward: gradient of shape [${g.shape.join(",")}] for a tensor of shape [${t.shape.join(",")}] (op ${t.gradFn?.name ?? "leaf"})`);
  }
}

/**
 * Gradients being accumulated, each an exclusive contiguous tensor owned here. Incoming gradients
 * are taken over when they are exclusive, contiguous and not owned yet; otherwise copied or added.
 */
class GradTable {
  private readonly table = new Map<Tensor, Tensor>();
  private readonly owned = new Set<Tensor>();

  /** Adds `g` to the gradient of `t`; returns true when `g` itself was taken over. */
  add(t: Tensor, g: Tensor): boolean {
    checkShape(g, t);
    const prev = this.table.get(t);
    if (!prev) {
      const take = !this.owned.has(g) && g.isContiguous && g.offset === 0 && g.storage.exclusive;
      const mine = take ? g : materialise(g);
      untrack(mine);
      this.table.set(t, mine);
      this.owned.add(mine);
      return take;
    }
    const c = g.isContiguous ? g : materialise(g);
    t.device.saxpy(prev.size, 1, c.storage.buffer, 1, c.offset, prev.storage.buffer, 1, 0);
    if (c !== g) c.dispose();
    return false;
  }

  /** Removes and returns the gradient of `t` (the caller now owns it). */
  take(t: Tensor): Tensor | undefined {
    const g = this.table.get(t);
    this.table.delete(t);
    if (g) this.owned.delete(g);
    return g;
  }

  isOwned(g: Tensor): boolean {
    return this.owned.has(g);
  }

  /** Frees every gradient still held (after a failure). */
  clear(): void {
    for (const g of this.table.values()) g.dispose();
    this.table.clear();
    this.owned.clear();
  }
}

/** Runs backpropagation from `root` (see {@link Tensor.backward}). @internal */
export function backward(root: Tensor, grad?: Tensor, options: BackwardOptions = {}): void {
  if (!isTensor(root)) throw new TypeError(`backward: called on ${describe(root)}, not a Tensor`);
  if (grad !== undefined) {
    checkTensor("backward", "grad", grad);
    grad.assertLive("backward");
    if (grad.dtype !== "float32") throw new TypeError(`backward: grad must be float32, got ${grad.dtype}`);
    if (grad.device !== root.device) throw new Error(`backward: grad is on the '${grad.device.name}' device, the tensor on '${root.device.name}'`);
  }
  checkOptions("backward", "options", options, true);
  root.assertLive("backward");
  if (root.dtype !== "float32") throw new TypeError(`backward: ${describeTensor(root)} has dtype ${root.dtype}; integer results (argmax, labels) have no gradient`);
  if (!root.requiresGrad) throw new Error(`backward: tensor of shape [${root.shape.join(",")}] does not require grad (no input had requiresGrad: true)`);
  if (!grad && root.size !== 1) throw new Error(`backward: grad can be implied only for scalar outputs; got shape [${root.shape.join(",")}] — pass an upstream gradient`);
  if (grad) checkShape(grad, root);
  const retain = options.retainGraph === true;
  const order = topoSort(root);
  // The pass holds every tensor on its path until it has been processed, so a deferred
  // intermediate freed by its consumer's node keeps its own node until backward reaches it.
  for (const t of order) ref(t);
  let next = order.length - 1;
  const grads = new GradTable();
  try {
    noGrad(() => {
      grads.add(root, grad ? materialise(grad) : ones(root.shape, { device: root.device }));
      for (; next >= 0; next--) {
        const t = order[next];
        step(t, grads.take(t), grads);
        if (!retain) t.freeNode();
        unref(t);
      }
    });
  } finally {
    grads.clear(); // empty unless a backward rule threw
    for (; next >= 0; next--) unref(order[next]);
  }
}

/** Backpropagates the gradient `g` of `t` (if any) to its inputs, or stores it on a leaf. */
function step(t: Tensor, g: Tensor | undefined, grads: GradTable): void {
  if (!g) return;
  const fn = t.gradFn;
  if (!fn) {
    setGrad(t, g);
    return;
  }
  // Temporaries of the backward rule die with this scope; the returned gradients survive it.
  let inputGrads: (Tensor | null)[];
  try {
    inputGrads = scope(() => fn.backward(g));
  } catch (e) {
    g.dispose();
    throw e;
  }
  const taken = new Set<Tensor>();
  fn.inputs.forEach((input, k) => {
    const gi = inputGrads[k];
    if (gi && input.requiresGrad && grads.add(input, gi)) taken.add(gi);
  });
  for (const gi of new Set(inputGrads)) if (gi && gi !== g && !taken.has(gi) && !grads.isOwned(gi)) gi.dispose();
  if (t.retainsGrad) setGrad(t, taken.has(g) ? materialise(g) : g);
  else if (!taken.has(g)) g.dispose();
}

/** Adds `g` to `t.grad`; the tensor owns its gradient, so scopes never free it. */
function setGrad(t: Tensor, g: Tensor): void {
  untrack(g);
  if (!t.grad) {
    t.grad = g;
    return;
  }
  t.device.saxpy(t.size, 1, g.storage.buffer, 1, g.offset, t.grad.storage.buffer, 1, t.grad.offset);
  g.dispose();
}

