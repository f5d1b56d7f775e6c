/**
 * `pnpm bench train`: training throughput (images/s, one SGD step per batch: forward, backward,
 * update). LeNet-5 (default): Tessera on each available device beside TensorFlow.js 4.22
 * (tfjs-layers, the same network, trainOnBatch) on its cpu and wasm backends, in one run.
 * `--model resnet18` (ImageNet-size 3×224×224 input, or `--size 64`): Tessera's devices only —
 * the GPU check of the WebGPU issue ("ResNet-18 training step ≥ 20× the wasm device").
 * For both models PyTorch CPU (1 and 2 threads) is a row too when `--python` (default python3)
 * has torch and torchvision, with the same weights and batch; its first loss must equal Tessera's.
 * With `--model resnet18`, the profile of one step (forward per routine and layer, backward, SGD
 * step) on the wasm device, 1 and all threads, follows the table (`--no-profile` leaves it out).
 * Flags: --model lenet5|resnet18, --python python3, --batch 64, --size 224, --steps 20, --warmup-ms 2000, --device webgpu (adds the
 * WebGPU device), --systems a,b (filter by name), --no-profile.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scope, tensor, type Tensor } from "@tessera/autograd";
import { getDevice, type Device } from "@tessera/blas";
import { lenet5, resnet18 } from "@tessera/models";
import { crossEntropy, SGD } from "@tessera/optim";
import { Rng } from "@tessera/ndarray";
import { profile, stateDictToBytes } from "@tessera/nn";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";
import { runTorch, torchVersion } from "../infer/systems.js";
import { loadTf } from "../peers.js";

interface Trainer {
  name: string;
  prepare(batch: number): Promise<{ step: () => unknown; dispose(): void }>;
}

/** The network and its input shape (batch excluded). */
interface Workload {
  readonly name: string;
  readonly input: readonly number[];
  readonly classes: number;
  /** The model's name in bench/torch/bench_torch.py (PyTorch's rows). */
  readonly torch: "lenet5" | "resnet18";
  readonly make: (device: Device) => ReturnType<typeof lenet5> | ReturnType<typeof resnet18>;
}

const LENET: Workload = { name: "LeNet-5", input: [1, 28, 28], classes: 10, torch: "lenet5", make: (device) => lenet5({ seed: 0, device }) };

function workload(args: BenchArgs): Workload {
  const model = args.flags.model ?? "lenet5";
  if (model === "lenet5") return LENET;
  if (model === "resnet18") {
    const size = Number(args.flags.size ?? 224);
    return { name: `ResNet-18 ${size}×${size}`, input: [3, size, size], classes: 1000, torch: "resnet18", make: (device) => resnet18({ seed: 0, device }) };
  }
  throw new Error(`bench train: --model must be lenet5 or resnet18, got '${model}'`);
}

function batchData(batch: number, w: Workload): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(7);
  const x = new Float32Array(batch * w.input.reduce((a, b) => a * b, 1));
  rng.fillNormal(x, 0, 1);
  const y = Int32Array.from({ length: batch }, () => rng.integers(0, w.classes));
  return { x, y };
}

