import { ones } from "./create.js";
import { noGrad } from "./grad-mode.js";
import { materialise } from "./ops/util.js";
import { scope, untrack } from "./scope.js";
import type { Tensor } from "./tensor.js";

/** Tensors reachable from `root` through recorded ops, in topological order (inputs first). */
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
    stack.push([t, true]);
    for (const i of t.gradFn?.inputs ?? []) if (i.requiresGrad && !seen.has(i)) stack.push([i, false]);
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

  get(t: Tensor): Tensor | undefined {
    return this.table.get(t);
  }

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
}

/** Runs backpropagation from `root` (see {@link Tensor.backward}). @internal */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) throw new Error(`backward: tensor of shape [${root.shape.join(",")}] does not require grad (no input had requiresGrad: true)`);
  if (!grad && root.size !== 1) throw new Error(`backward: grad can be implied only for scalar outputs; got shape [${root.shape.join(",")}] — pass an upstream gradient`);
  noGrad(() => {
    const grads = new GradTable();
    const seed = grad ? materialise(grad) : ones(root.shape, { device: root.device });
    grads.add(root, seed);
    const order = topoSort(root);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.take(t);
      if (!g) continue;
      const fn = t.gradFn;
      if (!fn) {
        setGrad(t, g);
        continue;
      }
      // Temporaries of the backward rule die with this scope; the returned gradients survive it.
      const inputGrads = scope(() => fn.backward(g));
      const taken = new Set<Tensor>();
      fn.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (gi && input.requiresGrad && grads.add(input, gi)) taken.add(gi);
      });
      for (const gi of new Set(inputGrads)) if (gi && gi !== g && !taken.has(gi) && !grads.isOwned(gi)) gi.dispose();
      fn.release?.();
      t.gradFn = null;
      if (t.retainsGrad) setGrad(t, taken.has(g) ? materialise(g) : g);
      else if (!taken.has(g)) g.dispose();
    }
  });
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

