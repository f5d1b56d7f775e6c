import { checkTensor, describe, isTensor } from "./args.js";
import { disposeWhenUnused } from "./graph.js";
import type { Tensor } from "./tensor.js";

/** A set of tensors created while a scope was current. */
class Scope {
  readonly tensors = new Set<Tensor>();
  constructor(readonly parent: Scope | undefined) {}
}

interface Context {
  getStore(): Scope | undefined;
  run<R>(store: Scope | undefined, fn: () => R): R;
}

/** Node's AsyncLocalStorage when present (scopes then survive `await` and interleaving). */
function asyncContext(): Context | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const hooks = proc?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: new () => Context } | undefined;
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : undefined;
}

const als = asyncContext();
const stack: Scope[] = [];

function current(): Scope | undefined {
  return als ? als.getStore() : stack[stack.length - 1];
}

/** Registers a new tensor with the current scope, if any. @internal */
export function track(t: Tensor): void {
  current()?.tensors.add(t);
}

/** Removes a tensor from every scope (it is owned elsewhere, e.g. it became a `.grad`). @internal */
export function untrack(t: Tensor): void {
  for (let s = current(); s; s = s.parent) s.tensors.delete(t);
}

function collect(value: unknown, out: Set<Tensor>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (isTensor(value)) {
    out.add(value);
    return;
  }
  try {
    if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
    else if (value instanceof Map) for (const v of value.values()) collect(v, out, depth + 1);
    else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, depth + 1);
  } catch {
    // exotic objects (proxies) that throw on inspection hold no tensors of ours
  }
}

function close(scope: Scope, result: unknown): void {
  const keep = new Set<Tensor>();
  collect(result, keep);
  for (const t of scope.tensors) {
    if (keep.has(t)) scope.parent?.tensors.add(t);
    else disposeWhenUnused(t);
  }
  scope.tensors.clear();
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (found in the
 * result itself, or in arrays, Maps and plain objects up to four levels deep); returned tensors
 * move to the enclosing scope. Works with async functions across `await`; in Node, scopes are
 * tracked with AsyncLocalStorage so concurrent scopes do not mix. In browsers a stack is used: do
 * not interleave two async scopes there.
 *
 * A returned tensor keeps its graph: the intermediates and saved buffers its `backward()` needs
 * stay alive until that backward ran (or the tensor is disposed), then they are freed. A training
 * step that calls `backward()` inside its scope frees everything when the scope ends. Tensors that
 * become a `.grad` are owned by their tensor and survive every scope.
 *
 * @example
 * ```ts
 * import { scope, tensor, mul, sum } from "@tessera/autograd";
 * const w = tensor([1, 2, 3], { requiresGrad: true });
 * const loss = scope(() => sum(mul(w, w))); // `loss` is kept, the product lives until backward
 * loss.backward(); // w.grad = [2, 4, 6]; the product is freed now
 * ```
 */
export function scope<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError(`scope: fn must be a function, got ${describe(fn)}`);
  const s = new Scope(current());
  const finish = (r: T) => {
    close(s, r);
    return r;
  };
  const fail = (e: unknown) => {
    close(s, undefined);
    throw e;
  };
  if (als) {
    let r: T;
    try {
      r = als.run(s, fn);
    } catch (e) {
      return fail(e);
    }
    return r instanceof Promise ? (r.then(finish, fail) as T) : finish(r);
  }
  stack.push(s);
  const pop = () => {
    const i = stack.lastIndexOf(s);
    if (i >= 0) stack.splice(i, 1);
  };
  let r: T;
  try {
    r = fn();
  } catch (e) {
    pop();
    return fail(e);
  }
  if (r instanceof Promise) {
    return r.then((v) => { pop(); return finish(v as T); }, (e) => { pop(); return fail(e); }) as T;
  }
  pop();
  return finish(r);
}

/**
 * Exempts a tensor from every enclosing scope, so it outlives them (optimizer state, caches).
 * The caller disposes it.
 *
 * @example
 * ```ts
 * import { keep, scope, zeros } from "@tessera/autograd";
 * const cache = scope(() => {
 *   keep(zeros([10])); // survives the scope
 *   return 0;
 * });
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  checkTensor("keep", "t", t);
  untrack(t);
  t.deferred = false; // also rescues an intermediate a finished scope left to its graph
  return t;
}
