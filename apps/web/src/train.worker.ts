/// <reference lib="webworker" />
/**
 * The training worker: loads the bundled MNIST digits, trains the chosen net on the chosen device
 * and reports every step, so the page never freezes. Pausing holds the loop between two steps.
 */
import { scope, tensor } from "@tessera/autograd";
import { DataLoader, loadBundledMnist, MNIST_MEAN, MNIST_STD, normalize } from "@tessera/data";
import { countCorrect, evaluate, stateDictToBytes } from "@tessera/nn";
import { Adam, crossEntropy } from "@tessera/optim";
import mnistUrl from "@tessera/data/assets/mnist-10k.bin.gz?url";
import { createDevice, yieldToEvents } from "./devices.js";
import { isIsolated } from "./dom.js";
import { MNIST_MODELS } from "./models.js";
import { checkTrainRequest } from "./train-request.js";
import { saveLatest } from "./weights-store.js";
import type { TrainReport, TrainRequest } from "./protocol.js";

const post = (m: TrainReport, transfer: Transferable[] = []) => (self as DedicatedWorkerGlobalScope).postMessage(m, transfer);

let paused = false;
let wake: (() => void) | undefined;
let running = false;

async function train(req: Extract<TrainRequest, { type: "start" }>): Promise<void> {
  const { train: all, test } = await loadBundledMnist({ url: new URL(mnistUrl, self.location.href), seed: 0 });
  checkTrainRequest(req, all.length);
  const { device, label, threads } = await createDevice(req.device, req.threads);
  const trainSet = req.trainSize === all.length ? all : all.subset(Array.from({ length: req.trainSize }, (_, i) => i));
  const transform = normalize(MNIST_MEAN, MNIST_STD);
  const loader = new DataLoader(trainSet, { batchSize: req.batchSize, shuffle: true, seed: req.seed, transform });
  const testLoader = new DataLoader(test, { batchSize: 500, transform });
  const batchesPerEpoch = Math.ceil(trainSet.length / req.batchSize);
  post({ type: "ready", device: label, threads, isolated: isIsolated(), trainSize: trainSet.length, testSize: test.length, batchesPerEpoch });

  const net = MNIST_MODELS[req.model].make({ seed: req.seed, device });
  const opt = new Adam(net.parameters(), { lr: req.lr });
  const host = async (t: { dataSync(): unknown; data(): Promise<unknown> }) => (device.readSync ? t.dataSync() : await t.data()) as Float32Array;
  let step = 0;
  let images = 0;
  let busyMs = 0;
  let testAccuracy = NaN;
  for (let epoch = 0; epoch < req.epochs; epoch++) {
    net.train();
    let batch = 0;
    for (const { x, y } of loader) {
      if (paused) await new Promise<void>((r) => (wake = r));
      const t0 = performance.now();
      const [loss, right] = await scope(async () => {
        opt.zeroGrad();
        const logits = net.forward(tensor(x, { device }));
        const l = crossEntropy(logits, y);
        l.backward();
        opt.step();
        return [(await host(l))[0], countCorrect(await host(logits), y)] as const;
      });
      busyMs += performance.now() - t0;
      images += y.length;
      step++;
      batch++;
      post({ type: "step", step, epoch, batch, loss, accuracy: right / y.length, imagesPerSecond: (1000 * images) / busyMs });
      await yieldToEvents();
    }
    const v = await evaluate(net, testLoader, crossEntropy);
    testAccuracy = v.accuracy;
    post({ type: "epoch", epoch, step, testLoss: v.loss, testAccuracy });
  }
  const metadata = { model: req.model, seed: String(req.seed), epochs: String(req.epochs), test_accuracy: testAccuracy.toFixed(4) };
  // saved in IndexedDB before "done", so the drawing page finds it as soon as the page says so
  await saveLatest(net, req.model, metadata);
  const weights = await stateDictToBytes(net, metadata);
  post({ type: "done", model: req.model, weights, testAccuracy, imagesPerSecond: (1000 * images) / busyMs, threads, device: label }, [weights.buffer]);
}

self.onmessage = (e: MessageEvent<TrainRequest>) => {
  const m = e.data;
  if (m.type === "pause" || m.type === "resume") {
    paused = m.type === "pause";
    if (!paused) {
      wake?.();
      wake = undefined;
    }
    post({ type: "paused", paused });
  } else if (m.type === "start") {
    if (running) {
      post({ type: "error", message: "train worker: a run is already in progress" });
      return;
    }
    running = true;
    paused = false;
    train(m)
      .catch((err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) }))
      .finally(() => (running = false));
  } else {
    post({ type: "error", message: `train worker: unknown message ${JSON.stringify(m)}` });
  }
};
