/**
 * The Level 1 BLAS routines of the device: saxpy, sscal, scopy, sswap, sdot, snrm2, sasum,
 * isamax. Validation follows the reference front end (packages/blas/src/api/level1.ts).
 * @internal
 */
import type { DeviceBuffer } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import type { Kernel } from "../runtime/pipelines.js";
import { checkDim, checkScalar, checkVector } from "../validate.js";
import { axpy, scaleInPlace } from "./elementwise.js";
import { REDUCE_SUM_ABS, UNARY_CODES } from "./op-codes.js";
import { reducePlan, runArgmax, runReduce } from "./reduce.js";
import { ELEMENTWISE_WG, runStrided, stridedParams, type BoundView } from "./strided.js";

/** Invocations of the one-workgroup reductions (sdot, snrm2), when the device allows them. @internal */
export const DOT_WG = 256;

/** The largest power of two ≤ DOT_WG the device's limits allow (a GPUDevice passed in may have compat defaults). */
function dotWorkgroup(ctx: GpuContext): number {
  const L = ctx.device.limits;
  const max = Math.min(DOT_WG, L.maxComputeInvocationsPerWorkgroup, L.maxComputeWorkgroupSizeX);
  return 2 ** Math.floor(Math.log2(max));
}

function vector(ctx: GpuContext, fn: string, name: string, N: number, b: DeviceBuffer, stride: number, offset: number, dtype: "float32" | "int32" = "float32"): BoundView {
  const buffer = ctx.buffer(fn, name, b, dtype);
  checkVector(fn, name, N, stride, offset, buffer.length);
  return { buffer, strides: [stride], offset };
}

function pair(ctx: GpuContext, fn: string, N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): [BoundView, BoundView] {
  checkDim(fn, "N", N);
  return [vector(ctx, fn, "x", N, x, sx, ox), vector(ctx, fn, "y", N, y, sy, oy)];
}

/** y ← αx + y. @internal */
export function saxpy(ctx: GpuContext, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
  checkScalar("saxpy", "alpha", alpha);
  const [vx, vy] = pair(ctx, "saxpy", N, x, sx, ox, y, sy, oy);
  if (N > 0 && alpha !== 0) axpy(ctx, "saxpy", [N], vx, vy, alpha);
}

/** x ← αx (α = 0 writes zeros without reading x). @internal */
export function sscal(ctx: GpuContext, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number): void {
  checkScalar("sscal", "alpha", alpha);
  checkDim("sscal", "N", N);
  const vx = vector(ctx, "sscal", "x", N, x, sx, ox);
  if (N > 0) scaleInPlace(ctx, "sscal", [N], vx.buffer, vx.strides, vx.offset, alpha);
}

const copyKernel: Kernel = { sources: ["common", "strided", "math", "op-codes", "unary-ops", "unary"], bindings: ["read", "write"], constants: { WG: ELEMENTWISE_WG, OP: UNARY_CODES.copy } };

/** y ← x. @internal */
export function scopy(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
  const [vx, vy] = pair(ctx, "scopy", N, x, sx, ox, y, sy, oy);
  runStrided(ctx, "scopy", copyKernel, [N], [vx, vy]);
}

/** x ↔ y (two views of one buffer are swapped through a snapshot of it). @internal */
export function sswap(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
  const [vx, vy] = pair(ctx, "sswap", N, x, sx, ox, y, sy, oy);
  if (N === 0) return;
  if (vx.buffer.gpuBuffer !== vy.buffer.gpuBuffer) {
    runStrided(ctx, "sswap", { sources: ["common", "strided", "swap"], bindings: ["write", "write"], constants: { WG: ELEMENTWISE_WG } }, [N], [vx, vy]);
    return;
  }
  const snapshot = ctx.snapshot(vx.buffer);
  try {
    runStrided(ctx, "sswap", copyKernel, [N], [{ ...vy, buffer: snapshot }, vx]);
    runStrided(ctx, "sswap", copyKernel, [N], [{ ...vx, buffer: snapshot }, vy]);
  } finally {
    ctx.releaseSnapshot(snapshot);
  }
}

function output(ctx: GpuContext, fn: string, out: DeviceBuffer, offset: number, dtype: "float32" | "int32" = "float32"): BoundView {
  return vector(ctx, fn, "out", 1, out, 1, offset, dtype);
}

/** out[oo] ← xᵀy. @internal */
export function sdot(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number, out: DeviceBuffer, oo: number): void {
  const vo = output(ctx, "sdot", out, oo);
  const [vx, vy] = pair(ctx, "sdot", N, x, sx, ox, y, sy, oy);
  const { params } = stridedParams("sdot", [N], [vx, vy, { strides: [0], offset: oo }]);
  ctx.dispatch({ sources: ["common", "strided", "dot"], bindings: ["read", "read", "write"], constants: { WG: dotWorkgroup(ctx) } }, params, [vx.buffer, vy.buffer, vo.buffer], [1, 1, 1]);
}

/** out[oo] ← ‖x‖₂. @internal */
export function snrm2(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
  const vo = output(ctx, "snrm2", out, oo);
  checkDim("snrm2", "N", N);
  const vx = vector(ctx, "snrm2", "x", N, x, sx, ox);
  const { params } = stridedParams("snrm2", [N], [vx, { strides: [0], offset: oo }]);
  ctx.dispatch({ sources: ["common", "strided", "nrm2"], bindings: ["read", "write"], constants: { WG: dotWorkgroup(ctx) } }, params, [vx.buffer, vo.buffer], [1, 1, 1]);
}

function reduceVector(ctx: GpuContext, fn: string, N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number, dtype: "float32" | "int32"): [BoundView, BoundView] {
  const vo = output(ctx, fn, out, oo, dtype);
  checkDim(fn, "N", N);
  return [vector(ctx, fn, "x", N, x, sx, ox), { ...vo, strides: [] }];
}

/** out[oo] ← Σ|xᵢ|. @internal */
export function sasum(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
  const [vx, vo] = reduceVector(ctx, "sasum", N, x, sx, ox, out, oo, "float32");
  runReduce(ctx, "sasum", REDUCE_SUM_ABS, reducePlan("sasum", [N], 1, vx, vo), vx, vo);
}

/** out[oo] (int32) ← index of the first largest |xᵢ|, −1 for N = 0. @internal */
export function isamax(ctx: GpuContext, N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
  const [vx, vo] = reduceVector(ctx, "isamax", N, x, sx, ox, out, oo, "int32");
  runArgmax(ctx, "isamax", reducePlan("isamax", [N], 1, vx, vo), vx, vo, true);
}

