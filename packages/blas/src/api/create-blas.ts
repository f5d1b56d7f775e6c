import type { BlasKernels } from "./kernels.js";
import { level1 } from "./level1.js";
import { sgemmRoutine, sgemvRoutine, sgerRoutine } from "./level23.js";
import type { Blas } from "./routines.js";

/**
 * Builds the public BLAS (both forms of every routine, with full argument validation) around a set
 * of strided kernels. `@tessera/blas` exports the result for the JS kernels; backends call it with
 * their own kernels to offer drop-in replacements with identical signatures and errors.
 *
 * @example
 * ```ts
 * import { createBlas, jsKernels } from "@tessera/blas";
 * const blas = createBlas(jsKernels);
 * blas.saxpy(2, 1, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1); // [4, 6]
 * ```
 */
export function createBlas(kernels: BlasKernels): Blas {
  return { ...level1(kernels), sgemv: sgemvRoutine(kernels), sger: sgerRoutine(kernels), sgemm: sgemmRoutine(kernels) };
}
