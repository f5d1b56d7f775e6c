/**
 * Max and average pooling and their adjoints on the device. The adjoints gather per input cell
 * (no write conflicts, the reference's summation order). Validation follows the reference device.
 * @internal
 */
import type { DeviceBuffer, Pool2dGeometry } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import type { ShaderName } from "../generated/shaders.js";
import { checkDim, checkPoolGeometry, checkView, fail } from "../validate.js";
import type { WebGpuBuffer } from "../webgpu-buffer.js";

/** Invocations per workgroup. @internal */
export const POOL_WG = 128;

function planes(ctx: GpuContext, fn: string, name: string, b: DeviceBuffer, count: number, size: number, offset: number, dtype: "float32" | "int32" = "float32"): WebGpuBuffer {
  const buf = ctx.buffer(fn, name, b, dtype);
  checkView(fn, name, [count * size], [1], offset, buf.length);
  return buf;
}

function poolParams(g: Pool2dGeometry, count: number, includePad: boolean, ox: number, oy: number, oa: number): ParamWriter {
  return new ParamWriter()
    .u32(g.H).u32(g.W).u32(g.KH).u32(g.KW).u32(g.OH).u32(g.OW).u32(count).u32(includePad ? 1 : 0)
    .i32(g.strideH).i32(g.strideW).i32(g.padTop).i32(g.padLeft).i32(g.padBottom).i32(g.padRight).i32(g.dilationH).i32(g.dilationW)
    .i32(ox).i32(oy).i32(oa);
}

function check(fn: string, g: Pool2dGeometry, count: number, avg: boolean, includePad?: boolean): void {
  checkPoolGeometry(fn, g);
  checkDim(fn, "planes", count);
  if (avg && (g.dilationH !== 1 || g.dilationW !== 1)) fail(fn, `dilation must be 1, got ${g.dilationH},${g.dilationW}`);
  if (avg && typeof includePad !== "boolean") fail(fn, `countIncludePad must be a boolean, got ${typeof includePad}`);
}

function run(ctx: GpuContext, fn: string, shader: ShaderName, params: ParamWriter, buffers: WebGpuBuffer[], count: number): void {
  if (count === 0) return;
  const bindings = buffers.map((_, i) => (i === 0 || (shader === "max-pool-backward" && i === 1) ? "read" : "write") as "read" | "write");
  ctx.dispatch({ sources: ["common", "pool-layout", shader], bindings, constants: { WG: POOL_WG } }, params, buffers, ctx.grid(fn, count, POOL_WG));
}

/** Max pooling with argmax. @internal */
export function maxPool2d(ctx: GpuContext, g: Pool2dGeometry, count: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, arg: DeviceBuffer, oa: number): void {
  const fn = "maxPool2d";
  check(fn, g, count, false);
  const xb = planes(ctx, fn, "x", x, count, g.H * g.W, ox);
  const yb = planes(ctx, fn, "y", y, count, g.OH * g.OW, oy);
  const ab = planes(ctx, fn, "argmax", arg, count, g.OH * g.OW, oa, "int32");
  run(ctx, fn, "max-pool", poolParams(g, count, false, ox, oy, oa), [xb, yb, ab], count * g.OH * g.OW);
}

/** dx[argmax] += dy. @internal */
export function maxPool2dBackward(ctx: GpuContext, g: Pool2dGeometry, count: number, dy: DeviceBuffer, ody: number, arg: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): void {
  const fn = "maxPool2dBackward";
  check(fn, g, count, false);
  const dxb = planes(ctx, fn, "dx", dx, count, g.H * g.W, odx);
  const dyb = planes(ctx, fn, "dy", dy, count, g.OH * g.OW, ody);
  const ab = planes(ctx, fn, "argmax", arg, count, g.OH * g.OW, oa, "int32");
  if (g.OH * g.OW === 0) return;
  run(ctx, fn, "max-pool-backward", poolParams(g, count, false, odx, ody, oa), [dyb, ab, dxb], count * g.H * g.W);
}

/** Average pooling. @internal */
export function avgPool2d(ctx: GpuContext, g: Pool2dGeometry, count: number, includePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): void {
  const fn = "avgPool2d";
  check(fn, g, count, true, includePad);
  const xb = planes(ctx, fn, "x", x, count, g.H * g.W, ox);
  const yb = planes(ctx, fn, "y", y, count, g.OH * g.OW, oy);
  run(ctx, fn, "avg-pool", poolParams(g, count, includePad, ox, oy, 0), [xb, yb], count * g.OH * g.OW);
}

/** dx += the adjoint of average pooling. @internal */
export function avgPool2dBackward(ctx: GpuContext, g: Pool2dGeometry, count: number, includePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): void {
  const fn = "avgPool2dBackward";
  check(fn, g, count, true, includePad);
  const dxb = planes(ctx, fn, "dx", dx, count, g.H * g.W, odx);
  const dyb = planes(ctx, fn, "dy", dy, count, g.OH * g.OW, ody);
  if (g.OH * g.OW === 0) return;
  run(ctx, fn, "avg-pool-backward", poolParams(g, count, includePad, odx, ody, 0), [dyb, dxb], count * g.H * g.W);
}
