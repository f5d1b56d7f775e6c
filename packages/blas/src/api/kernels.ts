/**
 * The strided kernels behind the public API. A backend that offers drop-in BLAS (e.g. the wasm
 * device) implements this interface and gets both public forms, with the same validation, from
 * {@link createBlas}. Kernels receive validated arguments with transposes already turned into
 * stride swaps; M, N, K > 0 and α ≠ 0 for `sgemm` and `sgemv`.
 */
export interface BlasKernels {
  /** C ← α·A·B + β·C (A: M×K, B: K×N, C: M×N, all strided). β = 0 must not read C. */
  sgemm(
    M: number, N: number, K: number, alpha: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    B: Float32Array, strideB1: number, strideB2: number, offsetB: number,
    beta: number, C: Float32Array, strideC1: number, strideC2: number, offsetC: number,
  ): void;
  /** y ← α·A·x + β·y (A: M×N strided). β = 0 must not read y. */
  sgemv(
    M: number, N: number, alpha: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    x: Float32Array, strideX: number, offsetX: number,
    beta: number, y: Float32Array, strideY: number, offsetY: number,
  ): void;
  /** A ← α·x·yᵀ + A. */
  sger(
    M: number, N: number, alpha: number,
    x: Float32Array, strideX: number, offsetX: number,
    y: Float32Array, strideY: number, offsetY: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
  ): void;
  /** y ← α·x + y. */
  saxpy(N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): void;
  /** x ← α·x. */
  sscal(N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number): void;
  /** y ← x. */
  scopy(N: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): void;
  /** x ↔ y. */
  sswap(N: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): void;
  /** xᵀy. */
  sdot(N: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number): number;
  /** ‖x‖₂. */
  snrm2(N: number, x: Float32Array, strideX: number, offsetX: number): number;
  /** Σ|xᵢ|. */
  sasum(N: number, x: Float32Array, strideX: number, offsetX: number): number;
  /** First index of max |xᵢ| (−1 for N = 0). */
  isamax(N: number, x: Float32Array, strideX: number, offsetX: number): number;
}
