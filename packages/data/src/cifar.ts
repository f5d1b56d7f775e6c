/**
 * The CIFAR-10 and CIFAR-100 binary formats (Krizhevsky 2009), from bytes.
 *
 * CIFAR-10 (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`): records of 1 label byte
 * and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32×32 row-major), i.e. already CHW.
 * CIFAR-100 (`train.bin`, `test.bin`): 1 coarse label byte, 1 fine label byte, 3072 pixel bytes.
 */
import { Dataset } from "./dataset.js";

/** Pixel bytes per CIFAR image: 3 × 32 × 32. */
const PIXELS = 3 * 32 * 32;

/**
 * CIFAR-10 class names, by label.
 *
 * @example
 * ```ts
 * CIFAR10_CLASSES[3]; // "cat"
 * ```
 */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
]);

/**
 * Which CIFAR-100 label to use: the 100 `"fine"` classes or the 20 `"coarse"` superclasses.
 *
 * @example
 * ```ts
 * const mode: Cifar100LabelMode = "coarse";
 * ```
 */
export type Cifar100LabelMode = "fine" | "coarse";

/**
 * Options for {@link parseCifar100}.
 *
 * @example
 * ```ts
 * const opts: Cifar100Options = { labelMode: "coarse", name: "train.bin" };
 * ```
 */
export interface Cifar100Options {
  /** `"fine"` (100 classes, the default) or `"coarse"` (20 superclasses). */
  labelMode?: Cifar100LabelMode;
  /** Shown in error messages (usually the file name). */
  name?: string;
}

interface RecordFormat {
  fn: string;
  name: string;
  labelBytes: number;
  labelAt: number;
  numClasses: number;
  other: string;
  otherLabelBytes: number;
}

function parseRecords(bytes: Uint8Array, f: RecordFormat): Dataset {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${f.fn}: bytes must be a Uint8Array`);
  const record = f.labelBytes + PIXELS;
  if (bytes.length === 0 || bytes.length % record !== 0) {
    const otherRecord = f.otherLabelBytes + PIXELS;
    const hint = bytes.length > 0 && bytes.length % otherRecord === 0 ? `; it looks like ${f.other} data (${otherRecord}-byte records)` : "";
    throw new Error(
      `${f.fn}: ${f.name} has ${bytes.length} bytes, expected a positive multiple of the ${record}-byte record ` +
        `(${f.labelBytes} label byte${f.labelBytes > 1 ? "s" : ""} + 3×32×32 pixels)${hint}`,
    );
  }
  const n = bytes.length / record;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * record;
    const label = bytes[at + f.labelAt];
    if (label >= f.numClasses) {
      throw new RangeError(`${f.fn}: ${f.name} record ${i} has label ${label}, expected a class index in [0, ${f.numClasses})`);
    }
    labels[i] = label;
    images.set(bytes.subarray(at + f.labelBytes, at + record), i * PIXELS);
  }
  return new Dataset(images, labels, [3, 32, 32], { numClasses: f.numClasses });
}

/**
 * Decodes one CIFAR-10 binary batch file (or several concatenated) into a dataset of uint8
 * [3, 32, 32] images with labels 0…9 (see {@link CIFAR10_CLASSES}). Validates the length (a
 * whole number of 3073-byte records) and every label. Works from bytes, so it runs in browsers.
 *
 * @param bytes - The file's bytes.
 * @param name - Shown in error messages; `"CIFAR-10 data"` by default.
 * @throws Error `parseCifar10: data_batch_1.bin has 3000 bytes, expected a positive multiple of the 3073-byte record (1 label byte + 3×32×32 pixels)`.
 *
 * @example
 * ```ts
 * const test = parseCifar10(testBatchBytes, "test_batch.bin"); // 10000 images
 * ```
 */
export function parseCifar10(bytes: Uint8Array, name = "CIFAR-10 data"): Dataset {
  return parseRecords(bytes, { fn: "parseCifar10", name, labelBytes: 1, labelAt: 0, numClasses: 10, other: "CIFAR-100", otherLabelBytes: 2 });
}

/**
 * Decodes a CIFAR-100 binary file (`train.bin` or `test.bin`) into a dataset of uint8
 * [3, 32, 32] images, labelled by the fine (100 classes) or coarse (20 superclasses) label.
 * Validates the length (a whole number of 3074-byte records) and every label used.
 *
 * @throws RangeError `parseCifar100: train.bin record 7 has label 120, expected a class index in [0, 100)`.
 *
 * @example
 * ```ts
 * const train = parseCifar100(trainBytes, { labelMode: "coarse", name: "train.bin" });
 * train.numClasses; // 20
 * ```
 */
export function parseCifar100(bytes: Uint8Array, options: Cifar100Options = {}): Dataset {
  const { labelMode = "fine", name = "CIFAR-100 data" } = options;
  if (labelMode !== "fine" && labelMode !== "coarse") {
    throw new RangeError(`parseCifar100: labelMode must be "fine" or "coarse", got ${JSON.stringify(labelMode)}`);
  }
  const fine = labelMode === "fine";
  return parseRecords(bytes, {
    fn: "parseCifar100",
    name,
    labelBytes: 2,
    labelAt: fine ? 1 : 0,
    numClasses: fine ? 100 : 20,
    other: "CIFAR-10",
    otherLabelBytes: 1,
  });
}
