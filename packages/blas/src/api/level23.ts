/**
 * Level 2 and 3 front ends: one validating core per routine (the strided form) and a BLAS form that
 * checks `order` and the leading dimensions, then turns them into strides.
 * @internal
 */
import type { Order, Transpose } from "../types.js";
import {
  blasOffset, checkDim, checkInc, checkLd, checkMatrix, checkOrder, checkScalar, checkTranspose, checkVector,
} from "../validate.js";
import { checkSgemm, checkSgemv } from "../validate-routines.js";
import type { BlasKernels } from "./kernels.js";
import type { SgemmRoutine, SgemvRoutine, SgerRoutine } from "./routines.js";

/** Strides of a stored matrix with leading dimension `ld`. */
function strides(order: Order, ld: number): [number, number] {
  return order === "row-major" ? [ld, 1] : [1, ld];
}

/**
 * The BLAS-form checks shared by Level 2 routines (order, M, N, lda, non-zero increments);
 * returns A's strides.
 */
function level2BlasForm(fn: string, order: Order, M: number, N: number, lda: number, strideX: number, strideY: number): [number, number] {
  checkOrder(fn, order);
  checkDim(fn, "M", M);
  checkDim(fn, "N", N);
  checkLd(fn, "lda", lda, order === "row-major", M, N, "M", "N", "A");
  checkInc(fn, "strideX", strideX);
  checkInc(fn, "strideY", strideY);
  return strides(order, lda);
}

/** @internal */
export function sgemvRoutine(k: BlasKernels): SgemvRoutine {
  const fn = "sgemv";
  const nd = (trans: Transpose, M: number, N: number, alpha: number, A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    x: Float32Array, strideX: number, offsetX: number, beta: number, y: Float32Array, strideY: number, offsetY: number) => {
    const { rows, cols, s1, s2 } = checkSgemv(fn, trans, M, N, alpha, A, strideA1, strideA2, offsetA, x, strideX, offsetX, beta, y, strideY, offsetY);
    if (rows === 0) return y;
    if (alpha === 0 || cols === 0) {
      for (let i = 0, iy = offsetY; i < rows; i++, iy += strideY) y[iy] = beta === 0 ? 0 : beta * y[iy];
      return y;
    }
    k.sgemv(rows, cols, alpha, A, s1, s2, offsetA, x, strideX, offsetX, beta, y, strideY, offsetY);
    return y;
  };
  const blas = (order: Order, trans: Transpose, M: number, N: number, alpha: number, A: Float32Array, lda: number,
    x: Float32Array, strideX: number, beta: number, y: Float32Array, strideY: number) => {
    const t = checkTranspose(fn, "trans", trans);
    const [sa1, sa2] = level2BlasForm(fn, order, M, N, lda, strideX, strideY);
    const [lx, ly] = t ? [M, N] : [N, M];
    return nd(trans, M, N, alpha, A, sa1, sa2, 0, x, strideX, blasOffset(lx, strideX), beta, y, strideY, blasOffset(ly, strideY));
  };
  return Object.assign(blas, { ndarray: nd });
}

/** @internal */
export function sgerRoutine(k: BlasKernels): SgerRoutine {
  const fn = "sger";
  const nd = (M: number, N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number,
    y: Float32Array, strideY: number, offsetY: number, A: Float32Array, strideA1: number, strideA2: number, offsetA: number) => {
    checkDim(fn, "M", M);
    checkDim(fn, "N", N);
    checkScalar(fn, "alpha", alpha);
    checkVector(fn, "x", M, strideX, offsetX, x);
    checkVector(fn, "y", N, strideY, offsetY, y);
    checkMatrix(fn, "A", M, N, strideA1, strideA2, offsetA, A);
    if (M > 0 && N > 0 && alpha !== 0) k.sger(M, N, alpha, x, strideX, offsetX, y, strideY, offsetY, A, strideA1, strideA2, offsetA);
    return A;
  };
  const blas = (order: Order, M: number, N: number, alpha: number, x: Float32Array, strideX: number,
    y: Float32Array, strideY: number, A: Float32Array, lda: number) => {
    const [sa1, sa2] = level2BlasForm(fn, order, M, N, lda, strideX, strideY);
    return nd(M, N, alpha, x, strideX, blasOffset(M, strideX), y, strideY, blasOffset(N, strideY), A, sa1, sa2, 0);
  };
  return Object.assign(blas, { ndarray: nd });
}

/** @internal */
export function sgemmRoutine(k: BlasKernels): SgemmRoutine {
  const fn = "sgemm";
  const nd = (transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: Float32Array, strideA1: number, strideA2: number, offsetA: number,
    B: Float32Array, strideB1: number, strideB2: number, offsetB: number,
    beta: number, C: Float32Array, strideC1: number, strideC2: number, offsetC: number) => {
    const { a1, a2, b1, b2 } = checkSgemm(fn, transA, transB, M, N, K, alpha, A, strideA1, strideA2, offsetA, B, strideB1, strideB2, offsetB,
      beta, C, strideC1, strideC2, offsetC);
    if (M === 0 || N === 0) return C;
    if (alpha === 0 || K === 0) {
      for (let i = 0; i < M; i++) {
        for (let j = 0, c = offsetC + i * strideC1; j < N; j++, c += strideC2) C[c] = beta === 0 ? 0 : beta * C[c];
      }
      return C;
    }
    k.sgemm(M, N, K, alpha, A, a1, a2, offsetA, B, b1, b2, offsetB, beta, C, strideC1, strideC2, offsetC);
    return C;
  };
  const blas = (order: Order, transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number) => {
    checkOrder(fn, order);
    const ta = checkTranspose(fn, "transA", transA);
    const tb = checkTranspose(fn, "transB", transB);
    checkDim(fn, "M", M);
    checkDim(fn, "N", N);
    checkDim(fn, "K", K);
    const rowMajor = order === "row-major";
    checkLd(fn, "lda", lda, rowMajor, ta ? K : M, ta ? M : K, ta ? "K" : "M", ta ? "M" : "K", "A");
    checkLd(fn, "ldb", ldb, rowMajor, tb ? N : K, tb ? K : N, tb ? "N" : "K", tb ? "K" : "N", "B");
    checkLd(fn, "ldc", ldc, rowMajor, M, N, "M", "N", "C");
    const [a1, a2] = strides(order, lda);
    const [b1, b2] = strides(order, ldb);
    const [c1, c2] = strides(order, ldc);
    return nd(transA, transB, M, N, K, alpha, A, a1, a2, 0, B, b1, b2, 0, beta, C, c1, c2, 0);
  };
  return Object.assign(blas, { ndarray: nd });
}
