import { describe, it } from "vitest";
import { sgemmBlocked } from "./kernels/sgemm-blocked.js";
import { sgemmRef } from "./kernels/sgemm-ref.js";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR, testData } from "./testing.js";

// Tiny blocks make every loop of the five run several times with ragged remainders.
const TINY = { MC: 8, KC: 16, NC: 12 };

describe("blocked sgemm with tiny blocks against the triple loop", () => {
  const sizes = [1, 3, 4, 5, 8, 9, 12, 13, 16, 17, 25];
  for (const M of sizes) {
    for (const [N, K] of [[sizes[(M * 3) % sizes.length], sizes[(M * 7) % sizes.length]], [M, 33]]) {
      for (const beta of [0, 1, 0.5]) {
        it(`M=${M} N=${N} K=${K} β=${beta}`, () => {
          const A = testData(M * K * 2, M);
          const B = testData(K * N * 3, N);
          const C0 = testData(M * N * 2 + 1, K);
          const expected = C0.slice();
          const got = C0.slice();
          // A transposed and padded (strides 1, 2M), B column-major padded (1, K+2)… C with stride 2 rows.
          sgemmRef(M, N, K, -1.5, A, 1, 2 * M, 0, B, 1, K + 2, 0, beta, expected, 2 * N, 1, 1);
          sgemmBlocked(M, N, K, -1.5, A, 1, 2 * M, 0, B, 1, K + 2, 0, beta, got, 2 * N, 1, 1, TINY);
          const bound = GEMM_ERROR_FACTOR * (K + 2) * FLOAT32_UNIT_ROUNDOFF * 1.5 * K + 1e-6;
          assertWithin(`blocked M=${M} N=${N} K=${K}`, got, expected, () => bound * 2);
        });
      }
    }
  }
});
