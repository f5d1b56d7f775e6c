/**
 * Node twin of `#async-context` (package.json `imports`, condition `node`): scopes are tracked with
 * `AsyncLocalStorage`, so they survive `await` and concurrent scopes do not mix.
 * @internal
 */
/// <reference types="node" />
import { AsyncLocalStorage } from "node:async_hooks";

/** The store a scope is kept in across `await`. @internal */
export interface AsyncContext<T> {
  getStore(): T | undefined;
  run<R>(store: T | undefined, fn: () => R): R;
}

/** A new async context (Node: `AsyncLocalStorage`). @internal */
export function createAsyncContext<T>(): AsyncContext<T> | undefined {
  return new AsyncLocalStorage<T | undefined>() as AsyncContext<T>;
}
