/**
 * Seeded, on-the-fly batching of a {@link Dataset} into float32 NCHW tensors.
 */
import { NDArray, Rng } from "@tessera/ndarray";
import { Dataset } from "./dataset.js";
import type { Transform } from "./transforms.js";

/**
 * One batch: images, labels and the dataset indices they came from.
 *
 * @example
 * ```ts
 * for (const { x, y } of loader) console.log(x.shape, y.length); // [64, 1, 28, 28] 64
 * ```
 */
export interface Batch {
  /** Images, float32 [B, C, H, W] (after the transform). */
  x: NDArray<"float32">;
  /** Class index of each image, length B. */
  y: Int32Array;
  /** Position in the dataset of each image, length B. */
  indices: Int32Array;
}

/**
 * Options for {@link DataLoader}.
 *
 * @example
 * ```ts
 * const opts: DataLoaderOptions = { batchSize: 128, shuffle: true, seed: 1, dropLast: true };
 * ```
 */
export interface DataLoaderOptions {
  /** Images per batch (a positive integer). */
  batchSize: number;
  /** Visit the images in a new random order every epoch; false by default (dataset order). */
  shuffle?: boolean;
  /** Seed of the per-epoch generators (shuffling and random transforms); 0 by default. */
  seed?: number | bigint;
  /** Skip the last batch when it is smaller than `batchSize`; false by default. */
  dropLast?: boolean;
  /** Applied to every batch as it is produced (see {@link compose}); none by default. */
  transform?: Transform;
}

const SCALE_U8 = Float32Array.from({ length: 256 }, (_, k) => k / 255);

/**
 * The generator of epoch `epoch` for `seed`: two outputs of `new Rng(seed)` form a 64-bit key,
 * XOR-ed with the epoch, which seeds a fresh `Rng` (`@tessera/ndarray`). Distinct epochs get
 * distinct, independent streams.
 */
export function epochRng(seed: number | bigint, epoch: number): Rng {
  const key = new Rng(seed);
  const hi = BigInt(key.nextUint32());
  const lo = BigInt(key.nextUint32());
  return new Rng(((hi << 32n) | lo) ^ BigInt(epoch));
}

/**
 * Iterates a {@link Dataset} in batches of float32 NCHW tensors, made on the fly: only the
 * current batch is materialised. Uint8 pixels become `value / 255` (so [0, 1], as torchvision's
 * `ToTensor`), float32 pixels are copied as is; then the transform runs.
 *
 * Epochs are reproducible: epoch `e` draws its order (with `shuffle`) and then its augmentations
 * from one generator derived from `(seed, e)`, so it does not matter how many batches earlier
 * epochs consumed. Iterating the loader (`for … of`) runs epoch {@link DataLoader.epoch} and
 * advances the counter; {@link DataLoader.batches} runs any epoch without touching it.
 *
 * @example
 * ```ts
 * const { train } = await loadBundledMnist();
 * const loader = new DataLoader(train, {
 *   batchSize: 64, shuffle: true, seed: 0, transform: normalize(MNIST_MEAN, MNIST_STD),
 * });
 * for (let e = 0; e < 10; e++) {
 *   for (const { x, y } of loader) {
 *     // x: float32 [64, 1, 28, 28], y: Int32Array(64)
 *   }
 * }
 * ```
 */
export class DataLoader implements Iterable<Batch> {
  /** The dataset iterated over. */
  readonly dataset: Dataset;
  /** Images per batch. */
  readonly batchSize: number;
  /** Whether each epoch visits the images in a new random order. */
  readonly shuffle: boolean;
  /** Seed of the per-epoch generators. */
  readonly seed: number | bigint;
  /** Whether a smaller last batch is skipped. */
  readonly dropLast: boolean;
  /** Transform applied to every batch, if any. */
  readonly transform: Transform | undefined;
  #epoch = 0;

