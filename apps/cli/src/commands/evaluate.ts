import { DataLoader } from "@tessera/data";
import { evaluate } from "@tessera/nn";
import { crossEntropy } from "@tessera/optim";
import { checkModelData, dataSpec, loadData } from "../datasets.js";
import { pickDevice } from "../devices.js";
import { loadModelFromWeights } from "../weights-file.js";
import { CliError, zooEntry } from "../zoo.js";

/**
 * `tessera eval --weights FILE [--model NAME] [--data NAME --data-dir DIR]`: test loss and
 * accuracy of saved weights. The data set is `--data`, else the one the file names, else MNIST;
 * naming another one than the file's is an error (the weights were trained for its images and classes).
 */
export async function evalCommand(o: { model?: string; weights: string; data?: string; dataDir?: string; device: string; threads?: number }, log: (l: string) => void): Promise<number> {
  const device = await pickDevice(o.device, o.threads);
  let data = "mnist";
  const { name, model } = await loadModelFromWeights(o.weights, o.model, (n, trained) => {
    if (o.data !== undefined && trained !== undefined && o.data !== trained) throw new CliError(`--weights ${o.weights} was trained on ${trained}, not ${o.data} (leave out --data to use ${trained})`);
    data = o.data ?? trained ?? "mnist";
    checkModelData(n, data);
    return zooEntry(n).make({ seed: 0, device, numClasses: dataSpec(data).classes });
  });
  try {
    const sets = await loadData(data, o.dataDir);
    if (sets.test.length === 0) throw new CliError(`${sets.where}: no test images`);
    const loader = new DataLoader(sets.test, { batchSize: 500, transform: sets.normalize });
    const r = await evaluate(model, loader.batches(0), crossEntropy);
    log(`${name} (${o.weights}) on ${r.count} test images: loss ${r.loss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)}%`);
    return r.accuracy;
  } finally {
    model.dispose();
  }
}
