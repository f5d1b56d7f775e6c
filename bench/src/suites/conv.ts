/**
 * `pnpm bench conv`: forward, backward-data and backward-filter time per layer, ms and effective
 * GFLOP/s (2·N·OC·OH·OW·(C/groups)·KH·KW per pass), Tessera's devices beside TensorFlow.js on its
 * wasm and cpu backends, in the same process and run. Layers: LeNet-5 conv1/conv2 (batch 64),
 * AlexNet conv1/conv3 (batch 8), ResNet-18 layer1 (batch 8), VGG-16 conv1_2 (batch 1).
 * Flags: --quick (tiny layers: a smoke run, not a measurement), --systems a,b and --layers a,b
 * (filter by substring), --max-seconds s (skip a pass predicted slower than s seconds per run).
 */
import { getDevice, type Device, type DeviceBuffer } from "@tessera/blas";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";
import { loadTf, type Tf } from "../peers.js";
import * as convApi from "@tessera/conv";

/** One convolution layer of the issue. */
interface Layer {
  readonly name: string;
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly OC: number;
  readonly K: number;
  readonly stride: number;
  readonly pad: number;
}

const LAYERS: readonly Layer[] = [
  { name: "LeNet-5 conv1", N: 64, C: 1, H: 28, OC: 6, K: 5, stride: 1, pad: 2 },
  { name: "LeNet-5 conv2", N: 64, C: 6, H: 14, OC: 16, K: 5, stride: 1, pad: 0 },
  { name: "AlexNet conv1", N: 8, C: 3, H: 227, OC: 96, K: 11, stride: 4, pad: 0 },
  { name: "AlexNet conv3", N: 8, C: 256, H: 13, OC: 384, K: 3, stride: 1, pad: 1 },
  { name: "ResNet-18 layer1", N: 8, C: 64, H: 56, OC: 64, K: 3, stride: 1, pad: 1 },
  { name: "VGG-16 conv1_2", N: 1, C: 64, H: 224, OC: 64, K: 3, stride: 1, pad: 1 },
];

/** --quick: the same layers shrunk (batch ≤ 2, channels ≤ 8, spatial ≤ 16) so the whole suite runs in seconds. */
function quickLayer(l: Layer): Layer {
  return { ...l, name: `${l.name} (quick)`, N: Math.min(l.N, 2), C: Math.min(l.C, 8), OC: Math.min(l.OC, 8), H: Math.max(Math.min(l.H, 16), l.K) };
}

type Pass = "forward" | "backward-data" | "backward-filter";
const PASSES: readonly Pass[] = ["forward", "backward-data", "backward-filter"];

/** A system that runs a pass of a layer: prepare once, then time `run`. */
interface System {
  readonly name: string;
  /** Null when the system cannot run this pass (the reason goes to the notes). */
  prepare(l: Layer, pass: Pass): Promise<{ run: () => unknown; dispose(): void } | null>;
}

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (((i * 2654435761 + seed) >>> 0) % 1000) / 500 - 1;
  return a;
}

const outSize = (l: Layer) => Math.floor((l.H + 2 * l.pad - l.K) / l.stride) + 1;

/** The parts of `@tessera/conv` this suite calls. */
type ConvApi = typeof convApi;

async function loadConv(): Promise<ConvApi> {
  return convApi;
}

/** Variants of a Tessera column: all images in one GEMM (every pass), or the forward forced to im2col (forward only). */
interface Variant {
  readonly batched?: boolean;
  readonly im2col?: boolean;
}