  /**
   * Creates a loader; nothing is computed until iteration.
   *
   * @throws RangeError `DataLoader: batchSize must be a positive integer, got 0`.
   *
   * @example
   * ```ts
   * const test = new DataLoader(testSet, { batchSize: 500 });
   * ```
   */
  constructor(dataset: Dataset, options: DataLoaderOptions) {
    if (!(dataset instanceof Dataset)) throw new TypeError(`DataLoader: dataset must be a Dataset, got ${typeof dataset}`);
    const { batchSize, shuffle = false, seed = 0, dropLast = false, transform } = options ?? ({} as DataLoaderOptions);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (typeof seed !== "bigint" && !Number.isSafeInteger(seed)) {
      throw new RangeError(`DataLoader: seed must be a safe integer or a bigint, got ${String(seed)}`);
    }
    if (transform !== undefined && typeof transform !== "function") {
      throw new TypeError(`DataLoader: transform must be a Transform function, got ${typeof transform}`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.transform = transform;
  }

  /**
   * The epoch the next `for … of` runs (starts at 0, advanced when an iteration starts); can be
   * set, for example to resume training.
   *
   * @example
   * ```ts
   * loader.epoch = 5; // the next for…of runs epoch 5
   * ```
   */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Sets the epoch the next `for … of` runs.
   *
   * @example
   * ```ts
   * loader.epoch = 0; // replay from the first epoch
   * ```
   */
  set epoch(value: number) {
    this.#epoch = checkEpoch("DataLoader.epoch", value);
  }

  /**
   * Number of batches per epoch.
   *
   * @example
   * ```ts
   * new DataLoader(ds10, { batchSize: 4 }).length;                 // 3
   * new DataLoader(ds10, { batchSize: 4, dropLast: true }).length; // 2
   * ```
   */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * Iterates the epoch given by {@link DataLoader.epoch} and advances the counter.
   *
   * @example
   * ```ts
   * for (const batch of loader) train(batch); // epoch 0
   * for (const batch of loader) train(batch); // epoch 1, another order
   * ```
   */
  [Symbol.iterator](): Iterator<Batch> {
    return this.batches(this.#epoch++);
  }

  /**
   * The batches of one epoch, made one at a time as they are requested; the same epoch always
   * gives the same batches.
   *
   * @param epoch - A non-negative integer.
   *
   * @example
   * ```ts
   * const first = loader.batches(3).next().value; // the first batch of epoch 3
   * ```
   */
  *batches(epoch: number): Generator<Batch, void, undefined> {
    checkEpoch("batches", epoch);
    const rng = epochRng(this.seed, epoch);
    const order = this.shuffle ? rng.permutation(this.dataset.length) : Int32Array.from({ length: this.dataset.length }, (_, i) => i);
    for (let k = 0; k < this.length; k++) {
      const indices = order.slice(k * this.batchSize, Math.min((k + 1) * this.batchSize, order.length));
      yield this.#collate(indices, rng);
    }
  }

  /** Gathers the images at `indices` into a float32 batch and applies the transform. */
  #collate(indices: Int32Array, rng: Rng): Batch {
    const { images, labels, sampleShape } = this.dataset;
    const per = this.dataset.sampleSize;
    const data = new Float32Array(indices.length * per);
    const y = new Int32Array(indices.length);
    for (let b = 0; b < indices.length; b++) {
      const i = indices[b];
      y[b] = labels[i];
      const src = i * per;
      const dst = b * per;
      if (images instanceof Uint8Array) {
        for (let k = 0; k < per; k++) data[dst + k] = SCALE_U8[images[src + k]];
      } else {
        data.set(images.subarray(src, src + per), dst);
      }
    }
    let x = new NDArray<"float32">(data, [indices.length, ...sampleShape]);
    if (this.transform !== undefined) {
      x = this.transform(x, rng);
      if (!(x instanceof NDArray) || x.dtype !== "float32" || x.ndim !== 4 || x.shape[0] !== indices.length) {
        const got = x instanceof NDArray ? `${x.dtype} [${x.shape.join(",")}]` : typeof x;
        throw new TypeError(`DataLoader: transform must return a float32 [${indices.length}, C, H, W] NDArray, got ${got}`);
      }
    }
    return { x, y, indices };
  }
}

function checkEpoch(fn: string, epoch: number): number {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`${fn}: epoch must be a non-negative integer, got ${epoch}`);
  return epoch;
}
