/**
 * Named tolerances, comparisons and the float64 central-difference gradient of the conv battery.
 */

/**
 * Forward results (float32 on the device) against the float64 reference: the largest error may be
 * this fraction of the largest |expected| value of the tensor. Inner products of up to a few hundred
 * float32 terms of size ≤ 1 stay well below it (≈ K·2⁻²⁴ ≈ 2·10⁻⁵ in the worst case, far less in
 * practice); an indexing mistake moves values by O(1).
 */
export const FORWARD_RTOL = 3e-5;

/**
 * Gradients (float32 backward on the device) against float64 central differences of the reference
 * forward: error allowed as a fraction of the largest |expected| gradient. Looser than
 * {@link FORWARD_RTOL} because backward sums run over N·OH·OW terms and LRN chains pow and div.
 */
export const GRADIENT_RTOL = 1e-4;

/**
 * Central-difference step for smooth or linear functions (conv, average pooling, LRN).
 * A power of two, so x ± h is exact for the test data.
 */
export const FD_STEP = 2 ** -10;

/**
 * Central-difference step for max pooling: smaller than half the gap (2⁻¹⁰) between the distinct
 * test values, so no perturbation changes a window's argmax.
 */
export const FD_STEP_MAX_POOL = 2 ** -12;

/**
 * Throws unless |actual − expected| ≤ rtol · max|expected| everywhere (shapes must agree). The
 * message names the case, the first bad index, both values and the bound.
 *
 * @example
 * ```ts
 * import { assertNear, FORWARD_RTOL } from "@tessera/conv/testing";
 * assertNear("demo", [1, 2.00001], [1, 2], FORWARD_RTOL);
 * ```
 */
export function assertNear(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  const bound = rtol * Math.max(scale, Number.MIN_VALUE);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= bound)) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} (|error| ${err.toExponential(3)} > ${rtol} · max|expected| ${scale.toExponential(3)})`);
    }
  }
}

/**
 * Throws unless both arrays hold exactly the same values.
 *
 * @example
 * ```ts
 * import { assertEqual } from "@tessera/conv/testing";
 * assertEqual("argmax", new Int32Array([0, 3]), [0, 3]);
 * ```
 */
export function assertEqual(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new Error(`${what}: element ${i} is ${actual[i]}, expected exactly ${expected[i]}`);
  }
}

/**
 * The float64 central-difference gradient of `L(x) = Σ r ⊙ f(x)` with respect to x:
 * `(L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h` for every i. Non-finite outputs (a max-pooling window that
 * covers no input cell yields −∞ whatever x is) are constant and left out of L.
 *
 * @param f - A float64 forward (e.g. a reference op with the other inputs fixed).
 * @param r - The upstream gradient dL/dy, the projection of the output.
 *
 * @example
 * ```ts
 * import { numericGradient } from "@tessera/conv/testing";
 * numericGradient((x) => x.map((v) => v * v), [1, 2], [1, 1], 1e-3); // ≈ [2, 4]
 * ```
 */
export function numericGradient(f: (x: Float64Array) => ArrayLike<number>, x: ArrayLike<number>, r: ArrayLike<number>, h: number): Float64Array {
  const at = Float64Array.from(x);
  const grad = new Float64Array(at.length);
  const loss = () => {
    const y = f(at);
    if (y.length !== r.length) throw new Error(`numericGradient: f returned ${y.length} values for ${r.length} upstream gradients`);
    let s = 0;
    for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i])) s += r[i] * y[i];
    return s;
  };
  for (let i = 0; i < at.length; i++) {
    const v = at[i];
    at[i] = v + h;
    const plus = loss();
    at[i] = v - h;
    const minus = loss();
    at[i] = v;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}
