/**
 * TensorFlow.js peers, loaded on demand (bench-only devDependencies, pinned to 4.22.0).
 */
import { createRequire } from "node:module";

/** The subset of tfjs-core the suites use. */
export type Tf = typeof import("@tensorflow/tfjs-core");

const require = createRequire(import.meta.url);

/** Loads tfjs-core with the `cpu` or `wasm` backend active (wasm: SIMD, threads as Node allows). */
export async function loadTf(backend: "cpu" | "wasm"): Promise<Tf> {
  const tf: Tf = require("@tensorflow/tfjs-core");
  require("@tensorflow/tfjs-backend-cpu");
  if (backend === "wasm") require("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}
