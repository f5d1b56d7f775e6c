import { loadBundledMnist, loadMnist, DataLoader, MNIST_MEAN, MNIST_STD, normalize } from "@tessera/data";
import { evaluate } from "@tessera/nn";
import { crossEntropy } from "@tessera/optim";
import { pickDevice } from "../devices.js";
import { checkDataDir, loadModelFromWeights } from "../weights-file.js";
import { CliError, zooEntry } from "../zoo.js";

/** `tessera eval --weights FILE [--model NAME]`: test loss and accuracy of saved weights. */
export async function evalCommand(o: { model?: string; weights: string; dataDir?: string; device: string; threads?: number }, log: (l: string) => void): Promise<number> {
  const device = await pickDevice(o.device, o.threads);
  const { name, model } = await loadModelFromWeights(o.weights, o.model, (n) => zooEntry(n).make({ seed: 0, device }));
  try {
    let test;
    checkDataDir(o.dataDir);
    try {
      test = (o.dataDir ? await loadMnist({ dir: o.dataDir }) : await loadBundledMnist({ seed: 0 })).test;
    } catch (e) {
      throw new CliError(`--data-dir ${o.dataDir}: ${(e as Error).message}`);
    }
    if (test.length === 0) throw new CliError(`--data-dir ${o.dataDir}: no test images`);
    const loader = new DataLoader(test, { batchSize: 500, transform: normalize(MNIST_MEAN, MNIST_STD) });
    const r = await evaluate(model, loader.batches(0), crossEntropy);
    log(`${name} (${o.weights}) on ${r.count} test images: loss ${r.loss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)}%`);
    return r.accuracy;
  } finally {
    model.dispose();
  }
}