function tesseraTrainer(device: Device, label: string, w: Workload): Trainer {
  return {
    name: label,
    async prepare(batch) {
      const model = w.make(device);
      const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
      const { x, y } = batchData(batch, w);
      const xt = tensor(x, { shape: [batch, ...w.input], device });
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
      const { x, y } = batchData(batch, LENET);
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
  const w = workload(args);
  const batch = Number(args.flags.batch ?? (w.name === "LeNet-5" ? 64 : 16));
  const steps = Number(args.flags.steps ?? 20);
  const warmupMs = Number(args.flags["warmup-ms"] ?? 2000);
  const notes: string[] = [];
  const trainers: Trainer[] = w.name === "LeNet-5" || args.flags.js === "true" ? [tesseraTrainer(getDevice("js"), "tessera js", w)] : [];
  // Backends register themselves when their package is present (bench-only dependencies).
  for (const [pkg, factory, label] of [["@tessera/blas-wasm", "wasmDevice", "wasm"], ["@tessera/blas-webgpu", "webgpuDevice", "webgpu"]] as const) {
    try {
      const mod = await import(pkg);
      if (label === "wasm") {
        trainers.push(tesseraTrainer(await mod[factory]({ threads: 1, register: false }), "tessera wasm 1 thread", w));
        const all = await mod[factory]({ register: false });
        trainers.push(tesseraTrainer(all, `tessera wasm ${(all as { threads?: number }).threads ?? "all"} threads`, w));
      } else if (args.flags.device === "webgpu") {
        const d = await mod[factory]({ register: false });
        const info = (d as { info?: { adapter: string; backend: string } }).info;
        trainers.push(tesseraTrainer(d, `tessera webgpu (${info?.adapter ?? "adapter"}, ${info?.backend ?? "?"})`, w));
      }
    } catch (e) {
      notes.push(`${label}: not measured (${(e as Error).message.split("\n")[0]})`);
    }
  }
  if (w.name === "LeNet-5") trainers.push(await tfTrainer("wasm"), await tfTrainer("cpu"));
  const selected = args.flags.systems ? trainers.filter((t) => args.flags.systems.split(",").some((w) => t.name.includes(w))) : trainers;
  const rows: BenchRow[] = [];
  for (const t of selected) {
    let ms: number;
    try {
      const p = await t.prepare(batch);
      // 2 warm-up steps, then more for up to --warmup-ms (default 2000): the wasm kernels reach
      // V8's optimized code only after hundreds of calls (a whole training run is far past that).
      ms = await measure(p.step, { warmup: 2, warmupMs: warmupMs, minRuns: steps, maxRuns: steps, minTimeMs: 0 });
      p.dispose();
    } catch (e) {
      const why = (e as Error).message.split("\n")[0];
      notes.push(`${t.name} cannot train ${w.name}: ${why}`);
      log(`${t.name.padEnd(36)} cannot train: ${why}`);
      continue;
    }
    rows.push({ case: `${w.name} training step, batch ${batch}`, system: t.name, ms, value: (batch * 1000) / ms });
    log(`${t.name.padEnd(36)} ${ms.toFixed(1).padStart(8)} ms/step ${((batch * 1000) / ms).toFixed(0).padStart(7)} images/s`);
  }
  await torchRows(args, w, batch, steps, rows, notes, log);
  if (w.torch === "resnet18" && args.flags["no-profile"] === undefined) await profileStep(w, batch, log);
  notes.push(`One step = forward + backward + SGD(momentum 0.9) update on a fixed batch; median of ${steps} timed steps after 2 warm-up steps and up to ${warmupMs} ms more of them.`);
  notes.push("tfjs-layers trains with trainOnBatch; a backend without a kernel that training needs is listed above as unable to train.");
  return { title: `${w.name} training throughput`, unit: "images/s", rows, notes };
}

/**
 * Where one training step's time goes on the wasm device (1 and all threads): `profile()` of the
 * forward pass (per routine and per layer), the backward pass and the optimizer step, taken
 * separately after 2 plain steps.
 */
async function profileStep(w: Workload, batch: number, log: (l: string) => void): Promise<void> {
  const { wasmDevice } = await import("@tessera/blas-wasm");
  for (const threads of [1, undefined]) {
    const device: Device = await wasmDevice({ threads, register: false });
    const model = w.make(device);
    const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const { x, y } = batchData(batch, w);
    const xt = tensor(x, { shape: [batch, ...w.input], device });
    const plain = () => scope(() => {
      opt.zeroGrad();
      const l = crossEntropy(model.forward(xt), y);
      l.backward();
      opt.step();
      return l.dataSync()[0];
    });
    plain();
    plain();
    const label = `wasm, ${(device as { threads?: number }).threads ?? "?"} thread(s)`;
    await scope(async (s) => {
      s.run(() => opt.zeroGrad());
      let out: Tensor | undefined;
      const fwd = await profile(() => { out = s.run(() => model.forward(xt)); }, { model });
      const loss = s.run(() => crossEntropy(out!, y));
      const bwd = await profile(() => s.run(() => loss.backward()), { devices: [device] });
      const upd = await profile(() => s.run(() => opt.step()), { devices: [device] });
      for (const [phase, p, depth] of [["forward", fwd, 1], ["backward", bwd, 0], ["SGD step", upd, 0]] as const) {
        log(`\n  profile of one ${w.name} training step, batch ${batch}, ${label}: ${phase}, ${p.totalMs.toFixed(1)} ms\n`);
        log(p.table({ maxDepth: depth }).split("\n").map((l) => `    ${l}`).join("\n"));
      }
    });
    xt.dispose();
    model.dispose();
    (device as { dispose?: () => void }).dispose?.();
  }
}

/** Largest relative difference between PyTorch's and Tessera's first loss for PyTorch's row to count. */
const MAX_LOSS_REL_ERR = 1e-3;

/** PyTorch CPU's rows (1 and 2 threads): the same network, weights (safetensors) and batch. */
async function torchRows(args: BenchArgs, w: Workload, batch: number, steps: number, rows: BenchRow[], notes: string[], log: (l: string) => void): Promise<void> {
  const python = args.flags.python ?? "python3";
  const tv = torchVersion(python);
  if (!tv.ok) {
    notes.push(`PyTorch CPU: absent (${python} has no torch/torchvision: ${tv.why.slice(0, 120)}); bench/README.md shows the venv.`);
    log(`${"PyTorch CPU".padEnd(36)} absent`);
    return;
  }
  const { wasmDevice } = await import("@tessera/blas-wasm");
  const device: Device = await wasmDevice({ register: false });
  const model = w.make(device);
  const { x, y } = batchData(batch, w);
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-train-"));
  try {
    writeFileSync(join(dir, "weights.safetensors"), await stateDictToBytes(model));
    // Tessera's loss on the same weights and batch (training mode: batch statistics), before any step.
    const loss0 = scope(() => crossEntropy(model.forward(tensor(x, { shape: [batch, ...w.input], device })), y).dataSync()[0]);
    writeFileSync(join(dir, "x.bin"), new Uint8Array(x.buffer));
    writeFileSync(join(dir, "y.bin"), new Uint8Array(y.buffer));
    for (const threads of [1, 2]) {
      const system = `PyTorch ${tv.version} CPU ${threads} thread${threads > 1 ? "s" : ""}`;
      const r = runTorch(python, dir, {
        mode: "train", model: w.torch, classes: w.classes, weights: join(dir, "weights.safetensors"), input: join(dir, "x.bin"), labels: join(dir, "y.bin"),
        shape: [batch, ...w.input], threads, output: join(dir, "unused.bin"), warmup: 2, runs: steps,
      }, 3_600_000);
      if (!r.ok) {
        notes.push(`${system}: ${r.why}`);
        log(`${system.padEnd(36)} ${r.why}`);
        continue;
      }
      const err = Math.abs((r.loss0 ?? NaN) - loss0) / Math.abs(loss0);
      if (!(err <= MAX_LOSS_REL_ERR)) {
        notes.push(`${system}: its first loss ${r.loss0} differs from Tessera's ${loss0} (relative ${err.toExponential(1)}): not reported`);
        log(`${system.padEnd(36)} first loss ${r.loss0} vs Tessera's ${loss0}: WRONG, no row`);
        continue;
      }
      rows.push({ case: `${w.name} training step, batch ${batch}`, system, ms: r.ms, value: (batch * 1000) / r.ms });
      log(`${system.padEnd(36)} ${r.ms.toFixed(1).padStart(8)} ms/step ${((batch * 1000) / r.ms).toFixed(0).padStart(7)} images/s (first loss ${r.loss0}, Tessera's ${loss0}: relative difference ${err.toExponential(1)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
}
