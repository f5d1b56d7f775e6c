/**
 * The complete argument checks of the strided (device) forms of sgemm and sgemv, shared by the
 * public BLAS front ends and every device, so that all of them accept and reject exactly the same
 * calls with the same messages. They return the operand strides with transposes applied.
 */
import type { Transpose } from "./types.js";
import { checkDim, checkMatrix, checkScalar, checkTranspose, checkVector, type Sized } from "./validate.js";

/**
 * Strides of op(A) (M×K) and op(B) (K×N) after the transpose flags.
 *
 * @example
 * ```ts
 * import type { GemmStrides } from "@tessera/blas/validate";
 * const s: GemmStrides = { a1: 1, a2: 3, b1: 4, b2: 1 };
 * ```
 */
export interface GemmStrides {
  /** Row stride of op(A). */ readonly a1: number;
  /** Column stride of op(A). */ readonly a2: number;
  /** Row stride of op(B). */ readonly b1: number;
  /** Column stride of op(B). */ readonly b2: number;
}

/**
 * Checks every argument of the strided sgemm (flags, dimensions, scalars, and that A, B and C lie
 * inside their buffers) and returns the strides of op(A) and op(B).
 *
 * @example
 * ```ts
 * import { checkSgemm } from "@tessera/blas/validate";
 * checkSgemm("sgemm", "transpose", "no-transpose", 2, 2, 3, 1, 6, 2, 1, 0, 6, 2, 1, 0, 0, 4, 2, 1, 0); // { a1: 1, a2: 2, b1: 2, b2: 1 }
 * ```
 */
export function checkSgemm(
  fn: string, transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
  A: Sized | number, sa1: number, sa2: number, oa: number, B: Sized | number, sb1: number, sb2: number, ob: number,
  beta: number, C: Sized | number, sc1: number, sc2: number, oc: number,
): GemmStrides {
  const ta = checkTranspose(fn, "transA", transA);
  const tb = checkTranspose(fn, "transB", transB);
  checkDim(fn, "M", M);
  checkDim(fn, "N", N);
  checkDim(fn, "K", K);
  checkScalar(fn, "alpha", alpha);
  checkScalar(fn, "beta", beta);
  checkMatrix(fn, "A", ta ? K : M, ta ? M : K, sa1, sa2, oa, A);
  checkMatrix(fn, "B", tb ? N : K, tb ? K : N, sb1, sb2, ob, B);
  checkMatrix(fn, "C", M, N, sc1, sc2, oc, C);
  return { a1: ta ? sa2 : sa1, a2: ta ? sa1 : sa2, b1: tb ? sb2 : sb1, b2: tb ? sb1 : sb2 };
}

/**
 * op(A) of an sgemv call: its shape and strides after the transpose flag.
 *
 * @example
 * ```ts
 * import type { GemvShape } from "@tessera/blas/validate";
 * const g: GemvShape = { rows: 3, cols: 2, s1: 1, s2: 3 };
 * ```
 */
export interface GemvShape {
  /** Rows of op(A) = length of y. */ readonly rows: number;
  /** Columns of op(A) = length of x. */ readonly cols: number;
  /** Row stride of op(A). */ readonly s1: number;
  /** Column stride of op(A). */ readonly s2: number;
}

/**
 * Checks every argument of the strided sgemv and returns op(A)'s shape and strides: y (rows) ←
 * α·op(A)·x (cols) + β·y.
 *
 * @example
 * ```ts
 * import { checkSgemv } from "@tessera/blas/validate";
 * checkSgemv("sgemv", "transpose", 2, 3, 1, 6, 3, 1, 0, 2, 1, 0, 0, 3, 1, 0); // { rows: 3, cols: 2, s1: 1, s2: 3 }
 * ```
 */
export function checkSgemv(
  fn: string, trans: Transpose, M: number, N: number, alpha: number, A: Sized | number, sa1: number, sa2: number, oa: number,
  x: Sized | number, sx: number, ox: number, beta: number, y: Sized | number, sy: number, oy: number,
): GemvShape {
  const t = checkTranspose(fn, "trans", trans);
  checkDim(fn, "M", M);
  checkDim(fn, "N", N);
  checkScalar(fn, "alpha", alpha);
  checkScalar(fn, "beta", beta);
  const [rows, cols] = t ? [N, M] : [M, N];
  checkMatrix(fn, "A", M, N, sa1, sa2, oa, A);
  checkVector(fn, "x", cols, sx, ox, x);
  checkVector(fn, "y", rows, sy, oy, y);
  return { rows, cols, s1: t ? sa2 : sa1, s2: t ? sa1 : sa2 };
}
