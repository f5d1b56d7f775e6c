/**
 * `pnpm bench gemm-webgpu`: sgemm GFLOP/s on the 'webgpu' device (auto, tiled and small kernels)
 * beside the JS device's blocked sgemm, in the same process and run. A WebGPU run is one sgemm plus
 * `sync()` (the wait for the GPU is part of the time, as tf.matMul's dataSync in `gemm`).
 * Peers: onnxruntime-node's MatMul on its `webgpu` and `cpu` execution providers
 * (`onnxruntime-node webgpu`, `onnxruntime-node cpu`; see ../peers-onnx.ts). Each is checked
 * against a triple loop first; an EP that cannot run here (no WebGPU adapter) becomes a note.
 * Flags: --sizes 64,128,… (square sizes), --quick (small sizes only), --systems a,b (filter),
 * --backends opengles,… (Dawn backends to try), --budget-ms N (drop a system for larger cases once a
 * run takes longer than N ms; default 3000 — llvmpipe is slow), --peak-gflops N (the card's FP32
 * peak: adds % of peak to the notes, e.g. 66900 for an H100 SXM).
 *
 * Needs `"@tessera/blas-webgpu": "workspace:*"` in bench/package.json (loaded by name at run time).
 */
import { sgemm, type Device, type DeviceBuffer } from "@tessera/blas";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";
import { checkOrtEp, loadOrt, ortMatMul, ORT_VERSION, probeOrtEp, type Ort, type OrtEp } from "../peers-onnx.js";

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
  prepare(M: number, N: number, K: number, A: Float32Array, B: Float32Array): Prepared | Promise<Prepared>;
}

interface Prepared {
  run: () => unknown;
  dispose(): unknown;
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

/** onnxruntime-node's MatMul on `ep`: A and B are initializers (on the EP after session creation); a run reads back the sum of C. */
function ortSystem(ort: Ort, ep: OrtEp): System {
  return {
    name: `onnxruntime-node ${ep}`,
    async prepare(M, N, K, A, B) {
      const s = await ortMatMul(ort, ep, M, N, K, A, B, { output: "sum" });
      return { run: () => s.run(), dispose: () => s.dispose() };
    },
  };
}

/**
 * The onnxruntime-node systems that can run here, each checked against a triple loop; the others
 * become notes. WebGPU is probed in a child process first (a native abort there ends only the probe).
 */
async function ortSystems(wanted: (name: string) => boolean, notes: string[], log: (l: string) => void): Promise<System[]> {
  const eps = (["webgpu", "cpu"] as const).filter((ep) => wanted(`onnxruntime-node ${ep}`));
  if (eps.length === 0) return [];
  let ort: Ort;
  try {
    ort = loadOrt();
  } catch (e) {
    const why = `onnxruntime-node: not measured (${(e as Error).message})`;
    notes.push(why);
    log(why);
    return [];
  }
  const out: System[] = [];
  for (const ep of eps) {
    const probe = ep === "webgpu" ? probeOrtEp(ep) : { ok: true as const, maxAbsErr: 0 };
    const check = probe.ok ? await checkOrtEp(ort, ep) : probe;
    if (check.ok) {
      out.push(ortSystem(ort, ep));
      notes.push(`onnxruntime-node ${ORT_VERSION} ${ep} EP: MatMul checked against a triple loop at (37, 23, 19), max |error| ${check.maxAbsErr.toExponential(1)}.`);
      log(`onnxruntime-node ${ep}: checked (max |error| ${check.maxAbsErr.toExponential(1)})`);
    } else {
      const why = `onnxruntime-node ${ORT_VERSION} ${ep} EP: not measured — unavailable on this machine (${check.why}).`;
      notes.push(why);
      log(why);
    }
  }
  return out;
}

/** Notes that set the auto kernel beside the card's FP32 peak and beside onnxruntime's WebGPU MatMul, per square size. */
function targetNotes(rows: readonly BenchRow[], sizes: readonly number[], peakGflops: number | undefined): string[] {
  const value = (c: string, s: string) => rows.find((r) => r.case === c && r.system === s)?.value;
  const out: string[] = [];
  for (const n of sizes) {
    const auto = value(`${n}³`, "tessera webgpu (auto)");
    if (auto === undefined) continue;
    const parts: string[] = [];
    if (peakGflops) parts.push(`${((100 * auto) / peakGflops).toFixed(1)}% of the ${peakGflops} GFLOP/s FP32 peak`);
    const ort = value(`${n}³`, "onnxruntime-node webgpu");
    if (ort !== undefined) parts.push(`${(auto / ort).toFixed(2)}× onnxruntime-node webgpu (${ort.toFixed(0)} GFLOP/s)`);
    if (parts.length) out.push(`${n}³: tessera webgpu (auto) ${auto.toFixed(0)} GFLOP/s = ${parts.join(", ")}.`);
  }
  return out;
}

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
  const wanted = (name: string) => !args.flags.systems || args.flags.systems.split(",").some((w) => name.includes(w));
  const peerNotes: string[] = [];
  const systems: System[] = [
    webgpuSystem(devices[0], "tessera webgpu (auto)"), webgpuSystem(devices[1], "tessera webgpu tiled"),
    webgpuSystem(devices[2], "tessera webgpu small"), jsBlocked,
  ].filter((s) => wanted(s.name));
  systems.push(...(await ortSystems(wanted, peerNotes, log)));
  const failed: string[] = [];
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
      let ms: number;
      try {
        const p = await s.prepare(M, N, K, A, B);
        try {
          ms = await measure(p.run, { warmup: 1, minRuns: flops > 4e9 ? 3 : 5, minTimeMs: 500 });
        } finally {
          await p.dispose();
        }
      } catch (e) {
        // One failing system (a buffer over the adapter's limits, an EP error) must not end the run.
        const why = `${s.name} failed on ${label}: ${(e as Error).message.split("\n")[0]}`;
        failed.push(`${why}; not run on larger cases.`);
        log(why);
        skipped.set(s.name, flops - 1);
        continue;
      }
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
    ...[...skipped].filter(([name]) => !failed.some((f) => f.startsWith(`${name} failed`))).map(([name, f]) => `${name} was not run on cases above ${(f / 1e9).toFixed(2)} GFLOP (a run exceeded --budget-ms ${budgetMs}).`),
    ...failed,
    ...peerNotes,
    ...(peerNotes.length ? ["onnxruntime-node systems: A and B are initializers of an in-memory ONNX model on the EP (C = A·B, then 1ᵀ·C·1 by two matrix-vector MatMuls, 2·M·N more flops, not counted); a run is session.run() and reads back those 4 bytes; graph optimizations off (no constant folding); on webgpu, CPU fallback disabled (every node runs on the GPU or the session fails)."] : []),
    ...targetNotes(rows, sizes, args.flags["peak-gflops"] ? Number(args.flags["peak-gflops"]) : undefined),
  ];
  return { title: "sgemm on the webgpu device", unit: "GFLOP/s", rows, notes };
}
