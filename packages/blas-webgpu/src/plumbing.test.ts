import { counterUniform } from "@tessera/blas";
import { describe, expect, it } from "vitest";
import { sizeClass } from "./runtime/buffer-pool.js";
import { PARAM_BYTES, ParamWriter } from "./runtime/params.js";
import { kernelKey } from "./runtime/pipelines.js";
import { splitFloat32 } from "./routines/elementwise.js";
import { chooseTiles, smallKernel, tiledKernel, tileBytes, useTiled, type GemmLayout } from "./routines/gemm-plan.js";
import { bernoulliThreshold } from "./routines/random.js";
import { coalesce, stridedParams } from "./routines/strided.js";

// Host-side plumbing, no GPU needed: dimension merging, uniform packing, size classes, kernel
// selection, and the integer rules that make the GPU match the reference bit for bit.

describe("coalesce", () => {
  it("merges a contiguous view into one dimension and drops extents of 1", () => {
    expect(coalesce([2, 1, 3, 4], [[12, 99, 4, 1]])).toEqual({ shape: [24], strides: [[1]] });
  });
  it("keeps dimensions that are contiguous in one view but not in another", () => {
    expect(coalesce([3, 4], [[4, 1], [1, 3]])).toEqual({ shape: [3, 4], strides: [[4, 1], [1, 3]] });
  });
  it("merges broadcast (zero-stride) dimensions together", () => {
    expect(coalesce([4, 5, 6], [[30, 6, 1], [0, 0, 0]])).toEqual({ shape: [120], strides: [[1], [0]] });
  });
  it("leaves a scalar as rank 0", () => {
    expect(coalesce([1, 1], [[5, 7]])).toEqual({ shape: [], strides: [[]] });
  });
});

describe("stridedParams", () => {
  it("packs the Strided struct of strided.wgsl: shape, 3×8 strides, offsets, rank, count, scalars", () => {
    const { params, count } = stridedParams("t", [3, 4], [{ strides: [1, 3], offset: 5 }, { strides: [4, 1], offset: 7 }], { p0: 0.5, bits: 9 });
    expect(count).toBe(12);
    const u = new Uint32Array(params.bytes);
    const i = new Int32Array(params.bytes);
    expect([...u.slice(0, 8)]).toEqual([3, 4, 1, 1, 1, 1, 1, 1]);
    expect([...i.slice(8, 10)]).toEqual([1, 3]);
    expect([...i.slice(16, 18)]).toEqual([4, 1]);
    expect([...i.slice(32, 35)]).toEqual([5, 7, 0]);
    expect(u[36]).toBe(2); // rank
    expect(u[37]).toBe(12); // count
    expect(new Float32Array(params.bytes)[38]).toBe(0.5);
    expect(u[40]).toBe(9); // bits
  });
  it("rejects views that need more than 8 dimensions, naming the routine and the shape", () => {
    const shape = [2, 2, 2, 2, 2, 2, 2, 2, 2];
    const strides = shape.map((_, d) => 3 ** (8 - d)); // never contiguous: 3ᵏ ≠ 2·3ᵏ⁻¹
    expect(() => stridedParams("unary", shape, [{ strides, offset: 0 }])).toThrow(/unary: the views of shape \[2,2,2,2,2,2,2,2,2\] need 9 dimensions.*supports 8/);
  });
});

describe("ParamWriter", () => {
  it("aligns vec4 arrays to 16 bytes after scalars", () => {
    const w = new ParamWriter().u32(1).u32Array([2, 3], 1);
    expect([...new Uint32Array(w.bytes, 0, 8)]).toEqual([1, 0, 0, 0, 2, 3, 0, 0]);
  });
  it("refuses to overflow a uniform slot", () => {
    const w = new ParamWriter();
    expect(() => w.u32Array([], PARAM_BYTES / 16 + 1)).toThrow(/exceed 256 bytes/);
  });
});

describe("sizeClass", () => {
  it("is a multiple of 16, at least the request, and at most 25 % above it (beyond 256 bytes)", () => {
    for (const b of [1, 4, 17, 255, 256, 257, 1000, 4096, 5000, 123457, 2 ** 24 + 1]) {
      const s = sizeClass(b);
      expect(s % 16).toBe(0);
      expect(s).toBeGreaterThanOrEqual(b);
      if (b > 256) expect(s / b).toBeLessThanOrEqual(1.25 + 16 / b);
    }
  });
});

