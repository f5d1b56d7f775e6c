/**
 * Seeded random splits of a dataset.
 */
import { Rng } from "@tessera/ndarray";
import { Dataset } from "./dataset.js";

/**
 * Splits a dataset into disjoint random parts of the given sizes (PyTorch's `random_split`):
 * one permutation from `new Rng(seed)`, cut into consecutive runs. The parts are copies; each
 * keeps the shuffled order of the permutation. Equal seeds give equal splits on every platform.
 *
 * @param dataset - The dataset to split.
 * @param lengths - Non-negative sizes that add up to `dataset.length`.
 * @param seed - Seed of the `Rng` (`@tessera/ndarray`) that draws the permutation.
 * @throws RangeError `randomSplit: lengths [8000,1000] add up to 9000, expected dataset.length = 10000`.
 *
 * @example
 * ```ts
 * const [train, val] = randomSplit(full, [8000, 2000], 0);
 * ```
 */
export function randomSplit(dataset: Dataset, lengths: readonly number[], seed: number | bigint): Dataset[] {
  if (!(dataset instanceof Dataset)) throw new TypeError(`randomSplit: dataset must be a Dataset`);
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new RangeError(`randomSplit: lengths must be non-negative integers, got ${JSON.stringify(lengths)}`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total !== dataset.length) {
    throw new RangeError(`randomSplit: lengths [${lengths.join(",")}] add up to ${total}, expected dataset.length = ${dataset.length}`);
  }
  const order = new Rng(seed).permutation(dataset.length);
  const parts: Dataset[] = [];
  let start = 0;
  for (const n of lengths) {
    parts.push(dataset.subset(order.subarray(start, start + n)));
    start += n;
  }
  return parts;
}
