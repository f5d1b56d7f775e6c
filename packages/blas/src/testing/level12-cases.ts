import { refBlas } from "../api/js-blas.js";
import type { Device } from "../device/device.js";
import type { Transpose } from "../types.js";
import type { ConformanceCase } from "./case.js";
import { testData, withBuffers } from "./data.js";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR } from "./tolerance.js";

const LENGTHS = [0, 1, 7, 33, 129];
/** (strideX, strideY) pairs: unit, strides > 1, negative, mixed. */
const STRIDES: readonly [number, number][] = [[1, 1], [2, 3], [-1, 1], [3, -2], [-2, -1]];

/** Buffer size and offset for a vector of n elements with stride s (the offset lands on the first element). */
function vec(n: number, s: number, seed: number): { data: Float32Array; offset: number } {
  const span = n === 0 ? 0 : (n - 1) * Math.abs(s);
  const offset = 2 + (s < 0 ? span : 0);
  return { data: testData(span + 5, seed), offset };
}

function dotBound(n: number, x: ArrayLike<number>, sx: number, ox: number, y: ArrayLike<number>, sy: number, oy: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[ox + i * sx] * y[oy + i * sy]);
  return GEMM_ERROR_FACTOR * (n + 2) * FLOAT32_UNIT_ROUNDOFF * s + 1e-30;
}

type Level1 = "saxpy" | "sscal" | "scopy" | "sswap" | "sdot" | "snrm2" | "sasum" | "isamax";

function level1Case(fn: Level1, n: number, sx: number, sy: number, alpha: number, seed: number): ConformanceCase {
  const name = `${fn} N=${n} strides ${sx},${sy}${fn === "saxpy" || fn === "sscal" ? ` α=${alpha}` : ""}`;
  return {
    group: "level1",
    name,
    async run(device: Device) {
      const X = vec(n, sx, seed);
      const Y = vec(n, sy, seed + 1);
      await withBuffers(device, async (t) => {
        const x = t.up(X.data);
        const y = t.up(Y.data);
        const ex = X.data.slice();
        const ey = Y.data.slice();
        if (fn === "sdot" || fn === "snrm2" || fn === "sasum" || fn === "isamax") {
          const out = t.alloc(1, fn === "isamax" ? "int32" : "float32");
          let expected: number;
          let bound = 0;
          if (fn === "sdot") {
            device.sdot(n, x, sx, X.offset, y, sy, Y.offset, out, 0);
            expected = refBlas.sdot.ndarray(n, ex, sx, X.offset, ey, sy, Y.offset);
            bound = dotBound(n, ex, sx, X.offset, ey, sy, Y.offset);
          } else if (fn === "isamax") {
            device.isamax(n, x, sx, X.offset, out, 0);
            expected = refBlas.isamax.ndarray(n, ex, sx, X.offset);
          } else {
            device[fn](n, x, sx, X.offset, out, 0);
            expected = refBlas[fn].ndarray(n, ex, sx, X.offset);
            bound = (n + 2) * 4 * FLOAT32_UNIT_ROUNDOFF * Math.abs(expected) + 1e-30;
          }
          assertWithin(name, await t.read(out), [expected], () => bound);
          return;
        }
        if (fn === "saxpy") {
          device.saxpy(n, alpha, x, sx, X.offset, y, sy, Y.offset);
          refBlas.saxpy.ndarray(n, alpha, ex, sx, X.offset, ey, sy, Y.offset);
        } else if (fn === "sscal") {
          device.sscal(n, alpha, x, sx, X.offset);
          refBlas.sscal.ndarray(n, alpha, ex, sx, X.offset);
        } else {
          device[fn](n, x, sx, X.offset, y, sy, Y.offset);
          refBlas[fn].ndarray(n, ex, sx, X.offset, ey, sy, Y.offset);
        }
        assertWithin(`${name} (x)`, await t.read(x), ex, () => 0);
        assertWithin(`${name} (y)`, await t.read(y), ey, (i) => (fn === "saxpy" ? 4 * FLOAT32_UNIT_ROUNDOFF * Math.abs(ey[i]) + 1e-30 : 0));
      });
    },
  };
}

/**
 * Level 1 battery: every routine over lengths 0–129 with unit, large, negative and mixed strides.
 *
 * @example
 * ```ts
 * import { level1Cases } from "@tessera/blas/testing";
 * level1Cases().filter((c) => c.name.startsWith("sdot"));
 * ```
 */
