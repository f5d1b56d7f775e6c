// A/B of two builds of @tessera/blas-wasm in one process, per ResNet-18 convolution (batch 1,
// forward, `--algorithm`, default 'auto'), timed alternately so that a drifting machine slows both
// alike: A is a saved build in packages/blas-wasm/dist-a (git-ignored), B the current dist.
// Make A from the commit to compare against, e.g.:
//   git stash && pnpm --filter @tessera/blas-wasm build && cp -r packages/blas-wasm/dist packages/blas-wasm/dist-a \
//     && git stash pop && pnpm --filter @tessera/blas-wasm build
// Usage: node bench/ab-builds.mjs [--threads 1] [--algorithm auto|direct|winograd] [--layers l4,stem] [--runs 30]
import { existsSync } from "node:fs";
import * as conv from "@tessera/conv";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const threads = Number(arg("threads", "1")), algorithm = arg("algorithm", "auto"), runs = Number(arg("runs", "30"));
const filter = arg("layers", "").split(",").filter((s) => s !== "");
const saved = new URL("../packages/blas-wasm/dist-a/index.js", import.meta.url);
if (!existsSync(saved)) throw new Error("ab-builds: no build A in packages/blas-wasm/dist-a (see the comment at the top)");
const builds = [await import(saved.href), await import(new URL("../packages/blas-wasm/dist/index.js", import.meta.url).href)];

// [name, C, OC, H (= W), kernel, stride, padding]
const LAYERS = [
  ["stem 7x7/2", 3, 64, 224, 7, 2, 3], ["l1 3x3", 64, 64, 56, 3, 1, 1], ["l2.0 3x3/2", 64, 128, 56, 3, 2, 1], ["l2 ds 1x1/2", 64, 128, 56, 1, 2, 0],
  ["l2 3x3", 128, 128, 28, 3, 1, 1], ["l3.0 3x3/2", 128, 256, 28, 3, 2, 1], ["l3 3x3", 256, 256, 14, 3, 1, 1], ["l4.0 3x3/2", 256, 512, 14, 3, 2, 1],
  ["l4 ds 1x1/2", 256, 512, 14, 1, 2, 0], ["l4 3x3", 512, 512, 7, 3, 1, 1],
].filter(([name]) => filter.length === 0 || filter.some((f) => name.includes(f)));
const data = (n) => Float32Array.from({ length: n }, (_, i) => (((i * 2654435761) >>> 0) % 1000) / 500 - 1);
const median = (v) => { const w = [...v].sort((a, b) => a - b); return w[w.length >> 1]; };
const devices = await Promise.all(builds.map((b) => b.WasmDevice.create({ threads, register: false })));
console.log(`ms, medians of ${runs}, ${threads} thread(s), algorithm '${algorithm}'; B/A < 1: B is faster`);
for (const [name, C, OC, H, K, s, p] of LAYERS) {
  const OH = Math.floor((H + 2 * p - K) / s) + 1;
  const calls = devices.map((dev) => {
    const x = dev.alloc(C * H * H), w = dev.alloc(OC * C * K * K), y = dev.alloc(OC * OH * OH);
    dev.write(x, data(C * H * H));
    dev.write(w, data(OC * C * K * K));
    const g = conv.conv2dGeometry([1, C, H, H], [OC, C, K, K], { stride: s, padding: p, algorithm });
    const ws = new conv.ConvWorkspace(dev);
    return () => conv.conv2dForward(dev, g, x, 0, w, 0, null, 0, y, 0, ws);
  });
  const times = calls.map(() => []);
  for (const f of calls) for (let i = 0; i < 3; i++) f();
  for (let i = 0; i < runs; i++) calls.forEach((f, k) => { const t = performance.now(); f(); times[k].push(performance.now() - t); });
  const [a, b] = times.map(median);
  console.log(name.padEnd(13), `A ${a.toFixed(3)}  B ${b.toFixed(3)}  B/A ${(b / a).toFixed(3)}`);
}
process.exit(0);
