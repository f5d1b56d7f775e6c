/**
 * sgemm on the device: validation as the reference front end (packages/blas/src/api/level23.ts),
 * α = 0 or K = 0 as a scale of C, then the tiled or the small kernel.
 * @internal
 */
import type { DeviceBuffer, Transpose } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";
import { checkSgemm } from "../validate.js";
import { scaleInPlace } from "./elementwise.js";
import { smallKernel, SMALL_WG, tiledKernel, useTiled, type GemmLayout, type GemmTiles, type SgemmKernel } from "./gemm-plan.js";

/** The device's sgemm configuration. @internal */
export interface GemmConfig {
  readonly mode: SgemmKernel;
  readonly tiles: GemmTiles | null;
}

/** C ← α·op(A)·op(B) + β·C. @internal */
export function sgemm(ctx: GpuContext, cfg: GemmConfig, transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
  A: DeviceBuffer, sa1: number, sa2: number, oa: number, B: DeviceBuffer, sb1: number, sb2: number, ob: number,
  beta: number, C: DeviceBuffer, sc1: number, sc2: number, oc: number): void {
  const fn = "sgemm";
  const a = ctx.buffer(fn, "A", A, "float32");
  const b = ctx.buffer(fn, "B", B, "float32");
  const c = ctx.buffer(fn, "C", C, "float32");
  const { a1, a2, b1, b2 } = checkSgemm(fn, transA, transB, M, N, K, alpha, a, sa1, sa2, oa, b, sb1, sb2, ob, beta, c, sc1, sc2, oc);
  if (M === 0 || N === 0) return;
  if (alpha === 0 || K === 0) {
    scaleInPlace(ctx, fn, [M, N], c, [sc1, sc2], oc, beta);
    return;
  }
  const l: GemmLayout = { sa1: a1, sa2: a2, oa, sb1: b1, sb2: b2, ob, sc1, sc2, oc };
  const params = new ParamWriter()
    .u32(M).u32(N).u32(K).u32(beta === 0 ? 1 : 0)
    .i32(a1).i32(a2).i32(oa).i32(b1).i32(b2).i32(ob).i32(sc1).i32(sc2).i32(oc)
    .f32(alpha).f32(beta);
  const t = cfg.tiles;
  const max = ctx.device.limits.maxComputeWorkgroupsPerDimension;
  if (t && useTiled(cfg.mode, t, M, N, K)) {
    const gx = Math.ceil(N / (4 * t.TX));
    const gy = Math.ceil(M / (4 * t.TY));
    if (gx <= max && gy <= max) {
      ctx.dispatch(tiledKernel(t, l), params, [a, b, c], [gx, gy, 1]);
      return;
    }
  }
  ctx.dispatch(smallKernel(l), params, [a, b, c], ctx.grid(fn, M * N, SMALL_WG));
}
