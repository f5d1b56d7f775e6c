/**
 * How an sgemm runs: the tile shape chosen from the adapter's limits, the kernel (tiled or small)
 * for a problem, and the loader/store variants that fit the operands' layouts. Every choice is a
 * source or a pipeline constant of the kernel, so it is part of the pipeline cache key.
 * @internal
 */
import type { ShaderName } from "../generated/shaders.js";
import type { Kernel } from "../runtime/pipelines.js";

/**
 * Which sgemm kernel runs: `'auto'` chooses by problem size (tiled for M, N ≥ 32 and K ≥ 8),
 * `'tiled'` and `'small'` force one (for tests and benchmarks).
 *
 * @example
 * ```ts
 * import { webgpuDevice, type SgemmKernel } from "@tessera/blas-webgpu";
 * const kernel: SgemmKernel = "tiled";
 * const dev = await webgpuDevice({ sgemmKernel: kernel });
 * ```
 */
export type SgemmKernel = "auto" | "tiled" | "small";

/**
 * The tile of the tiled sgemm: a workgroup of TX×TY invocations, each computing 4×4 outputs, so a
 * (4·TY)×(4·TX) block of C per workgroup, accumulated over K in steps of BK.
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const tiles = (await webgpuDevice()).sgemmTiles; // { TX: 16, TY: 16, BK: 16 }: 64×64 outputs per workgroup
 * ```
 */
export interface GemmTiles {
  /** Invocations along N (each 4 columns). */
  readonly TX: number;
  /** Invocations along M (each 4 rows). */
  readonly TY: number;
  /** Depth of a K step (the A and B tiles in workgroup memory). */
  readonly BK: number;
}

/** Candidate tiles, best first: 64×64 outputs per workgroup, then 32×32. @internal */
const CANDIDATES: readonly GemmTiles[] = [{ TX: 16, TY: 16, BK: 16 }, { TX: 8, TY: 8, BK: 16 }, { TX: 8, TY: 8, BK: 8 }];

/** Bytes of workgroup memory a tile needs (A and B tiles of vec4). @internal */
export function tileBytes(t: GemmTiles): number {
  return 16 * t.BK * (t.TX + t.TY);
}

/** The largest candidate tile the device's limits allow, or null (then only the small kernel runs). @internal */
export function chooseTiles(limits: GPUSupportedLimits): GemmTiles | null {
  return CANDIDATES.find((t) =>
    t.TX * t.TY <= limits.maxComputeInvocationsPerWorkgroup &&
    t.TX <= limits.maxComputeWorkgroupSizeX && t.TY <= limits.maxComputeWorkgroupSizeY &&
    tileBytes(t) <= limits.maxComputeWorkgroupStorageSize) ?? null;
}

/** Smallest M and N for which the auto mode tiles (a tile is then at least a quarter used). @internal */
export const TILED_MIN_MN = 32;
/** Smallest K for which the auto mode tiles. @internal */
export const TILED_MIN_K = 8;

/** Strides (of op(A), op(B), C as M×K, K×N, M×N) and offsets of an sgemm. @internal */
export interface GemmLayout {
  readonly sa1: number; readonly sa2: number; readonly oa: number;
  readonly sb1: number; readonly sb2: number; readonly ob: number;
  readonly sc1: number; readonly sc2: number; readonly oc: number;
}

const aligned = (...v: number[]) => v.every((x) => x % 4 === 0);

/** The tiled kernel for a layout: vec4 loaders/store where the layout allows, scalar ones elsewhere. @internal */
export function tiledKernel(t: GemmTiles, l: GemmLayout): Kernel {
  const constants: Record<string, number> = { TX: t.TX, TY: t.TY, BK: t.BK };
  let a: ShaderName;
  if (l.sa2 === 1 && aligned(l.sa1, l.oa) && t.BK % 4 === 0) a = "gemm-load-a-vec4k";
  else if (l.sa1 === 1 && aligned(l.sa2, l.oa)) a = "gemm-load-a-vec4m";
  else {
    a = "gemm-load-a-scalar";
    constants.A_M_FAST = Math.abs(l.sa1) < Math.abs(l.sa2) ? 1 : 0;
  }
  let b: ShaderName;
  if (l.sb2 === 1 && aligned(l.sb1, l.ob)) b = "gemm-load-b-vec4n";
  else if (l.sb1 === 1 && aligned(l.sb2, l.ob) && t.BK % 4 === 0) b = "gemm-load-b-vec4k";
  else {
    b = "gemm-load-b-scalar";
    constants.B_N_FAST = Math.abs(l.sb2) <= Math.abs(l.sb1) ? 1 : 0;
  }
  const c: ShaderName = l.sc2 === 1 && aligned(l.sc1, l.oc) ? "gemm-store-c-vec4" : "gemm-store-c-scalar";
  return { sources: ["common", "gemm-params", "gemm-tiled", a, b, c], bindings: ["read", "read", "write"], constants };
}

/** Invocations per workgroup of the small kernel. @internal */
export const SMALL_WG = 64;

/** The small kernel: one invocation per element of C. @internal */
export function smallKernel(l: GemmLayout): Kernel {
  return {
    sources: ["common", "gemm-params", "gemm-small"], bindings: ["read", "read", "write"],
    constants: { WG: SMALL_WG, M_FAST: Math.abs(l.sc1) < Math.abs(l.sc2) ? 1 : 0 },
  };
}

/** Whether a problem runs tiled. @internal */
export function useTiled(mode: SgemmKernel, tiles: GemmTiles | null, M: number, N: number, K: number): boolean {
  if (!tiles || mode === "small") return false;
  return mode === "tiled" || (M >= TILED_MIN_MN && N >= TILED_MIN_MN && K >= TILED_MIN_K);
}
