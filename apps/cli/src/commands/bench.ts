import { scope, tensor } from "@tessera/autograd";
import { lenet5 } from "@tessera/models";
import { Rng } from "@tessera/ndarray";
import { crossEntropy, SGD } from "@tessera/optim";
import { pickDevice } from "../devices.js";

/**
 * `tessera bench`: LeNet-5 training steps per second on this machine (batch 64 by default), for a
 * quick look at a device. The full comparison with TensorFlow.js is `pnpm bench train`.
 */
export async function benchCommand(o: { device: string; threads?: number; batchSize: number; steps: number }, log: (l: string) => void): Promise<number> {
  const device = await pickDevice(o.device, o.threads);
  const model = lenet5({ seed: 0, device });
  const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const rng = new Rng(1);
  const x = new Float32Array(o.batchSize * 784);
  rng.fillNormal(x, 0, 1);
  const y = Int32Array.from({ length: o.batchSize }, () => rng.integers(0, 10));
  const xt = tensor(x, { shape: [o.batchSize, 1, 28, 28], device });
  const step = async () => {
    const l = scope(() => {
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(xt), y);
      loss.backward();
      opt.step();
      return loss;
    });
    await l.data();
    l.dispose();
  };
  try {
    for (let i = 0; i < 3; i++) await step();
    const times: number[] = [];
    for (let i = 0; i < o.steps; i++) {
      const t0 = performance.now();
      await step();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const ms = times[times.length >> 1];
    const ips = (o.batchSize * 1000) / ms;
    log(`LeNet-5 training on '${device.name}', batch ${o.batchSize}: ${ms.toFixed(1)} ms per step (median of ${o.steps}), ${ips.toFixed(0)} images/s`);
    return ips;
  } finally {
    xt.dispose();
    model.dispose();
  }
}
