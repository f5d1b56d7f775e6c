import * as ref from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { describe, expect, it } from "vitest";
import * as wasm from "./index.js";

/** Float32 results allowed to differ from @tessera/blas's only by accumulation order. */
const SUM_RTOL = 1e-5;

function close(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `element ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(SUM_RTOL * (1 + Math.abs(want[i])));
}

describe("drop-in BLAS", () => {
  it("asks for a device before one exists", () => {
    expect(() => wasm.sdot(1, new Float32Array(1), 1, new Float32Array(1), 1)).toThrow(/sdot: no wasm device is registered yet; call `await wasmDevice\(\)`/);
  });

  it("works on any Float32Array once a device exists, with the results of @tessera/blas", async () => {
    await wasm.wasmDevice({ threads: 2 });
    const A = testData(7 * 9 + 3, 1), B = testData(9 * 5 + 3, 2);
    const C1 = testData(7 * 5, 3), C2 = C1.slice();
    // cblas form, column-major, transposed B
    close(wasm.sgemm("column-major", "no-transpose", "transpose", 7, 5, 9, 1.5, A, 7, B, 5, 0.5, C1, 7),
      ref.sgemm("column-major", "no-transpose", "transpose", 7, 5, 9, 1.5, A, 7, B, 5, 0.5, C2, 7));
    // strided form with offsets and a negative row stride
    const D1 = testData(40, 4), D2 = D1.slice();
    close(wasm.sgemm.ndarray("transpose", "no-transpose", 3, 4, 5, -1, A, 1, 5, 2, B, -4, 1, 30, 1, D1, 4, 1, 3),
      ref.sgemm.ndarray("transpose", "no-transpose", 3, 4, 5, -1, A, 1, 5, 2, B, -4, 1, 30, 1, D2, 4, 1, 3));
    const y1 = testData(9, 5), y2 = y1.slice();
    close(wasm.sgemv("row-major", "transpose", 7, 9, 2, A, 9, testData(7, 6), -1, 0.25, y1, 1), ref.sgemv("row-major", "transpose", 7, 9, 2, A, 9, testData(7, 6), -1, 0.25, y2, 1));
    const G1 = testData(20, 7), G2 = G1.slice();
    close(wasm.sger.ndarray(3, 4, 1.5, testData(3, 8), 1, 0, testData(8, 9), 2, 0, G1, 1, 5, 1), ref.sger.ndarray(3, 4, 1.5, testData(3, 8), 1, 0, testData(8, 9), 2, 0, G2, 1, 5, 1));
    const x = testData(33, 10);
    const p1 = testData(33, 11), p2 = p1.slice();
    expect(wasm.saxpy(11, -1.5, x, 3, p1, -3)).toEqual(ref.saxpy(11, -1.5, x, 3, p2, -3));
    expect(wasm.sscal.ndarray(10, 0.1, p1.slice(), 3, 2)).toEqual(ref.sscal.ndarray(10, 0.1, p1.slice(), 3, 2));
    // Unit stride (the f64x2 path and its scalar tail), with special values and factors that are not float32 values.
    const q = Float32Array.from([...testData(30, 12), NaN, Infinity, -Infinity, -0, 3e38, 1e-40, -1e-45]);
    for (const alpha of [0.1, -1 / 3, 1e30, 0]) {
      expect(new Uint32Array(wasm.sscal(q.length, alpha, q.slice(), 1).buffer), `alpha ${alpha}`).toEqual(new Uint32Array(ref.sscal(q.length, alpha, q.slice(), 1).buffer));
    }
    expect(wasm.scopy(11, x, 3, new Float32Array(11), 1)).toEqual(ref.scopy(11, x, 3, new Float32Array(11), 1));
    const s1 = [x.slice(), p1.slice()], s2 = [x.slice(), p1.slice()];
    wasm.sswap(16, s1[0], 2, s1[1], -2);
    ref.sswap(16, s2[0], 2, s2[1], -2);
    expect(s1).toEqual(s2);
    expect(wasm.sdot(33, x, 1, p1, 1)).toBeCloseTo(ref.sdot(33, x, 1, p1, 1), 5);
    expect(wasm.snrm2.ndarray(11, x, 3, 0)).toBe(ref.snrm2.ndarray(11, x, 3, 0));
    expect(wasm.sasum(33, x, 1)).toBeCloseTo(ref.sasum(33, x, 1), 5);
    expect(wasm.isamax(33, x, 1)).toBe(ref.isamax(33, x, 1));
    expect(wasm.isamax(0, x, 1)).toBe(-1);
  });

  it("validates exactly as @tessera/blas does", () => {
    const call = (f: typeof ref.sgemm) => () => f("row-major", "no-transpose", "no-transpose", 2, 3, 3, 1, new Float32Array(9), 2, new Float32Array(9), 3, 0, new Float32Array(6), 3);
    expect(call(wasm.sgemm)).toThrow("sgemm: lda (2) must be >= max(1, K) = 3 for row-major A");
    expect(call(wasm.sgemm)).toThrow(RangeError);
    const short = () => wasm.saxpy.ndarray(5, 1, new Float32Array(4), 1, 0, new Float32Array(5), 1, 0);
    expect(short).toThrow("saxpy: x addresses elements [0, 4]");
  });

  it("leaves elements between strided entries untouched", () => {
    const y = new Float32Array([9, 9, 9, 9, 9, 9]);
    wasm.sscal(3, 2, y, 2);
    expect(Array.from(y)).toEqual([18, 9, 18, 9, 18, 9]);
  });
});
