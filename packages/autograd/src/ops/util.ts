/**
 * Shared machinery of the ops: result tensors, broadcasting views, reducing gradients back to an
 * input's shape, and the recording of graph nodes.
 * @internal
 */
import { broadcastShapes } from "@tessera/ndarray";
import type { View } from "@tessera/blas";
import { checkTensor, describe, isTensor } from "../args.js";
import { empty } from "../create.js";
import type { GradFn } from "../grad-fn.js";
import { gradEnabled } from "../grad-mode.js";
import { contiguousStrides, sizeOf, Tensor } from "../tensor.js";

/** Throws unless all tensors are live and on one device; returns that device. */
export function sameDevice(op: string, ...ts: Tensor[]) {
  ts.forEach((t, i) => checkTensor(op, `argument ${i + 1}`, t));
  const d = ts[0].device;
  for (const t of ts) checkOnDevice(op, d, t);
  return d;
}

/** Throws unless the tensor is live and on device `d` (the checks of {@link sameDevice}, for one tensor). */
export function checkOnDevice(op: string, d: Tensor["device"], t: Tensor): void {
  t.assertLive(op);
  if (t.device !== d) throw new Error(`${op}: tensors are on different devices ('${d.name}' and '${t.device.name}'); move them with .to()`);
}

/** Throws a TypeError unless `v` is a tensor, null or undefined (an optional tensor argument). */
export function checkOptionalTensor(op: string, name: string, v: unknown): asserts v is Tensor | null | undefined {
  if (v !== null && v !== undefined && !isTensor(v)) throw new TypeError(`${op}: ${name} must be a Tensor or null, got ${describe(v)}`);
}

/** Throws unless the tensor is float32. */
export function checkFloat(op: string, name: string, t: Tensor): void {
  if (t.dtype !== "float32") throw new TypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
}

/** True when an op over `inputs` will record a node (grad mode on and some input requires grad). */
export function willRecord(inputs: readonly Tensor[]): boolean {
  return gradEnabled() && inputs.some((t) => t.requiresGrad);
}

/**
 * Attaches a graph node to `out` when recording and some input requires grad. `makeBackward` is
 * called only then, so ops save buffers only when they will be needed.
 */
export function record(out: Tensor, name: string, inputs: Tensor[], makeBackward: () => Omit<GradFn, "name" | "inputs">): Tensor {
  if (willRecord(inputs)) {
    const fn = makeBackward();
    out.gradFn = { name, inputs, ...fn };
    out.requiresGrad = true;
  }
  return out;
}

/** Strides that read a layout (shape, strides) as if broadcast to `target` (zero strides on stretched dims). */
export function stridesFor(op: string, shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const off = target.length - shape.length;
  const fail = () => new RangeError(`${op}: cannot broadcast shape [${shape.join(",")}] to [${target.join(",")}]`);
  if (off < 0) throw fail();
  return target.map((d, i) => {
    const k = i - off;
    if (k < 0) return 0;
    if (shape[k] === d) return d === 1 ? 0 : strides[k];
    if (shape[k] === 1) return 0;
    throw fail();
  });
}

/** Strides that read `t` as if broadcast to `shape`. */
export function broadcastStrides(op: string, t: Tensor, shape: readonly number[]): number[] {
  return stridesFor(op, t.shape, t.strides, shape);
}

/** The device view of `t` broadcast to `shape`. */
export function broadcastView(op: string, t: Tensor, shape: readonly number[]): View {
  return { buffer: t.storage.buffer, offset: t.offset, strides: broadcastStrides(op, t, shape) };
}

/** The broadcast shape of two tensors, with the op's name in the error. */
export function broadcastPair(op: string, a: Tensor, b: Tensor): number[] {
  try {
    return broadcastShapes(a.shape, b.shape);
  } catch {
    throw new RangeError(`${op}: cannot broadcast shapes [${a.shape.join(",")}] and [${b.shape.join(",")}]`);
  }
}

/** A new contiguous float32 tensor (zeros) on the device of `like`. */
export function alloc(like: Tensor, shape: readonly number[]): Tensor {
  return empty(like.device, shape, "float32");
}

/**
 * A new contiguous float32 tensor on the device of `like` with unspecified contents
 * (`Device.allocUninitialized`), for an op's result that its routine overwrites entirely.
 */
export function allocOutput(like: Tensor, shape: readonly number[]): Tensor {
  return empty(like.device, shape, "float32", true);
}

/** A contiguous copy of a (possibly strided or broadcast) view of shape `shape`. */
export function materialise(t: Tensor, shape: readonly number[] = t.shape): Tensor {
  const out = alloc(t, shape);
  t.device.unary("copy", shape, broadcastView("copy", t, shape), out.view());
  return out;
}

/**
 * Sums `g` (of a broadcast result's shape) down to `shape`: the gradient of broadcasting.
 * Returns `g` itself when nothing was broadcast.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const off = g.ndim - shape.length;
  const keep: number[] = [];
  const reduce: number[] = [];
  g.shape.forEach((d, i) => {
    const target = i < off ? 1 : shape[i - off];
    if (target === 1 && d !== 1) reduce.push(i);
    else keep.push(i);
  });
  const order = [...keep, ...reduce];
  const out = alloc(g, shape);
  const keptShape = keep.map((i) => g.shape[i]);
  g.device.reduce("sum", order.map((i) => g.shape[i]), reduce.length,
    { buffer: g.storage.buffer, offset: g.offset, strides: order.map((i) => g.strides[i]) },
    { buffer: out.storage.buffer, offset: 0, strides: contiguousStrides(keptShape) });
  return out;
}

/**
 * A view of `t`'s storage: with only a shape, a reshape of contiguous `t` (sizes must match); with
 * strides and offset, any view the caller has computed (slices, permutations, broadcasts).
 */
export function viewAs(t: Tensor, shape: readonly number[], strides?: readonly number[], offset = t.offset): Tensor {
  if (!strides && sizeOf(shape) !== t.size) throw new RangeError(`view: cannot view ${t.size} elements as shape [${shape.join(",")}]`);
  return new Tensor(t.storage.retain(), [...shape], [...(strides ?? contiguousStrides(shape))], offset, t.dtype);
}

/** Normalises a possibly negative axis. */
export function axisIndex(op: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of ${ndim} dimensions`);
  return a;
}
