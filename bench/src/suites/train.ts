/**
 * `pnpm bench train`: LeNet-5 training throughput (images/s, batch 64, one SGD step per batch:
 * forward, backward, update) — Tessera on each available device beside TensorFlow.js 4.22
 * (tfjs-layers, the same network, trainOnBatch) on its cpu and wasm backends, in one run.
 * Flags: --batch 64, --steps 20 (timed steps per system), --systems a,b (filter).
 */
import { createRequire } from "node:module";
import { scope, tensor } from "@tessera/autograd";
import { getDevice, type Device } from "@tessera/blas";
import { lenet5 } from "@tessera/models";
import { crossEntropy, SGD } from "@tessera/optim";
import { Rng } from "@tessera/ndarray";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";
import { loadTf } from "../peers.js";

interface Trainer {
  name: string;
  prepare(batch: number): Promise<{ step: () => unknown; dispose(): void }>;
}

function batchData(batch: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(7);
  const x = new Float32Array(batch * 784);
  rng.fillNormal(x, 0, 1);
  const y = Int32Array.from({ length: batch }, () => rng.integers(0, 10));
  return { x, y };
}

function tesseraTrainer(device: Device, label: string): Trainer {
  return {
    name: label,
    async prepare(batch) {
      const model = lenet5({ seed: 0, device });
      const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
      const { x, y } = batchData(batch);
      const xt = tensor(x, { shape: [batch, 1, 28, 28], device });
      return {
        step: async () => {
          const loss = scope(() => {
            opt.zeroGrad();
            const l = crossEntropy(model.forward(xt), y);
            l.backward();
            opt.step();
            return l;
          });
          await loss.data(); // waits for the device (GPU) to finish the step
          loss.dispose();
        },
        dispose: () => {
          xt.dispose();
          model.dispose();
        },
      };
    },
  };
}

async function tfTrainer(backend: "cpu" | "wasm"): Promise<Trainer> {
  const require = createRequire(import.meta.url);
  return {
    name: `tfjs-${backend} 4.22.0 (layers)`,
    async prepare(batch) {
      const tf = await loadTf(backend);
      const tfl = require("@tensorflow/tfjs-layers") as typeof import("@tensorflow/tfjs-layers");
      const m = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: "same", activation: "relu" }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 120, activation: "relu" }),
          tfl.layers.dense({ units: 84, activation: "relu" }),
          tfl.layers.dense({ units: 10 }),
        ],
      });
      m.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: (yt: import("@tensorflow/tfjs-core").Tensor, yp: import("@tensorflow/tfjs-core").Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
      const { x, y } = batchData(batch);
      const xs = tf.tensor4d(x, [batch, 28, 28, 1]);
      const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
      return {
        step: async () => {
          await m.trainOnBatch(xs, ys);
        },
        dispose: () => {
          xs.dispose();
          ys.dispose();
          m.dispose();
        },
      };
    },
  };
}

export default async function train(args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const batch = Number(args.flags.batch ?? 64);
  const steps = Number(args.flags.steps ?? 20);
  const notes: string[] = [];
  const trainers: Trainer[] = [tesseraTrainer(getDevice("js"), "tessera js")];
  // Backends register themselves when their package is present (bench-only dependencies).
  for (const [pkg, factory, label] of [["@tessera/blas-wasm", "wasmDevice", "wasm"], ["@tessera/blas-webgpu", "webgpuDevice", "webgpu"]] as const) {
    try {
      const mod = await import(pkg);
      if (label === "wasm") {
        trainers.push(tesseraTrainer(await mod[factory]({ threads: 1 }), "tessera wasm 1 thread"));
        const all = await mod[factory]({});
        trainers.push(tesseraTrainer(all, `tessera wasm ${(all as { threads?: number }).threads ?? "all"} threads`));
      } else if (args.flags.device === "webgpu") {
        const d = await mod[factory]();
        trainers.push(tesseraTrainer(d, `tessera webgpu (${(d as { adapterName?: string }).adapterName ?? "adapter"})`));
      }
    } catch (e) {
      notes.push(`${label}: not measured (${(e as Error).message.split("\n")[0]})`);
    }
  }
  trainers.push(await tfTrainer("wasm"), await tfTrainer("cpu"));
  const selected = args.flags.systems ? trainers.filter((t) => args.flags.systems.split(",").some((w) => t.name.includes(w))) : trainers;
  const rows: BenchRow[] = [];
  for (const t of selected) {
    let ms: number;
    try {
      const p = await t.prepare(batch);
      ms = await measure(p.step, { warmup: 2, minRuns: steps, maxRuns: steps, minTimeMs: 0 });
      p.dispose();
    } catch (e) {
      const why = (e as Error).message.split("\n")[0];
      notes.push(`${t.name} cannot train LeNet-5: ${why}`);
      log(`${t.name.padEnd(36)} cannot train: ${why}`);
      continue;
    }
    rows.push({ case: `LeNet-5 training step, batch ${batch}`, system: t.name, ms, value: (batch * 1000) / ms });
    log(`${t.name.padEnd(36)} ${ms.toFixed(1).padStart(8)} ms/step ${((batch * 1000) / ms).toFixed(0).padStart(7)} images/s`);
  }
  notes.push("One step = forward + backward + SGD(momentum 0.9) update on a fixed batch; median of the timed steps after 2 warm-up steps.");
  notes.push("tfjs-layers trains with trainOnBatch; a backend without a kernel that training needs is listed above as unable to train.");
  return { title: "LeNet-5 training throughput", unit: "images/s", rows, notes };
}
