/**
 * Level 1 front ends: each routine is one validating core (the strided `ndarray` form) and a thin
 * BLAS form that turns increments into strides and offsets.
 * @internal
 */
import { blasOffset, checkDim, checkInt, checkScalar, checkVector } from "../validate.js";
import type { BlasKernels } from "./kernels.js";
import type { Level1Routines } from "./routines.js";

type Binary = (n: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number) => void;
type Unary<R> = (n: number, x: Float32Array, sx: number, ox: number) => R;

function checkPair(fn: string, N: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number): void {
  checkDim(fn, "N", N);
  checkVector(fn, "x", N, sx, ox, x);
  checkVector(fn, "y", N, sy, oy, y);
}

function withBlasForm<F extends (...a: never[]) => unknown, G>(blasForm: F, ndarray: G): F & { ndarray: G } {
  return Object.assign(blasForm, { ndarray });
}

/** Builds two-vector routines (scopy, sswap, sdot) from one kernel. */
function pairRoutine<R>(fn: string, kernel: (...a: Parameters<Binary>) => R, result: (y: Float32Array, r: R) => R | Float32Array) {
  const nd = (N: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number) => {
    checkPair(fn, N, x, strideX, offsetX, y, strideY, offsetY);
    return result(y, kernel(N, x, strideX, offsetX, y, strideY, offsetY));
  };
  const blas = (N: number, x: Float32Array, strideX: number, y: Float32Array, strideY: number) => {
    checkInt(fn, "strideX", strideX);
    checkInt(fn, "strideY", strideY);
    return nd(N, x, strideX, blasOffset(N, strideX), y, strideY, blasOffset(N, strideY));
  };
  return withBlasForm(blas, nd);
}

/** Builds one-vector reductions (snrm2, sasum, isamax). */
function reduceRoutine(fn: string, kernel: Unary<number>) {
  const nd = (N: number, x: Float32Array, strideX: number, offsetX: number) => {
    checkDim(fn, "N", N);
    checkVector(fn, "x", N, strideX, offsetX, x);
    return kernel(N, x, strideX, offsetX);
  };
  const blas = (N: number, x: Float32Array, strideX: number) => {
    checkInt(fn, "strideX", strideX);
    return nd(N, x, strideX, blasOffset(N, strideX));
  };
  return withBlasForm(blas, nd);
}

/** The Level 1 routines over a set of kernels. @internal */
export function level1(k: BlasKernels): Level1Routines {
  const saxpyNd = (N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number, y: Float32Array, strideY: number, offsetY: number) => {
    checkScalar("saxpy", "alpha", alpha);
    checkPair("saxpy", N, x, strideX, offsetX, y, strideY, offsetY);
    if (N > 0 && alpha !== 0) k.saxpy(N, alpha, x, strideX, offsetX, y, strideY, offsetY);
    return y;
  };
  const sscalNd = (N: number, alpha: number, x: Float32Array, strideX: number, offsetX: number) => {
    checkScalar("sscal", "alpha", alpha);
    checkDim("sscal", "N", N);
    checkVector("sscal", "x", N, strideX, offsetX, x);
    if (N > 0) k.sscal(N, alpha, x, strideX, offsetX);
    return x;
  };
  return {
    saxpy: withBlasForm((N: number, alpha: number, x: Float32Array, strideX: number, y: Float32Array, strideY: number) => {
      checkInt("saxpy", "strideX", strideX);
      checkInt("saxpy", "strideY", strideY);
      return saxpyNd(N, alpha, x, strideX, blasOffset(N, strideX), y, strideY, blasOffset(N, strideY));
    }, saxpyNd),
    sscal: withBlasForm((N: number, alpha: number, x: Float32Array, strideX: number) => {
      checkInt("sscal", "strideX", strideX);
      return sscalNd(N, alpha, x, strideX, blasOffset(N, strideX));
    }, sscalNd),
    scopy: pairRoutine("scopy", (...a) => k.scopy(...a), (y) => y),
    sswap: pairRoutine("sswap", (...a) => k.sswap(...a), (y) => y),
    sdot: pairRoutine("sdot", (...a) => k.sdot(...a), (_y, r) => r),
    snrm2: reduceRoutine("snrm2", (...a) => k.snrm2(...a)),
    sasum: reduceRoutine("sasum", (...a) => k.sasum(...a)),
    isamax: reduceRoutine("isamax", (...a) => k.isamax(...a)),
  } as Level1Routines;
}
