/**
 * What makes a tensor a parameter: a mark, not a flag. `requiresGrad` says whether it trains now;
 * freezing a parameter (`requiresGrad = false`) keeps it a parameter (PyTorch's `nn.Parameter`
 * with `requires_grad=False`): it stays in `parameters()`, `stateDict()`, `to()` and `dispose()`.
 */
import type { Tensor } from "@tessera/autograd";

const marked = new WeakSet<Tensor>();

/**
 * Marks a tensor as a module parameter (and makes it require grad, as `nn.Parameter` does); returns
 * it. A module field holding a marked tensor is a parameter whether or not it requires grad. The
 * init helpers (`uniformParameter`, `normalParameter`) and the built-in layers mark theirs; an
 * unmarked field that requires grad is also taken as a parameter (and marked when first found).
 *
 * @example
 * ```ts
 * import { Module, Parameter, isParameter } from "@tessera/nn";
 * import { keep, ones, type Tensor } from "@tessera/autograd";
 * class Scale extends Module {
 *   gain = Parameter(keep(ones([1])));
 *   forward(x: Tensor): Tensor { return x; }
 * }
 * const s = new Scale();
 * s.gain.requiresGrad = false;   // frozen: still a parameter
 * s.parameters().length;         // 1
 * isParameter(s.gain);           // true
 * ```
 */
export function Parameter<T extends Tensor>(t: T, requiresGrad = true): T {
  if (!t.isLeaf) throw new RangeError(`Parameter: a parameter must be a leaf tensor, got the result of '${t.gradFn?.name ?? "an op"}'`);
  t.requiresGrad = requiresGrad;
  marked.add(t);
  return t;
}

/**
 * True for tensors marked with {@link Parameter}.
 *
 * @example
 * ```ts
 * import { Linear, isParameter } from "@tessera/nn";
 * isParameter(new Linear(2, 2).weight); // true
 * ```
 */
export function isParameter(t: unknown): boolean {
  return typeof t === "object" && t !== null && marked.has(t as Tensor);
}
