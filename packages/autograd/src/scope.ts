import { checkTensor, describe, isTensor } from "./args.js";
import { disposeWhenUnused } from "./graph.js";
import type { Tensor } from "./tensor.js";
import { createAsyncContext } from "#async-context";

/** A set of tensors created while a scope was current. */
class Scope {
  readonly tensors = new Set<Tensor>();
  closed = false;
  constructor(readonly parent: Scope | undefined) {}
}

/**
 * What a scope's callback receives: `run(fn)` runs synchronous code with this scope current, so
 * the tensors it creates are the scope's, in Node and browsers alike (after an `await` in a
 * browser, where no AsyncLocalStorage says which scope code belongs to).
 *
 * @example
 * ```ts
 * import { scope, tensor, mul, type ScopeHandle } from "@tessera/autograd";
 * const x = tensor([1, 2]);
 * const y = await scope(async (s: ScopeHandle) => {
 *   await Promise.resolve();
 *   return s.run(() => mul(x, 2)); // created after the await: tracked through s.run
 * });
 * ```
 */
export interface ScopeHandle {
  /** Runs synchronous `fn` with this scope current and returns its result. */
  run<R>(fn: () => R): R;
}

/** Node's AsyncLocalStorage (scopes then survive `await` and interleaving); undefined in browsers. */
const als = createAsyncContext<Scope>();
/**
 * Browsers: the scopes of the code running now, synchronously (null: deliberately outside every
 * scope, see `unscoped`). A scope is on it only while its code runs without yielding, so code that
 * runs during another scope's `await` is never counted as that scope's.
 */
const stack: (Scope | null)[] = [];
/** Browsers: async scopes whose promise has not settled. */
let pending = 0;

function current(): Scope | undefined {
  return als ? als.getStore() : (stack[stack.length - 1] ?? undefined);
}

/** Registers a new tensor with the current scope, if any. @internal */
export function track(t: Tensor): void {
  const s = current();
  if (s) s.tensors.add(t);
  else if (!als && stack.length === 0 && pending > 0) {
    t.dispose();
    throw new Error(
      `scope: a tensor was created outside every scope while ${pending} async scope() ${pending === 1 ? "is" : "are"} pending. Without ` +
        "AsyncLocalStorage (browsers) it cannot be told whether it belongs to a scope that is awaiting, so it would be leaked or freed in use. " +
        "Create tensors before the first await, or after it inside the handle: scope(async (s) => { await …; s.run(() => …); }); " +
        "other code that runs meanwhile: inside scope(() => …), or deliberately outside scopes with unscoped(() => …)",
    );
  }
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
  // Kept tensors move to the enclosing scope; one that has ended already leaves them to the caller.
  const parent = scope.parent && !scope.parent.closed ? scope.parent : undefined;
  for (const t of scope.tensors) {
    if (keep.has(t)) parent?.tensors.add(t);
    else disposeWhenUnused(t);
  }
  scope.tensors.clear();
  scope.closed = true;
}

/** Runs `fn` synchronously with `entry` on top of the browser stack. */
function onStack<R>(entry: Scope | null, fn: () => R): R {
  stack.push(entry);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

function handleOf(s: Scope): ScopeHandle {
  return {
    run<R>(fn: () => R): R {
      if (typeof fn !== "function") throw new TypeError(`scope handle run: fn must be a function, got ${describe(fn)}`);
      if (s.closed) throw new Error("scope handle run: the scope has ended (run() is for code inside the scope's callback)");
      return als ? als.run(s, fn) : onStack(s, fn);
    },
  };
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (found in the
 * result itself, or in arrays, Maps and plain objects up to four levels deep); returned tensors
 * move to the enclosing scope. `fn` receives a {@link ScopeHandle}.
 *
 * Synchronous `fn` (a training step: forward, `backward()`, `step()`) works the same everywhere.
 * An async `fn` works across `await` everywhere in this form:
 * `scope(async (s) => { …tensors…; await …; s.run(() => …tensors…); })`: what it creates before its
 * first `await`, and inside `s.run(...)`, is the scope's. In Node, AsyncLocalStorage also tracks
 * tensors created after an `await` without `s.run`, and concurrent scopes never mix. Browsers have
 * no AsyncLocalStorage: there a scope is current only while its code runs synchronously, so two
 * interleaved async scopes never take (and free) each other's tensors, and a tensor created outside
 * every scope while an async scope is pending throws an error saying so, instead of being leaked or
 * freed while in use. Code that runs meanwhile either uses its own `scope(() => …)` or
 * {@link unscoped}.
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
 * const total = await scope(async (s) => {
 *   const v = await loss.itemAsync();
 *   return s.run(() => mul(w, v)); // after an await: inside s.run
 * });
 * ```
 */
export function scope<T>(fn: (s: ScopeHandle) => T): T {
  if (typeof fn !== "function") throw new TypeError(`scope: fn must be a function, got ${describe(fn)}`);
  const s = new Scope(current());
  const handle = handleOf(s);
  const finish = (r: T) => {
    close(s, r);
    return r;
  };
  const fail = (e: unknown) => {
    close(s, undefined);
    throw e;
  };
  let r: T;
  try {
    r = als ? als.run(s, () => fn(handle)) : onStack(s, () => fn(handle));
  } catch (e) {
    return fail(e);
  }
  if (!(r instanceof Promise)) return finish(r);
  if (als) return r.then(finish, fail) as T;
  pending++;
  return r.then(
    (v) => {
      pending--;
      return finish(v as T);
    },
    (e) => {
      pending--;
      return fail(e);
    },
  ) as T;
}

/**
 * Runs synchronous `fn` outside every scope: the tensors it creates belong to no scope (the caller
 * disposes them), also while an async scope is pending in a browser, where a tensor created outside
 * every scope would otherwise be an error (see {@link scope}). For a model built, or a tensor kept,
 * while a training step awaits.
 *
 * @example
 * ```ts
 * import { scope, unscoped, zeros, type Tensor } from "@tessera/autograd";
 * let cache: Tensor | undefined;
 * scope(() => {
 *   cache = unscoped(() => zeros([10])); // not the scope's: survives it
 * });
 * cache!.dispose();
 * ```
 */
export function unscoped<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError(`unscoped: fn must be a function, got ${describe(fn)}`);
  return als ? als.run(undefined, fn) : onStack(null, fn);
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
