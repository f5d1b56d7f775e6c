/**
 * `pnpm bench infer`: CNN inference (images/s) on Tessera's wasm device with 1 and 2 threads, beside
 * onnxruntime-web's wasm backend (1 and 2 threads, in Node), tfjs-wasm, onnxruntime-node (1 and 2
 * intra-op threads) and, when a Python with torch is there, PyTorch CPU (1 and 2 threads). Every
 * peer gets the same weights: an ONNX graph exported from the Tessera model with @tessera/onnx's
 * `exportOnnx` (tfjs rebuilds that graph with its own ops; PyTorch loads the state dict into the
 * torchvision model). Every output is compared with Tessera's (max relative error printed); a system
 * whose logits differ by more than {@link MAX_REL_ERR} gets no row, so a fast wrong number cannot win.
 * Each Tessera model also runs as `fuse(model)` (the ", fused" rows: BatchNorm folded, residual add
 * and ReLU in the convolution's epilogue). Tessera's systems (1 and 2 threads, plain and fused) and
 * tfjs-wasm are timed interleaved, round-robin, in this process, so their ratios hold on a machine
 * whose speed drifts; the out-of-process and native peers run on their own, and for ResNet-18 at
 * batch 1 Tessera's 1-thread systems are timed again right after onnxruntime-web (the ratios to it
 * use the mean of both timings, and the drift is printed).
 * Also: the imported ResNet-18 (`importOnnx` of the exported file) on wasm, and the profile of
 * ResNet-18 per layer and per routine (`profile()` of @tessera/nn), plain and fused.
 *
 * Flags: --models resnet18,resnet50,vgg16,alexnet,googlenet (default all), --batches 1,16 (default 1,
 * and 1 and 16 for ResNet-18), --size 224, --systems a,b (substring filter), --js (adds Tessera's js
 * device: minutes per image on the big models, off by default), --python python3, --runs 3,
 * --min-time-ms 1000, --warmup-ms 2000, --no-profile, --no-imported.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noGrad, scope, tensor, type Tensor } from "@tessera/autograd";
import { getDevice, type Device } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { fuse, profile, stateDictToBytes, type Module } from "@tessera/nn";
import { exportOnnx, importOnnx } from "@tessera/onnx";
import { measure, measureInterleaved, type BenchArgs, type BenchRow, type MeasureOptions, type SuiteResult, type Timed } from "../harness.js";
import { decodeGraph } from "../infer/onnx-graph.js";
import { selectModels, type InferModel } from "../infer/models.js";
import { runOrtNode, runOrtWeb, runTorch, torchVersion, type PeerRun } from "../infer/systems.js";
import { buildTfGraph, nhwcInput } from "../infer/tfjs-graph.js";
import { loadTf } from "../peers.js";
import { ORT_VERSION } from "../peers-onnx.js";

/** Largest max|y − y_tessera| / max|y_tessera| a peer's logits may show and still get a row. */
export const MAX_REL_ERR = 1e-3;

