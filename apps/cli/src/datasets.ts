/**
 * The data sets of `tessera train` and `tessera eval`: their image shape and classes (checked
 * against the model before anything is loaded), loading with one-line errors, and the transforms
 * (normalisation; for training the augmentation of each data set).
 */
import {
  channelStats, CIFAR10_MEAN, CIFAR10_STD, compose, loadBundledMnist, loadCifar10, loadCifar100, loadMnist,
  MNIST_MEAN, MNIST_STD, normalize, randomCrop, randomHorizontalFlip, type TrainTest, type Transform,
} from "@tessera/data";
import { checkDataDir } from "./weights-file.js";
import { CliError, ZOO, zooEntry } from "./zoo.js";

/** A data set the CLI trains on: its image shape [C, H, W], its classes and its default augmentation. */
export interface DataSpec {
  readonly input: readonly number[];
  readonly classes: number;
  /** Default `--shift` (random-crop padding): 2 for MNIST, 4 for CIFAR (He et al.). */
  readonly shift: number;
  /** Whether random horizontal flips are on by default (not for digits). */
  readonly flip: boolean;
  /** What `--data-dir` must hold. */
  readonly files: string;
}

/** The data sets, by their `--data` name. */
export const DATA_SETS: Readonly<Record<string, DataSpec>> = {
  mnist: { input: [1, 28, 28], classes: 10, shift: 2, flip: false, files: "the four MNIST IDX files, plain or .gz" },
  cifar10: { input: [3, 32, 32], classes: 10, shift: 4, flip: true, files: "the extracted cifar-10-binary.tar.gz: cifar-10-batches-bin/ or the folder holding it" },
  cifar100: { input: [3, 32, 32], classes: 100, shift: 4, flip: true, files: "the extracted cifar-100-binary.tar.gz: cifar-100-binary/ or the folder holding it" },
};

/** The `--data` names. */
export const DATA_NAMES = Object.keys(DATA_SETS);

/** The spec of `--data NAME`, or an error listing the names. */
export function dataSpec(name: string): DataSpec {
  const d = DATA_SETS[name];
  if (!d) throw new CliError(`unknown data set '${name}' (data sets: ${DATA_NAMES.join(", ")})`);
  return d;
}

/** Checks that `model` takes the images of `data` (e.g. LeNet-5 takes 28×28 digits, not CIFAR's 3×32×32). */
export function checkModelData(model: string, data: string): void {
  const { input } = dataSpec(data);
  const own = zooEntry(model).input;
  if (own.join(",") === input.join(",")) return;
  const fits = Object.keys(ZOO).filter((m) => ZOO[m].input.join(",") === input.join(","));
  throw new CliError(`--model ${model} takes [${own.join(", ")}] inputs, --data ${data} has [${input.join(", ")}] images (models for ${data}: ${fits.join(", ")})`);
}

/** A loaded data set with the normalisation its models are trained with. */
export interface LoadedData extends TrainTest {
  /** Per-channel normalisation (CIFAR-100: the statistics of its whole training set). */
  readonly normalize: Transform;
  /** Where the images came from, for messages. */
  readonly where: string;
}

/** Loads `data` from `dataDir` (MNIST: the bundled digits without it); a missing or corrupt folder is a one-line error. */
export async function loadData(data: string, dataDir: string | undefined): Promise<LoadedData> {
  const spec = dataSpec(data);
  if (data !== "mnist" && dataDir === undefined) throw new CliError(`--data ${data} needs --data-dir DIR (${spec.files}; it is not bundled)`);
  checkDataDir(dataDir);
  let sets: TrainTest;
  try {
    if (data === "mnist") sets = dataDir ? await loadMnist({ dir: dataDir }) : await loadBundledMnist({ seed: 0 });
    else sets = data === "cifar10" ? await loadCifar10(dataDir!) : await loadCifar100(dataDir!);
  } catch (e) {
    throw new CliError(`--data-dir ${dataDir}: ${(e as Error).message}`);
  }
  const where = dataDir ? `--data-dir ${dataDir}` : "the bundled digits";
  let norm: Transform;
  if (data === "mnist") norm = normalize(MNIST_MEAN, MNIST_STD);
  else if (data === "cifar10") norm = normalize(CIFAR10_MEAN, CIFAR10_STD);
  else {
    if (sets.train.length === 0) throw new CliError(`${where}: no training images`);
    const { mean, std } = channelStats(sets.train);
    norm = normalize(mean, std);
  }
  return { ...sets, normalize: norm, where };
}

/**
 * The training transform: random crops of the image size from the image padded by `shift`
 * pixels, random horizontal flips when `flip`, then `norm`.
 */
export function augmentation(data: string, shift: number, flip: boolean, norm: Transform): Transform {
  const size = dataSpec(data).input[1];
  const steps: Transform[] = [];
  if (shift > 0) steps.push(randomCrop(size, shift));
  if (flip) steps.push(randomHorizontalFlip());
  return steps.length ? compose(...steps, norm) : norm;
}
