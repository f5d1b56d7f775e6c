import { refBlas, type Transpose } from "@tessera/blas";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR, testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BLOCKING } from "./blocking.js";
import { kBlock, planGemm } from "./gemm.js";
import { CONFIGS } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";

/** A stored matrix: data and (s1, s2, offset), with sentinel padding around it. */
interface Stored { data: Float32Array; s1: number; s2: number; off: number }

type Layout = "row" | "col" | "negative";

/** rows×cols in a layout: row-major padded, column-major padded, or rows walked backwards. */
function stored(rows: number, cols: number, layout: Layout, seed: number): Stored {
  const ld = (layout === "col" ? rows : cols) + 3;
  const size = 7 + (layout === "col" ? cols : rows) * ld;
  const data = testData(size, seed);
  if (layout === "row") return { data, s1: ld, s2: 1, off: 5 };
  if (layout === "col") return { data, s1: 1, s2: ld, off: 5 };
  return { data, s1: -ld, s2: 1, off: 5 + (rows - 1) * ld };
}

interface Case { M: number; N: number; K: number; ta: Transpose; tb: Transpose; alpha: number; beta: number; la: Layout; lb: Layout; lc: Layout }

async function check(dev: WasmDevice, c: Case, seed: number): Promise<void> {
  const A = stored(c.ta === "transpose" ? c.K : c.M, c.ta === "transpose" ? c.M : c.K, c.la, seed);
  const B = stored(c.tb === "transpose" ? c.N : c.K, c.tb === "transpose" ? c.K : c.N, c.lb, seed + 1);
  const C = stored(c.M, c.N, c.lc, seed + 2);
  const expected = C.data.slice();
  refBlas.sgemm.ndarray(c.ta, c.tb, c.M, c.N, c.K, c.alpha, A.data, A.s1, A.s2, A.off, B.data, B.s1, B.s2, B.off, c.beta, expected, C.s1, C.s2, C.off);
  const bound = C.data.map(Math.abs);
  refBlas.sgemm.ndarray(c.ta, c.tb, c.M, c.N, c.K, Math.abs(c.alpha), A.data.map(Math.abs), A.s1, A.s2, A.off, B.data.map(Math.abs), B.s1, B.s2, B.off,
    Math.abs(c.beta), bound, C.s1, C.s2, C.off);
  const [a, b, cc] = [A, B, C].map((m) => {
    const buf = dev.alloc(m.data.length);
    dev.write(buf, m.data);
    return buf;
  });
  dev.sgemm(c.ta, c.tb, c.M, c.N, c.K, c.alpha, a, A.s1, A.s2, A.off, b, B.s1, B.s2, B.off, c.beta, cc, C.s1, C.s2, C.off);
  const scale = GEMM_ERROR_FACTOR * (c.K + 2) * FLOAT32_UNIT_ROUNDOFF;
  const name = JSON.stringify(c);
  assertWithin(name, dev.readSync(cc), expected, (i) => scale * bound[i] + 1e-30);
  assertWithin(`${name}: A unchanged`, dev.readSync(a), A.data, () => 0);
  assertWithin(`${name}: B unchanged`, dev.readSync(b), B.data, () => 0);
  for (const x of [a, b, cc]) dev.free(x);
}

/** Shapes beyond the battery: several KC/NC blocks, K just above KC, B read in place, gemv rows. */
const SHAPES: [number, number, number][] = [[200, 300, 700], [129, 65, 257], [17, 1000, 33], [1, 300, 500], [300, 1, 500], [64, 3136 / 8, 576 / 4]];
const TRANS: [Transpose, Transpose][] = [["no-transpose", "no-transpose"], ["transpose", "no-transpose"], ["no-transpose", "transpose"], ["transpose", "transpose"]];
const LAYOUTS: [Layout, Layout, Layout][] = [["row", "row", "row"], ["col", "col", "col"], ["negative", "row", "col"], ["row", "negative", "negative"]];

for (const { label, options } of CONFIGS.filter((_, i) => i !== 2)) {
  describe(`sgemm beyond the battery: ${label}`, () => {
    let dev: WasmDevice;
    beforeAll(async () => {
      dev = await WasmDevice.create(options);
    });
    afterAll(() => dev.dispose());
    let seed = 100;
    SHAPES.forEach(([M, N, K], s) => {
      TRANS.forEach(([ta, tb], t) => {
        const [la, lb, lc] = LAYOUTS[(s + t) % LAYOUTS.length];
        const alpha = [1, -1.5][t % 2];
        const beta = [0, 1, 0.5][(s + t) % 3];
        const c: Case = { M, N, K, ta, tb, alpha, beta, la, lb, lc };
        const sd = (seed += 11);
        it(`${ta[0]}${tb[0]} ${M}×${N}×${K} α=${alpha} β=${beta} A ${la}, B ${lb}, C ${lc}`, () => check(dev, c, sd));
      });
    });

    it("β = 0 never reads C, even through several K blocks and threads (NaN in C does not leak)", () => {
      const [M, N, K] = [70, 90, 300];
      const a = dev.alloc(M * K), b = dev.alloc(K * N), c = dev.alloc(M * N);
      dev.write(a, testData(M * K, 1));
      dev.write(b, testData(K * N, 2));
      dev.write(c, new Float32Array(M * N).fill(NaN));
      dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
      expect(Array.from(dev.readSync(c)).filter(Number.isNaN)).toHaveLength(0);
      for (const x of [a, b, c]) dev.free(x);
    });
  });
}

describe("sgemm planning", () => {
  const row = (s1: number) => ({ at: 0, s1, s2: 1 });
  it("keeps small products on one thread and splits large ones into about 4 tasks per thread", () => {
    expect(planGemm(DEFAULT_BLOCKING, 4, 32, 32, 32, row(32)).active).toBe(1);
    const big = planGemm(DEFAULT_BLOCKING, 2, 64, 3136, 576, row(3136));
    expect(big.active).toBe(2);
    expect(Math.ceil(64 / DEFAULT_BLOCKING.MC) * Math.ceil(3136 / big.taskCols)).toBeGreaterThanOrEqual(8);
    expect(big.taskCols % 8).toBe(0);
  });
  it("reads B in place only for few rows and strides that do not alias in the caches", () => {
    expect(planGemm(DEFAULT_BLOCKING, 1, 64, 3136, 576, row(3136)).direct).toBe(1);
    expect(planGemm(DEFAULT_BLOCKING, 1, 64, 1024, 576, row(1024)).direct).toBe(0);
    expect(planGemm(DEFAULT_BLOCKING, 1, 1024, 1000, 576, row(1000)).direct).toBe(0);
    expect(planGemm(DEFAULT_BLOCKING, 1, 64, 1000, 576, { at: 0, s1: 1, s2: 576 }).direct).toBe(0);
  });
  it("splits K into even blocks that depend on K and KC only", () => {
    expect(kBlock(256, 256)).toBe(256);
    expect(kBlock(257, 256)).toBe(129);
    expect(kBlock(1000, 256)).toBe(250);
    expect(kBlock(1, 256)).toBe(1);
  });
});
