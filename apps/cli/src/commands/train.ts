import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { scope, tensor } from "@tessera/autograd";
import { compose, DataLoader, loadBundledMnist, loadMnist, MNIST_MEAN, MNIST_STD, normalize, randomCrop } from "@tessera/data";
import { countCorrect, evaluate, loadWeights, saveWeights, writeFileAtomic, type Module } from "@tessera/nn";
import { Adam, crossEntropy, SGD, type Optimizer, type OptimizerStateDict } from "@tessera/optim";
import { curvesSvg } from "../chart.js";
import { pickDevice } from "../devices.js";
import { epochProgress } from "../progress.js";
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

/** One finished epoch in metrics.json / metrics.csv. */
interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  seconds: number;
  images_per_second: number;
}

/** The run's resumable state (state.json). */
interface RunState {
  options: TrainOptions;
  /** Next epoch to run (0-based) and the batches of it already done. */
  epoch: number;
  batch: number;
  history: EpochLog[];
  bestValAccuracy: number;
}

async function datasets(o: TrainOptions) {
  if (o.data !== "mnist") throw new CliError(`unknown data set '${o.data}' (data sets: mnist)`);
  return o.dataDir ? loadMnist({ dir: o.dataDir }) : loadBundledMnist({ seed: 0 });
}

function makeOptimizer(o: TrainOptions, model: Module): Optimizer<{ lr: number }> {
  if (o.optimizer === "sgd") return new SGD(model.parameters(), { lr: o.lr ?? 0.05, momentum: 0.9, nesterov: true });
  if (o.optimizer === "adam") return new Adam(model.parameters(), { lr: o.lr ?? 2e-3 });
  throw new CliError(`unknown optimizer '${o.optimizer}' (optimizers: sgd, adam)`);
}

/** Writes last.safetensors, optimizer.json and state.json (each atomically; state last). */
async function checkpoint(dir: string, model: Module, opt: Optimizer<{ lr: number }>, state: RunState): Promise<void> {
  await saveWeights(model, join(dir, "last.safetensors"), { epoch: String(state.epoch), batch: String(state.batch) });
  await writeFileAtomic(join(dir, "optimizer.json"), JSON.stringify(await opt.stateDict()));
  await writeFileAtomic(join(dir, "state.json"), `${JSON.stringify(state, null, 2)}\n`);
}

async function writeMetrics(dir: string, o: TrainOptions, history: EpochLog[]): Promise<void> {
  await writeFileAtomic(join(dir, "metrics.json"), `${JSON.stringify(history, null, 2)}\n`);
  const cols = ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "images_per_second"] as const;
  await writeFileAtomic(join(dir, "metrics.csv"), [cols.join(","), ...history.map((h) => cols.map((c) => h[c]).join(","))].join("\n") + "\n");
  await writeFileAtomic(join(dir, "curves.svg"), curvesSvg(`${o.model} on ${o.data}, ${o.optimizer}, batch ${o.batchSize}, device ${o.device}`,
    [{ name: "train loss", values: history.map((h) => h.loss), color: "#4e79a7" }, { name: "test loss", values: history.map((h) => h.val_loss), color: "#e15759" }],
    [{ name: "train accuracy", values: history.map((h) => h.accuracy), color: "#4e79a7" }, { name: "test accuracy", values: history.map((h) => h.val_accuracy), color: "#e15759" }]));
}

