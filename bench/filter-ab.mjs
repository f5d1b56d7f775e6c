// Winograd F(2×2) backward-filter vs the implicit-GEMM convBackwardFilter on ResNet-18's 3×3
// stride-1 layers, interleaved in one process: node bench/filter-ab.mjs <threads> <batch> [l1,l2,l3,l4,16ch,32ch,96ch]
import { wasmDevice } from "@tessera/blas-wasm";
const threads = Number(process.argv[2] ?? 1);
const N = Number(process.argv[3] ?? 8);
const dev = await wasmDevice({ threads });
const ALL = [["l1 3x3", 64, 56], ["l2 3x3", 128, 28], ["l3 3x3", 256, 14], ["l4 3x3", 512, 7], ["16ch 56²", 16, 56], ["32ch 56²", 32, 56], ["96ch 28²", 96, 28]];
const L = process.argv[4] ? ALL.filter(([n]) => process.argv[4].split(",").includes(n.split(" ")[0])) : ALL.slice(0, 4);
const fill = (n) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = ((i * 2654435761 >>> 0) % 1000) / 500 - 1; return a; };
for (const [name, C, H] of L) {
  const g = { C, H, W: H, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: H, OW: H };
  const xs = C * H * H;
  const x = dev.alloc(N * xs), dy = dev.alloc(N * xs), dw = dev.alloc(C * C * 9);
  dev.write(x, fill(N * xs)); dev.write(dy, fill(N * xs));
  const runs = [
    ["implicit", () => dev.convBackwardFilter(g, N, C, x, 0, xs, dy, 0, xs, dw, 0), []],
    ["winograd", () => dev.convBackwardFilterWinograd(g, N, C, x, 0, xs, dy, 0, xs, dw, 0), []],
  ];
  for (const r of runs) r[1]();
  const flop = 2 * N * C * H * H * C * 9;
  let tot = 0;
  for (let it = 0; it < 30 && tot < 8000; it++) for (const r of runs) { const t = performance.now(); r[1](); const d = performance.now() - t; r[2].push(d); tot += d; }
  const med = (v) => { v.sort((a, b) => a - b); return v[v.length >> 1]; };
  const [a, b] = runs.map((r) => med(r[2]));
  console.log(`${threads}T N=${N} ${name.padEnd(8)} implicit ${a.toFixed(1)}ms ${(flop / a / 1e6).toFixed(1)}GF | winograd ${b.toFixed(1)}ms ${(flop / b / 1e6).toFixed(1)}GF (direct-equivalent) | ratio ${(a / b).toFixed(2)}x (${runs[0][2].length} each)`);
  dev.free(x); dev.free(dy); dev.free(dw);
}
process.exit(0);
