/**
 * The Level 2 BLAS routines of the device: sgemv (one workgroup per output row) and sger (one
 * invocation per element of A). Validation follows packages/blas/src/api/level23.ts.
 * @internal
 */
import type { DeviceBuffer, Transpose } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import { checkDim, checkScalar, checkSgemv, checkView } from "../validate.js";
import { scaleInPlace } from "./elementwise.js";
import { REDUCE_WG } from "./reduce.js";

/** Invocations per workgroup of sger. @internal */
export const GER_WG = 128;

/** y ← α·op(A)·x + β·y. @internal */
export function sgemv(ctx: GpuContext, trans: Transpose, M: number, N: number, alpha: number,
  A: DeviceBuffer, sa1: number, sa2: number, oa: number, x: DeviceBuffer, sx: number, ox: number,
  beta: number, y: DeviceBuffer, sy: number, oy: number): void {
  const fn = "sgemv";
  const a = ctx.buffer(fn, "A", A, "float32");
  const xb = ctx.buffer(fn, "x", x, "float32");
  const yb = ctx.buffer(fn, "y", y, "float32");
  const { rows, cols, s1, s2 } = checkSgemv(fn, trans, M, N, alpha, a, sa1, sa2, oa, xb, sx, ox, beta, yb, sy, oy);
  if (rows === 0) return;
  if (alpha === 0 || cols === 0) {
    scaleInPlace(ctx, fn, [rows], yb, [sy], oy, beta);
    return;
  }
  const params = new ParamWriter()
    .u32(rows).u32(cols).u32(beta === 0 ? 1 : 0)
    .i32(s1).i32(s2).i32(oa).i32(sx).i32(ox).i32(sy).i32(oy)
    .f32(alpha).f32(beta);
  ctx.dispatch({ sources: ["common", "gemv"], bindings: ["read", "read", "write"], constants: { WG: REDUCE_WG } }, params, [a, xb, yb], ctx.grid(fn, rows, 1));
}

/** A ← α·x·yᵀ + A. @internal */
export function sger(ctx: GpuContext, M: number, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number,
  y: DeviceBuffer, sy: number, oy: number, A: DeviceBuffer, sa1: number, sa2: number, oa: number): void {
  const fn = "sger";
  checkDim(fn, "M", M);
  checkDim(fn, "N", N);
  checkScalar(fn, "alpha", alpha);
  const xb = ctx.buffer(fn, "x", x, "float32");
  const yb = ctx.buffer(fn, "y", y, "float32");
  const a = ctx.buffer(fn, "A", A, "float32");
  checkView(fn, "x", [M], [sx], ox, xb.length);
  checkView(fn, "y", [N], [sy], oy, yb.length);
  checkView(fn, "A", [M, N], [sa1, sa2], oa, a.length);
  if (M === 0 || N === 0 || alpha === 0) return;
  const params = new ParamWriter().u32(M).u32(N).i32(sx).i32(ox).i32(sy).i32(oy).i32(sa1).i32(sa2).i32(oa).f32(alpha);
  ctx.dispatch({ sources: ["common", "ger"], bindings: ["read", "read", "write"], constants: { WG: GER_WG } }, params, [xb, yb, a], ctx.grid(fn, M * N, GER_WG));
}
