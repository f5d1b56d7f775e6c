import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compose, DataLoader, loadBundledMnist, loadMnist, MNIST_MEAN, MNIST_STD, normalize, randomCrop } from "@tessera/data";
import { fit, ProgressLogger, saveWeights, type Module } from "@tessera/nn";
import { Adam, crossEntropy, SGD, type Optimizer } from "@tessera/optim";
import { curvesSvg } from "../chart.js";
import { CHECKPOINT_FILE, dropoutCounters, readCheckpoint, saveCheckpoint, type EpochLog, type RunState } from "../checkpoint.js";
import { pickDevice } from "../devices.js";
import { trainHooks } from "../hooks.js";
import { lockRunFolder, removeOrphanedTemps, writeAtomic } from "../run-folder.js";
import { RunCallback } from "../train-callback.js";
import { checkDataDir } from "../weights-file.js";
import { CliError, zooEntry } from "../zoo.js";

/** Options of `tessera train` (flags are kebab-case on the command line). */
export interface TrainOptions {
  model: string;
  data: string;
  dataDir?: string;
  epochs: number;
  batchSize: number;
  optimizer: "sgd" | "adam";
  lr?: number;
  device: string;
  threads?: number;
  seed: number;
  out: string;
  resume: boolean;
  progress: boolean;
  /** Train on the first N training images only (quick runs and tests). */
  limit?: number;
  /** Learning-rate schedule over all batches: cosine annealing to 0 (default) or constant. */
  schedule: "cosine" | "constant";
  /** Random shifts of up to this many pixels (pad-and-random-crop augmentation; 0 = off). */
  shift: number;
}

/** Options that decide a run's numbers: a resumed run keeps the saved ones (naming another value is an error). */
const TRAJECTORY = ["data", "dataDir", "batchSize", "optimizer", "lr", "seed", "limit", "schedule", "shift"] as const;

const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The options of a resumed run: the saved ones, with the explicitly given ones checked against them. */
function resumedOptions(o: TrainOptions, saved: TrainOptions, given: ReadonlySet<string>): TrainOptions {
  if (given.has("model") && o.model !== saved.model) throw new CliError(`--resume: ${o.out} holds a ${saved.model} run, not ${o.model}`);
  for (const k of TRAJECTORY) {
    if (given.has(k) && o[k] !== saved[k]) {
      throw new CliError(`--resume: ${flag(k)} ${String(o[k])} differs from the run's ${saved[k] === undefined ? "default" : String(saved[k])}; a resumed run keeps its options (start a new run with another --out to change them)`);
    }
  }
  if (given.has("epochs") && o.epochs !== saved.epochs && saved.schedule === "cosine") {
    throw new CliError(`--resume: --epochs ${o.epochs} differs from the run's ${saved.epochs}, and the cosine schedule spans all epochs; resume with --epochs ${saved.epochs} (or train with --schedule constant to extend runs)`);
  }
  return { ...saved, epochs: given.has("epochs") ? o.epochs : saved.epochs, device: o.device, threads: o.threads, out: o.out, resume: true, progress: o.progress };
}

async function datasets(o: TrainOptions) {
  if (o.data !== "mnist") throw new CliError(`unknown data set '${o.data}' (data sets: mnist)`);
  checkDataDir(o.dataDir);
  try {
    return o.dataDir ? await loadMnist({ dir: o.dataDir }) : await loadBundledMnist({ seed: 0 });
  } catch (e) {
    throw new CliError(`--data-dir ${o.dataDir}: ${(e as Error).message}`);
  }
}

function makeOptimizer(o: TrainOptions, model: Module): Optimizer<{ lr: number }> {
  if (o.optimizer === "sgd") return new SGD(model.parameters(), { lr: o.lr ?? 0.05, momentum: 0.9, nesterov: true });
  if (o.optimizer === "adam") return new Adam(model.parameters(), { lr: o.lr ?? 2e-3 });
  throw new CliError(`unknown optimizer '${o.optimizer}' (optimizers: sgd, adam)`);
}

async function writeMetrics(dir: string, o: TrainOptions, history: EpochLog[]): Promise<void> {
  await writeAtomic(join(dir, "metrics.json"), `${JSON.stringify(history, null, 2)}\n`);
  const cols = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "images_per_second"] as const;
  await writeAtomic(join(dir, "metrics.csv"), [cols.join(","), ...history.map((h) => cols.map((c) => h[c]).join(","))].join("\n") + "\n");
  await writeAtomic(join(dir, "curves.svg"), curvesSvg(`${o.model} on ${o.data}, ${o.optimizer}, batch ${o.batchSize}, device ${o.device}`,
    [{ name: "train loss", values: history.map((h) => h.loss), color: "#4e79a7" }, { name: "test loss", values: history.map((h) => h.val_loss), color: "#e15759" }],
    [{ name: "train accuracy", values: history.map((h) => h.accuracy), color: "#4e79a7" }, { name: "test accuracy", values: history.map((h) => h.val_accuracy), color: "#e15759" }]));
}

/**
 * `tessera train`: trains, validates each epoch, checkpoints, and writes metrics and curves.
 * `given` names the options set explicitly on the command line (checked against a resumed run's).
 */
