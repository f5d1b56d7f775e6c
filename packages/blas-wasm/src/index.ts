/**
 * `@tessera/blas-wasm`: the `'wasm'` device. Every `Device` routine in WebAssembly SIMD
 * (AssemblyScript), a BLIS-style packed sgemm with a 4×8 register-blocked f32x4 micro-kernel
 * (relaxed-SIMD FMA when the engine validates it), multithreaded over a worker pool sharing one
 * `WebAssembly.Memory`, plus drop-in BLAS with the signatures of `@tessera/blas`.
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * import { wasmDevice, sgemm } from "@tessera/blas-wasm";
 * const dev = await wasmDevice();            // registers 'wasm'; threads = available cores
 * getDevice("wasm") === dev;                 // true
 * sgemm("row-major", "no-transpose", "no-transpose", 1, 1, 1, 1,
 *   new Float32Array([2]), 1, new Float32Array([3]), 1, 0, new Float32Array(1), 1); // [6]
 * ```
 * @packageDocumentation
 */
export { wasmDevice, WasmDevice, type WasmDeviceOptions } from "./wasm-device.js";
export { WasmBuffer } from "./wasm-buffer.js";
export { DEFAULT_BLOCKING, type GemmBlocking } from "./blocking.js";
export { detectFeatures, type WasmFeatures } from "./features.js";
export { sgemm, sgemv, sger, saxpy, sscal, scopy, sswap, sdot, snrm2, sasum, isamax } from "./blas.js";
