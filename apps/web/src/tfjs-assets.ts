/** TensorFlow.js's wasm binaries, served from this site (Vite copies them and gives their URLs). */
import plain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import simd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import threadedSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

/** The map `setWasmPaths` takes: file name → absolute URL on this site. */
export function tfjsWasmPaths(base: string): Record<string, string> {
  return {
    "tfjs-backend-wasm.wasm": new URL(plain, base).href,
    "tfjs-backend-wasm-simd.wasm": new URL(simd, base).href,
    "tfjs-backend-wasm-threaded-simd.wasm": new URL(threadedSimd, base).href,
  };
}
