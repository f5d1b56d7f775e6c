// How much of a fused ResNet-18 forward (batch 1, wasm) is spent above the device: the forward
// through nn, autograd and conv against a replay of the device calls it made (same buffers, same
// arguments), timed alternately in one process. The difference is the framework's host time
// (module calls, argument checks, tensors, scopes), which runs cold between kernels.
// Usage: node bench/framework-overhead.mjs [--threads 1] [--runs 20]
import { wasmDevice } from "@tessera/blas-wasm";
import { noGrad, scope, tensor } from "@tessera/autograd";
import { fuse } from "@tessera/nn";
import { resnet18 } from "@tessera/models";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const threads = Number(arg("threads", "1")), runs = Number(arg("runs", "20"));
const device = await wasmDevice({ threads });
const net = await fuse(resnet18({ seed: 0, device }).eval());
const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37));
const xt = tensor(x, { shape: [1, 3, 224, 224], device });
const forward = () => noGrad(() => scope(() => net.forward(xt).dataSync()));
for (let i = 0; i < 5; i++) forward();

// Record one forward's device calls; its buffers are kept alive (free is skipped while recording).
const ROUTINES = ["convForwardWinograd", "convForward", "maxPool2d", "avgPool2d", "sgemm", "sgemv", "unary", "binary"];
const proto = Object.getPrototypeOf(device);
const calls = [];
for (const name of ROUTINES) device[name] = (...a) => (calls.push([name, a]), proto[name].apply(device, a));
device.free = () => {};
forward();
for (const name of [...ROUTINES, "free"]) delete device[name];
const replay = () => {
  for (const [name, a] of calls) proto[name].apply(device, a);
};

const tf = [], tr = [];
for (let k = 0; k < runs; k++) {
  let t0 = performance.now();
  forward();
  tf.push(performance.now() - t0);
  t0 = performance.now();
  replay();
  tr.push(performance.now() - t0);
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(`fused ResNet-18, batch 1, ${threads} thread(s), medians of ${runs}: forward ${median(tf).toFixed(2)} ms, ` +
  `replay of its ${calls.length} device calls ${median(tr).toFixed(2)} ms, framework ${(median(tf) - median(tr)).toFixed(2)} ms`);
process.exit(0);
