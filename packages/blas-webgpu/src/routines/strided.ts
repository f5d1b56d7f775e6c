/**
 * Strided n-d iteration spaces for the elementwise kernels (the `Strided` struct of
 * shaders/strided.wgsl): dimension merging and parameter packing.
 * @internal
 */
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import type { Kernel } from "../runtime/pipelines.js";
import { fail } from "../validate.js";
import type { WebGpuBuffer } from "../webgpu-buffer.js";
import { coalesceDims } from "@tessera/blas";

/** Most dimensions a kernel iterates over after merging (two vec4 per shape in the uniforms). @internal */
export const MAX_DIMS = 8;

/** A view bound to a kernel: buffer, strides, offset. @internal */
export interface BoundView {
  readonly buffer: WebGpuBuffer;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Dimension coalescing: @tessera/blas's `coalesceDims`. @internal */
export const coalesce = coalesceDims;

/** Scalars of the Strided struct. @internal */
export interface StridedScalars {
  readonly p0?: number;
  readonly p1?: number;
  readonly bits?: number;
}

/** Packs a Strided struct for up to three views of `shape` (already coalesced or not). @internal */
export function stridedParams(fn: string, shape: readonly number[], views: readonly { strides: readonly number[]; offset: number }[], s: StridedScalars = {}): { params: ParamWriter; count: number } {
  const c = coalesce(shape, views.map((v) => v.strides));
  if (c.shape.length > MAX_DIMS) {
    fail(fn, `the views of shape [${shape.join(",")}] need ${c.shape.length} dimensions after merging contiguous ones; the webgpu device supports ${MAX_DIMS}`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const strides: number[] = [];
  for (let v = 0; v < 3; v++) for (let d = 0; d < 8; d++) strides.push(c.strides[v]?.[d] ?? 0);
  const params = new ParamWriter()
    .u32Array(c.shape, 2, 1)
    .i32Array(strides, 6)
    .i32Array([views[0]?.offset ?? 0, views[1]?.offset ?? 0, views[2]?.offset ?? 0, 0], 1)
    .u32(c.shape.length)
    .u32(count)
    .f32(s.p0 ?? 0)
    .f32(s.p1 ?? 0)
    .u32(s.bits ?? 0);
  return { params, count };
}

/** Invocations per workgroup of the elementwise kernels. @internal */
export const ELEMENTWISE_WG = 128;

/** Runs a one-invocation-per-element kernel over `shape` with up to three bound views. @internal */
export function runStrided(ctx: GpuContext, fn: string, kernel: Kernel, shape: readonly number[], views: readonly BoundView[], s: StridedScalars = {}): void {
  const { params, count } = stridedParams(fn, shape, views, s);
  if (count === 0) return;
  ctx.dispatch(kernel, params, views.map((v) => v.buffer), ctx.grid(fn, count, ELEMENTWISE_WG));
}
