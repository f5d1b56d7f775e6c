/**
 * Device configurations the tests run: both SIMD builds, one and two threads, default and tiny
 * block sizes (tiny blocks put the battery's sizes across many MC/KC/NC blocks and tasks, and
 * `minFlopsPerThread: 0` makes even small products use every thread, `minElementsPerThread: 0` splits
 * every elementwise, reduction and pooling call; the default blocks keep the default threshold).
 * @internal
 */
import type { WasmDeviceOptions } from "./wasm-device.js";

/** Block sizes far below the defaults. @internal */
export const TINY_BLOCKING = { MC: 8, KC: 24, NC: 32, directBMaxM: 16, minFlopsPerThread: 0, minElementsPerThread: 0, winogradPanelsPerTask: 3 } as const;

/** @internal */
export const CONFIGS: readonly { label: string; options: WasmDeviceOptions }[] = [
  { label: "1 thread, SIMD (mul+add)", options: { threads: 1, simd: "plain", register: false } },
  { label: "1 thread, relaxed SIMD", options: { threads: 1, simd: "relaxed", register: false } },
  { label: "2 threads, SIMD (mul+add), tiny blocks", options: { threads: 2, simd: "plain", blocking: TINY_BLOCKING, register: false } },
  { label: "2 threads, relaxed SIMD, tiny blocks", options: { threads: 2, simd: "relaxed", blocking: TINY_BLOCKING, register: false } },
  { label: "2 threads, relaxed SIMD, default blocks", options: { threads: 2, simd: "relaxed", blocking: { minFlopsPerThread: 0 }, register: false } },
];
