// Bound on what an inference plan could save: a fused ResNet-18 forward vs a replay of its device calls
// (same buffers, same args: no nn/autograd/conv JS), interleaved. argv: threads runs
import { wasmDevice } from "@tessera/blas-wasm";
import { noGrad, scope, tensor } from "@tessera/autograd";
import { fuse } from "@tessera/nn";
import { resnet18 } from "@tessera/models";
const threads = Number(process.argv[2] ?? 1), runs = Number(process.argv[3] ?? 20);
const device = await wasmDevice({ threads });
const net = await fuse(resnet18({ seed: 0, device }).eval());
const x = new Float32Array(3 * 224 * 224); for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37);
const xt = tensor(x, { shape: [1, 3, 224, 224], device });
const run = () => noGrad(() => scope(() => net.forward(xt).dataSync()));
for (let i = 0; i < 5; i++) run();
// record
const P = Object.getPrototypeOf(device); const names = ["convForwardWinograd", "convForward", "maxPool2d", "avgPool2d", "sgemm", "sgemv", "unary", "binary"];
const rec = []; let recording = false; const origFree = P.free;
const saved = {};
for (const n of names) { const f = P[n]; saved[n] = f; device[n] = function (...a) { if (recording) rec.push([n, a]); return f.apply(this, a); }; }
device.free = function (b) { if (recording) return; return origFree.call(this, b); };
recording = true; const ref = run(); recording = false;
for (const n of names) delete device[n]; delete device.free;
console.log("recorded", rec.length, "device calls:", [...new Set(rec.map((r) => r[0]))].join(", "));
const replay = () => { for (const [n, a] of rec) saved[n].apply(device, a); };
const tA = [], tB = [];
for (let k = 0; k < runs; k++) {
  let t0 = performance.now(); run(); tA.push(performance.now() - t0);
  t0 = performance.now(); replay(); tB.push(performance.now() - t0);
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`${threads}t: forward ${med(tA).toFixed(2)} ms, replay of its device calls ${med(tB).toFixed(2)} ms, difference ${(med(tA) - med(tB)).toFixed(2)} ms`);
process.exit(0);
