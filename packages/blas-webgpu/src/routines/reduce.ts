/**
 * Device.reduce, Device.argmax and Device.softmax, and the reduction plumbing that sasum and
 * isamax reuse (shaders/reduce-layout.wgsl).
 * @internal
 */
import type { ReduceOp, View } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import type { Kernel } from "../runtime/pipelines.js";
import { fail } from "../validate.js";
import { bound } from "./elementwise.js";
import { REDUCE_CODES } from "./op-codes.js";
import { coalesce, MAX_DIMS, type BoundView } from "./strided.js";

/** Invocations per workgroup of the reductions and softmax. @internal */
export const REDUCE_WG = 64;
/** Reductions at most this long run one invocation per output (no workgroup tree). @internal */
export const SERIAL_MAX = 32;

/** A reduction problem: kept dimensions index outputs (views x and y), reduced ones are folded. @internal */
export interface ReducePlan {
  readonly params: ParamWriter;
  readonly outputs: number;
  readonly inner: number;
}

/** Packs the Reduce struct. @internal */
export function reducePlan(fn: string, shape: readonly number[], reduceDims: number, x: BoundView, y: { strides: readonly number[]; offset: number }): ReducePlan {
  const keep = shape.length - reduceDims;
  const outer = coalesce(shape.slice(0, keep), [x.strides.slice(0, keep), y.strides]);
  const inner = coalesce(shape.slice(keep), [x.strides.slice(keep)]);
  if (outer.shape.length > MAX_DIMS || inner.shape.length > MAX_DIMS) {
    fail(fn, `shape [${shape.join(",")}] needs more than ${MAX_DIMS} kept or reduced dimensions after merging contiguous ones; the webgpu device supports ${MAX_DIMS}`);
  }
  const outputs = shape.slice(0, keep).reduce((a, b) => a * b, 1);
  const innerCount = shape.slice(keep).reduce((a, b) => a * b, 1);
  const params = new ParamWriter()
    .u32Array(outer.shape, 2, 1)
    .i32Array(outer.strides[0], 2)
    .i32Array(outer.strides[1], 2)
    .u32Array(inner.shape, 2, 1)
    .i32Array(inner.strides[0], 2)
    .i32(x.offset)
    .i32(y.offset)
    .u32(outer.shape.length)
    .u32(inner.shape.length)
    .u32(outputs)
    .u32(innerCount);
  return { params, outputs, inner: innerCount };
}

/** Dispatches a reduce.wgsl kernel (op code `op`) for a plan. @internal */
export function runReduce(ctx: GpuContext, fn: string, op: number, plan: ReducePlan, x: BoundView, y: BoundView): void {
  if (plan.outputs === 0) return;
  const serial = plan.inner <= SERIAL_MAX;
  const kernel: Kernel = {
    sources: ["common", "reduce-layout", "op-codes", "reduce"], entry: serial ? "serial" : "main",
    bindings: ["read", "write"], constants: { WG: REDUCE_WG, OP: op },
  };
  ctx.dispatch(kernel, plan.params, [x.buffer, y.buffer], serial ? ctx.grid(fn, plan.outputs, REDUCE_WG) : ctx.grid(fn, plan.outputs, 1));
}

/** Dispatches argmax.wgsl (|x| when `abs`) for a plan. @internal */
export function runArgmax(ctx: GpuContext, fn: string, plan: ReducePlan, x: BoundView, y: BoundView, abs: boolean): void {
  if (plan.outputs === 0) return;
  const kernel: Kernel = { sources: ["common", "reduce-layout", "argmax"], bindings: ["read", "write"], constants: { WG: REDUCE_WG, ABS: abs ? 1 : 0 } };
  ctx.dispatch(kernel, plan.params, [x.buffer, y.buffer], ctx.grid(fn, plan.outputs, 1));
}

/** y ← op over the last `reduceDims` dimensions of x. @internal */
export function reduce(ctx: GpuContext, op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void {
  const c = ctx.contract.reduce(op, shape, reduceDims, x, y);
  const [vx, vy] = [bound(c.x, x), bound(c.y, y)];
  runReduce(ctx, "reduce", REDUCE_CODES[op], reducePlan("reduce", shape, reduceDims, vx, vy), vx, vy);
}

/** y (int32) ← index of the first maximum over the last `reduceDims` dimensions. @internal */
export function argmax(ctx: GpuContext, shape: readonly number[], reduceDims: number, x: View, y: View): void {
  const c = ctx.contract.argmax(shape, reduceDims, x, y);
  const [vx, vy] = [bound(c.x, x), bound(c.y, y)];
  runArgmax(ctx, "argmax", reducePlan("argmax", shape, reduceDims, vx, vy), vx, vy, false);
}

/** Row-wise (log-)softmax. @internal */
export function softmax(ctx: GpuContext, rows: number, cols: number, x: View, y: View, log: boolean): void {
  const [xb, yb] = ctx.contract.softmax(rows, cols, x, y, log);
  const [vx, vy] = [bound(xb, x), bound(yb, y)];
  if (rows === 0 || cols === 0) return;
  const kernel: Kernel = { sources: ["common", "strided", "math", "softmax"], bindings: ["read", "write"], constants: { WG: REDUCE_WG, LOG: log ? 1 : 0 } };
  // The Strided struct carries (rows, cols) and both views uncoalesced: the kernel reads them as 2-D.
  runSoftmax(ctx, kernel, rows, cols, vx, vy);
}

function runSoftmax(ctx: GpuContext, kernel: Kernel, rows: number, cols: number, x: BoundView, y: BoundView): void {
  const params = new ParamWriter()
    .u32Array([rows, cols], 2, 1)
    .i32Array([x.strides[0], x.strides[1], 0, 0, 0, 0, 0, 0, y.strides[0], y.strides[1]], 6)
    .i32Array([x.offset, y.offset, 0, 0], 1)
    .u32(2)
    .u32(rows * cols);
  ctx.dispatch(kernel, params, [x.buffer, y.buffer], ctx.grid("softmax", rows, 1));
}

