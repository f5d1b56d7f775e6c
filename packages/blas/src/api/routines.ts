import type { Order, Transpose } from "../types.js";

/**
 * `saxpy`: y ← α·x + y. Returns `y`.
 *
 * @example
 * ```ts
 * import { saxpy } from "@tessera/blas";
 * const y = new Float32Array([1, 1, 1]);
 * saxpy(3, 2, new Float32Array([1, 2, 3]), 1, y, 1); // y = [3, 5, 7]
 * saxpy.ndarray(2, 1, new Float32Array([9, 1, 2]), 1, 1, y, -1, 2); // strided form with offsets
 * ```
 */
export interface SaxpyRoutine {
  /** BLAS form: a negative increment walks the vector from its end, as in reference BLAS. */
  (N: number, alpha: number, x: Float32Array, strideX: number, y: Float32Array, strideY: number): Float32Array;
  /** Strided form: explicit strides (any sign, or 0) and offsets. */
  ndarray(N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): Float32Array;
}

/**
 * `sscal`: x ← α·x. α = 0 writes zeros without reading x. Returns `x`.
 *
 * @example
 * ```ts
 * import { sscal } from "@tessera/blas";
 * sscal(2, 3, new Float32Array([1, 2]), 1); // [3, 6]
 * ```
 */
export interface SscalRoutine {
  /** BLAS form. */
  (N: number, alpha: number, x: Float32Array, strideX: number): Float32Array;
  /** Strided form. */
  ndarray(N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number): Float32Array;
}

/**
 * A routine over two vectors (`scopy`, `sswap`, `sdot`); `R` is what it returns.
 *
 * @example
 * ```ts
 * import { sdot, scopy } from "@tessera/blas";
 * sdot(3, new Float32Array([1, 2, 3]), 1, new Float32Array([4, 5, 6]), 1); // 32
 * scopy.ndarray(2, new Float32Array([1, 2, 3, 4]), 2, 0, new Float32Array(2), 1, 0); // [1, 3]
 * ```
 */
export interface PairRoutine<R> {
  /** BLAS form. */
  (N: number, x: Float32Array, strideX: number, y: Float32Array, strideY: number): R;
  /** Strided form. */
  ndarray(N: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): R;
}

/**
 * A reduction of one vector to a number (`snrm2`, `sasum`, `isamax`).
 *
 * @example
 * ```ts
 * import { snrm2, isamax } from "@tessera/blas";
 * snrm2(2, new Float32Array([3, 4]), 1); // 5
 * isamax(3, new Float32Array([1, -7, 7]), 1); // 1 (first of the largest |x|)
 * ```
 */
export interface ReduceRoutine {
  /** BLAS form. */
  (N: number, x: Float32Array, strideX: number): number;
  /** Strided form. */
  ndarray(N: number, x: Float32Array, strideX: number, offsetX: number): number;
}

/**
 * `sgemv`: y ← α·op(A)·x + β·y, A is M×N. Returns `y`. β = 0 never reads y.
 *
 * @example
 * ```ts
 * import { sgemv } from "@tessera/blas";
 * const A = new Float32Array([1, 2, 3, 4, 5, 6]); // 2×3 row-major
 * sgemv("row-major", "no-transpose", 2, 3, 1, A, 3, new Float32Array([1, 1, 1]), 1, 0, new Float32Array(2), 1); // [6, 15]
 * ```
 */
export interface SgemvRoutine {
  /** BLAS form: `lda` is the leading dimension of A in `order`. */
  (order: Order, trans: Transpose, M: number, N: number, alpha: number, A: Float32Array, lda: number,
    x: Float32Array, strideX: number, beta: number, y: Float32Array, strideY: number): Float32Array;
  /** Strided form: A addressed as `A[offsetA + i·strideA1 + j·strideA2]`. */
  ndarray(trans: Transpose, M: number, N: number, alpha: number, A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    x: Float32Array, strideX: number, offsetX: number, beta: number, y: Float32Array, strideY: number, offsetY: number): Float32Array;
}

/**
 * `sger`: A ← α·x·yᵀ + A, A is M×N. Returns `A`.
 *
 * @example
 * ```ts
 * import { sger } from "@tessera/blas";
 * sger("row-major", 2, 2, 1, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1, new Float32Array(4), 2); // [3, 4, 6, 8]
 * ```
 */
export interface SgerRoutine {
  /** BLAS form. */
  (order: Order, M: number, N: number, alpha: number, x: Float32Array, strideX: number, y: Float32Array, strideY: number,
    A: Float32Array, lda: number): Float32Array;
  /** Strided form. */
  ndarray(M: number, N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number): Float32Array;
}

/**
 * `sgemm`: C ← α·op(A)·op(B) + β·C with op(A) M×K, op(B) K×N, C M×N. Returns `C`.
 * β = 0 never reads C (NaN in C does not leak); α = 0 never reads A or B; M, N or K = 0 are valid.
 *
 * @example
 * ```ts
 * import { sgemm } from "@tessera/blas";
 * const A = new Float32Array([1, 2, 3, 4]); // 2×2 row-major
 * const B = new Float32Array([5, 6, 7, 8]);
 * const C = new Float32Array(4);
 * sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 2, 1, A, 2, B, 2, 0, C, 2); // [19, 22, 43, 50]
 * // the same product through the strided form, reading B transposed from its stored layout:
 * sgemm.ndarray("no-transpose", "transpose", 2, 2, 2, 1, A, 2, 1, 0, new Float32Array([5, 7, 6, 8]), 2, 1, 0, 0, C, 2, 1, 0);
 * ```
 */
export interface SgemmRoutine {
  /** BLAS (cblas) form. */
  (order: Order, transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number): Float32Array;
  /** Strided form: strides and offsets of A and B as stored (before `op`). */
  ndarray(transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    B: Float32Array, strideB1: number, strideB2: number, offsetB: number,
    beta: number, C: Float32Array, strideC1: number, strideC2: number, offsetC: number): Float32Array;
}

/**
 * The Level 1 routines.
 *
 * @example
 * ```ts
 * import { createBlas, jsKernels } from "@tessera/blas";
 * const { saxpy } = createBlas(jsKernels);
 * ```
 */
export interface Level1Routines {
  /** y ← αx + y. */ saxpy: SaxpyRoutine;
  /** x ← αx. */ sscal: SscalRoutine;
  /** y ← x; returns y. */ scopy: PairRoutine<Float32Array>;
  /** x ↔ y; returns y. */ sswap: PairRoutine<Float32Array>;
  /** xᵀy. */ sdot: PairRoutine<number>;
  /** ‖x‖₂. */ snrm2: ReduceRoutine;
  /** Σ|xᵢ|. */ sasum: ReduceRoutine;
  /** Index of the first max |xᵢ|, 0-based; −1 for N = 0. */ isamax: ReduceRoutine;
}

/**
 * The whole public BLAS: Level 1, 2 and 3, each in both forms.
 *
 * @example
 * ```ts
 * import { createBlas, jsKernels } from "@tessera/blas";
 * const blas = createBlas(jsKernels);
 * blas.sgemm("row-major", "no-transpose", "no-transpose", 1, 1, 1, 1, new Float32Array([2]), 1, new Float32Array([3]), 1, 0, new Float32Array(1), 1);
 * ```
 */
export interface Blas extends Level1Routines {
  /** Matrix-vector product. */ sgemv: SgemvRoutine;
  /** Rank-1 update. */ sger: SgerRoutine;
  /** Matrix-matrix product. */ sgemm: SgemmRoutine;
}
