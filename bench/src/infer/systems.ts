/**
 * The peers of `pnpm bench infer` that run outside Tessera's process state: onnxruntime-node (in
 * process, one session per intra-op thread count), onnxruntime-web's wasm backend (a child process
 * per thread count, see ort-web-child.ts), and PyTorch CPU (a Python child, when one with torch and
 * torchvision is there).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measure, type MeasureOptions } from "../harness.js";
import { loadOrt } from "../peers-onnx.js";
import type { OrtWebJob } from "./ort-web-child.js";

/** A peer's timing and its output (null when it did not run, with the reason). */
export type PeerRun = { ok: true; ms: number; output: Float32Array; label?: string; loss0?: number } | { ok: false; why: string };

function readFloats(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function lastJson(stdout: string | null): Record<string, unknown> | undefined {
  const line = `${stdout ?? ""}`.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function childFailure(r: ReturnType<typeof spawnSync>): string {
  const err = `${r.stderr ?? ""}`.trim().split("\n").filter((l) => l.trim()).slice(-1)[0] ?? "";
  const how = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
  return `the child process failed (${how})${err ? `: ${err.slice(0, 300)}` : ""}`;
}

/** onnxruntime-node on the CPU EP with `threads` intra-op threads (graph optimizations on, as a user gets them). */
export async function runOrtNode(modelPath: string, x: Float32Array, shape: readonly number[], threads: number, m: MeasureOptions): Promise<PeerRun> {
  try {
    const ort = loadOrt();
    const session = await ort.InferenceSession.create(readFileSync(modelPath), {
      executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all", logSeverityLevel: 3,
    });
    const feeds = { [session.inputNames[0]]: new ort.Tensor("float32", x, shape as number[]) };
    let y: Float32Array = new Float32Array(0);
    const ms = await measure(async () => {
      y = (await session.run(feeds))[session.outputNames[0]].data as Float32Array;
    }, m);
    await session.release();
    return { ok: true, ms, output: y };
  } catch (e) {
    return { ok: false, why: (e as Error).message.split("\n")[0] };
  }
}

/** onnxruntime-web's wasm backend with `threads` threads, in a child Node process. */
export function runOrtWeb(dir: string, modelPath: string, inputPath: string, shape: readonly number[], threads: number, m: MeasureOptions, timeoutMs: number): PeerRun {
  const output = join(dir, `ort-web-${threads}.bin`);
  const job: OrtWebJob = { model: modelPath, input: inputPath, shape, threads, output, measure: m };
  const jobPath = join(dir, `ort-web-${threads}.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  const child = fileURLToPath(new URL("./ort-web-child.js", import.meta.url));
  const r = spawnSync(process.execPath, [child, jobPath], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 24 });
  const res = lastJson(r.stdout);
  if (!res) return { ok: false, why: childFailure(r) };
  if (typeof res.error === "string") return { ok: false, why: res.error };
  if (res.threads !== threads) return { ok: false, why: `asked for ${threads} threads, the wasm backend reports ${String(res.threads)}` };
  return { ok: true, ms: res.ms as number, output: readFloats(output) };
}

/** `python -c "import torch, torchvision"`: the versions, or why not. */
export function torchVersion(python: string): { ok: true; version: string } | { ok: false; why: string } {
  const r = spawnSync(python, ["-c", "import torch, torchvision; print(torch.__version__, torchvision.__version__)"], { encoding: "utf8", timeout: 120_000 });
  if (r.status === 0) return { ok: true, version: `${r.stdout}`.trim().split(" ")[0] };
  const why = r.error ? r.error.message : `${r.stderr ?? ""}`.trim().split("\n").slice(-1)[0];
  return { ok: false, why };
}

/** What bench/torch/bench_torch.py is asked to do. */
export interface TorchJob {
  readonly mode: "infer" | "train";
  /** torchvision's function name (resnet18, resnet50, vgg16, alexnet, googlenet), or lenet5 (defined in bench_torch.py). */
  readonly model: string;
  readonly classes: number;
  /** Safetensors with torchvision keys (Tessera's state dict). */
  readonly weights: string;
  readonly input: string;
  readonly labels?: string;
  readonly shape: readonly number[];
  readonly threads: number;
  readonly output: string;
  readonly warmup: number;
  readonly runs: number;
}

/** Runs bench/torch/bench_torch.py with `python`; the output is read back for inference jobs. */
export function runTorch(python: string, dir: string, job: TorchJob, timeoutMs: number): PeerRun {
  const jobPath = join(dir, `torch-${job.mode}-${job.threads}.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  const script = fileURLToPath(new URL("../../torch/bench_torch.py", import.meta.url));
  const r = spawnSync(python, [script, jobPath], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 24 });
  const res = lastJson(r.stdout);
  if (!res || typeof res.ms !== "number") return { ok: false, why: childFailure(r) };
  const loss0 = typeof res.loss0 === "number" ? res.loss0 : undefined;
  return { ok: true, ms: res.ms, output: job.mode === "infer" ? readFloats(job.output) : new Float32Array(0), label: `PyTorch ${String(res.torch)} CPU`, loss0 };
}
