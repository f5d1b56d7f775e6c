import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testData } from "@tessera/blas/testing";
import { WasmDevice } from "./wasm-device.js";
import { CONFIGS } from "./test-configs.js";

/**
 * Contiguous rows take reduce's vector path (eight partial float64 sums): sixteenths with |x| ≤ 64
 * make every partial sum exact in float64, so the result must be the exact sum rounded once to
 * float32, whatever the order; lengths cover whole blocks of 8, of 4 and every tail.
 */
const LENGTHS = [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 3137];

function sixteenths(n: number, seed: number): Float32Array {
  return testData(n, seed).map((v) => Math.round(v * 1024) / 16);
}

for (const { label, options } of CONFIGS) {
  describe(`wasm reduce over contiguous rows (${label})`, () => {
    let dev: WasmDevice;
    beforeAll(async () => {
      dev = await WasmDevice.create(options);
    });
    afterAll(() => dev.dispose());

    for (const op of ["sum", "mean", "sumSquares"] as const) {
      it(`${op}: three images of five channels, rows of every length, exact`, () => {
        for (const n of LENGTHS.filter((n) => op !== "mean" || n > 0)) {
          const [N, C] = [3, 5];
          const data = sixteenths(N * C * n, n + 1);
          const x = dev.alloc(Math.max(1, data.length)), y = dev.alloc(C);
          dev.write(x, data);
          // BatchNorm's layout: keep C, reduce N and the rows (x viewed as [C, N, n]).
          dev.reduce(op, [C, N, n], 2, { buffer: x, offset: 0, strides: [n, C * n, 1] }, { buffer: y, offset: 0, strides: [1] });
          const got = dev.readSync(y);
          for (let c = 0; c < C; c++) {
            let s = 0;
            for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) s += op === "sumSquares" ? data[(i * C + c) * n + j] ** 2 : data[(i * C + c) * n + j];
            const want = op === "mean" ? Math.fround(s / (N * n)) : Math.fround(s);
            expect(got[c], `${op}, rows of ${n}, channel ${c}`).toBe(want);
          }
          dev.free(x);
          dev.free(y);
        }
      });
    }

    it("NaN and infinities propagate as in a sequential sum", () => {
      const data = new Float32Array(40).fill(1);
      data[3] = Infinity;
      data[20 + 12] = NaN;
      const x = dev.alloc(40), y = dev.alloc(2);
      dev.write(x, data);
      dev.reduce("sum", [2, 20], 1, { buffer: x, offset: 0, strides: [20, 1] }, { buffer: y, offset: 0, strides: [1] });
      const got = dev.readSync(y);
      expect(got[0]).toBe(Infinity);
      expect(got[1]).toBeNaN();
    });
  });
}
