// F(4×4) on 1 and 2 threads and F(2×2) on 2, interleaved in one process: node bench/winograd4-threads.mjs (after pnpm build) <batch> [layers]
import { wasmDevice } from "@tessera/blas-wasm";
import * as conv from "@tessera/conv";
const N = Number(process.argv[2] ?? 1), only = (process.argv[3] ?? "l1,l2,l3").split(",");
const devs = [["F4·1t", await wasmDevice({ threads: 1, winogradTile: 4, register: false })], ["F4·2t", await wasmDevice({ threads: 2, winogradTile: 4, register: false })],
  ["F2·2t", await wasmDevice({ threads: 2, winogradTile: 2, register: false })]];
const L = [["l1", 64, 56], ["l2", 128, 28], ["l3", 256, 14], ["l4", 512, 7]].filter((l) => only.includes(l[0]));
const fill = (n) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = ((i * 2654435761 >>> 0) % 1000) / 500 - 1; return a; };
for (const [name, C, H] of L) {
  const sys = devs.map(([tag, dev]) => {
    const x = dev.alloc(N * C * H * H), w = dev.alloc(C * C * 9), y = dev.alloc(N * C * H * H);
    dev.write(x, fill(N * C * H * H)); dev.write(w, fill(C * C * 9));
    const g = conv.conv2dGeometry([N, C, H, H], [C, C, 3, 3], { padding: 1, algorithm: "winograd" });
    const ws = new conv.ConvWorkspace(dev);
    return { tag, run: () => conv.conv2dForward(dev, g, x, 0, w, 0, null, 0, y, 0, ws), t: [] };
  });
  for (const s of sys) { s.run(); s.run(); }
  let tot = 0;
  for (let it = 0; it < 200 && tot < 8000; it++) for (const s of sys) { const t = performance.now(); s.run(); const d = performance.now() - t; s.t.push(d); tot += d; }
  const med = (v) => { v.sort((a, b) => a - b); return v[v.length >> 1]; };
  const m = sys.map((s) => med(s.t));
  console.log(`b${N} ${name}`, sys.map((s, i) => `${s.tag} ${m[i].toFixed(2)}`).join(" | "), `| F4 2t/1t ${(m[0] / m[1]).toFixed(2)}x, F4 vs F2 on 2t ${(m[2] / m[1]).toFixed(2)}x`);
}
process.exit(0);