/** `tessera train`: trains, validates each epoch, checkpoints, and writes metrics and curves. */
export async function train(o: TrainOptions, log: (l: string) => void): Promise<RunState> {
  const device = await pickDevice(o.device, o.threads);
  mkdirSync(o.out, { recursive: true });
  let state: RunState = { options: o, epoch: 0, batch: 0, history: [], bestValAccuracy: -1 };
  const entry = zooEntry(o.model);
  const model = entry.make({ seed: o.seed, device });
  const opt = makeOptimizer(o, model);
  if (o.resume) {
    const statePath = join(o.out, "state.json");
    if (!existsSync(statePath)) throw new CliError(`--resume: no state.json in ${o.out}`);
    state = JSON.parse(await readFile(statePath, "utf8"));
    if (state.options.model !== o.model) throw new CliError(`--resume: ${o.out} holds a ${state.options.model} run, not ${o.model}`);
    await loadWeights(model, join(o.out, "last.safetensors"));
    opt.loadStateDict(JSON.parse(await readFile(join(o.out, "optimizer.json"), "utf8")) as OptimizerStateDict);
    state.options = { ...o };
    log(`resuming ${o.out} at epoch ${state.epoch + 1}, batch ${state.batch}`);
  }
  const sets = await datasets(o);
  const trainSet = o.limit ? sets.train.subset(Int32Array.from({ length: Math.min(o.limit, sets.train.length) }, (_, i) => i)) : sets.train;
  const testSet = sets.test;
  const transform = normalize(MNIST_MEAN, MNIST_STD);
  const augment = o.shift > 0 ? compose(randomCrop(28, o.shift), transform) : transform;
  const trainLoader = new DataLoader(trainSet, { batchSize: o.batchSize, shuffle: true, seed: o.seed, transform: augment });
  const testLoader = new DataLoader(testSet, { batchSize: 500, transform });
  const perEpoch = trainLoader.length;
  const baseLr = opt.paramGroups[0].lr;
  /** Cosine annealing per batch, in closed form so a resumed run continues the same curve. */
  const setLr = (epoch: number, batch: number) => {
    if (o.schedule === "constant") return;
    const t = (epoch * perEpoch + batch) / Math.max(1, o.epochs * perEpoch);
    for (const g of opt.paramGroups) g.lr = 0.5 * baseLr * (1 + Math.cos(Math.PI * Math.min(1, t)));
  };
  log(`${o.model}: ${model.numParameters().toLocaleString("en-US")} parameters; ${trainSet.length} training and ${testSet.length} test images; device ${device.name}`);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log("\ninterrupted: finishing this batch and saving a checkpoint (Ctrl-C again to quit at once)");
  };
  process.on("SIGINT", onSigint);
  try {
    for (; state.epoch < o.epochs && !interrupted; state.epoch++, state.batch = 0) {
      model.train();
      const batches = [...trainLoader.batches(state.epoch)];
      const bar = epochProgress(state.epoch + 1, o.epochs, batches.length, o.progress);
      const t0 = performance.now();
      let lossSum = 0;
      let right = 0;
      let seen = 0;
      for (let b = state.batch; b < batches.length && !interrupted; b++) {
        const { x, y } = batches[b];
        setLr(state.epoch, b);
        const [loss, ok] = scope(() => {
          opt.zeroGrad();
          const logits = model.forward(tensor(x, { device }));
          const l = crossEntropy(logits, y);
          l.backward();
          opt.step();
          return [l.dataSync()[0], countCorrect(logits.dataSync(), y)] as const;
        });
        if (!Number.isFinite(loss)) throw new CliError(`the loss became ${loss} at epoch ${state.epoch + 1}, batch ${b + 1}: lower --lr`);
        lossSum += loss * y.length;
        right += ok;
        seen += y.length;
        state.batch = b + 1;
        bar.update(b + 1, { loss: lossSum / seen, acc: right / seen, ips: seen / ((performance.now() - t0) / 1e3) });
      }
      bar.stop();
      if (interrupted) break;
      const seconds = (performance.now() - t0) / 1e3;
      const v = await evaluate(model, testLoader.batches(0), crossEntropy);
      const entryLog: EpochLog = { epoch: state.epoch + 1, loss: lossSum / seen, accuracy: right / seen, val_loss: v.loss, val_accuracy: v.accuracy, seconds, images_per_second: seen / seconds };
      state.history.push(entryLog);
      log(`epoch ${entryLog.epoch}/${o.epochs}: loss ${entryLog.loss.toFixed(4)}, accuracy ${(100 * entryLog.accuracy).toFixed(2)}%, ` +
        `test loss ${v.loss.toFixed(4)}, test accuracy ${(100 * v.accuracy).toFixed(2)}%, ${seconds.toFixed(1)} s, ${entryLog.images_per_second.toFixed(0)} images/s`);
      if (v.accuracy > state.bestValAccuracy) {
        state.bestValAccuracy = v.accuracy;
        await saveWeights(model, join(o.out, "best.safetensors"), { epoch: String(entryLog.epoch), val_accuracy: String(v.accuracy) });
      }
      await writeMetrics(o.out, o, state.history);
      await checkpoint(o.out, model, opt, { ...state, epoch: state.epoch + 1, batch: 0 });
    }
    if (interrupted) {
      await checkpoint(o.out, model, opt, state);
      log(`saved ${join(o.out, "last.safetensors")} at epoch ${state.epoch + 1}, batch ${state.batch}; continue with --resume`);
    } else {
      const last = state.history[state.history.length - 1];
      const total = state.history.reduce((s, h) => s + h.seconds, 0);
      log(`done: test accuracy ${last ? (100 * last.val_accuracy).toFixed(2) : "-"}% (best ${(100 * state.bestValAccuracy).toFixed(2)}%), ` +
        `${total.toFixed(1)} s of training; weights, metrics.json/csv and curves.svg in ${o.out}`);
    }
  } finally {
    process.off("SIGINT", onSigint);
    model.dispose();
  }
  return state;
}
