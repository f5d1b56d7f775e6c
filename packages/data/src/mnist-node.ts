/**
 * MNIST from the four IDX files in a directory (Node).
 */
import { MNIST_FILES, parseMnist, type MnistFiles, type TrainTest } from "./mnist.js";
import { readDataFile } from "./node-files.js";

/**
 * Options for {@link loadMnist}.
 *
 * @example
 * ```ts
 * const opts: LoadMnistOptions = { dir: "data/mnist" };
 * ```
 */
export interface LoadMnistOptions {
  /** Directory holding the four standard files, each plain or gzipped (`.gz`). */
  dir: string;
  /** Labels must lie in `[0, numClasses)`; 10 by default. */
  numClasses?: number;
}

/**
 * Reads MNIST (or an MNIST-format set such as Fashion-MNIST) from the four standard IDX files in
 * `options.dir`: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each either plain or with a `.gz` suffix (gzip is detected from the
 * bytes; decompression is bounded by the size the IDX header announces, see {@link gunzipIdx}). Everything is validated as in {@link parseMnist}. Node only; without a download, use
 * {@link loadBundledMnist}.
 *
 * @throws Error `loadMnist: found none of t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz in data/mnist`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadMnist({ dir: "data/mnist" });
 * train.sampleShape; // [1, 28, 28]
 * ```
 */
export async function loadMnist(options: LoadMnistOptions): Promise<TrainTest> {
  const dir = options?.dir;
  const keys = Object.keys(MNIST_FILES) as (keyof MnistFiles)[];
  const files = await Promise.all(keys.map((k) => readDataFile("loadMnist", dir, [MNIST_FILES[k]], true, "idx")));
  const bytes = Object.fromEntries(keys.map((k, i) => [k, files[i].bytes])) as unknown as MnistFiles;
  return parseMnist(bytes, { numClasses: options.numClasses });
}
