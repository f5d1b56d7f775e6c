import { loadBundledMnist, loadMnist, DataLoader, MNIST_MEAN, MNIST_STD, normalize } from "@tessera/data";
import { evaluate, loadWeights } from "@tessera/nn";
import { crossEntropy } from "@tessera/optim";
import { pickDevice } from "../devices.js";
import { zooEntry } from "../zoo.js";

/** `tessera eval --model NAME --weights FILE`: test loss and accuracy of saved weights. */
export async function evalCommand(o: { model: string; weights: string; dataDir?: string; device: string; threads?: number }, log: (l: string) => void): Promise<number> {
  const device = await pickDevice(o.device, o.threads);
  const model = zooEntry(o.model).make({ seed: 0, device });
  try {
    await loadWeights(model, o.weights);
    const { test } = o.dataDir ? await loadMnist({ dir: o.dataDir }) : await loadBundledMnist({ seed: 0 });
    const loader = new DataLoader(test, { batchSize: 500, transform: normalize(MNIST_MEAN, MNIST_STD) });
    const r = await evaluate(model, loader.batches(0), crossEntropy);
    log(`${o.model} (${o.weights}) on ${r.count} test images: loss ${r.loss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)}%`);
    return r.accuracy;
  } finally {
    model.dispose();
  }
}
