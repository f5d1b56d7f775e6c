// Per-layer forward A/B: F(4×4) of /work/main's build (old) against this worktree's F(4×4) and F(2×2), interleaved.
// node bench/f4-ab.mjs <threads> <batch> [layers, e.g. l1,l2]
import { wasmDevice } from "@tessera/blas-wasm";
import * as conv from "@tessera/conv";
const { wasmDevice: oldDevice } = await import("/work/main/packages/blas-wasm/dist/index.js");
const threads = Number(process.argv[2] ?? 1), N = Number(process.argv[3] ?? 1);
const only = (process.argv[4] ?? "l1,l2,l3,l4").split(",");
const o4 = await oldDevice({ threads, winogradTile: 4, register: false });
const d2 = await wasmDevice({ threads, winogradTile: 2, register: false });
const d4 = await wasmDevice({ threads, winogradTile: 4, register: false });
const L = [["l1", 64, 56], ["l2", 128, 28], ["l3", 256, 14], ["l4", 512, 7]].filter((l) => only.includes(l[0]));
const fill = (n) => { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = ((i * 2654435761 >>> 0) % 1000) / 500 - 1; return a; };
for (const [name, C, H] of L) {
  const sys = [];
  for (const [tag, dev] of [["oldF4", o4], ["F2", d2], ["F4", d4]]) {
    const x = dev.alloc(N * C * H * H), w = dev.alloc(C * C * 9), y = dev.alloc(N * C * H * H);
    dev.write(x, fill(N * C * H * H)); dev.write(w, fill(C * C * 9));
    const g = conv.conv2dGeometry([N, C, H, H], [C, C, 3, 3], { padding: 1, algorithm: "winograd" });
    const ws = new conv.ConvWorkspace(dev);
    sys.push({ tag, run: () => conv.conv2dForward(dev, g, x, 0, w, 0, null, 0, y, 0, ws), t: [] });
  }
  for (const s of sys) { s.run(); s.run(); }
  let tot = 0;
  for (let it = 0; it < 30 && tot < 3000; it++) for (const s of sys) { const t = performance.now(); s.run(); const d = performance.now() - t; s.t.push(d); tot += d; }
  const med = (v) => { v.sort((a, b) => a - b); return v[v.length >> 1]; };
  const m = Object.fromEntries(sys.map((s) => [s.tag, med(s.t)]));
  console.log(`${threads}t b${N} ${name}`, sys.map((s) => `${s.tag} ${m[s.tag].toFixed(2)}ms`).join(" | "), `| F4/oldF4 ${(m.oldF4 / m.F4).toFixed(2)}x, F4 vs F2 ${(m.F2 / m.F4).toFixed(2)}x`);
}
process.exit(0);
