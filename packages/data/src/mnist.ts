/**
 * MNIST from IDX bytes: the four standard files → train and test {@link Dataset}s.
 */
import { Dataset } from "./dataset.js";
import { readIdx } from "./idx.js";

/**
 * A training and a test set.
 *
 * @example
 * ```ts
 * const { train, test }: TrainTest = await loadBundledMnist();
 * ```
 */
export interface TrainTest {
  /** The training images. */
  train: Dataset;
  /** The held-out test images. */
  test: Dataset;
}

/**
 * The standard MNIST file names, without the optional `.gz` suffix.
 *
 * @example
 * ```ts
 * MNIST_FILES.trainImages; // "train-images-idx3-ubyte"
 * ```
 */
export const MNIST_FILES = Object.freeze({
  /** The 60,000 training images. */
  trainImages: "train-images-idx3-ubyte",
  /** The 60,000 training labels. */
  trainLabels: "train-labels-idx1-ubyte",
  /** The 10,000 test images. */
  testImages: "t10k-images-idx3-ubyte",
  /** The 10,000 test labels. */
  testLabels: "t10k-labels-idx1-ubyte",
});

/**
 * The contents of the four MNIST files (uncompressed; see {@link gunzip}).
 *
 * @example
 * ```ts
 * const files: MnistFiles = { trainImages, trainLabels, testImages, testLabels }; // Uint8Arrays
 * ```
 */
export interface MnistFiles {
  /** `train-images-idx3-ubyte`: uint8, [N, H, W]. */
  trainImages: Uint8Array;
  /** `train-labels-idx1-ubyte`: uint8, [N]. */
  trainLabels: Uint8Array;
  /** `t10k-images-idx3-ubyte`: uint8, [M, H, W]. */
  testImages: Uint8Array;
  /** `t10k-labels-idx1-ubyte`: uint8, [M]. */
  testLabels: Uint8Array;
}

/**
 * Options for {@link mnistDataset}.
 *
 * @example
 * ```ts
 * const opts: MnistDatasetOptions = { imagesName: "emnist-letters-train-images", numClasses: 27 };
 * ```
 */
export interface MnistDatasetOptions {
  /** Name of the images file in error messages; `"images"` by default. */
  imagesName?: string;
  /** Name of the labels file in error messages; `"labels"` by default. */
  labelsName?: string;
  /** Labels must lie in `[0, numClasses)`; 10 by default. */
  numClasses?: number;
}

/**
 * One MNIST-style split from an images file (IDX uint8, 3 dimensions [N, H, W]) and a labels
 * file (IDX uint8, 1 dimension [N]); both are validated (magic numbers, sizes, equal counts,
 * labels below `numClasses`). The result has sample shape [1, H, W] and uint8 pixels. Works for
 * the MNIST-format sets too (Fashion-MNIST, KMNIST, EMNIST with its `numClasses`).
 *
 * @throws Error `mnistDataset: labels has 9999 labels but images has 10000 images`.
 *
 * @example
 * ```ts
 * const test = mnistDataset(testImagesBytes, testLabelsBytes, { imagesName: "t10k-images-idx3-ubyte" });
 * ```
 */
export function mnistDataset(images: Uint8Array, labels: Uint8Array, options: MnistDatasetOptions = {}): Dataset {
  const imagesName = options.imagesName ?? "images";
  const labelsName = options.labelsName ?? "labels";
  const numClasses = options.numClasses ?? 10;
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 256) {
    throw new RangeError(`mnistDataset: numClasses must be an integer in [1, 256], got ${numClasses}`);
  }
  const img = readIdx(images, { name: imagesName, dtype: "uint8", ndim: 3 });
  const lab = readIdx(labels, { name: labelsName, dtype: "uint8", ndim: 1 });
  const [n, h, w] = img.shape;
  if (lab.shape[0] !== n) {
    throw new Error(`mnistDataset: ${labelsName} has ${lab.shape[0]} labels but ${imagesName} has ${n} images`);
  }
  if (h === 0 || w === 0) throw new Error(`mnistDataset: ${imagesName} has images of size ${h}×${w}, expected positive sizes`);
  const y = Int32Array.from(lab.data);
  const bad = y.findIndex((l) => l >= numClasses);
  if (bad >= 0) {
    throw new RangeError(`mnistDataset: ${labelsName} has label ${y[bad]} at index ${bad}, expected a class index in [0, ${numClasses})`);
  }
  return new Dataset(img.data as Uint8Array, y, [1, h, w], { numClasses });
}

/**
 * The MNIST training and test sets from the bytes of the four standard files (decompress `.gz`
 * files first with {@link gunzip}); runs in browsers. In Node, {@link loadMnist} reads them from
 * a directory. Train and test must have images of the same size.
 *
 * @example
 * ```ts
 * const { train, test } = parseMnist({ trainImages, trainLabels, testImages, testLabels });
 * train.length; // 60000
 * ```
 */
export function parseMnist(files: MnistFiles, options: Pick<MnistDatasetOptions, "numClasses"> = {}): TrainTest {
  const missing = (Object.keys(MNIST_FILES) as (keyof MnistFiles)[]).filter((k) => !((files as Partial<MnistFiles>)?.[k] instanceof Uint8Array));
  if (missing.length > 0) throw new TypeError(`parseMnist: files.${missing.join(", files.")} must be Uint8Array bytes`);
  const train = mnistDataset(files.trainImages, files.trainLabels, {
    imagesName: MNIST_FILES.trainImages,
    labelsName: MNIST_FILES.trainLabels,
    numClasses: options.numClasses,
  });
  const test = mnistDataset(files.testImages, files.testLabels, {
    imagesName: MNIST_FILES.testImages,
    labelsName: MNIST_FILES.testLabels,
    numClasses: options.numClasses,
  });
  const [, th, tw] = train.sampleShape;
  const [, vh, vw] = test.sampleShape;
  if (th !== vh || tw !== vw) {
    throw new Error(`parseMnist: ${MNIST_FILES.trainImages} has ${th}×${tw} images but ${MNIST_FILES.testImages} has ${vh}×${vw}`);
  }
  return { train, test };
}
