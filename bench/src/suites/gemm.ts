/**
 * `pnpm bench gemm`: sgemm GFLOP/s for square sizes and DNN shapes, Tessera's devices beside
 * TensorFlow.js (tf.matMul) on its cpu and wasm backends, in the same run, with the WebAssembly
 * SIMD peak of one core measured in the same process (wasm-peak.ts).
 * Flags: --sizes 64,128,… (square sizes), --quick (small sizes only), --systems a,b (filter).
 */
import { sgemm } from "@tessera/blas";
import { WasmDevice } from "@tessera/blas-wasm";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";
import { loadTf } from "../peers.js";
import { wasmPeak } from "./wasm-peak.js";

/** DNN shapes (M, N, K) of the issue: im2col GEMMs and fully-connected layers. */
export const DNN_SHAPES: readonly [string, number, number, number][] = [
  ["LeNet conv2", 16, 100, 150],
  ["LeNet conv2 batched", 16, 6400, 150],
  ["AlexNet conv2", 256, 729, 2400],
  ["ResNet-18 3×3 64→64 @56²", 64, 3136, 576],
  ["VGG-16 conv3_1", 256, 3136, 1152],
  ["AlexNet FC1 batch 128", 128, 4096, 9216],
  ["AlexNet FC1 batch 1", 1, 4096, 9216],
];

/** A system that multiplies: prepare once per shape, then time `run`. */
interface System {
  name: string;
  prepare(M: number, N: number, K: number, A: Float32Array, B: Float32Array): Promise<{ run: () => unknown; dispose(): void }>;
}

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (((i * 2654435761 + seed) >>> 0) % 1000) / 500 - 1;
  return a;
}

async function tfSystem(backend: "cpu" | "wasm"): Promise<System> {
  return {
    name: `tfjs-${backend} 4.22.0`,
    async prepare(M, N, K, A, B) {
      const tf = await loadTf(backend);
      const a = tf.tensor2d(A, [M, K]);
      const b = tf.tensor2d(B, [K, N]);
      return {
        run: () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
        dispose: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

const jsBlocked: System = {
  name: "tessera js (blocked)",
  async prepare(M, N, K, A, B) {
    const C = new Float32Array(M * N);
    return { run: () => sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, C, N), dispose() {} };
  },
};

/**
 * The wasm device on `threads` threads (default: all cores). Like tf.matMul + dataSync(), a run
 * computes C and copies it out to a new Float32Array (`readSync`); A and B are already in wasm
 * memory, as tf.tensor2d's data is in tfjs-wasm's heap.
 */
async function wasmSystem(threads?: number): Promise<System> {
  const dev = await WasmDevice.create({ threads, register: false });
  const plural = dev.threads === 1 ? "" : "s";
  return {
    name: `tessera wasm ${dev.threads} thread${plural}${dev.relaxedSimd ? "" : " (no relaxed SIMD)"}`,
    async prepare(M, N, K, A, B) {
      const [a, b, c] = [dev.alloc(M * K), dev.alloc(K * N), dev.alloc(M * N)];
      dev.write(a, A);
      dev.write(b, B);
      return {
        run: () => {
          dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
          dev.readSync(c);
        },
        dispose: () => [a, b, c].forEach((x) => dev.free(x)),
      };
    },
  };
}

/** Extra systems registered by backend packages' bench modules: the wasm device on 1 thread and on all cores. */
export const extraSystems: (() => Promise<System[]>)[] = [
  async () => {
    const one = await wasmSystem(1);
    const all = await wasmSystem();
    return all.name.startsWith("tessera wasm 1 thread") ? [one] : [one, all];
  },
];

/** Notes comparing two systems case by case: the smallest and the median ratio. */
function ratioNote(rows: BenchRow[], num: string, den: string, label: string): string | undefined {
  const ratios = [...new Set(rows.map((r) => r.case))].flatMap((c) => {
    const a = rows.find((r) => r.case === c && r.system.startsWith(num));
    const b = rows.find((r) => r.case === c && r.system.startsWith(den));
    return a && b ? [{ c, r: a.value / b.value }] : [];
  });
  if (ratios.length === 0) return undefined;
  ratios.sort((x, y) => x.r - y.r);
  const med = ratios[ratios.length >> 1].r;
  return `${label}: median ${med.toFixed(2)}×, lowest ${ratios[0].r.toFixed(2)}× (${ratios[0].c}), highest ${ratios[ratios.length - 1].r.toFixed(2)}× (${ratios[ratios.length - 1].c}).`;
}

export default async function gemm(args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const quick = args.flags.quick === "true";
  const sizes = (args.flags.sizes ?? (quick ? "64,128,256" : "64,128,256,512,1024,2048")).split(",").map(Number);
  const shapes = quick ? DNN_SHAPES.filter(([, M, N, K]) => M * N * K < 3e7) : DNN_SHAPES;
  let systems: System[] = [await tfSystem("wasm"), await tfSystem("cpu")];
  for (const more of extraSystems) systems = [...(await more()), ...systems];
  systems = [jsBlocked, ...systems];
  const peaks = await wasmPeak();
  for (const p of peaks) log(`WebAssembly SIMD peak, 1 core, ${p.system}: ${p.gflops.toFixed(1)} GFLOP/s`);
  if (args.flags.systems) systems = systems.filter((s) => args.flags.systems.split(",").some((w) => s.name.includes(w)));
  const cases: [string, number, number, number][] = [...sizes.map((n) => [`${n}³`, n, n, n] as [string, number, number, number]), ...shapes.map(([name, M, N, K]) => [`${name} (${M}, ${N}, ${K})`, M, N, K] as [string, number, number, number])];
  const rows: BenchRow[] = [];
  for (const [label, M, N, K] of cases) {
    const A = data(M * K, 1);
    const B = data(K * N, 2);
    const flops = 2 * M * N * K;
    for (const s of systems) {
      // The JS kernels at 2048³ take minutes: skip systems slower than 1 GFLOP/s-second budgets.
      const p = await s.prepare(M, N, K, A, B);
      const ms = await measure(p.run, { warmup: 1, minRuns: flops > 4e9 ? 3 : 5, minTimeMs: 500 });
      p.dispose();
      const row = { case: label, system: s.name, ms, value: flops / ms / 1e6 };
      rows.push(row);
      log(`${label.padEnd(40)} ${s.name.padEnd(28)} ${ms.toFixed(2).padStart(10)} ms ${row.value.toFixed(2).padStart(8)} GFLOP/s`);
    }
  }
  const allThreads = systems.map((s) => s.name).find((n) => n.startsWith("tessera wasm") && !n.startsWith("tessera wasm 1 thread"));
  const notes = [
    "GFLOP/s = 2·M·N·K / median time; tf.matMul includes dataSync() of the result (its only way to finish the work); " +
      "the wasm device systems likewise include readSync() of C into a new Float32Array.",
    `WebAssembly SIMD peak of one core in this run (bench wasm-peak): ${peaks.map((p) => `${p.system} ${p.gflops.toFixed(1)}`).join(", ")} GFLOP/s.`,
    ratioNote(rows, "tessera wasm 1 thread", "tfjs-wasm", "tessera wasm 1 thread / tfjs-wasm"),
    allThreads && ratioNote(rows, allThreads, "tessera wasm 1 thread", `${allThreads} / 1 thread`),
    ratioNote(rows, "tessera wasm 1 thread", "tessera js", "tessera wasm 1 thread / tessera js (blocked)"),
  ].filter((n): n is string => typeof n === "string");
  return { title: "sgemm, C = A·B, float32", unit: "GFLOP/s", rows, notes };
}
