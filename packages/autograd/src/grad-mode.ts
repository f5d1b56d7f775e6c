import { describe } from "./args.js";

let disabled = 0;

/** True when operations record the graph. @internal */
export function gradEnabled(): boolean {
  return disabled === 0;
}

/**
 * Runs `fn` without recording the graph (evaluation, optimizer updates). Works with async
 * functions: recording resumes when the returned promise settles.
 *
 * @example
 * ```ts
 * import { noGrad, tensor, mul } from "@tessera/autograd";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => mul(w, 2)); // y.requiresGrad === false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError(`noGrad: fn must be a function, got ${describe(fn)}`);
  disabled++;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    disabled--;
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => disabled--) as T;
  disabled--;
  return result;
}
