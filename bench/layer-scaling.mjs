// Where a second thread helps and where it does not: `profile()` of a fuse()d torchvision-layout
// model (ResNet-18 or ResNet-50, batch 1, 224×224) on a 1-thread and a 2-thread wasm device,
// alternately in one process, `--reps` times each; per layer (to `--depth`) and per device routine
// the median ms on 1 and 2 threads, their ratio, and what the layer would save at 1.8×.
// Usage: node bench/layer-scaling.mjs [--model resnet18|resnet50] [--reps 9] [--depth 3]
import { WasmDevice } from "@tessera/blas-wasm";
import { noGrad, scope, tensor } from "@tessera/autograd";
import { fuse, profile } from "@tessera/nn";
import { resnet18, resnet50 } from "@tessera/models";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const model = arg("model", "resnet18"), reps = Number(arg("reps", "9")), depth = Number(arg("depth", model === "resnet50" ? "2" : "3"));
const build = { resnet18, resnet50 }[model];
if (!build) throw new RangeError(`layer-scaling: --model must be resnet18 or resnet50, got ${model}`);

const systems = [];
for (const threads of [1, 2]) {
  const device = await WasmDevice.create({ threads, register: false });
  const net = await fuse(build({ seed: 0, device }).eval());
  const x = tensor(Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37)), { shape: [1, 3, 224, 224], device });
  systems.push({ net, run: () => noGrad(() => scope(() => void net.forward(x).dataSync())), layers: new Map(), ops: new Map() });
}
const push = (map, key, ms) => map.set(key, [...(map.get(key) ?? []), ms]);
for (const s of systems) for (let i = 0; i < 3; i++) s.run();
for (let r = 0; r < reps; r++) {
  for (const s of systems) {
    const p = await profile(s.run, { model: s.net });
    for (const l of p.layers) if (l.depth === 0 || l.depth === depth || (l.depth < depth && !l.path.includes("."))) push(s.layers, l.path || "(model)", l.ms);
    for (const o of p.ops) push(s.ops, `op ${o.name}`, o.ms);
  }
}
const median = (v) => { const w = [...v].sort((a, b) => a - b); return w[w.length >> 1]; };
console.log(`${model}, batch 1, fused: profile() medians of ${reps}, ms`);
console.log("layer".padEnd(30), "1 thread".padStart(9), "2 threads".padStart(10), "ratio".padStart(6), "saved at 1.8×".padStart(14));
for (const [one, two] of [[systems[0].layers, systems[1].layers], [systems[0].ops, systems[1].ops]]) {
  for (const [k, v] of one) {
    const a = median(v), b = median(two.get(k) ?? [NaN]);
    console.log(k.padEnd(30), a.toFixed(2).padStart(9), b.toFixed(2).padStart(10), (a / b).toFixed(2).padStart(6), (b - a / 1.8).toFixed(2).padStart(14));
  }
}
process.exit(0);
