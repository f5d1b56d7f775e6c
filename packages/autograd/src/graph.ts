/**
 * Lifetime of the recorded graph. Every node (a tensor's `gradFn`) holds a reference on the
 * tensors its backward rule reads: its inputs and its saved buffers. A scope that ends does not
 * free a tensor some live node still references: it marks it `deferred`, and the tensor is freed
 * when the last such node goes (its output was disposed, or `backward()` ran through it). So a
 * tensor returned from a scope keeps exactly what its graph needs, and a loop that calls
 * `backward()` inside its scope still frees everything each step.
 * @internal
 */
import { describe, isTensor } from "./args.js";
import type { GradFn } from "./grad-fn.js";
import type { Tensor } from "./tensor.js";

/** Throws unless `fn` has the shape of a {@link GradFn} (checked before a node is attached). */
export function checkGradFn(fn: GradFn): void {
  const f = fn as Partial<GradFn> | undefined;
  const ok = (v: unknown) => Array.isArray(v) && v.every(isTensor);
  if (f === undefined || typeof f !== "object" || typeof f.name !== "string" || typeof f.backward !== "function" || !ok(f.inputs) || (f.saved !== undefined && !ok(f.saved))) {
    throw new TypeError(`gradFn: a node needs a name, an inputs array of tensors, a backward function and optionally a saved array of tensors, got ${describe(fn)}`);
  }
}

/** The tensors a node keeps alive: its inputs and what it saved for backward. */
function held(fn: GradFn): Tensor[] {
  return fn.saved ? [...fn.inputs, ...fn.saved] : [...fn.inputs];
}

/** Adds a graph reference to `t` (a node, or a running backward pass, needs it). */
export function ref(t: Tensor): void {
  t.graphRefs++;
}

const doomed: Tensor[] = [];
let draining = false;

/**
 * Drops a graph reference; a deferred tensor whose last reference goes is disposed. Disposal
 * frees the tensor's own node, which may free its inputs in turn: the cascade runs as a loop, not
 * as recursion, so a graph thousands of ops deep is freed without overflowing the stack.
 */
export function unref(t: Tensor): void {
  if (t.graphRefs <= 0) throw new Error(`autograd: graph reference count of tensor #${t.id} went below zero`);
  if (--t.graphRefs === 0 && t.deferred) doomed.push(t);
  if (draining) return;
  draining = true;
  try {
    while (doomed.length) doomed.pop()!.dispose();
  } finally {
    draining = false;
  }
}

/** Frees `t` now, or, when a live node still needs it, as soon as none does. */
export function disposeWhenUnused(t: Tensor): void {
  if (t.isDisposed) return;
  if (t.graphRefs > 0) t.deferred = true;
  else t.dispose();
}

/** Swaps the node attached to a tensor, moving graph references (no saved buffer is released). */
export function swapNode(old: GradFn | null, fn: GradFn | null): void {
  if (fn) for (const t of held(fn)) ref(t);
  if (old) for (const t of held(old)) unref(t);
}

/**
 * Frees a node detached from its tensor (after backward ran through it, or when the tensor was
 * disposed): its saved buffers are released and its references dropped.
 */
export function releaseNode(fn: GradFn): void {
  fn.release?.();
  for (const i of held(fn)) unref(i);
}