function tesseraSystem(conv: ConvApi, device: Device, label: string, v: Variant = {}): System {
  return {
    name: label,
    async prepare(l, pass) {
      if (v.im2col && pass !== "forward") return null;
      const OH = outSize(l);
      const g = conv.conv2dGeometry([l.N, l.C, l.H, l.H], [l.OC, l.C, l.K, l.K], {
        stride: l.stride, padding: l.pad, ...(v.batched ? { imagesPerGemm: l.N } : {}), ...(v.im2col ? { algorithm: "im2col" as const } : {}),
      });
      const bufs = [l.N * l.C * l.H * l.H, l.OC * l.C * l.K * l.K, l.N * l.OC * OH * OH].map((n, i) => {
        const b = device.alloc(n);
        device.write(b, data(n, i + 1));
        return b;
      });
      const [x, w, y] = bufs;
      const ws = new conv.ConvWorkspace(device);
      const run = pass === "forward" ? () => conv.conv2dForward(device, g, x, 0, w, 0, null, 0, y, 0, ws)
        : pass === "backward-data" ? () => conv.conv2dBackwardData(device, g, w, 0, y, 0, x, 0, ws)
          : () => conv.conv2dBackwardFilter(device, g, x, 0, y, 0, w, 0, ws);
      return {
        run: async () => {
          run();
          await device.sync();
        },
        dispose() {
          ws.dispose();
          for (const b of bufs) device.free(b);
        },
      };
    },
  };
}

/**
 * ── Extra devices plug in here. ── Each backend that loads becomes columns `tessera <name>`;
 * the wasm device is measured with 1 thread and with all cores.
 */
async function tesseraSystems(conv: ConvApi, notes: string[]): Promise<System[]> {
  const systems = [tesseraSystem(conv, getDevice("js"), "tessera js")];
  try {
    const { wasmDevice } = await import("@tessera/blas-wasm");
    const one = await wasmDevice({ threads: 1, register: false });
    systems.push(tesseraSystem(conv, one, "tessera wasm 1 thread"));
    const all = await wasmDevice({ register: false });
    systems.push(tesseraSystem(conv, all, `tessera wasm ${all.threads} threads`));
    // The wasm forward runs the implicit GEMM; im2col + sgemm, what it replaced, beside it.
    systems.push(tesseraSystem(conv, one, "tessera wasm 1 thread (im2col)", { im2col: true }));
    systems.push(tesseraSystem(conv, all, `tessera wasm ${all.threads} threads (im2col)`, { im2col: true }));
  } catch (e) {
    notes.push(`@tessera/blas-wasm not measured: ${(e as Error).message.split("\n")[0]}`);
  }
  // The batching policy (DESIGN.md §4: "batch the GEMM over images where it pays") is measured here.
  systems.push(tesseraSystem(conv, getDevice("js"), "tessera js (batched GEMM)", { batched: true }));
  return systems;
}

function tfSystem(tf: Tf, backend: "cpu" | "wasm", notes: string[]): System {
  const hasFilterGrad = tf.getKernel("Conv2DBackpropFilter", backend) !== undefined;
  if (!hasFilterGrad) {
    notes.push(`tfjs-${backend} has no Conv2DBackpropFilter kernel: tf.grads of tf.conv2d with respect to the filter throws there, so its backward-filter is not measured (–).`);
  }
  return {
    name: `tfjs-${backend} 4.22.0`,
    async prepare(l, pass) {
      if (pass === "backward-filter" && !hasFilterGrad) return null;
      await tf.setBackend(backend);
      await tf.ready();
      const OH = outSize(l);
      const strides: [number, number] = [l.stride, l.stride];
      const x = tf.tensor4d(data(l.N * l.H * l.H * l.C, 1), [l.N, l.H, l.H, l.C]);
      const f = tf.tensor4d(data(l.K * l.K * l.C * l.OC, 2), [l.K, l.K, l.C, l.OC]);
      const dy = tf.tensor4d(data(l.N * OH * OH * l.OC, 3), [l.N, OH, OH, l.OC]);
      const op = pass === "forward" ? () => tf.conv2d(x, f, strides, l.pad)
        : pass === "backward-data" ? () => tf.conv2dTranspose(dy, f, [l.N, l.H, l.H, l.C], strides, l.pad)
          : () => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, { strides, pad: l.pad, dataFormat: "NHWC", filterShape: [l.K, l.K, l.C, l.OC] });
      return {
        run: () => {
          const r = op() as ReturnType<Tf["conv2d"]>;
          r.dataSync();
          r.dispose();
        },
        dispose: () => {
          for (const t of [x, f, dy]) t.dispose();
        },
      };
    },
  };
}

