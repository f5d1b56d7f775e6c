/**
 * `@tessera/blas/testing`: the conformance battery every backend must pass, and its tolerances.
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { conformanceCases } from "@tessera/blas/testing";
 * import { jsDevice } from "@tessera/blas";
 * describe("js device", () => {
 *   for (const c of conformanceCases()) it(`${c.group}: ${c.name}`, () => c.run(jsDevice));
 * });
 * ```
 * @packageDocumentation
 */
import type { ConformanceCase } from "./testing/case.js";
import { level1Cases, level2Cases } from "./testing/level12-cases.js";
import { errorCases } from "./testing/error-cases.js";
import { routineCases } from "./testing/routine-cases.js";
import { sgemmCases } from "./testing/sgemm-cases.js";

export type { ConformanceCase } from "./testing/case.js";
export { sgemmCases, EDGE_SIZES, ALPHAS, BETAS } from "./testing/sgemm-cases.js";
export { level1Cases, level2Cases } from "./testing/level12-cases.js";
export { routineCases } from "./testing/routine-cases.js";
export { errorCases } from "./testing/error-cases.js";
export { winogradCases, WINOGRAD_ERROR_FACTOR } from "./testing/winograd-cases.js";
export { testData } from "./testing/data.js";
export { assertWithin, assertClose, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR, ELEMENTWISE_RTOL, ELEMENTWISE_ATOL } from "./testing/tolerance.js";

/**
 * Every case of the battery: sgemm, Level 1, Level 2, the non-BLAS routines, and the bad calls
 * that must throw the reference device's exact error.
 *
 * @example
 * ```ts
 * import { conformanceCases } from "@tessera/blas/testing";
 * const groups = new Set(conformanceCases().map((c) => c.group));
 * ```
 */
export function conformanceCases(): ConformanceCase[] {
  return [...sgemmCases(), ...level1Cases(), ...level2Cases(), ...routineCases(), ...errorCases()];
}
