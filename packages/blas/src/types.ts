/**
 * Storage order of a matrix in the BLAS (cblas) form of a routine.
 *
 * @example
 * ```ts
 * import { sgemm } from "@tessera/blas";
 * const order: "row-major" = "row-major";
 * sgemm(order, "no-transpose", "no-transpose", 1, 1, 1, 1, new Float32Array([2]), 1, new Float32Array([3]), 1, 0, new Float32Array(1), 1);
 * ```
 */
export type Order = "row-major" | "column-major";

/**
 * Whether a matrix operand is used as stored or transposed.
 *
 * @example
 * ```ts
 * import type { Transpose } from "@tessera/blas";
 * const t: Transpose = "transpose";
 * ```
 */
export type Transpose = "no-transpose" | "transpose";

/** The orders accepted by the BLAS form. @internal */
export const ORDERS: readonly Order[] = ["row-major", "column-major"];
/** The transpose flags accepted everywhere. @internal */
export const TRANSPOSES: readonly Transpose[] = ["no-transpose", "transpose"];
