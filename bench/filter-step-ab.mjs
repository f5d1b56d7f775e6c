// ResNet-18 training step (batch 8, 224², SGD momentum) with and without the Winograd backward-filter,
// interleaved step by step on one device and model (the B steps hide the hint winogradFilterMinChannels,
// so 'auto' keeps the implicit-GEMM convBackwardFilter): node bench/filter-step-ab.mjs <threads> <steps each>
import { wasmDevice } from "@tessera/blas-wasm";
import { tensor, scope } from "@tessera/autograd";
import { resnet18 } from "@tessera/models";
import { crossEntropy, SGD } from "@tessera/optim";
const threads = Number(process.argv[2] ?? 1), steps = Number(process.argv[3] ?? 6), batch = 8;
const device = await wasmDevice({ threads });
const proto = Object.getPrototypeOf(device);
const hints = Object.getOwnPropertyDescriptor(proto, "hints").get;
let winograd = true;
Object.defineProperty(device, "hints", { get() { const h = hints.call(device); return winograd ? h : { ...h, winogradFilterMinChannels: undefined }; } });
const model = resnet18({ seed: 0, device });
const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const x = new Float32Array(batch * 3 * 224 * 224).map((_, i) => Math.sin(i * 0.37));
const y = Int32Array.from({ length: batch }, (_, i) => (i * 37) % 1000);
const xt = tensor(x, { shape: [batch, 3, 224, 224], device });
let filterCalls = 0;
const real = device.convBackwardFilterWinograd.bind(device);
device.convBackwardFilterWinograd = (...a) => { filterCalls++; real(...a); };
async function step() {
  const loss = scope(() => { opt.zeroGrad(); const l = crossEntropy(model.forward(xt), y); l.backward(); opt.step(); return l; });
  await loss.data();
  loss.dispose();
}
const t = { on: [], off: [] };
for (let i = 0; i < steps + 1; i++) {
  for (const w of [true, false]) {
    winograd = w;
    const s = performance.now();
    await step();
    if (i > 0) t[w ? "on" : "off"].push(performance.now() - s);
  }
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`${threads}T batch ${batch}: implicit convBackwardFilter ${med(t.off).toFixed(0)} ms/step, Winograd backward-filter under auto ${med(t.on).toFixed(0)} ms/step, ratio ${(med(t.off) / med(t.on)).toFixed(2)}x (median of ${steps} each, interleaved; Winograd filter calls ${filterCalls})`);
console.log("on", t.on.map((v) => v.toFixed(0)).join(" "), "| off", t.off.map((v) => v.toFixed(0)).join(" "));
process.exit(0);
