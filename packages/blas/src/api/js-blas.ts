import { isamaxKernel, sasumKernel, saxpyKernel, scopyKernel, sdotKernel, snrm2Kernel, sscalKernel, sswapKernel } from "../kernels/level1.js";
import { sgemvKernel, sgerKernel } from "../kernels/level2.js";
import { sgemmBlocked } from "../kernels/sgemm-blocked.js";
import { sgemmRef } from "../kernels/sgemm-ref.js";
import { createBlas } from "./create-blas.js";
import type { BlasKernels } from "./kernels.js";
import type { PairRoutine, ReduceRoutine, SaxpyRoutine, SgemmRoutine, SgemvRoutine, SgerRoutine, SscalRoutine } from "./routines.js";

/**
 * The JS kernels: plain loops for Level 1/2 and the blocked, packed sgemm (BLIS loops).
 *
 * @example
 * ```ts
 * import { createBlas, jsKernels } from "@tessera/blas";
 * const blas = createBlas(jsKernels);
 * ```
 */
export const jsKernels: BlasKernels = {
  sgemm: (M, N, K, alpha, A, a1, a2, oa, B, b1, b2, ob, beta, C, c1, c2, oc) =>
    sgemmBlocked(M, N, K, alpha, A, a1, a2, oa, B, b1, b2, ob, beta, C, c1, c2, oc),
  sgemv: sgemvKernel,
  sger: sgerKernel,
  saxpy: saxpyKernel,
  sscal: sscalKernel,
  scopy: scopyKernel,
  sswap: sswapKernel,
  sdot: sdotKernel,
  snrm2: snrm2Kernel,
  sasum: sasumKernel,
  isamax: isamaxKernel,
};

/**
 * The reference kernels: identical to {@link jsKernels} except sgemm, which is the plain triple loop.
 * This is the specification every backend is tested against.
 *
 * @example
 * ```ts
 * import { createBlas, refKernels } from "@tessera/blas";
 * const spec = createBlas(refKernels);
 * ```
 */
export const refKernels: BlasKernels = { ...jsKernels, sgemm: sgemmRef };

const js = createBlas(jsKernels);
const ref = createBlas(refKernels);

/** Reference BLAS (plain sgemm). Both forms of each routine, as {@link Blas}. @example
 * ```ts
 * import { refBlas } from "@tessera/blas";
 * refBlas.sgemm("row-major", "no-transpose", "no-transpose", 1, 1, 1, 1, new Float32Array([2]), 1, new Float32Array([3]), 1, 0, new Float32Array(1), 1);
 * ```
 */
export const refBlas = ref;

/**
 * y ← α·x + y (JS kernels).
 *
 * @example
 * ```ts
 * import { saxpy } from "@tessera/blas";
 * saxpy(2, 2, new Float32Array([1, 2]), 1, new Float32Array([1, 1]), 1); // [3, 5]
 * ```
 */
export const saxpy: SaxpyRoutine = js.saxpy;

/**
 * x ← α·x (JS kernels).
 *
 * @example
 * ```ts
 * import { sscal } from "@tessera/blas";
 * sscal(2, 0.5, new Float32Array([2, 4]), 1); // [1, 2]
 * ```
 */
export const sscal: SscalRoutine = js.sscal;

/**
 * y ← x; returns y (JS kernels).
 *
 * @example
 * ```ts
 * import { scopy } from "@tessera/blas";
 * scopy(2, new Float32Array([1, 2]), 1, new Float32Array(2), 1); // [1, 2]
 * ```
 */
export const scopy: PairRoutine<Float32Array> = js.scopy;

/**
 * x ↔ y; returns y (JS kernels).
 *
 * @example
 * ```ts
 * import { sswap } from "@tessera/blas";
 * sswap(2, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1); // y = [1, 2]
 * ```
 */
export const sswap: PairRoutine<Float32Array> = js.sswap;

/**
 * xᵀy, accumulated in float64, rounded to float32 (JS kernels).
 *
 * @example
 * ```ts
 * import { sdot } from "@tessera/blas";
 * sdot(2, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1); // 11
 * ```
 */
export const sdot: PairRoutine<number> = js.sdot;

/**
 * ‖x‖₂ without overflow or underflow (JS kernels).
 *
 * @example
 * ```ts
 * import { snrm2 } from "@tessera/blas";
 * snrm2(2, new Float32Array([3, 4]), 1); // 5
 * ```
 */
export const snrm2: ReduceRoutine = js.snrm2;

/**
 * Σ|xᵢ| (JS kernels).
 *
 * @example
 * ```ts
 * import { sasum } from "@tessera/blas";
 * sasum(2, new Float32Array([-1, 2]), 1); // 3
 * ```
 */
export const sasum: ReduceRoutine = js.sasum;

/**
 * 0-based index of the first largest |xᵢ|, −1 for N = 0 (JS kernels).
 *
 * @example
 * ```ts
 * import { isamax } from "@tessera/blas";
 * isamax(3, new Float32Array([1, -3, 2]), 1); // 1
 * ```
 */
export const isamax: ReduceRoutine = js.isamax;

/**
 * y ← α·op(A)·x + β·y (JS kernels).
 *
 * @example
 * ```ts
 * import { sgemv } from "@tessera/blas";
 * sgemv("row-major", "transpose", 2, 1, 1, new Float32Array([1, 2]), 1, new Float32Array([1, 1]), 1, 0, new Float32Array(1), 1); // [3]
 * ```
 */
export const sgemv: SgemvRoutine = js.sgemv;

/**
 * A ← α·x·yᵀ + A (JS kernels).
 *
 * @example
 * ```ts
 * import { sger } from "@tessera/blas";
 * sger("column-major", 1, 2, 1, new Float32Array([2]), 1, new Float32Array([1, 3]), 1, new Float32Array(2), 1); // [2, 6]
 * ```
 */
export const sger: SgerRoutine = js.sger;

/**
 * C ← α·op(A)·op(B) + β·C with the blocked, packed JS kernel.
 *
 * @example
 * ```ts
 * import { sgemm } from "@tessera/blas";
 * sgemm("row-major", "no-transpose", "transpose", 1, 1, 2, 1, new Float32Array([1, 2]), 2, new Float32Array([3, 4]), 2, 0, new Float32Array(1), 1); // [11]
 * ```
 */
export const sgemm: SgemmRoutine = js.sgemm;

