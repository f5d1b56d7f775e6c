/**
 * The benchmarks of page 4, run inside a worker: sgemm n³ GFLOP/s and LeNet-5 training steps
 * (batch 64, Adam) on a Tessera device, and the same on TensorFlow.js's wasm backend (loaded on
 * demand, never part of the main bundle). Each measurement repeats until it has run long enough
 * to be read (at least `MIN_MS` and `MIN_REPS`).
 */
import { scope, tensor } from "@tessera/autograd";
import { lenet5 } from "@tessera/models";
import { Rng } from "@tessera/ndarray";
import { Adam, crossEntropy } from "@tessera/optim";
import { createDevice } from "./devices.js";
import type { DeviceChoice } from "./protocol.js";
import type { BenchResult } from "./tools-protocol.js";

const MIN_MS = 400;
const MIN_REPS = 3;
const BATCH = 64;

/** Mean milliseconds per call of `f` after one warm-up call. */
async function timePerCall(f: () => Promise<void> | void): Promise<number> {
  await f();
  let reps = 0;
  const t0 = performance.now();
  while (reps < MIN_REPS || performance.now() - t0 < MIN_MS) {
    await f();
    reps++;
  }
  return (performance.now() - t0) / reps;
}

function randomBatch(): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(0);
  const x = Float32Array.from({ length: BATCH * 784 }, () => rng.normal());
  const y = Int32Array.from({ length: BATCH }, (_, i) => i % 10);
  return { x, y };
}

/** Benchmarks one Tessera device. */
export async function benchDevice(choice: DeviceChoice, threads: number, n: number): Promise<BenchResult> {
  const { device, label } = await createDevice(choice, threads);
  const rng = new Rng(1);
  const a = device.alloc(n * n), b = device.alloc(n * n), c = device.alloc(n * n);
  device.write(a, Float32Array.from({ length: n * n }, () => rng.uniform()));
  device.write(b, Float32Array.from({ length: n * n }, () => rng.uniform()));
  const sync = async () => {
    if (!device.readSync) await device.read(c);
  };
  const ms = await timePerCall(async () => {
    device.sgemm("no-transpose", "no-transpose", n, n, n, 1, a, n, 1, 0, b, n, 1, 0, 0, c, n, 1, 0);
    await sync();
  });
  const gflops = (2 * n ** 3) / (ms * 1e6);

  const net = lenet5({ seed: 0, device });
  net.train();
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const { x, y } = randomBatch();
  const stepMs = await timePerCall(() => scope(async () => {
    opt.zeroGrad();
    const l = crossEntropy(net.forward(tensor(x, { shape: [BATCH, 1, 28, 28], device })), y);
    l.backward();
    opt.step();
    await l.data();
  }));
  return { engine: `Tessera ${label}`, gflops, trainImagesPerSecond: (1000 * BATCH) / stepMs };
}

/** Benchmarks TensorFlow.js's wasm backend (its default thread count). */
export async function benchTfjs(n: number): Promise<BenchResult> {
  // one after the other: the backend and the gradients (registered by the tfjs union package,
  // not by tfjs-core alone) expect tfjs-core's flags to be registered first
  const tf = await import("@tensorflow/tfjs-core");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
  const { tfjsWasmPaths } = await import("./tfjs-assets.js");
  wasm.setWasmPaths(tfjsWasmPaths(self.location.href));
  // tfjs's threaded build starts its pthreads in a way a module worker does not support; its
  // single-threaded SIMD build is compared (as the Node benchmark does, where it has one thread).
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  if (!(await tf.setBackend("wasm"))) throw new Error("benchTfjs: TensorFlow.js's wasm backend did not initialise");
  await tf.ready();
  const rng = new Rng(1);
  const a = tf.tensor2d(Float32Array.from({ length: n * n }, () => rng.uniform()), [n, n]);
  const b = tf.tensor2d(Float32Array.from({ length: n * n }, () => rng.uniform()), [n, n]);
  const ms = await timePerCall(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  });
  const gflops = (2 * n ** 3) / (ms * 1e6);
  // LeNet-5 written with tfjs-core ops; the wasm backend lacks some gradients (Conv2DBackpropFilter
  // in 4.22), which is reported rather than hidden.
  const r = new Rng(0);
  const v = (shape: number[], fanIn: number) => tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((p, q) => p * q) }, () => r.normal() / Math.sqrt(fanIn)), shape));
  const w = [v([5, 5, 1, 6], 25), v([5, 5, 6, 16], 150), v([400, 120], 400), v([120, 84], 120), v([84, 10], 84)];
  const { x, y } = randomBatch();
  const xs = tf.tensor4d(x, [BATCH, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    let h = tf.maxPool(tf.relu(tf.conv2d(xs, w[0] as never, 1, "same")), 2, 2, "valid");
    h = tf.maxPool(tf.relu(tf.conv2d(h, w[1] as never, 1, "valid")), 2, 2, "valid");
    let f = tf.reshape(h, [BATCH, 400]) as ReturnType<typeof tf.matMul>;
    f = tf.relu(tf.matMul(f, w[2]));
    f = tf.relu(tf.matMul(f, w[3]));
    return tf.losses.softmaxCrossEntropy(ys, tf.matMul(f, w[4])) as ReturnType<typeof tf.scalar>;
  };
  let trainImagesPerSecond = NaN;
  let note: string | undefined;
  try {
    const stepMs = await timePerCall(() => {
      const l = opt.minimize(loss, true);
      l?.dataSync();
      l?.dispose();
    });
    trainImagesPerSecond = (1000 * BATCH) / stepMs;
  } catch (e) {
    note = `LeNet-5 training: ${(e as Error).message}`;
  }
  return { engine: `TensorFlow.js ${tf.version_core} wasm (1 thread)`, gflops, trainImagesPerSecond, note };
}
