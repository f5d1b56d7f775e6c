import { refBlas } from "../api/js-blas.js";
import type { Device } from "../device/device.js";
import type { Transpose } from "../types.js";
import type { ConformanceCase } from "./case.js";
import { testData, withBuffers } from "./data.js";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR } from "./tolerance.js";

/** Sizes around the block sizes of every backend (MR/NR 4–8, MC 64, KC 128). */
export const EDGE_SIZES: readonly number[] = [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 127, 129];
/** α values of the battery. */
export const ALPHAS: readonly number[] = [1, -1.5, 0];
/** β values of the battery. */
export const BETAS: readonly number[] = [0, 1, 0.5];

/** How a stored matrix sits in its buffer. */
type Layout = "row-major" | "column-major" | "padded-offset";
const LAYOUTS: readonly Layout[] = ["row-major", "column-major", "padded-offset"];
const TRANS: readonly [Transpose, Transpose][] = [
  ["no-transpose", "no-transpose"], ["transpose", "no-transpose"], ["no-transpose", "transpose"], ["transpose", "transpose"],
];

interface Stored { data: Float32Array; s1: number; s2: number; offset: number }

/** A rows×cols matrix in `layout`, seeded; padding cells hold sentinels that must never change. */
function stored(rows: number, cols: number, layout: Layout, seed: number, fill?: number): Stored {
  const pad = layout === "padded-offset" ? 3 : 0;
  const offset = layout === "padded-offset" ? 5 : 0;
  const [s1, s2] = layout === "column-major" ? [1, rows + pad] : [cols + pad, 1];
  const size = rows === 0 || cols === 0 ? offset : offset + (rows - 1) * s1 + (cols - 1) * s2 + 1;
  const data = testData(size + 2, seed);
  if (fill !== undefined) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[offset + i * s1 + j * s2] = fill;
  }
  return { data, s1, s2, offset };
}

/** Parameters of one sgemm case. */
interface GemmSpec {
  ta: Transpose; tb: Transpose; M: number; N: number; K: number; alpha: number; beta: number;
  layout: Layout; nanC?: boolean; nanAB?: boolean;
}

function gemmCase(s: GemmSpec, seed: number): ConformanceCase {
  const name = `${s.ta[0]}${s.tb[0]} M=${s.M} N=${s.N} K=${s.K} α=${s.alpha} β=${s.beta} ${s.layout}` +
    `${s.nanC ? " NaN-in-C" : ""}${s.nanAB ? " NaN-in-A,B" : ""}`;
  return {
    group: "sgemm",
    name,
    async run(device: Device) {
      const A = stored(s.ta === "transpose" ? s.K : s.M, s.ta === "transpose" ? s.M : s.K, s.layout, seed, s.nanAB ? NaN : undefined);
      const B = stored(s.tb === "transpose" ? s.N : s.K, s.tb === "transpose" ? s.K : s.N, s.layout, seed + 1, s.nanAB ? NaN : undefined);
      const C = stored(s.M, s.N, s.layout, seed + 2, s.nanC ? NaN : undefined);
      const expected = C.data.slice();
      refBlas.sgemm.ndarray(s.ta, s.tb, s.M, s.N, s.K, s.alpha, A.data, A.s1, A.s2, A.offset, B.data, B.s1, B.s2, B.offset,
        s.beta, expected, C.s1, C.s2, C.offset);
      // Error bound per element: the same product over absolute values.
      const bound = C.data.map(Math.abs);
      refBlas.sgemm.ndarray(s.ta, s.tb, s.M, s.N, s.K, Math.abs(s.alpha), A.data.map(Math.abs), A.s1, A.s2, A.offset,
        B.data.map(Math.abs), B.s1, B.s2, B.offset, Math.abs(s.beta), bound, C.s1, C.s2, C.offset);
      await withBuffers(device, async (t) => {
        const a = t.up(A.data);
        const b = t.up(B.data);
        const c = t.up(C.data);
        device.sgemm(s.ta, s.tb, s.M, s.N, s.K, s.alpha, a, A.s1, A.s2, A.offset, b, B.s1, B.s2, B.offset, s.beta, c, C.s1, C.s2, C.offset);
        const scale = GEMM_ERROR_FACTOR * (s.K + 2) * FLOAT32_UNIT_ROUNDOFF;
        assertWithin(`sgemm ${name}`, await t.read(c), expected, (i) => scale * (Number.isFinite(bound[i]) ? bound[i] : 0) + 1e-30);
        assertWithin(`sgemm ${name}: A must not change`, await t.read(a), A.data, () => 0);
        assertWithin(`sgemm ${name}: B must not change`, await t.read(b), B.data, () => 0);
      });
    },
  };
}

/**
 * The sgemm battery: every transpose pair over the edge sizes (square and ragged), all α/β pairs,
 * three layouts (row-major, column-major, padded leading dimension with an offset), NaN in C with
 * β = 0, NaN in A/B with α = 0, and empty dimensions.
 *
 * @example
 * ```ts
 * import { sgemmCases } from "@tessera/blas/testing";
 * sgemmCases().length; // a few hundred cases
 * ```
 */
export function sgemmCases(): ConformanceCase[] {
  const specs: GemmSpec[] = [];
  const n = EDGE_SIZES.length;
  let k = 0;
  const ab = (i: number) => ({ alpha: ALPHAS[i % 3], beta: BETAS[Math.floor(i / 3) % 3] });
  EDGE_SIZES.forEach((s, i) => {
    TRANS.forEach(([ta, tb], t) => {
      specs.push({ ta, tb, M: s, N: s, K: s, ...ab(i * 4 + t), layout: LAYOUTS[(i + t) % 3] });
    });
  });
  for (let i = 0; i < n; i++) {
    const triples = [[EDGE_SIZES[i], EDGE_SIZES[(i + 5) % n], EDGE_SIZES[(i + 10) % n]], [EDGE_SIZES[(i + 7) % n], EDGE_SIZES[i], EDGE_SIZES[(i + 3) % n]]];
    for (const [M, N, K] of triples) {
      TRANS.forEach(([ta, tb], t) => specs.push({ ta, tb, M, N, K, ...ab(k++), layout: LAYOUTS[(k + t) % 3] }));
    }
  }
  for (let i = 0; i < 9; i++) {
    TRANS.forEach(([ta, tb], t) => specs.push({ ta, tb, M: 17, N: 9, K: 33, ...ab(i), layout: LAYOUTS[t % 3] }));
  }
  for (const layout of LAYOUTS) {
    specs.push({ ta: "no-transpose", tb: "no-transpose", M: 9, N: 17, K: 65, alpha: 1, beta: 0, layout, nanC: true });
    specs.push({ ta: "transpose", tb: "no-transpose", M: 33, N: 8, K: 3, alpha: -1.5, beta: 0, layout, nanC: true });
    specs.push({ ta: "no-transpose", tb: "transpose", M: 7, N: 5, K: 9, alpha: 0, beta: 0.5, layout, nanAB: true });
    for (const [M, N, K] of [[0, 5, 3], [4, 0, 3], [4, 5, 0], [0, 0, 0]]) {
      specs.push({ ta: "no-transpose", tb: "transpose", M, N, K, alpha: 1, beta: 0.5, layout });
    }
  }
  return specs.map((s, i) => gemmCase(s, 1000 + 7 * i));
}
