/**
 * `@tessera/conv/testing`: the convolution, pooling and LRN battery every device runs, its float64
 * references, tolerances and finite-difference helper.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { jsDevice } from "@tessera/blas";
 * import { convCases } from "@tessera/conv/testing";
 * describe("conv on the js device", () => {
 *   for (const c of convCases()) it(`${c.group}: ${c.name}`, () => c.run(jsDevice));
 * });
 * ```
 * @packageDocumentation
 */
import type { ConformanceCase } from "@tessera/blas/testing";
import { conv2dCases } from "./testing/conv-cases.js";
import { convTranspose2dCases } from "./testing/conv-transpose-cases.js";
import { lrnCases } from "./testing/lrn-cases.js";
import { poolCases } from "./testing/pool-cases.js";

export type { ConformanceCase } from "@tessera/blas/testing";
export { FORWARD_RTOL, GRADIENT_RTOL, FD_STEP, FD_STEP_MAX_POOL, assertNear, assertEqual, numericGradient } from "./testing/check.js";
export { seededData, distinctData } from "./testing/data.js";
export {
  type WindowSpec, type ReferenceResult, type MaxPoolReference, tfSamePadding, explicitPadding, referenceOutputSize, referenceConv2d, referenceMaxPool2d, referenceAvgPool2d,
  referenceAdaptiveAvgPool2d, referenceLocalResponseNorm,
} from "./testing/reference.js";
export { type ConvCaseSpec, convCase, convSweep, conv2dCases } from "./testing/conv-cases.js";
export {
  type TransposeSpec, type ConvTransposeCaseSpec, transposeSpec, referenceConvTranspose2d, convTransposeCase, convTransposeSweep, convTranspose2dCases,
} from "./testing/conv-transpose-cases.js";
export { type PoolCaseSpec, poolCase, poolSweep, adaptiveCase, poolCases } from "./testing/pool-cases.js";
export { lrnCase, lrnCases } from "./testing/lrn-cases.js";
export { type SeedExamples, type Grid, type ConvExample, type BackwardExample, type TfRgbExample, seedExampleCases } from "./testing/seed-examples.js";

/**
 * Every case of the battery: convolutions and transposed convolutions (fixed edge cases and a
 * seeded sweep; forward, backward data, filter and bias), max/average/adaptive pooling and LRN. Run it on each device:
 * `for (const c of convCases()) it(c.name, () => c.run(device))`.
 *
 * @example
 * ```ts
 * import { convCases } from "@tessera/conv/testing";
 * const groups = new Set(convCases().map((c) => c.group)); // conv2d, maxPool2d, avgPool2d, …
 * ```
 */
export function convCases(): ConformanceCase[] {
  return [...conv2dCases(), ...convTranspose2dCases(), ...poolCases(), ...lrnCases()];
}