function relErr(y: Float32Array, ref: Float32Array): number {
  if (y.length !== ref.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num = Math.max(num, Math.abs(y[i] - ref[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  return den > 0 ? num / den : num;
}

/** Times Tessera's forward in eval mode without recording, reading the logits back each run. */
async function runTessera(model: Module, xt: Tensor, m: MeasureOptions): Promise<PeerRun> {
  const once = () => noGrad(() => scope(() => Float32Array.from(model.forward(xt).dataSync() as Float32Array)));
  let y: Float32Array = new Float32Array(0);
  const ms = await measure(() => void (y = once()), m);
  return { ok: true, ms, output: y };
}

interface Ctx {
  readonly args: BenchArgs;
  readonly log: (l: string) => void;
  readonly rows: BenchRow[];
  readonly notes: string[];
  readonly m: MeasureOptions;
  readonly dir: string;
  readonly wanted: (system: string) => boolean;
  readonly python: string;
  readonly torch: string | undefined;
  /** ms per system for ResNet-18 at batch 1 (for the ratios). */
  readonly r18: Map<string, number>;
  /** ms of Tessera's 1-thread systems for ResNet-18 at batch 1, timed again right after onnxruntime-web. */
  readonly r18After: Map<string, number>;
}

async function runCase(ctx: Ctx, spec: InferModel, size: number, batch: number, devices: [string, Device][]): Promise<void> {
  const c = `${spec.title} ${size}×${size}, batch ${batch}`;
  ctx.log(`\n${c}`);
  const shape = [batch, 3, size, size];
  const x = new Float32Array(batch * 3 * size * size);
  new Rng(7).fillNormal(x, 0, 1);
  const inputPath = join(ctx.dir, `input-${batch}.bin`);
  writeFileSync(inputPath, new Uint8Array(x.buffer));
  let ref: Float32Array | undefined;
  const report = (system: string, r: PeerRun) => {
    if (!r.ok) {
      ctx.log(`  ${system.padEnd(44)} ${r.why}`);
      ctx.notes.push(`${c}, ${system}: ${r.why}`);
      return;
    }
    ref ??= r.output;
    const err = relErr(r.output, ref);
    const ok = err <= MAX_REL_ERR;
    ctx.log(`  ${system.padEnd(44)} ${r.ms.toFixed(1).padStart(9)} ms ${((batch * 1000) / r.ms).toFixed(1).padStart(8)} images/s   max rel err ${err.toExponential(1)}${ok ? "" : "  WRONG: no row"}`);
    if (!ok) {
      ctx.notes.push(`${c}, ${system}: logits differ from Tessera's by ${err.toExponential(2)} (relative): not reported`);
      return;
    }
    ctx.rows.push({ case: c, system, ms: r.ms, value: (batch * 1000) / r.ms });
    if (spec.key === "resnet18" && batch === 1) ctx.r18.set(system, r.ms);
  };

  // Tessera's systems and tfjs-wasm are timed interleaved in this process (see measureInterleaved),
  // so the ratios between them (2 threads vs 1, fused vs plain, Tessera vs tfjs) hold on a machine
  // whose speed drifts. Tessera's plain 1-thread output is the reference the others are checked against.
  let onnxBytes: Uint8Array | undefined;
  let weights: Uint8Array | undefined;
  const nets: { system: string; net: Module; xt: Tensor; profile: boolean }[] = [];
  const owned: { dispose(): void }[] = [];
  let tfjs: { system: string; run: () => Promise<unknown>; output: () => Float32Array } | undefined;
  try {
    for (const [label, device] of devices) {
      const fusedLabel = `${label}, fused`;
      if (!ctx.wanted(label) && !ctx.wanted(fusedLabel)) continue;
      try {
        const model = spec.make(device).eval();
        owned.push(model);
        const xt = tensor(x, { shape, device });
        owned.push(xt);
        if (!onnxBytes) onnxBytes = await exportOnnx(model, tensor(x.subarray(0, 3 * size * size), { shape: [1, 3, size, size], device }), { opset: 17 });
        if (!weights && ctx.torch) weights = await stateDictToBytes(model);
        const profiled = spec.key === "resnet18" && batch === 1 && label.includes("1 thread") && ctx.args.flags["no-profile"] === undefined;
        if (ctx.wanted(label)) nets.push({ system: label, net: model, xt, profile: profiled });
        // The inference path the nn README recommends: fuse() folds BatchNorm into the convolutions and
        // applies the residual add and ReLU in the convolution's epilogue (one pass per layer).
        if (ctx.wanted(fusedLabel)) {
          const fused = await fuse(model);
          owned.push(fused);
          nets.push({ system: fusedLabel, net: fused, xt, profile: profiled });
        }
      } catch (e) {
        report(label, { ok: false, why: (e as Error).message.split("\n")[0] });
      }
    }
    if (!onnxBytes) {
      // No Tessera system exported it (filtered out, or it failed): export from a js-device copy so the
      // peers still get the same weights; without an export no peer runs.
      const js = getDevice("js");
      const model = spec.make(js).eval();
      try {
        onnxBytes = await exportOnnx(model, tensor(x.subarray(0, 3 * size * size), { shape: [1, 3, size, size], device: js }), { opset: 17 });
        if (ctx.torch) weights = await stateDictToBytes(model);
      } catch (e) {
        const why = `no peer ran: ${(e as Error).message.split("\n")[0]}`;
        ctx.log(`  ${why}`);
        ctx.notes.push(`${c}: ${why}`);
      } finally {
        model.dispose();
      }
    }
    if (onnxBytes && ctx.wanted("tfjs-wasm 4.22.0")) tfjs = await tfjsSystem(onnxBytes, x, shape, owned, (r) => report(r.system, r.run));
    const outputs = new Map<string, Float32Array>();
    const timed: Timed[] = nets.map(({ system, net, xt }) => ({
      name: system,
      run: () => outputs.set(system, noGrad(() => scope(() => Float32Array.from(net.forward(xt).dataSync() as Float32Array)))),
    }));
    if (tfjs) timed.push({ name: tfjs.system, run: tfjs.run });
    const results = await measureInterleaved(timed, ctx.m);
    timed.forEach((t, i) => {
      const r = results[i];
      const output = tfjs && t.name === tfjs.system ? tfjs.output() : outputs.get(t.name);
      report(t.name, r.ok && output ? { ok: true, ms: r.ms, output } : { ok: false, why: r.ok ? "no output" : r.why });
    });
    for (const n of nets) {
      if (!n.profile) continue;
      const run = () => noGrad(() => scope(() => void n.net.forward(n.xt).dataSync()));
      run();
      const p = await profile(run, { model: n.net });
      ctx.log(`\n  profile of ${c} on ${n.system} (one forward pass; layers to depth 3):\n`);
      ctx.log(p.table({ maxDepth: 3 }).split("\n").map((l) => `    ${l}`).join("\n"));
      ctx.log("");
    }
    // Out-of-process peers cannot be interleaved: time Tessera's 1-thread systems again right after
    // onnxruntime-web (before the native peers, whose thread pools may outlive their sessions), so
    // the ratios to onnxruntime-web can use both timings and the drift is on record.
    const again = async () => {
      if (spec.key !== "resnet18" || batch !== 1) return;
      const ones = nets.filter((n) => n.system.includes("1 thread"));
      const r = await measureInterleaved(ones.map(({ system, net, xt }) => ({ name: system, run: () => noGrad(() => scope(() => void net.forward(xt).dataSync())) })), ctx.m);
      ones.forEach((n, i) => {
        const ri = r[i];
        if (!ri.ok) return;
        ctx.r18After.set(n.system, ri.ms);
        ctx.log(`  ${`${n.system} (again, after onnxruntime-web)`.padEnd(44)} ${ri.ms.toFixed(1).padStart(9)} ms`);
      });
    };
    if (onnxBytes) await runPeers(ctx, spec, size, batch, x, shape, inputPath, devices, onnxBytes, weights, report, again);
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}

/** tfjs-wasm running the exported graph (rebuilt in tfjs ops), as one system of the interleaved group; null when it cannot run. */
async function tfjsSystem(onnxBytes: Uint8Array, x: Float32Array, shape: readonly number[], owned: { dispose(): void }[],
  fail: (r: { system: string; run: PeerRun }) => void): Promise<{ system: string; run: () => Promise<unknown>; output: () => Float32Array } | undefined> {
  let system = "tfjs-wasm 4.22.0";
  try {
    const tf = await loadTf("wasm");
    const n = (createRequire(import.meta.url)("@tensorflow/tfjs-backend-wasm") as { getThreadsCount(): number }).getThreadsCount();
    system = `tfjs-wasm 4.22.0 (${n} thread${n > 1 ? "s" : ""})`;
    const graph = buildTfGraph(tf, await decodeGraph(onnxBytes));
    owned.push(graph);
    const xt = nhwcInput(tf, x, shape);
    owned.push(xt);
    let y: Float32Array = new Float32Array(0);
    return { system, run: async () => void (y = await graph.run(xt)), output: () => y };
  } catch (e) {
    const why = (e as Error).message.split("\n")[0];
    fail({ system, run: { ok: false, why: why.startsWith("not built") ? why : `failed: ${why}` } });
    return undefined;
  }
}

/** The imported ONNX rows and the out-of-process and native peers (onnxruntime-web, onnxruntime-node, PyTorch), each timed on its own. */
async function runPeers(ctx: Ctx, spec: InferModel, size: number, batch: number, x: Float32Array, shape: number[], inputPath: string,
  devices: [string, Device][], onnxBytes: Uint8Array, weights: Uint8Array | undefined, report: (system: string, r: PeerRun) => void, afterOrtWeb: () => Promise<void>): Promise<void> {
  const modelPath = join(ctx.dir, `${spec.key}.onnx`);
  writeFileSync(modelPath, onnxBytes);

  if (spec.key === "resnet18" && ctx.args.flags["no-imported"] === undefined) {
    for (const [label, device] of devices) {
      const system = `${label}, imported ONNX`;
      if (!ctx.wanted(system)) continue;
      const imported = importOnnx(onnxBytes, { device }).eval();
      const xt = tensor(x, { shape, device });
      try {
        report(system, await runTessera(imported, xt, ctx.m));
      } catch (e) {
        report(system, { ok: false, why: (e as Error).message.split("\n")[0] });
      } finally {
        xt.dispose();
        imported.dispose();
      }
    }
  }

  for (const threads of [1, 2]) {
    const system = `onnxruntime-web ${ORT_VERSION} wasm ${threads} thread${threads > 1 ? "s" : ""}`;
    if (ctx.wanted(system)) report(system, runOrtWeb(ctx.dir, modelPath, inputPath, shape, threads, ctx.m, 600_000));
  }
  await afterOrtWeb();
  for (const threads of [1, 2]) {
    const system = `onnxruntime-node ${ORT_VERSION} ${threads} thread${threads > 1 ? "s" : ""}`;
    if (ctx.wanted(system)) report(system, await runOrtNode(modelPath, x, shape, threads, ctx.m));
  }
  if (ctx.torch && weights) {
    const weightsPath = join(ctx.dir, `${spec.key}.safetensors`);
    writeFileSync(weightsPath, weights);
    for (const threads of [1, 2]) {
      const system = `PyTorch ${ctx.torch} CPU ${threads} thread${threads > 1 ? "s" : ""}`;
      if (!ctx.wanted(system)) continue;
      report(system, runTorch(ctx.python, ctx.dir, {
        mode: "infer", model: spec.key, classes: 1000, weights: weightsPath, input: inputPath, shape, threads,
        output: join(ctx.dir, `torch-${threads}.bin`), warmup: ctx.m.warmup ?? 1, runs: ctx.m.minRuns ?? 3,
      }, 1_200_000));
    }
  }
}

function ratioNotes(ctx: Ctx): void {
  const find = (part: string) => [...ctx.r18].find(([s]) => s.includes(part))?.[1];
  // Against onnxruntime-web (child processes, timed on their own), Tessera's time is the mean of its
  // interleaved timing before them and its timing again right after them.
  const around = (system: string) => {
    const a = ctx.r18.get(system), b = ctx.r18After.get(system);
    return a !== undefined && b !== undefined ? (a + b) / 2 : a;
  };
  const say = (what: string, num: number | undefined, den: number | undefined, target: string) => {
    const line = num !== undefined && den !== undefined ? `${(num / den).toFixed(2)}× (target ${target})` : "not measured";
    ctx.log(`  ${what}: ${line}`);
    ctx.notes.push(`ResNet-18 batch 1, ${what}: ${line}.`);
  };
  const ortWeb1 = ctx.r18.get(`onnxruntime-web ${ORT_VERSION} wasm 1 thread`);
  const ortNode1 = ctx.r18.get(`onnxruntime-node ${ORT_VERSION} 1 thread`);
  ctx.log("\nIssue 15's ratios (speed of the first over the second, from the same run):");
  for (const v of ["", ", fused"]) {
    const one = `tessera wasm 1 thread${v}`, two = `tessera wasm 2 threads${v}`;
    const w = v ? "Tessera wasm fused" : "Tessera wasm";
    say(`${w} 1 thread vs onnxruntime-web wasm 1 thread`, ortWeb1, around(one), "≥ 2");
    say(`${w} 1 thread vs tfjs-wasm (interleaved)`, find("tfjs-wasm"), ctx.r18.get(one), "≥ 2");
    say(`${w} 2 threads vs 1 thread (interleaved)`, ctx.r18.get(one), ctx.r18.get(two), "≥ 1.8");
    say(`${w} 1 thread vs onnxruntime-node 1 thread`, ortNode1, ctx.r18.get(one), "the native reference");
    const a = ctx.r18.get(one), b = ctx.r18After.get(one);
    if (a !== undefined && b !== undefined) {
      const line = `${a.toFixed(1)} ms interleaved before onnxruntime-web, ${b.toFixed(1)} ms after it (${(((b - a) / a) * 100).toFixed(0)} % drift); the ratio to it uses the mean`;
      ctx.log(`  ${one}: ${line}`);
      ctx.notes.push(`ResNet-18 batch 1, ${one}: ${line}.`);
    }
  }
  say("imported ResNet-18 (wasm 1 thread) vs onnxruntime-node 1 thread", ortNode1, ctx.r18.get("tessera wasm 1 thread, imported ONNX"), "issue 14: reported");
}

export default async function infer(args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const { models, size } = selectModels(args);
  const runs = Number(args.flags.runs ?? 3);
  // Warm-up for --warmup-ms too (default 2000): V8 runs a wasm module's baseline code until it is hot,
  // and a large module (onnxruntime-web's) takes several runs to reach optimized code.
  const m: MeasureOptions = {
    warmup: 1, warmupMs: Number(args.flags["warmup-ms"] ?? 2000), minRuns: runs, maxRuns: Math.max(runs, 20), minTimeMs: Number(args.flags["min-time-ms"] ?? 1000),
  };
  const filters = args.flags.systems?.split(",").map((s) => s.trim()).filter(Boolean);
  const python = args.flags.python ?? "python3";
  const tv = torchVersion(python);
  const notes: string[] = [];
  if (!tv.ok) notes.push(`PyTorch CPU: absent (${python} has no torch/torchvision: ${tv.why.slice(0, 120)}); bench/README.md shows the venv to make it present.`);
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-infer-"));
  const ctx: Ctx = { args, log, rows: [], notes, m, dir, wanted: (s) => !filters || filters.some((f) => s.includes(f)), python, torch: tv.ok ? tv.version : undefined, r18: new Map(), r18After: new Map() };
  const { wasmDevice } = await import("@tessera/blas-wasm");
  const devices: [string, Device][] = [
    ["tessera wasm 1 thread", await wasmDevice({ threads: 1, register: false })],
    ["tessera wasm 2 threads", await wasmDevice({ threads: 2, register: false })],
  ];
  if (args.flags.js !== undefined) devices.unshift(["tessera js", getDevice("js")]);
  else notes.push("Tessera's js device is left out (the reference kernels take minutes per ResNet-50 or VGG-16 image); --js adds it.");
  try {
    for (const { model, batches } of models) for (const b of batches) await runCase(ctx, model, size, b, devices);
    if (models.some((x) => x.model.key === "resnet18")) ratioNotes(ctx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const [, d] of devices) (d as { dispose?: () => void }).dispose?.();
  }
  notes.push(`Median of at least ${runs} runs (and ${m.minTimeMs} ms per system) after one warm-up run and ${m.warmupMs} ms more of them; Tessera's systems and tfjs-wasm round-robin in one process, the other peers on their own; input N×3×${size}×${size} from a seeded normal; logits read back every run. Peers run the ONNX graph exported from the Tessera model (opset 17, BatchNormalization not folded; onnxruntime folds it at load with graph optimizations 'all'; the tfjs graph folds it as tfjs-converter would). A peer whose logits differ from Tessera's by more than ${MAX_REL_ERR} (max abs error / max |logit|) gets no row.`);
  notes.push("onnxruntime-web runs in a child Node process per thread count: its wasm module fixes ort.env.wasm.numThreads when the first session is created; in Node it loads dist/ort.node.min.mjs and runs numThreads − 1 worker threads beside the main thread. tfjs-wasm uses the thread count its backend reports (getThreadsCount()).");
  return { title: `CNN inference, ${size}×${size}`, unit: "images/s", rows: ctx.rows, notes };
}
