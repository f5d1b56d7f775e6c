import { refBlas, type Transpose } from "@tessera/blas";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR, testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";

// sgemm beyond the battery's sizes: several interior tiles plus ragged edges in M, N and K, for
// every transpose pair and every loader/store variant (aligned leading dimensions → vec4 paths;
// odd leading dimensions and offsets → scalar paths; column-major C), on both kernels.

let tiled: WebGpuDevice;
let small: WebGpuDevice;
beforeAll(async () => {
  tiled = await webgpuDevice({ sgemmKernel: "tiled", register: false });
  small = await webgpuDevice({ sgemmKernel: "small", register: false });
});
afterAll(() => {
  tiled.dispose();
  small.dispose();
});

interface Stored { data: Float32Array; s1: number; s2: number; offset: number }

/** A rows×cols matrix: row-major with leading dimension `cols + pad`, or column-major, at `offset`. */
function stored(rows: number, cols: number, colMajor: boolean, pad: number, offset: number, seed: number): Stored {
  const [s1, s2] = colMajor ? [1, rows + pad] : [cols + pad, 1];
  return { data: testData(offset + (rows - 1) * s1 + (cols - 1) * s2 + 1 + 3, seed), s1, s2, offset };
}

const SHAPES: readonly [number, number, number][] = [[150, 200, 70], [128, 64, 96]];
const LAYOUTS = [
  { name: "aligned row-major", colMajor: false, pad: 0, offset: 0, cColMajor: false },
  { name: "odd leading dimensions and offsets", colMajor: false, pad: 3, offset: 5, cColMajor: false },
  { name: "column-major operands and C", colMajor: true, pad: 4, offset: 4, cColMajor: true },
] as const;

describe.each(["tiled", "small"] as const)("sgemm, %s kernel, several tiles with ragged edges", (kernel) => {
  for (const [M, N, K] of SHAPES) {
    for (const layout of LAYOUTS) {
      for (const [ta, tb] of [["no-transpose", "no-transpose"], ["transpose", "no-transpose"], ["no-transpose", "transpose"], ["transpose", "transpose"]] as [Transpose, Transpose][]) {
        it(`${ta[0]}${tb[0]} ${M}×${N}×${K}, ${layout.name}`, async () => {
          const dev = kernel === "tiled" ? tiled : small;
          const seed = M + N + K + layout.pad;
          const A = stored(ta === "transpose" ? K : M, ta === "transpose" ? M : K, layout.colMajor, layout.pad, layout.offset, seed);
          const B = stored(tb === "transpose" ? N : K, tb === "transpose" ? K : N, layout.colMajor, layout.pad, layout.offset, seed + 1);
          const C = stored(M, N, layout.cColMajor, layout.pad, layout.offset, seed + 2);
          const [alpha, beta] = [0.75, layout.pad === 0 ? 0 : -0.5];
          const expected = C.data.slice();
          refBlas.sgemm.ndarray(ta, tb, M, N, K, alpha, A.data, A.s1, A.s2, A.offset, B.data, B.s1, B.s2, B.offset, beta, expected, C.s1, C.s2, C.offset);
          const bound = C.data.map(Math.abs);
          refBlas.sgemm.ndarray(ta, tb, M, N, K, alpha, A.data.map(Math.abs), A.s1, A.s2, A.offset, B.data.map(Math.abs), B.s1, B.s2, B.offset, Math.abs(beta), bound, C.s1, C.s2, C.offset);
          const [a, b, c] = [A, B, C].map((m) => {
            const buf = dev.alloc(m.data.length);
            dev.write(buf, m.data);
            return buf;
          });
          dev.sgemm(ta, tb, M, N, K, alpha, a, A.s1, A.s2, A.offset, b, B.s1, B.s2, B.offset, beta, c, C.s1, C.s2, C.offset);
          const scale = GEMM_ERROR_FACTOR * (K + 2) * FLOAT32_UNIT_ROUNDOFF;
          assertWithin(`sgemm ${kernel}`, await dev.read(c), expected, (i) => scale * bound[i] + 1e-30);
          for (const buf of [a, b, c]) dev.free(buf);
        });
      }
    }
  }
});

describe("sgemm with β = 0 never reads C", () => {
  it("writes finite results over a C full of NaN (tiled, vec4 store)", async () => {
    const [M, N, K] = [64, 64, 32];
    const a = tiled.alloc(M * K), b = tiled.alloc(K * N), c = tiled.alloc(M * N);
    tiled.write(a, testData(M * K, 1));
    tiled.write(b, testData(K * N, 2));
    tiled.fill([M * N], NaN, { buffer: c, offset: 0, strides: [1] });
    tiled.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
    expect((await tiled.read(c)).every(Number.isFinite)).toBe(true);
    for (const buf of [a, b, c]) tiled.free(buf);
  });
});