export default async function conv(args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const quick = args.flags.quick === "true";
  const notes: string[] = [];
  let layers = quick ? LAYERS.map(quickLayer) : [...LAYERS];
  if (args.flags.layers) layers = layers.filter((l) => args.flags.layers.split(",").some((w) => l.name.includes(w)));
  const api = await loadConv();
  const tf = await loadTf("wasm");
  let systems = [...(await tesseraSystems(api, notes)), tfSystem(tf, "wasm", notes), tfSystem(tf, "cpu", notes)];
  if (args.flags.systems) systems = systems.filter((s) => args.flags.systems.split(",").some((w) => s.name.includes(w)));
  // Some peer kernels are very slow (tfjs-cpu's Conv2DBackpropFilter ran at ~0.01 GFLOP/s in the
  // smoke run): a pass whose speed on an earlier layer predicts more than --max-seconds per run
  // (default 20) is skipped and noted instead of occupying the machine for minutes.
  const maxSeconds = Number(args.flags["max-seconds"] ?? 20);
  const rate = new Map<string, number>();
  const rows: BenchRow[] = [];
  for (const l of layers) {
    const OH = outSize(l);
    const flops = 2 * l.N * l.OC * OH * OH * l.C * l.K * l.K;
    for (const pass of PASSES) {
      const label = `${l.name} ${pass}`;
      for (const s of systems) {
        const key = `${s.name} ${pass}`;
        const known = rate.get(key);
        if (known !== undefined && flops / known / 1e9 > maxSeconds) {
          notes.push(`${s.name} ${label} not run: ${known.toFixed(3)} GFLOP/s on an earlier layer predicts ${(flops / known / 1e9).toFixed(0)} s per run (> --max-seconds ${maxSeconds}).`);
          continue;
        }
        const p = await s.prepare(l, pass);
        if (p === null) continue;
        const t0 = performance.now();
        await p.run(); // warm-up and probe
        const probe = performance.now() - t0;
        // Every system warms up for 400 ms (sub-millisecond wasm kernels reach their optimized code
        // only after hundreds of calls), then runs for 500 ms.
        const ms = await measure(p.run, {
          warmup: 0, warmupMs: quick || probe > 400 ? 0 : 400, minRuns: quick ? 2 : probe > 1000 ? 2 : flops > 2e9 ? 3 : 5,
          maxRuns: 1000, minTimeMs: quick ? 20 : 500,
        });
        p.dispose();
        rate.set(key, flops / ms / 1e6);
        rows.push({ case: label, system: s.name, ms, value: flops / ms / 1e6 });
        log(`${label.padEnd(44)} ${s.name.padEnd(28)} ${ms.toFixed(2).padStart(10)} ms ${(flops / ms / 1e6).toFixed(2).padStart(8)} GFLOP/s`);
      }
    }
  }
  notes.push(
    "GFLOP/s = 2·N·OC·OH·OW·C·KH·KW / median time, the same count for each pass. Batches: LeNet-5 64, AlexNet 8, ResNet-18 8, VGG-16 1.",
    "Tessera: device-level conv2dForward / conv2dBackwardData / conv2dBackwardFilter with a reused ConvWorkspace. js: im2col + sgemm per image ('batched GEMM': all images of the batch in one column matrix). wasm: the device's implicit GEMMs (no column matrix) for the forward, for backward-filter where the input batch fits in L2 (LeNet-5) and for stride-1 backward-data where most of its multiply-adds are useful (ResNet-18, AlexNet conv3, VGG-16); the other passes lower to im2col/col2im + sgemm. '(im2col)' forces the lowering (algorithm: 'im2col'), forward only.",
    "tfjs: NHWC tensors; forward tf.conv2d, backward-data tf.conv2dTranspose (the Conv2DBackpropInput kernel tf.grads runs), backward-filter the Conv2DBackpropFilter kernel tf.grads runs (called directly: tfjs-core alone registers no gradient functions, so tf.grads itself throws here); each timing includes dataSync().",
  );
  if (quick) notes.push("--quick: shrunk layers, a smoke run only; these numbers are not measurements.");
  return { title: quick ? "conv2d passes (quick smoke run)" : "conv2d passes per layer, float32", unit: "GFLOP/s", rows, notes };
}
