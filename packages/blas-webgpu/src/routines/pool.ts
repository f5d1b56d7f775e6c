/**
 * Max and average pooling and their adjoints on the device. The adjoints gather per input cell
 * (no write conflicts, the reference's summation order). Validated by `@tessera/blas`'s DeviceContract.
 * @internal
 */
import type { DeviceBuffer, Pool2dGeometry } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import type { ShaderName } from "../generated/shaders.js";
import type { WebGpuBuffer } from "../webgpu-buffer.js";

/** Invocations per workgroup. @internal */
export const POOL_WG = 128;

function poolParams(g: Pool2dGeometry, count: number, includePad: boolean, ox: number, oy: number, oa: number): ParamWriter {
  return new ParamWriter()
    .u32(g.H).u32(g.W).u32(g.KH).u32(g.KW).u32(g.OH).u32(g.OW).u32(count).u32(includePad ? 1 : 0)
    .i32(g.strideH).i32(g.strideW).i32(g.padTop).i32(g.padLeft).i32(g.padBottom).i32(g.padRight).i32(g.dilationH).i32(g.dilationW)
    .i32(ox).i32(oy).i32(oa);
}

function run(ctx: GpuContext, fn: string, shader: ShaderName, params: ParamWriter, buffers: WebGpuBuffer[], count: number): void {
  if (count === 0) return;
  const bindings = buffers.map((_, i) => (i === 0 || (shader === "max-pool-backward" && i === 1) ? "read" : "write") as "read" | "write");
  ctx.dispatch({ sources: ["common", "pool-layout", shader], bindings, constants: { WG: POOL_WG } }, params, buffers, ctx.grid(fn, count, POOL_WG));
}

/**
 * Max pooling with argmax; without one (`arg` null) the shader writes its indices into a pooled
 * temporary buffer, released once the dispatch is encoded (one shader: the indices cost the GPU little). @internal
 */
export function maxPool2d(ctx: GpuContext, g: Pool2dGeometry, count: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, arg: DeviceBuffer | null, oa: number): void {
  const fn = "maxPool2d";
  const [xb, yb, ab] = ctx.contract.maxPool2d(g, count, x, ox, y, oy, arg, oa);
  const cells = count * g.OH * g.OW;
  if (ab) {
    run(ctx, fn, "max-pool", poolParams(g, count, false, ox, oy, oa), [xb, yb, ab], cells);
    return;
  }
  const temp = ctx.alloc(cells, "int32");
  try {
    run(ctx, fn, "max-pool", poolParams(g, count, false, ox, oy, 0), [xb, yb, temp], cells);
  } finally {
    ctx.free(temp);
  }
}

/** dx[argmax] += dy. @internal */
export function maxPool2dBackward(ctx: GpuContext, g: Pool2dGeometry, count: number, dy: DeviceBuffer, ody: number, arg: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): void {
  const fn = "maxPool2dBackward";
  const [dyb, ab, dxb] = ctx.contract.maxPool2dBackward(g, count, dy, ody, arg, oa, dx, odx);
  if (g.OH * g.OW === 0) return;
  run(ctx, fn, "max-pool-backward", poolParams(g, count, false, odx, ody, oa), [dyb, ab, dxb], count * g.H * g.W);
}

/** Average pooling. @internal */
export function avgPool2d(ctx: GpuContext, g: Pool2dGeometry, count: number, includePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): void {
  const fn = "avgPool2d";
  const [xb, yb] = ctx.contract.avgPool2d(g, count, includePad, x, ox, y, oy);
  run(ctx, fn, "avg-pool", poolParams(g, count, includePad, ox, oy, 0), [xb, yb], count * g.OH * g.OW);
}

/** dx += the adjoint of average pooling. @internal */
export function avgPool2dBackward(ctx: GpuContext, g: Pool2dGeometry, count: number, includePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): void {
  const fn = "avgPool2dBackward";
  const [dyb, dxb] = ctx.contract.avgPool2dBackward(g, count, includePad, dy, ody, dx, odx);
  if (g.OH * g.OW === 0) return;
  run(ctx, fn, "avg-pool-backward", poolParams(g, count, includePad, odx, ody, 0), [dyb, dxb], count * g.H * g.W);
}
