/**
 * CIFAR-10 and CIFAR-100 from their extracted binary distributions (Node).
 */
import { parseCifar10, parseCifar100, type Cifar100LabelMode } from "./cifar.js";
import { Dataset } from "./dataset.js";
import type { TrainTest } from "./mnist.js";
import { readDataFile, resolveDataDir } from "./node-files.js";

/** Bytes of one CIFAR-10 batch file (10,000 records of 3073 bytes): the bound of a gzipped one. */
const CIFAR10_FILE_BYTES = 10_000 * 3073;

/** Concatenates datasets of equal sample shape and class count. */
function concat(parts: readonly Dataset[]): Dataset {
  const per = parts[0].sampleSize;
  const n = parts.reduce((a, p) => a + p.length, 0);
  const images = new Uint8Array(n * per);
  const labels = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * per);
    labels.set(p.labels, at);
    at += p.length;
  }
  return new Dataset(images, labels, parts[0].sampleShape, { numClasses: parts[0].numClasses });
}

/**
 * Reads CIFAR-10 from the extracted binary version (`cifar-10-binary.tar.gz`): `dir` is either
 * the `cifar-10-batches-bin` folder or the folder that contains it. The training set joins
 * `data_batch_1.bin` … `data_batch_5.bin` (50,000 images), the test set is `test_batch.bin`
 * (10,000); images are uint8 [3, 32, 32], labels 0…9. Node only.
 *
 * @throws Error `loadCifar10: found none of data_batch_3.bin in data/cifar-10-batches-bin`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadCifar10("data");
 * train.length; // 50000
 * ```
 */
export async function loadCifar10(dir: string): Promise<TrainTest> {
  const root = await resolveDataDir("loadCifar10", dir, "test_batch.bin", "cifar-10-batches-bin");
  const names = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
  const files = await Promise.all(names.map((n) => readDataFile("loadCifar10", root, [n], false, CIFAR10_FILE_BYTES)));
  const sets = files.map((f) => parseCifar10(f.bytes, f.name));
  return { train: concat(sets.slice(0, 5)), test: sets[5] };
}

/**
 * Options for {@link loadCifar100}.
 *
 * @example
 * ```ts
 * const opts: LoadCifar100Options = { labelMode: "coarse" };
 * ```
 */
export interface LoadCifar100Options {
  /** `"fine"` (100 classes, the default) or `"coarse"` (20 superclasses). */
  labelMode?: Cifar100LabelMode;
}

/**
 * Reads CIFAR-100 from the extracted binary version (`cifar-100-binary.tar.gz`): `dir` is either
 * the `cifar-100-binary` folder or the folder that contains it; `train.bin` has 50,000 images,
 * `test.bin` 10,000, uint8 [3, 32, 32], labelled by the fine or the coarse label. Node only.
 *
 * @example
 * ```ts
 * const { train, test } = await loadCifar100("data", { labelMode: "fine" });
 * train.numClasses; // 100
 * ```
 */
export async function loadCifar100(dir: string, options: LoadCifar100Options = {}): Promise<TrainTest> {
  const root = await resolveDataDir("loadCifar100", dir, "test.bin", "cifar-100-binary");
  const [train, test] = await Promise.all(["train.bin", "test.bin"].map((n) => readDataFile("loadCifar100", root, [n], false, n === "train.bin" ? 50_000 * 3074 : 10_000 * 3074)));
  const labelMode = options.labelMode;
  return {
    train: parseCifar100(train.bytes, { labelMode, name: train.name }),
    test: parseCifar100(test.bytes, { labelMode, name: test.name }),
  };
}
