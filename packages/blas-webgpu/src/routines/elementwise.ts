/**
 * Device.fill, Device.unary, Device.binary, and the strided scale used by sscal and by the β·C
 * paths of sgemm/sgemv.
 * @internal
 */
import type { BinaryOp, UnaryOp, View } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import type { Kernel } from "../runtime/pipelines.js";
import type { WebGpuBuffer } from "../webgpu-buffer.js";
import { BINARY_CODES, UNARY_CODES } from "./op-codes.js";
import { ELEMENTWISE_WG, runStrided, stridedParams, type BoundView } from "./strided.js";

const WG = { WG: ELEMENTWISE_WG };

/** A validated view (from ctx.contract) as the kernels take it. @internal */
export function bound(buffer: WebGpuBuffer, v: View): BoundView {
  return { buffer, strides: v.strides, offset: v.offset };
}

/** y ← value (float32 or int32 y; int32 takes the value as an Int32Array element would). @internal */
export function fill(ctx: GpuContext, shape: readonly number[], value: number, y: View): void {
  const view = bound(ctx.contract.fill(shape, value, y), y);
  const bits = view.buffer.dtype === "int32" ? new Uint32Array(new Int32Array([value]).buffer)[0] : new Uint32Array(new Float32Array([value]).buffer)[0];
  const kernel: Kernel = { sources: ["common", "strided", "fill"], bindings: ["write"], constants: WG };
  runStrided(ctx, "fill", kernel, shape, [view], { bits });
}

/** True when two views address the same elements in the same order (an in-place operand). @internal */
export function sameView(shape: readonly number[], a: BoundView, b: BoundView): boolean {
  return a.buffer.gpuBuffer === b.buffer.gpuBuffer && a.offset === b.offset && shape.every((n, d) => n <= 1 || a.strides[d] === b.strides[d]);
}

/** y ← f(x); y = x in place binds one buffer (no copy). @internal */
export function unary(ctx: GpuContext, op: UnaryOp, shape: readonly number[], x: View, y: View, p0: number, p1: number): void {
  const [xb, yb] = ctx.contract.unary(op, shape, x, y, p0, p1);
  const [vx, vy] = [bound(xb, x), bound(yb, y)];
  const base = { sources: ["common", "strided", "math", "op-codes", "unary-ops", "unary"], constants: { ...WG, OP: UNARY_CODES[op] } } as const;
  if (sameView(shape, vx, vy)) {
    runStrided(ctx, "unary", { ...base, entry: "in_place", bindings: ["write"], slots: [2] }, shape, [vy], { p0, p1 });
  } else {
    runStrided(ctx, "unary", { ...base, bindings: ["read", "write"] }, shape, [vx, vy], { p0, p1 });
  }
}

/** out ← f(a, b). @internal */
export function binary(ctx: GpuContext, op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0: number): void {
  const [ab, bb, ob] = ctx.contract.binary(op, shape, a, b, out, p0);
  const [va, vb, vo] = [bound(ab, a), bound(bb, b), bound(ob, out)];
  const base = { sources: ["common", "strided", "math", "op-codes", "binary-ops", "binary"], constants: { ...WG, OP: BINARY_CODES[op] } } as const;
  const { params, count } = stridedParams("binary", shape, [va, vb, vo], { p0 });
  if (count === 0) return;
  const grid = ctx.grid("binary", count, ELEMENTWISE_WG);
  // out = a or out = b in place: read that operand from out instead of copying the buffer first.
  if (sameView(shape, va, vo) && !sameView(shape, vb, vo)) {
    ctx.dispatch({ ...base, entry: "a_is_out", bindings: ["read", "write"], slots: [2, 3] }, params, [vb.buffer, vo.buffer], grid);
  } else if (sameView(shape, vb, vo) && !sameView(shape, va, vo)) {
    ctx.dispatch({ ...base, entry: "b_is_out", bindings: ["read", "write"], slots: [1, 3] }, params, [va.buffer, vo.buffer], grid);
  } else {
    ctx.dispatch({ ...base, bindings: ["read", "read", "write"] }, params, [va.buffer, vb.buffer, vo.buffer], grid);
  }
}

/** y ← scale·y over a validated view, or y ← 0 without reading y when scale is 0. @internal */
export function scaleInPlace(ctx: GpuContext, fn: string, shape: readonly number[], y: WebGpuBuffer, strides: readonly number[], offset: number, scale: number): void {
  if (scale === 1) return;
  const kernel: Kernel = { sources: ["common", "strided", "scale"], bindings: ["write"], constants: WG };
  runStrided(ctx, fn, kernel, shape, [{ buffer: y, strides, offset }], { p0: scale, bits: scale === 0 ? 1 : 0 });
}

/**
 * Splits a float32 value into a high part with 12 significant bits and the exact remainder
 * (for the exact products of shaders/axpy.wgsl).
 * @internal
 */
export function splitFloat32(v: number): [number, number] {
  const bits = new Uint32Array(new Float32Array([v]).buffer);
  const whole = new Float32Array(bits.buffer)[0];
  bits[0] &= 0xfffff000;
  const hi = new Float32Array(bits.buffer)[0];
  return Number.isFinite(whole) ? [hi, whole - hi] : [whole, 0];
}

/** y ← alpha·x + y over validated views, rounded once. @internal */
export function axpy(ctx: GpuContext, fn: string, shape: readonly number[], x: BoundView, y: BoundView, alpha: number): void {
  const kernel: Kernel = { sources: ["common", "strided", "axpy"], bindings: ["read", "write"], constants: WG };
  const [hi, lo] = splitFloat32(alpha);
  runStrided(ctx, fn, kernel, shape, [x, y], { p0: hi, p1: lo });
}
