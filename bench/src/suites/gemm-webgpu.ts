/**
 * `pnpm bench gemm-webgpu`: sgemm GFLOP/s on the 'webgpu' device (auto, tiled and small kernels)
 * beside the JS device's blocked sgemm, in the same process and run. A WebGPU run is one sgemm plus
 * `sync()` (the wait for the GPU is part of the time, as tf.matMul's dataSync in `gemm`).
 * Flags: --sizes 64,128,… (square sizes), --quick (small sizes only), --systems a,b (filter),
 * --backends opengles,… (Dawn backends to try), --budget-ms N (drop a system for larger cases once a
 * run takes longer than N ms; default 3000 — llvmpipe is slow).
 *
 * Needs `"@tessera/blas-webgpu": "workspace:*"` in bench/package.json (loaded by name at run time).
 */
import { sgemm, type Device, type DeviceBuffer } from "@tessera/blas";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";

/** DNN shapes (M, N, K): im2col GEMMs and fully-connected layers, as in the `gemm` suite. */
const DNN_SHAPES: readonly [string, number, number, number][] = [
  ["LeNet conv2", 16, 100, 150],
  ["LeNet conv2 batched", 16, 6400, 150],
  ["AlexNet conv2", 256, 729, 2400],
  ["ResNet-18 3×3 64→64 @56²", 64, 3136, 576],
  ["VGG-16 conv3_1", 256, 3136, 1152],
  ["AlexNet FC1 batch 128", 128, 4096, 9216],
  ["AlexNet FC1 batch 1", 1, 4096, 9216],
];

/** What the suite uses of @tessera/blas-webgpu (typed here: bench does not depend on it at compile time). */
interface WebGpuDevice extends Device {
  readonly info: { adapter: string; backend: string; featureLevel: string };
  readonly sgemmTiles: { TX: number; TY: number; BK: number } | null;
  dispose(): void;
}
type WebGpuModule = { webgpuDevice(o: { sgemmKernel: string; register: boolean; backends?: string[] }): Promise<WebGpuDevice> };

async function loadWebGpu(): Promise<WebGpuModule> {
  const specifier = "@tessera/blas-webgpu";
  try {
    return (await import(specifier)) as WebGpuModule;
  } catch (e) {
    throw new Error(`gemm-webgpu: cannot load @tessera/blas-webgpu (${(e as Error).message}); add "@tessera/blas-webgpu": "workspace:*" to bench/package.json and build it`);
  }
}

/** A system that multiplies: prepare once per shape, then time `run`. */
interface System {
  name: string;
  prepare(M: number, N: number, K: number, A: Float32Array, B: Float32Array): { run: () => unknown; dispose(): void };
}

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (((i * 2654435761 + seed) >>> 0) % 1000) / 500 - 1;
  return a;
}

function webgpuSystem(dev: WebGpuDevice, name: string): System {
  return {
    name,
    prepare(M, N, K, A, B) {
      const [a, b, c] = [M * K, K * N, M * N].map((n) => dev.alloc(n)) as [DeviceBuffer, DeviceBuffer, DeviceBuffer];
      dev.write(a, A);
      dev.write(b, B);
      return {
        run: async () => {
          dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
          await dev.sync();
        },
        dispose: () => [a, b, c].forEach((x) => dev.free(x)),
      };
    },
  };
}

const jsBlocked: System = {
  name: "tessera js (blocked)",
  prepare(M, N, K, A, B) {
    const C = new Float32Array(M * N);
    return { run: () => sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, C, N), dispose() {} };
  },
};

export default async function gemmWebgpu(args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const quick = args.flags.quick === "true";
  const sizes = (args.flags.sizes ?? (quick ? "64,128,256" : "64,128,256,512,1024,2048")).split(",").map(Number);
  const shapes = quick ? DNN_SHAPES.filter(([, M, N, K]) => M * N * K < 3e7) : DNN_SHAPES;
  const budgetMs = Number(args.flags["budget-ms"] ?? 3000);
  const backends = args.flags.backends?.split(",");
  const mod = await loadWebGpu();
  const devices = await Promise.all((["auto", "tiled", "small"] as const).map((k) => mod.webgpuDevice({ sgemmKernel: k, register: false, ...(backends ? { backends } : {}) })));
  const info = devices[0].info;
  log(`WebGPU adapter: ${info.adapter} (${info.backend}, ${info.featureLevel}); tile ${JSON.stringify(devices[0].sgemmTiles)}`);
  let systems: System[] = [
    webgpuSystem(devices[0], "tessera webgpu (auto)"), webgpuSystem(devices[1], "tessera webgpu tiled"),
    webgpuSystem(devices[2], "tessera webgpu small"), jsBlocked,
  ];
  if (args.flags.systems) systems = systems.filter((s) => args.flags.systems.split(",").some((w) => s.name.includes(w)));
  const cases: [string, number, number, number][] = [
    ...sizes.map((n) => [`${n}³`, n, n, n] as [string, number, number, number]),
    ...shapes.map(([name, M, N, K]) => [`${name} (${M}, ${N}, ${K})`, M, N, K] as [string, number, number, number]),
  ];
  const rows: BenchRow[] = [];
  const skipped = new Map<string, number>();
  for (const [label, M, N, K] of cases) {
    const A = data(M * K, 1);
    const B = data(K * N, 2);
    const flops = 2 * M * N * K;
    for (const s of systems) {
      const limit = skipped.get(s.name);
      if (limit !== undefined && flops > limit) continue;
      const p = s.prepare(M, N, K, A, B);
      const ms = await measure(p.run, { warmup: 1, minRuns: flops > 4e9 ? 3 : 5, minTimeMs: 500 });
      p.dispose();
      const row = { case: label, system: s.name, ms, value: flops / ms / 1e6 };
      rows.push(row);
      log(`${label.padEnd(40)} ${s.name.padEnd(28)} ${ms.toFixed(2).padStart(10)} ms ${row.value.toFixed(2).padStart(8)} GFLOP/s`);
      if (ms > budgetMs) skipped.set(s.name, flops);
    }
  }
  for (const d of devices) d.dispose();
  const notes = [
    `WebGPU adapter: ${info.adapter} via ${info.backend} (${info.featureLevel} feature level); the tiled kernel's tile: ${JSON.stringify(devices[0].sgemmTiles)}.`,
    "GFLOP/s = 2·M·N·K / median time; a WebGPU run is sgemm + sync() (submit and wait), so small cases measure latency.",
    "auto = tiled for M, N ≥ 32 and K ≥ 8, the small kernel otherwise.",
    ...[...skipped].map(([name, f]) => `${name} was not run on cases above ${(f / 1e9).toFixed(2)} GFLOP (a run exceeded --budget-ms ${budgetMs}).`),
  ];
  return { title: "sgemm on the webgpu device", unit: "GFLOP/s", rows, notes };
}
