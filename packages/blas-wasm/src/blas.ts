/**
 * The drop-in BLAS: the routines of `@tessera/blas` with identical signatures (both forms), running
 * in wasm on the registered `'wasm'` device (create it once with `await wasmDevice()`). They accept
 * any Float32Array: operands outside wasm memory are copied in and results copied back.
 */
import {
  getDevice, listDevices, type Blas, type PairRoutine, type ReduceRoutine, type SaxpyRoutine, type SgemmRoutine,
  type SgemvRoutine, type SgerRoutine, type SscalRoutine,
} from "@tessera/blas";
import { WasmDevice } from "./wasm-device.js";

function current(fn: string): Blas {
  const d = listDevices().includes("wasm") ? getDevice("wasm") : undefined;
  if (!(d instanceof WasmDevice)) {
    throw new Error(`${fn}: no wasm device is registered yet; call \`await wasmDevice()\` from @tessera/blas-wasm once before using its drop-in BLAS`);
  }
  return d.blas;
}

function routine<K extends keyof Blas>(name: K): Blas[K] {
  type R = Blas[K];
  const call = (...args: unknown[]) => (current(name)[name] as unknown as (...a: unknown[]) => unknown)(...args);
  const ndarray = (...args: unknown[]) => (current(name)[name].ndarray as unknown as (...a: unknown[]) => unknown)(...args);
  return Object.assign(call, { ndarray }) as unknown as R;
}

/**
 * C ← α·op(A)·op(B) + β·C in wasm (same signatures as `@tessera/blas`'s `sgemm`).
 *
 * @example
 * ```ts
 * import { sgemm, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * const C = sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 2, 1,
 *   new Float32Array([1, 2, 3, 4]), 2, new Float32Array([5, 6, 7, 8]), 2, 0, new Float32Array(4), 2); // [19, 22, 43, 50]
 * ```
 */
export const sgemm: SgemmRoutine = routine("sgemm");

/**
 * y ← α·op(A)·x + β·y in wasm.
 *
 * @example
 * ```ts
 * import { sgemv, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sgemv("row-major", "no-transpose", 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, new Float32Array([1, 1]), 1, 0, new Float32Array(2), 1); // [3, 7]
 * ```
 */
export const sgemv: SgemvRoutine = routine("sgemv");

/**
 * A ← α·x·yᵀ + A in wasm.
 *
 * @example
 * ```ts
 * import { sger, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sger("row-major", 2, 2, 1, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1, new Float32Array(4), 2); // [3, 4, 6, 8]
 * ```
 */
export const sger: SgerRoutine = routine("sger");

/**
 * y ← α·x + y in wasm.
 *
 * @example
 * ```ts
 * import { saxpy, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * saxpy(2, 2, new Float32Array([1, 2]), 1, new Float32Array([1, 1]), 1); // [3, 5]
 * ```
 */
export const saxpy: SaxpyRoutine = routine("saxpy");

/**
 * x ← α·x in wasm.
 *
 * @example
 * ```ts
 * import { sscal, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sscal(2, 0.5, new Float32Array([2, 4]), 1); // [1, 2]
 * ```
 */
export const sscal: SscalRoutine = routine("sscal");

/**
 * y ← x in wasm; returns y.
 *
 * @example
 * ```ts
 * import { scopy, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * scopy(2, new Float32Array([1, 2]), 1, new Float32Array(2), 1); // [1, 2]
 * ```
 */
export const scopy: PairRoutine<Float32Array> = routine("scopy");

/**
 * x ↔ y in wasm; returns y.
 *
 * @example
 * ```ts
 * import { sswap, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sswap(2, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1); // y = [1, 2]
 * ```
 */
export const sswap: PairRoutine<Float32Array> = routine("sswap");

/**
 * xᵀy (float64 accumulation) in wasm.
 *
 * @example
 * ```ts
 * import { sdot, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sdot(2, new Float32Array([1, 2]), 1, new Float32Array([3, 4]), 1); // 11
 * ```
 */
export const sdot: PairRoutine<number> = routine("sdot");

/**
 * ‖x‖₂ in wasm.
 *
 * @example
 * ```ts
 * import { snrm2, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * snrm2(2, new Float32Array([3, 4]), 1); // 5
 * ```
 */
export const snrm2: ReduceRoutine = routine("snrm2");

/**
 * Σ|xᵢ| in wasm.
 *
 * @example
 * ```ts
 * import { sasum, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * sasum(2, new Float32Array([-1, 2]), 1); // 3
 * ```
 */
export const sasum: ReduceRoutine = routine("sasum");

/**
 * Index of the first largest |xᵢ| (−1 for N = 0) in wasm.
 *
 * @example
 * ```ts
 * import { isamax, wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice();
 * isamax(3, new Float32Array([1, -3, 2]), 1); // 1
 * ```
 */
export const isamax: ReduceRoutine = routine("isamax");
