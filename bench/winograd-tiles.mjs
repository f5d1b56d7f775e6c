// Winograd F(2×2, 3×3) against F(4×4, 3×3) on the wasm device, per layer: the two tiles pinned by
// `winogradTile` on two devices, timed alternately (2, 4, 2, 4, …) in one process so that a busy
// machine slows both alike; medians in ms, effective GFLOP/s (the direct algorithm's
// 2·N·OC·OH·OW·C·9 flops) and the ratio F(2×2) ÷ F(4×4) (> 1: F(4×4) is faster).
// Layers: ResNet-18's 3×3 stride-1 convolutions (batch 1 and 8) and
// VGG-16's (batch 1).
// Usage: node bench/winograd-tiles.mjs [--threads n] [--layers a,b] [--passes forward,backward] [--min-ms t]
import { WasmDevice } from "@tessera/blas-wasm";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const threads = Number(arg("threads", "1"));
const filter = arg("layers", "").split(",").filter((s) => s !== "");
const passes = arg("passes", "forward,backward").split(",");
const minMs = Number(arg("min-ms", "300"));

const RESNET = [["layer1", 64, 56], ["layer2", 128, 28], ["layer3", 256, 14], ["layer4", 512, 7]];
const VGG = [["conv1_2", 64, 64, 224], ["conv2_1", 64, 128, 112], ["conv2_2", 128, 128, 112], ["conv3_1", 128, 256, 56], ["conv3_2", 256, 256, 56],
  ["conv4_1", 256, 512, 28], ["conv4_2", 512, 512, 28], ["conv5_1", 512, 512, 14]];
const LAYERS = [
  ...[1, 8].flatMap((N) => RESNET.map(([n, C, H]) => ({ name: `ResNet-18 ${n} b${N}`, N, C, OC: C, H }))),
  ...VGG.map(([n, C, OC, H]) => ({ name: `VGG-16 ${n} b1`, N: 1, C, OC, H })),
].filter((l) => filter.length === 0 || filter.some((f) => l.name.includes(f)));

const devices = await Promise.all([2, 4].map((winogradTile) => WasmDevice.create({ threads, winogradTile, register: false })));
const data = (n) => Float32Array.from({ length: n }, (_, i) => (((i * 2654435761) >>> 0) % 1000) / 500 - 1);
const median = (x) => { x.sort((p, q) => p - q); const m = x.length >> 1; return x.length % 2 ? x[m] : (x[m - 1] + x[m]) / 2; };

console.log(`wasm device, ${threads} thread(s); per pass: F(2×2) ms (effective GFLOP/s) / F(4×4) ms (GFLOP/s), ratio F(2×2) ÷ F(4×4)`);
for (const l of LAYERS) {
  const g = { C: l.C, H: l.H, W: l.H, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: l.H, OW: l.H };
  const xs = l.C * l.H * l.H, ys = l.OC * l.H * l.H, flop = 2 * l.N * ys * l.C * 9;
  const runs = devices.map((d) => {
    const x = d.alloc(l.N * xs), w = d.alloc(l.OC * l.C * 9), y = d.alloc(l.N * ys);
    d.write(x, data(l.N * xs));
    d.write(w, data(l.OC * l.C * 9));
    return {
      forward: () => d.convForwardWinograd(g, l.N, l.OC, x, 0, xs, w, 0, null, 0, y, 0, ys),
      backward: () => d.convBackwardDataWinograd(g, l.N, l.OC, w, 0, y, 0, ys, x, 0, xs),
      free: () => [x, w, y].forEach((b) => d.free(b)),
    };
  });
  const cells = [];
  for (const pass of passes) {
    const [a, b] = runs.map((r) => r[pass]);
    a(); b();
    const ta = [], tb = [];
    let sum = 0;
    while (ta.length < 3 || (sum < 2 * minMs && ta.length < 30)) {
      let t = performance.now(); a(); const da = performance.now() - t;
      t = performance.now(); b(); const db = performance.now() - t;
      ta.push(da); tb.push(db); sum += da + db;
    }
    const [ma, mb] = [median(ta), median(tb)];
    const gf = (ms) => (flop / ms / 1e6).toFixed(0);
    cells.push(`${pass} ${ma.toFixed(2)} (${gf(ma)}) / ${mb.toFixed(2)} (${gf(mb)}) ${(ma / mb).toFixed(2)}`);
  }
  runs.forEach((r) => r.free());
  console.log(`${l.name.padEnd(22)} ${l.C}→${l.OC} ${l.H}²  ${cells.join("  |  ")}`);
}
devices.forEach((d) => d.dispose());
process.exit(0);
