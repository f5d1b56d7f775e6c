import { describe, expect, it } from "vitest";
import { isamax, refBlas, sasum, saxpy, scopy, sdot, sgemm, sgemv, sger, snrm2, sscal, sswap } from "./index.js";

const f = (...v: number[]) => new Float32Array(v);

describe("BLAS form and strided form agree on hand values", () => {
  it("sgemm row-major and column-major", () => {
    const A = f(1, 2, 3, 4, 5, 6); // 2×3 row-major
    const B = f(7, 8, 9, 10, 11, 12); // 3×2 row-major
    expect([...sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 3, 1, A, 3, B, 2, 0, new Float32Array(4), 2)]).toEqual([58, 64, 139, 154]);
    // The same data read column-major is Aᵀ (3×2) and Bᵀ (2×3): C = Bᵀ·Aᵀ… computed as (A·B)ᵀ stored column-major.
    expect([...sgemm("column-major", "no-transpose", "no-transpose", 2, 2, 3, 1, B, 2, A, 3, 0, new Float32Array(4), 2)]).toEqual([58, 64, 139, 154]);
    expect([...sgemm("row-major", "transpose", "transpose", 2, 2, 3, 2, B, 2, A, 3, 0, new Float32Array(4), 2)]).toEqual([116, 278, 128, 308]);
  });

  it("sgemm strided form with offsets and a padded C", () => {
    const C = f(9, 9, 9, 9, 9, 9, 9);
    sgemm.ndarray("no-transpose", "no-transpose", 2, 2, 1, 1, f(0, 1, 2), 1, 1, 1, f(3, 4), 0, 1, 0, 1, C, 3, 1, 1);
    expect([...C]).toEqual([9, 12, 13, 9, 15, 17, 9]);
  });

  it("sgemm: beta = 0 never reads C, alpha = 0 never reads A or B", () => {
    const C = f(NaN, NaN);
    sgemm("row-major", "no-transpose", "no-transpose", 1, 2, 1, 1, f(2), 1, f(1, 3), 2, 0, C, 2);
    expect([...C]).toEqual([2, 6]);
    const D = f(1, 2);
    sgemm("row-major", "no-transpose", "no-transpose", 1, 2, 1, 0, f(NaN), 1, f(NaN, NaN), 2, 0.5, D, 2);
    expect([...D]).toEqual([0.5, 1]);
  });

  it("K = 0 scales C by beta; M = 0 or N = 0 touches nothing", () => {
    const C = f(2, 4);
    sgemm("row-major", "no-transpose", "no-transpose", 1, 2, 0, 1, f(), 1, f(), 2, 0.5, C, 2);
    expect([...C]).toEqual([1, 2]);
    expect([...sgemm("row-major", "no-transpose", "no-transpose", 0, 2, 3, 1, f(), 3, f(1, 2, 3, 4, 5, 6), 2, 0, f(7), 2)]).toEqual([7]);
  });

  it("level 1 with negative increments walks from the end", () => {
    const y = f(1, 1, 1);
    saxpy(3, 2, f(1, 2, 3), -1, y, 1);
    expect([...y]).toEqual([7, 5, 3]);
    expect(sdot(3, f(1, 2, 3), 1, f(1, 10, 100), -1)).toBe(100 + 20 + 3);
    expect([...sscal(2, 3, f(1, 2, 3), 2)]).toEqual([3, 2, 9]);
    expect([...scopy(2, f(1, 2), 1, f(0, 0, 0), -2)]).toEqual([2, 0, 1]);
    const a = f(1, 2);
    const b = f(3, 4);
    sswap(2, a, 1, b, 1);
    expect([...a, ...b]).toEqual([3, 4, 1, 2]);
    expect(snrm2(2, f(3, -4), 1)).toBe(5);
    expect(snrm2(2, f(3e30, 4e30), 1)).toBeCloseTo(5e30, -25);
    expect(sasum(3, f(1, -2, 3), 1)).toBe(6);
    expect(isamax(4, f(1, -5, 5, 2), 1)).toBe(1);
    expect(isamax(0, f(), 1)).toBe(-1);
    expect(isamax(3, f(1, NaN, 9), 1)).toBe(1);
  });

  it("sgemv and sger in both orders", () => {
    const A = f(1, 2, 3, 4, 5, 6);
    expect([...sgemv("row-major", "no-transpose", 2, 3, 1, A, 3, f(1, 0, -1), 1, 0, f(NaN, NaN), 1)]).toEqual([-2, -2]);
    expect([...sgemv("column-major", "transpose", 3, 2, 1, A, 3, f(1, 0, -1), 1, 0, f(0, 0), 1)]).toEqual([-2, -2]);
    expect([...sgemv("row-major", "transpose", 2, 3, 1, A, 3, f(1, 1), -1, 2, f(1, 1, 1), 1)]).toEqual([7, 9, 11]);
    expect([...sger("row-major", 2, 2, 2, f(1, 2), 1, f(3, 4), 1, f(1, 1, 1, 1), 2)]).toEqual([7, 9, 13, 17]);
  });
});

