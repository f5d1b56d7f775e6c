/**
 * Nested plain JS arrays: what {@link fromArray} reads and {@link NDArray.toArray} writes.
 */

/**
 * Nested plain JS arrays of numbers, as produced by {@link NDArray.toArray} (a bare number for a
 * 0-d array).
 *
 * @example
 * ```ts
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * ```
 */
export type NestedArray = number | NestedArray[];

/**
 * Input accepted by {@link fromArray}: a number or (possibly readonly) nested arrays of numbers.
 *
 * @example
 * ```ts
 * const input: NestedInput = [[1, 2, 3], [4, 5, 6]];
 * ```
 */
export type NestedInput = number | readonly NestedInput[];
