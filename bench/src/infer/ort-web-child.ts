/**
 * Runs one model on onnxruntime-web's wasm backend in a process of its own: the wasm module reads
 * `ort.env.wasm.numThreads` once, when the first session is created, so 1 and 2 threads need two
 * processes. In Node, onnxruntime-web 1.30 loads its own ESM build (`dist/ort.node.min.mjs`) and runs
 * the threaded wasm with `numThreads − 1` worker threads beside the main one.
 *
 * Usage: node ort-web-child.js <job.json>; the job names the model, input and output files. Prints
 * one JSON line `{ ms, threads }`, or `{ error }`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { measure, type MeasureOptions } from "../harness.js";

/** What the parent asks of the child. */
export interface OrtWebJob {
  readonly model: string;
  readonly input: string;
  readonly shape: readonly number[];
  readonly threads: number;
  readonly output: string;
  readonly measure: MeasureOptions;
}

const job = JSON.parse(readFileSync(process.argv[2], "utf8")) as OrtWebJob;
try {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = job.threads;
  const session = await ort.InferenceSession.create(readFileSync(job.model), { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  const buf = readFileSync(job.input);
  const x = new ort.Tensor("float32", new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), job.shape as number[]);
  const feeds = { [session.inputNames[0]]: x };
  let y: Float32Array = new Float32Array(0);
  const ms = await measure(async () => {
    const out = await session.run(feeds);
    y = out[session.outputNames[0]].data as Float32Array;
  }, job.measure);
  writeFileSync(job.output, new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  process.stdout.write(`\n${JSON.stringify({ ms, threads: ort.env.wasm.numThreads })}\n`);
  await session.release();
} catch (e) {
  process.stdout.write(`\n${JSON.stringify({ error: (e as Error).message.split("\n")[0] })}\n`);
}
process.exit(0);
