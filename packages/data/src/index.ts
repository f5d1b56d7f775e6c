/**
 * `@tessera/data`: datasets and data loading for Tessera. MNIST from IDX files (plain or gzipped)
 * plus a bundled 10,000-digit MNIST subset that needs no download, CIFAR-10 and CIFAR-100 from
 * their binary format, seeded random splits, and a {@link DataLoader} that batches a
 * {@link Dataset} into float32 NCHW tensors with seeded shuffling, normalization and on-the-fly
 * augmentation (random crop with padding, horizontal flip). Parsers work from bytes, so they run
 * in browsers; the `load*` functions read files in Node.
 *
 * @packageDocumentation
 */
export { Dataset, type DatasetOptions, type SampleShape } from "./dataset.js";
export { randomSplit } from "./split.js";
export { DataLoader, type Batch, type DataLoaderOptions } from "./data-loader.js";
export { compose, normalize, randomCrop, randomHorizontalFlip, type Transform } from "./transforms.js";
export { channelStats, CIFAR10_MEAN, CIFAR10_STD, MNIST_MEAN, MNIST_STD, type ChannelStats } from "./stats.js";
export { encodeIdx, readIdx, type IdxArray, type IdxDType, type ReadIdxOptions } from "./idx.js";
export { gunzip, isGzip, type GunzipOptions } from "./gzip.js";
export { gunzipIdx } from "./idx-gzip.js";
export { MNIST_FILES, mnistDataset, parseMnist, type MnistDatasetOptions, type MnistFiles, type TrainTest } from "./mnist.js";
export { loadMnist, type LoadMnistOptions } from "./mnist-node.js";
export { BUNDLED_MNIST_URL, loadBundledMnist, parseBundledMnist, type BundledMnistOptions } from "./mnist-bundled.js";
export { CIFAR10_CLASSES, parseCifar10, parseCifar100, type Cifar100LabelMode, type Cifar100Options } from "./cifar.js";
export { loadCifar10, loadCifar100, type LoadCifar100Options } from "./cifar-node.js";