describe("errors name the routine, the argument and the values", () => {
  const z = new Float32Array(16);
  it("leading dimensions", () => {
    expect(() => sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 3, 1, z, 2, z, 2, 0, z, 2)).toThrow(
      "sgemm: lda (2) must be >= max(1, K) = 3 for row-major A");
    expect(() => sgemm("column-major", "no-transpose", "transpose", 2, 2, 3, 1, z, 2, z, 1, 0, z, 2)).toThrow(
      "sgemm: ldb (1) must be >= max(1, N) = 2 for column-major B");
    expect(() => sgemv("row-major", "no-transpose", 2, 3, 1, z, 2, z, 1, 0, z, 1)).toThrow("sgemv: lda (2) must be >= max(1, N) = 3 for row-major A");
  });
  it("flags, dimensions and buffer bounds", () => {
    expect(() => sgemm("diagonal" as never, "no-transpose", "no-transpose", 1, 1, 1, 1, z, 1, z, 1, 0, z, 1)).toThrow(
      "sgemm: order must be 'row-major' or 'column-major', got \"diagonal\"");
    expect(() => sgemm("row-major", "T" as never, "no-transpose", 1, 1, 1, 1, z, 1, z, 1, 0, z, 1)).toThrow(
      "sgemm: transA must be 'no-transpose' or 'transpose', got \"T\"");
    expect(() => sgemm("row-major", "no-transpose", "no-transpose", -1, 1, 1, 1, z, 1, z, 1, 0, z, 1)).toThrow("sgemm: M must be a non-negative integer, got -1");
    expect(() => sgemm("row-major", "no-transpose", "no-transpose", 4, 4, 4, 1, z, 4, new Float32Array(15), 4, 0, z, 4)).toThrow(
      "sgemm: B addresses elements [0, 15] (shape [4,4], strides [4,1], offset 0) but its buffer has 15 elements");
    expect(() => saxpy(3, 1, z, 1, new Float32Array(2), 1)).toThrow("saxpy: y addresses elements [0, 2]");
    expect(() => sgemv("row-major", "no-transpose", 1, 1, 1, z, 1, z, 0, 0, z, 1)).toThrow("sgemv: strideX must be non-zero, got 0");
    expect(() => sdot.ndarray(2, z, 1, 1.5, z, 1, 0)).toThrow("sdot: offset of x must be an integer, got 1.5");
  });
});

describe("refBlas is the specification", () => {
  it("matches the blocked sgemm on a mid-size product", () => {
    const M = 70, N = 45, K = 130;
    const A = Float32Array.from({ length: M * K }, (_, i) => ((i * 7919) % 17) / 8 - 1);
    const B = Float32Array.from({ length: K * N }, (_, i) => ((i * 104729) % 13) / 6 - 1);
    const c1 = sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, new Float32Array(M * N), N);
    const c2 = refBlas.sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, new Float32Array(M * N), N);
    for (let i = 0; i < M * N; i++) expect(Math.abs(c1[i] - c2[i])).toBeLessThan(1e-4);
  });
});
