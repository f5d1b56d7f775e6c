/**
 * im2col and col2im on the device (one invocation per column element / per image element).
 * Validated by `@tessera/blas`'s DeviceContract (ctx.contract).
 * @internal
 */
import type { Conv2dGeometry, DeviceBuffer } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import type { Kernel } from "../runtime/pipelines.js";

/** Invocations per workgroup. @internal */
export const CONV_WG = 128;

function columnParams(g: Conv2dGeometry, N: number, ox: number, sxn: number, oc: number, ld: number): ParamWriter {
  return new ParamWriter()
    .u32(g.C).u32(g.H).u32(g.W).u32(g.KH).u32(g.KW).u32(g.OH).u32(g.OW).u32(N)
    .i32(g.strideH).i32(g.strideW).i32(g.padTop).i32(g.padLeft).i32(g.dilationH).i32(g.dilationW)
    .i32(ox).i32(sxn).i32(oc).i32(ld);
}

/** col ← im2col(x). @internal */
export function im2col(ctx: GpuContext, g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): void {
  const [xb, cb] = ctx.contract.im2col(g, N, x, ox, sxn, col, oc, ld);
  const params = columnParams(g, N, ox, sxn, oc, ld);
  const count = g.C * g.KH * g.KW * N * g.OH * g.OW;
  if (count === 0) return;
  const kernel: Kernel = { sources: ["common", "conv-layout", "im2col"], bindings: ["read", "write"], constants: { WG: CONV_WG } };
  ctx.dispatch(kernel, params, [xb, cb], ctx.grid("im2col", count, CONV_WG));
}

/** x += col2im(col). @internal */
export function col2im(ctx: GpuContext, g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number): void {
  const [cb, xb] = ctx.contract.col2im(g, N, col, oc, ld, x, ox, sxn);
  const params = columnParams(g, N, ox, sxn, oc, ld);
  const count = N * g.C * g.H * g.W;
  if (count === 0 || g.OH * g.OW === 0) return;
  const kernel: Kernel = { sources: ["common", "conv-layout", "col2im"], bindings: ["read", "write"], constants: { WG: CONV_WG } };
  ctx.dispatch(kernel, params, [cb, xb], ctx.grid("col2im", count, CONV_WG));
}