export function level1Cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const fns: Level1[] = ["saxpy", "sscal", "scopy", "sswap", "sdot", "snrm2", "sasum", "isamax"];
  let seed = 5000;
  for (const fn of fns) {
    for (const n of LENGTHS) {
      STRIDES.forEach(([sx, sy], i) => out.push(level1Case(fn, n, sx, sy, [1, -1.5, 0][i % 3], (seed += 3))));
    }
  }
  return out;
}

function gemvCase(trans: Transpose, M: number, N: number, alpha: number, beta: number, sx: number, sy: number, padded: boolean, seed: number): ConformanceCase {
  const name = `sgemv ${trans} M=${M} N=${N} α=${alpha} β=${beta} strides ${sx},${sy}${padded ? " padded" : ""}`;
  return {
    group: "level2",
    name,
    async run(device: Device) {
      const [lx, ly] = trans === "transpose" ? [M, N] : [N, M];
      const lda = N + (padded ? 3 : 0);
      const oa = padded ? 4 : 0;
      const A = testData(oa + Math.max(0, M - 1) * lda + N + 1, seed);
      const X = vec(lx, sx, seed + 1);
      const Y = vec(ly, sy, seed + 2);
      const ey = Y.data.slice();
      refBlas.sgemv.ndarray(trans, M, N, alpha, A, lda, 1, oa, X.data, sx, X.offset, beta, ey, sy, Y.offset);
      const bound = Y.data.map(Math.abs);
      refBlas.sgemv.ndarray(trans, M, N, Math.abs(alpha), A.map(Math.abs), lda, 1, oa, X.data.map(Math.abs), sx, X.offset, Math.abs(beta), bound, sy, Y.offset);
      await withBuffers(device, async (t) => {
        const y = t.up(Y.data);
        device.sgemv(trans, M, N, alpha, t.up(A), lda, 1, oa, t.up(X.data), sx, X.offset, beta, y, sy, Y.offset);
        const scale = GEMM_ERROR_FACTOR * (lx + 2) * FLOAT32_UNIT_ROUNDOFF;
        assertWithin(name, await t.read(y), ey, (i) => scale * bound[i] + 1e-30);
      });
    },
  };
}

function gerCase(M: number, N: number, alpha: number, sx: number, sy: number, seed: number): ConformanceCase {
  const name = `sger M=${M} N=${N} α=${alpha} strides ${sx},${sy}`;
  return {
    group: "level2",
    name,
    async run(device: Device) {
      const A = testData(4 + (Math.max(1, M) + 1) * Math.max(1, N), seed);
      const X = vec(M, sx, seed + 1);
      const Y = vec(N, sy, seed + 2);
      const ea = A.slice();
      const ld = Math.max(1, M) + 1;
      refBlas.sger.ndarray(M, N, alpha, X.data, sx, X.offset, Y.data, sy, Y.offset, ea, 1, ld, 3);
      await withBuffers(device, async (t) => {
        const a = t.up(A);
        device.sger(M, N, alpha, t.up(X.data), sx, X.offset, t.up(Y.data), sy, Y.offset, a, 1, ld, 3);
        assertWithin(name, await t.read(a), ea, (i) => 4 * FLOAT32_UNIT_ROUNDOFF * (Math.abs(ea[i]) + 2) + 1e-30);
      });
    },
  };
}

/**
 * Level 2 battery: sgemv (both transposes, all α/β, strided and negative vectors, padded A) and
 * sger (column-major A with an offset).
 *
 * @example
 * ```ts
 * import { level2Cases } from "@tessera/blas/testing";
 * level2Cases().length;
 * ```
 */
export function level2Cases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  const shapes: [number, number][] = [[0, 3], [3, 0], [1, 1], [7, 9], [17, 4], [33, 65], [129, 16]];
  let seed = 9000;
  let i = 0;
  for (const trans of ["no-transpose", "transpose"] as const) {
    for (const [M, N] of shapes) {
      for (const [sx, sy] of [[1, 1], [2, -1], [-3, 2]] as const) {
        out.push(gemvCase(trans, M, N, [1, -1.5, 0][i % 3], [0, 1, 0.5][Math.floor(i / 3) % 3], sx, sy, i % 2 === 1, (seed += 3)));
        i++;
      }
    }
  }
  for (const [M, N] of shapes) out.push(gerCase(M, N, [1, -1.5, 0][i++ % 3], 2, -1, (seed += 3)));
  out.push(gemvCase("no-transpose", 5, 6, 1, 0, 1, 1, false, 1));
  return out;
}
