/**
 * Feature detection: WebAssembly SIMD, relaxed SIMD and threads (shared memory + workers), each by
 * validating or creating the smallest thing that needs it.
 */
import { setEngineFlag, workersUnavailable } from "#host";

/**
 * What the engine supports, as detected by {@link detectFeatures}.
 *
 * @example
 * ```ts
 * import { detectFeatures } from "@tessera/blas-wasm";
 * const f = await detectFeatures(); // { simd: true, relaxedSimd: true, threads: true, … }
 * ```
 */
export interface WasmFeatures {
  /** 128-bit SIMD validates (required: the device needs it). */
  readonly simd: boolean;
  /** Relaxed SIMD (`f32x4.relaxed_madd`) validates, after enabling V8's flag on Node 20 if needed. */
  readonly relaxedSimd: boolean;
  /** A shared `WebAssembly.Memory` can be created and workers exist (browsers: cross-origin isolated). */
  readonly threads: boolean;
  /** Why threads are unavailable, when they are. */
  readonly threadsUnavailableReason?: string;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Type section: one type, `() → v128`; function section: one function of that type. */
const V128_FUNC = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const V128_CONST = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/** `(func (result v128) v128.const 0)`. @internal */
export const SIMD_PROBE = new Uint8Array([...HEADER, ...V128_FUNC, 0x0a, 0x16, 0x01, 0x14, 0x00, ...V128_CONST, 0x0b]);

/** `(func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0)))`. @internal */
export const RELAXED_PROBE = new Uint8Array([
  ...HEADER, ...V128_FUNC, 0x0a, 0x3d, 0x01, 0x3b, 0x00, ...V128_CONST, ...V128_CONST, ...V128_CONST, 0xfd, 0x85, 0x02, 0x0b,
]);

/** The V8 flag that enables relaxed SIMD on Node 20 (V8 11.3); it is on by default from V8 11.4. @internal */
export const RELAXED_SIMD_FLAG = "--experimental-wasm-relaxed-simd";

let relaxedFlagTried = false;

/**
 * Whether relaxed SIMD validates. On Node, if it does not, sets V8's flag once (only that flag,
 * only when the probe fails) and validates again; any failure leaves the process as it was.
 * @internal
 */
export async function relaxedSimdAvailable(): Promise<boolean> {
  if (WebAssembly.validate(RELAXED_PROBE)) return true;
  if (relaxedFlagTried) return false;
  relaxedFlagTried = true;
  try {
    if (!setEngineFlag(RELAXED_SIMD_FLAG)) return false;
  } catch {
    return false;
  }
  return WebAssembly.validate(RELAXED_PROBE);
}

/** Whether a shared memory plus workers are usable; the reason when not. @internal */
export async function threadsAvailable(): Promise<string | undefined> {
  if (typeof SharedArrayBuffer === "undefined") {
    return "SharedArrayBuffer is not available (browsers need cross-origin isolation: COOP same-origin + COEP require-corp)";
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch (e) {
    return `a shared WebAssembly.Memory cannot be created (${(e as Error).message})`;
  }
  return workersUnavailable();
}

/**
 * Detects SIMD, relaxed SIMD (enabling V8's flag on Node 20 when needed) and threads.
 *
 * @example
 * ```ts
 * import { detectFeatures } from "@tessera/blas-wasm";
 * if (!(await detectFeatures()).relaxedSimd) console.log("plain SIMD: mul + add");
 * ```
 */
export async function detectFeatures(): Promise<WasmFeatures> {
  const simd = WebAssembly.validate(SIMD_PROBE);
  const relaxedSimd = simd && (await relaxedSimdAvailable());
  const reason = await threadsAvailable();
  return { simd, relaxedSimd, threads: reason === undefined, ...(reason === undefined ? {} : { threadsUnavailableReason: reason }) };
}
