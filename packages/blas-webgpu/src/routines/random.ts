/**
 * Device.fillRandom: the counter-based generator of @tessera/blas in WGSL (shaders/random.wgsl).
 * @internal
 */
import type { DeviceBuffer, RandomDistribution } from "@tessera/blas";
import type { GpuContext } from "../runtime/context.js";
import { ParamWriter } from "../runtime/params.js";

/** Invocations per workgroup. @internal */
export const RANDOM_WG = 128;

const DIST_CODES: Readonly<Record<RandomDistribution, number>> = { uniform: 0, normal: 1, bernoulli: 2 };

/**
 * The 24-bit threshold T with (k < T) ⟺ (k·2⁻²⁴ < p) for every integer k in [0, 2²⁴): the
 * reference compares the float64 uniform with p, so comparing the integer keeps every element equal.
 * @internal
 */
export function bernoulliThreshold(p: number): number {
  if (!(p > 0)) return 0;
  return Math.min(2 ** 24, Math.ceil(p * 2 ** 24));
}

/** y[oy + i] ← a random number of element counter + i of stream `seed`. @internal */
export function fillRandom(ctx: GpuContext, dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, oy: number, p0: number, p1: number): void {
  const fn = "fillRandom";
  const yb = ctx.contract.fillRandom(dist, seed, counter, N, y, oy, p0, p1);
  if (N === 0) return;
  const [a, b] = dist === "uniform" ? [p0, p1 - p0] : [p0, p1];
  const params = new ParamWriter()
    .u32(N).u32(oy).u32(seed).u32(counter).u32(dist === "bernoulli" ? bernoulliThreshold(p0) : 0)
    .f32(a).f32(dist === "bernoulli" ? p1 : b);
  ctx.dispatch({ sources: ["common", "math", "random"], bindings: ["write"], constants: { WG: RANDOM_WG, DIST: DIST_CODES[dist] } }, params, [yb], ctx.grid(fn, N, RANDOM_WG));
}
