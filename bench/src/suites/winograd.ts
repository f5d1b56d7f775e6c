/**
 * `pnpm bench winograd`: per layer, the wasm device's direct convolution (`Device.convForward` /
 * `convBackwardData`, the implicit GEMMs) against Winograd F(2×2, 3×3) (`convForwardWinograd` /
 * `convBackwardDataWinograd`), run interleaved A, B, A, B… in one process so that a busy machine
 * slows both alike; reports ms, effective GFLOP/s (the direct algorithm's 2·N·OC·OH·OW·C·9 flops,
 * so the two columns compare as speed) and the ratio. Layers: the 3×3 stride-1 convolutions of
 * ResNet-18 (batch 1 and 8) and VGG-16 (batch 1), and a sweep of channel counts and image sizes
 * for the crossover that `hints.winogradMinChannels` / `winogradMinPixels` encode.
 * Flags: --threads n (default 1), --layers a,b (substring filter), --quick (a smoke run), --min-ms t
 * (time per system and pass, default 400).
 */
import type { Conv2dGeometry, DeviceBuffer } from "@tessera/blas";
import type { BenchArgs, BenchRow, SuiteResult } from "../harness.js";

interface Layer {
  readonly name: string;
  readonly N: number;
  readonly C: number;
  readonly OC: number;
  readonly H: number;
}

const RESNET: readonly [string, number, number][] = [["layer1", 64, 56], ["layer2", 128, 28], ["layer3", 256, 14], ["layer4", 512, 7]];
const VGG: readonly [string, number, number, number][] = [
  ["conv1_2", 64, 64, 224], ["conv2_1", 64, 128, 112], ["conv2_2", 128, 128, 112], ["conv3_1", 128, 256, 56], ["conv3_2", 256, 256, 56],
  ["conv4_1", 256, 512, 28], ["conv4_2", 512, 512, 28], ["conv5_1", 512, 512, 14],
];

const LAYERS: readonly Layer[] = [
  ...[1, 8].flatMap((N) => RESNET.map(([n, C, H]) => ({ name: `ResNet-18 ${n} b${N}`, N, C, OC: C, H }))),
  ...VGG.map(([n, C, OC, H]) => ({ name: `VGG-16 ${n} b1`, N: 1, C, OC, H })),
  ...[8, 16, 32].map((C) => ({ name: `sweep C=OC=${C} 56×56 b1`, N: 1, C, OC: C, H: 56 })),
  ...[7, 14].map((H) => ({ name: `sweep C=OC=64 ${H}×${H} b1`, N: 1, C: 64, OC: 64, H })),
];

function geometry(l: Layer): Conv2dGeometry {
  return { C: l.C, H: l.H, W: l.H, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1,
    dilationH: 1, dilationW: 1, OH: l.H, OW: l.H };
}

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (((i * 2654435761 + seed) >>> 0) % 1000) / 500 - 1;
  return a;
}

/** Median ms of a and of b, timed alternately until each has `minRuns` runs and `minMs` in all. */
function interleaved(a: () => void, b: () => void, minMs: number, minRuns = 3): [number, number] {
  a(); b();
  const ta: number[] = [], tb: number[] = [];
  let sum = 0;
  while (ta.length < minRuns || sum < 2 * minMs) {
    let t = performance.now(); a(); const da = performance.now() - t;
    t = performance.now(); b(); const db = performance.now() - t;
    ta.push(da); tb.push(db); sum += da + db;
    if (ta.length >= 50) break;
  }
  const med = (x: number[]) => { x.sort((p, q) => p - q); const m = x.length >> 1; return x.length % 2 ? x[m] : (x[m - 1] + x[m]) / 2; };
  return [med(ta), med(tb)];
}

export default async function winograd(args: BenchArgs, log: (line: string) => void): Promise<SuiteResult> {
  const { wasmDevice } = await import("@tessera/blas-wasm");
  const threads = Number(args.flags.threads ?? 1);
  const minMs = Number(args.flags["min-ms"] ?? 400);
  const quick = "quick" in args.flags;
  const filter = args.flags.layers?.split(",");
  const dev = await wasmDevice({ threads, register: false });
  const rows: BenchRow[] = [];
  const notes = [
    `wasm device, ${dev.threads} thread(s), ${dev.relaxedSimd ? "relaxed" : "plain"} SIMD; direct = the implicit-GEMM kernels. Direct and Winograd are timed alternately (A, B, A, B…), medians; the machine may be busy, so read the ratios.`,
  ];
  let layers = LAYERS.filter((l) => !filter || filter.some((f) => l.name.includes(f)));
  if (quick) layers = layers.map((l) => ({ ...l, name: `${l.name} (quick)`, C: Math.min(l.C, 16), OC: Math.min(l.OC, 16), H: Math.min(l.H, 16) }));
  for (const l of layers) {
    const g = geometry(l);
    const xs = l.C * l.H * l.H, ys = l.OC * l.H * l.H;
    const buf = (n: number, seed: number): DeviceBuffer => { const b = dev.alloc(n); dev.write(b, data(n, seed)); return b; };
    const x = buf(l.N * xs, 1), w = buf(l.OC * l.C * 9, 2), bias = buf(l.OC, 3), y = dev.alloc(l.N * ys), dy = buf(l.N * ys, 4), dx = dev.alloc(l.N * xs);
    const gflop = (2 * l.N * l.OC * l.H * l.H * l.C * 9) / 1e9;
    const passes: [string, () => void, () => void][] = [
      ["forward",
        () => { dev.convForward(g, l.N, l.OC, x, 0, xs, w, 0, bias, 0, y, 0, ys); },
        () => dev.convForwardWinograd(g, l.N, l.OC, x, 0, xs, w, 0, bias, 0, y, 0, ys)],
      ["backward-data",
        () => { if (!dev.convBackwardData(g, l.N, l.OC, w, 0, dy, 0, ys, dx, 0, xs)) throw new Error(`${l.name}: the direct backward-data declined`); },
        () => dev.convBackwardDataWinograd(g, l.N, l.OC, w, 0, dy, 0, ys, dx, 0, xs)],
    ];
    for (const [pass, direct, wino] of passes) {
      const [a, b] = interleaved(direct, wino, quick ? 10 : minMs);
      const c = `${l.name} ${l.C}→${l.OC} ${l.H}² ${pass}`;
      rows.push({ case: c, system: "direct", ms: a, value: gflop / (a / 1e3) }, { case: c, system: "winograd", ms: b, value: gflop / (b / 1e3) });
      log(`${c}: direct ${a.toFixed(2)} ms, winograd ${b.toFixed(2)} ms, ×${(a / b).toFixed(2)}`);
    }
    for (const b of [x, w, bias, y, dy, dx]) dev.free(b);
  }
  dev.dispose();
  return { title: `Direct vs Winograd F(2×2, 3×3), wasm ${threads} thread(s)`, unit: "GFLOP/s", rows, notes };
}
