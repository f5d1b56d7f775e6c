/**
 * Histograms as TensorBoard stores them (`HistogramProto`): min, max, count, sum, sum of squares,
 * and counts over TensorFlow's default bucket edges (±1e-12·1.1ᵏ up to 1e20, and 0), trimmed to
 * the buckets between the first and the last non-empty one.
 */

/**
 * A histogram in TensorBoard's form. Bucket `i` counts the values in
 * `[bucketLimit[i - 1], bucketLimit[i])`; TensorBoard draws the first bucket from `min` and the
 * last one up to `max`.
 *
 * @example
 * ```ts
 * import type { HistogramData } from "@tessera/nn";
 * const h: HistogramData = { min: 1, max: 1, num: 1, sum: 1, sumSquares: 1, bucketLimit: [1.0000000000000002], bucket: [1] };
 * ```
 */
export interface HistogramData {
  /** Smallest value. */ readonly min: number;
  /** Largest value. */ readonly max: number;
  /** Number of values. */ readonly num: number;
  /** Sum of the values (float64). */ readonly sum: number;
  /** Sum of their squares (float64). */ readonly sumSquares: number;
  /** Right edges of the buckets, increasing. */ readonly bucketLimit: readonly number[];
  /** Count of each bucket. */ readonly bucket: readonly number[];
}

/**
 * TensorFlow's default bucket edges, increasing: −DBL_MAX, the negated positive edges from the
 * largest down, 0, the positive edges 1e-12·1.1ᵏ below 1e20, DBL_MAX. The outer edges keep every
 * finite value in some bucket.
 */
const EDGES: Float64Array = (() => {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  const edges = [-Number.MAX_VALUE];
  for (let i = positive.length - 1; i >= 0; i--) edges.push(-positive[i]);
  edges.push(0, ...positive, Number.MAX_VALUE);
  return Float64Array.from(edges);
})();

/** Index of the first edge strictly above `v` (the bucket that holds `v`). */
function bucketOf(v: number): number {
  let lo = 0;
  let hi = EDGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (EDGES[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The histogram of `values` with TensorBoard's default buckets. Throws on an empty input or a
 * non-finite value (TensorBoard cannot draw either), naming `what` and the index.
 *
 * @example
 * ```ts
 * import { histogramOf } from "@tessera/nn";
 * histogramOf([0, 0.5, 0.5, 2]).num; // 4
 * ```
 */
export function histogramOf(values: ArrayLike<number>, what = "histogramOf: values"): HistogramData {
  if (values.length === 0) throw new RangeError(`${what} is empty; a histogram needs at least one value`);
  const counts = new Float64Array(EDGES.length);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`${what} has a non-finite value ${v} at index ${i}; a histogram needs finite values`);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
    counts[bucketOf(v)]++;
  }
  let first = 0;
  while (counts[first] === 0) first++;
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  return {
    min, max, num: values.length, sum, sumSquares,
    bucketLimit: Array.from(EDGES.subarray(first, last + 1)),
    bucket: Array.from(counts.subarray(first, last + 1)),
  };
}
