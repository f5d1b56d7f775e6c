/**
 * Named tolerances and comparison helpers of the conformance battery.
 */

/** Unit roundoff of float32 (2⁻²⁴). */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * sgemm/sgemv/dot error allowance: a result may differ from the reference by
 * `GEMM_ERROR_FACTOR · (K + 2) · u · (|α|·Σ|a||b| + |β·c|)`, the classical forward error bound of a
 * K-term inner product, with a factor for the reference's own rounding.
 */
export const GEMM_ERROR_FACTOR = 2;

/** Relative tolerance of elementwise transcendental ops (exp, log, tanh, erf…) across devices. */
export const ELEMENTWISE_RTOL = 4e-6;
/** Absolute tolerance of elementwise ops near zero. */
export const ELEMENTWISE_ATOL = 1e-6;

/**
 * Throws when `actual` and `expected` differ anywhere by more than `bound(i)`; NaN must meet NaN.
 * The message names the case, the first bad index and both values.
 *
 * @example
 * ```ts
 * import { assertWithin } from "@tessera/blas/testing";
 * assertWithin("demo", new Float32Array([1]), new Float32Array([1 + 1e-7]), () => 1e-6);
 * ```
 */
export function assertWithin(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  bound: (i: number) => number,
): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= bound(i)) continue;
    throw new Error(`${what}: element ${i} is ${a}, expected ${e} (allowed error ${bound(i)})`);
  }
}

/**
 * Elementwise closeness with the named elementwise tolerances.
 *
 * @example
 * ```ts
 * import { assertClose } from "@tessera/blas/testing";
 * assertClose("exp", new Float32Array([Math.E]), [Math.E]);
 * ```
 */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = ELEMENTWISE_RTOL, atol = ELEMENTWISE_ATOL): void {
  assertWithin(what, actual, expected, (i) => atol + rtol * Math.abs(expected[i]));
}
