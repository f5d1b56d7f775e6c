/**
 * Browser twin of `#async-context` (package.json `imports`, every condition but `node`): browsers
 * have no `AsyncLocalStorage`, so scopes fall back to a stack (see `scope`).
 * @internal
 */
import type { AsyncContext } from "./async-context.node.js";

export type { AsyncContext };

/** No async context outside Node: `undefined`. @internal */
export function createAsyncContext<T>(): AsyncContext<T> | undefined {
  return undefined;
}