export async function train(o: TrainOptions, log: (l: string) => void, given: ReadonlySet<string> = new Set(Object.keys(o))): Promise<RunState<TrainOptions>> {
  zooEntry(o.model);
  mkdirSync(o.out, { recursive: true });
  const unlock = lockRunFolder(o.out);
  let model: Module | undefined;
  try {
    const removed = removeOrphanedTemps(o.out);
    if (removed.length) log(`removed ${removed.length} temporary file(s) left in ${o.out} by an interrupted run`);
    // A resumed run is rebuilt from its saved options (model, seed, optimizer), then loaded.
    const checkpoint = o.resume ? await readCheckpoint<TrainOptions>(o.out) : undefined;
    if (checkpoint) o = checkpoint.state.options = resumedOptions(o, checkpoint.state.options, given);
    const entry = zooEntry(o.model);
    const device = await pickDevice(o.device, o.threads);
    model = entry.make({ seed: o.seed, device });
    const opt = makeOptimizer(o, model);
    let state: RunState<TrainOptions>;
    if (checkpoint) {
      await checkpoint.load(model, opt);
      state = checkpoint.state;
      log(`resuming ${o.out} at epoch ${state.epoch + 1}, batch ${state.batch}`);
    } else {
      state = { options: o, epoch: 0, batch: 0, history: [], bestValAccuracy: -1, baseLr: opt.paramGroups[0].lr, dropout: dropoutCounters(model) };
    }
    return await loop(o, state, model, opt, device.name, log);
  } finally {
    model?.dispose();
    unlock();
  }
}

async function loop(o: TrainOptions, state: RunState<TrainOptions>, model: Module, opt: Optimizer<{ lr: number }>, deviceName: string, log: (l: string) => void): Promise<RunState<TrainOptions>> {
  const sets = await datasets(o);
  const trainSet = o.limit ? sets.train.subset(Int32Array.from({ length: Math.min(o.limit, sets.train.length) }, (_, i) => i)) : sets.train;
  const testSet = sets.test;
  const where = o.dataDir ? `--data-dir ${o.dataDir}` : "the bundled digits";
  if (trainSet.length === 0 || testSet.length === 0) throw new CliError(`${where}: no ${trainSet.length === 0 ? "training" : "test"} images`);
  const transform = normalize(MNIST_MEAN, MNIST_STD);
  const augment = o.shift > 0 ? compose(randomCrop(28, o.shift), transform) : transform;
  const trainLoader = new DataLoader(trainSet, { batchSize: o.batchSize, shuffle: true, seed: o.seed, transform: augment });
  const testLoader = new DataLoader(testSet, { batchSize: 500, transform });
  const perEpoch = trainLoader.length;
  const baseLr = state.baseLr;
  log(`${o.model}: ${model.numParameters().toLocaleString("en-US")} parameters; ${trainSet.length} training and ${testSet.length} test images; device ${deviceName}`);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) {
      log("\ninterrupted again: quitting without saving more");
      process.exit(130);
    }
    interrupted = true;
    log("\ninterrupted: finishing this batch and saving a checkpoint (Ctrl-C again to quit at once)");
  };
  const save = async (s: RunState<TrainOptions>) => {
    await saveCheckpoint(o.out, model, opt, { ...s, dropout: dropoutCounters(model) });
    trainHooks.saving?.("checkpoint-committed");
    await saveWeights(model, join(o.out, "last.safetensors"), { model: o.model, epoch: String(s.epoch), batch: String(s.batch) });
    trainHooks.saving?.("last");
  };
  const run = new RunCallback({
    state, model, opt, perEpoch,
    // Cosine annealing per batch, in closed form from the run's base lr, so a resumed run continues the same curve.
    lrAt: (epoch, batch) => (o.schedule === "constant" ? undefined : 0.5 * baseLr * (1 + Math.cos(Math.PI * Math.min(1, (epoch * perEpoch + batch) / Math.max(1, o.epochs * perEpoch))))),
    testBatches: () => testLoader.batches(0),
    // Saved in this order so that a kill at any point leaves files a resume makes whole: the checkpoint
    // (the commit) comes after best and metrics, so a resume redoes this epoch and rewrites them.
    saveEpoch: async (entry, improved) => {
      trainHooks.saving?.("best");
      if (improved) await saveWeights(model, join(o.out, "best.safetensors"), { model: o.model, epoch: String(entry.epoch), val_accuracy: String(entry.val_accuracy) });
      trainHooks.saving?.("metrics");
      await writeMetrics(o.out, o, state.history);
      await save(state);
    },
    interrupted: () => interrupted,
  });
  // A new run replaces an earlier run's checkpoint once its own data and model are ready (so that
  // a kill before its first save cannot leave the old checkpoint beside this run's files).
  if (!o.resume) rmSync(join(o.out, CHECKPOINT_FILE), { force: true });
  const finishedBefore = state.epoch >= o.epochs;
  process.on("SIGINT", onSigint);
  try {
    await fit(model, (epoch) => run.remaining(epoch, [...trainLoader.batches(epoch)]), {
      optimizer: opt, loss: crossEntropy, epochs: o.epochs, initialEpoch: state.epoch, verbose: 0,
      callbacks: [run, new ProgressLogger({ log, bar: o.progress ? process.stderr : false, validationName: "test" })],
    });
    if (interrupted) {
      await save(state);
      log(`saved ${join(o.out, CHECKPOINT_FILE)} at epoch ${state.epoch + 1}, batch ${state.batch}; continue with --resume`);
    } else {
      // A resumed run that had nothing left to train (killed after its last checkpoint) completes its files.
      if (finishedBefore) await saveWeights(model, join(o.out, "last.safetensors"), { model: o.model, epoch: String(state.epoch), batch: String(state.batch) });
      const last = state.history[state.history.length - 1];
      const total = state.history.reduce((s, h) => s + h.seconds, 0);
      log(`done: test accuracy ${last ? (100 * last.val_accuracy).toFixed(2) : "-"}% (best ${(100 * state.bestValAccuracy).toFixed(2)}%), ` +
        `${total.toFixed(1)} s of training; weights, metrics.json/csv and curves.svg in ${o.out}`);
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
  return state;
}