describe("bernoulliThreshold", () => {
  it("compares the 24-bit word exactly as the reference compares the float64 uniform", () => {
    for (const p of [0, 0.3, 0.5, 1 / 3, 0.9999999, 1, 1.5, -1, NaN]) {
      const t = bernoulliThreshold(p);
      for (let i = 0; i < 2000; i++) {
        const u = counterUniform(17, i);
        expect(u * 2 ** 24 < t).toBe(u < p);
      }
    }
  });
});

describe("splitFloat32", () => {
  it("splits into a 12-bit high part and an exact float32 remainder", () => {
    for (const v of [-1.5, 0.1, Math.PI, 1e-30, 3e38, -7]) {
      const [hi, lo] = splitFloat32(v);
      expect(hi + lo).toBe(Math.fround(v));
      expect(Math.fround(lo)).toBe(lo);
      expect(new Uint32Array(new Float32Array([hi]).buffer)[0] & 0xfff).toBe(0);
    }
    expect(splitFloat32(Infinity)).toEqual([Infinity, 0]);
  });
});

const LIMITS = { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256, maxComputeWorkgroupSizeY: 256, maxComputeWorkgroupStorageSize: 16384 } as GPUSupportedLimits;

describe("sgemm plan", () => {
  it("chooses the largest tile the limits allow, and none when nothing fits", () => {
    expect(chooseTiles(LIMITS)).toEqual({ TX: 16, TY: 16, BK: 16 });
    expect(chooseTiles({ ...LIMITS, maxComputeInvocationsPerWorkgroup: 128 })).toEqual({ TX: 8, TY: 8, BK: 16 });
    expect(chooseTiles({ ...LIMITS, maxComputeWorkgroupStorageSize: 2048 })).toEqual({ TX: 8, TY: 8, BK: 8 });
    expect(chooseTiles({ ...LIMITS, maxComputeInvocationsPerWorkgroup: 32 })).toBeNull();
    expect(tileBytes({ TX: 16, TY: 16, BK: 16 })).toBe(8192);
  });

  const tiles = { TX: 16, TY: 16, BK: 16 };
  const rowMajor: GemmLayout = { sa1: 64, sa2: 1, oa: 0, sb1: 32, sb2: 1, ob: 8, sc1: 32, sc2: 1, oc: 4 };
  it("uses vec4 loads and stores for aligned contiguous layouts", () => {
    expect(tiledKernel(tiles, rowMajor).sources.slice(3)).toEqual(["gemm-load-a-vec4k", "gemm-load-b-vec4n", "gemm-store-c-vec4"]);
    const transposed: GemmLayout = { sa1: 1, sa2: 64, oa: 0, sb1: 1, sb2: 32, ob: 0, sc1: 1, sc2: 32, oc: 0 };
    expect(tiledKernel(tiles, transposed).sources.slice(3)).toEqual(["gemm-load-a-vec4m", "gemm-load-b-vec4k", "gemm-store-c-scalar"]);
  });
  it("falls back to scalar loads for unaligned strides or offsets, walking the contiguous dimension", () => {
    const k = tiledKernel(tiles, { ...rowMajor, sa1: 65, ob: 3, sc1: 33 });
    expect(k.sources.slice(3)).toEqual(["gemm-load-a-scalar", "gemm-load-b-scalar", "gemm-store-c-scalar"]);
    expect(k.constants).toMatchObject({ A_M_FAST: 0, B_N_FAST: 1 });
  });
  it("puts every specialisation input into the pipeline key", () => {
    const a = kernelKey(tiledKernel(tiles, rowMajor));
    expect(a).not.toBe(kernelKey(tiledKernel({ ...tiles, BK: 8 }, rowMajor)));
    expect(a).not.toBe(kernelKey(tiledKernel(tiles, { ...rowMajor, oc: 1 })));
    expect(kernelKey(smallKernel(rowMajor))).not.toBe(kernelKey(smallKernel({ ...rowMajor, sc1: 1, sc2: 40 })));
  });
  it("tiles only problems large enough in auto mode", () => {
    expect(useTiled("auto", tiles, 32, 32, 8)).toBe(true);
    expect(useTiled("auto", tiles, 31, 64, 64)).toBe(false);
    expect(useTiled("auto", tiles, 64, 64, 7)).toBe(false);
    expect(useTiled("tiled", tiles, 1, 1, 1)).toBe(true);
    expect(useTiled("small", tiles, 512, 512, 512)).toBe(false);
    expect(useTiled("tiled", null, 512, 512, 512)).toBe(false);
  });
});
