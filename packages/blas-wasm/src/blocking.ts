/**
 * Block sizes of the wasm sgemm, as data: one object per device, so they can be tuned without
 * touching a kernel. See README.md ("How the block sizes were chosen") for the measurements.
 */

/**
 * Cache blocking of the BLIS loops (the register tile is fixed at MR×NR = 4×8 by the kernel).
 *
 * @example
 * ```ts
 * import { wasmDevice, DEFAULT_BLOCKING } from "@tessera/blas-wasm";
 * const dev = await wasmDevice({ blocking: { ...DEFAULT_BLOCKING, KC: 384 } });
 * ```
 */
export interface GemmBlocking {
  /** Rows of A per compute task: an MC×KC packed block stays in L2. A multiple of 4 (MR). */
  readonly MC: number;
  /** Depth of a K block: a KC×8 packed B micro-panel stays in L1. Same for every thread count. */
  readonly KC: number;
  /** Columns of B packed per block (KC×NC lives in L3). A multiple of 8 (NR). */
  readonly NC: number;
  /**
   * Read full 8-column panels of a row-contiguous B in place instead of packing them when
   * M ≤ this (and B's row stride is not a multiple of 4 KiB, which would alias in the caches):
   * with few rows of A, each B panel is used only M/4 times, so packing it costs more than it
   * saves. 0 disables.
   */
  readonly directBMaxM: number;
  /** Below this many flops (2·M·N·K) a product runs on one thread (waking workers costs more). */
  readonly minFlopsPerThread: number;
  /**
   * The one size threshold of the O(n) routines (elementwise unary, binary and fill, reductions,
   * argmax, max and average pooling forward and backward, im2col, col2im): a call uses one thread
   * per this many elements it touches (input elements; for im2col and col2im, column elements), so
   * smaller calls stay on the calling thread, where waking a worker would cost more than it saves.
   * 0 splits every call that can be split.
   */
  readonly minElementsPerThread: number;
  /**
   * Winograd F(2×2, 3×3) calls with at most this many 2×2 tiles over the batch (ResNet's 7×7 and
   * 14×14 layers at batch 1) run as output-channel panels: each task transforms the filters of its
   * own output channels and uses them while they are in its core's caches, instead of one shared
   * transform streamed through memory by every task. 0 disables.
   */
  readonly winogradPanelTiles: number;
  /** Output-channel panels of 4 per task in that schedule (a task's transformed filters: 64·C·this bytes). */
  readonly winogradPanelsPerTask: number;
}

/**
 * The default blocking, tuned on an AMD EPYC (Zen 5: 48 KiB L1d, 1 MiB L2, 32 MiB L3) under
 * Node 20; see README.md.
 *
 * @example
 * ```ts
 * import { DEFAULT_BLOCKING } from "@tessera/blas-wasm";
 * DEFAULT_BLOCKING.KC; // 256
 * ```
 */
export const DEFAULT_BLOCKING: GemmBlocking = Object.freeze({
  MC: 128,
  KC: 256,
  NC: 4096,
  directBMaxM: 128,
  minFlopsPerThread: 2e6,
  minElementsPerThread: 32768,
  winogradPanelTiles: 64,
  winogradPanelsPerTask: 4,
});

/** Validates a blocking object, naming the bad field. @internal */
export function checkBlocking(fn: string, b: GemmBlocking): GemmBlocking {
  const need = (k: keyof GemmBlocking, ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`${fn}: blocking.${k} must be ${what}, got ${b[k]}`);
  };
  need("MC", Number.isInteger(b.MC) && b.MC >= 4 && b.MC % 4 === 0, "a positive multiple of 4");
  need("KC", Number.isInteger(b.KC) && b.KC >= 1, "a positive integer");
  need("NC", Number.isInteger(b.NC) && b.NC >= 8 && b.NC % 8 === 0, "a positive multiple of 8");
  need("directBMaxM", Number.isInteger(b.directBMaxM) && b.directBMaxM >= 0, "a non-negative integer");
  need("minFlopsPerThread", typeof b.minFlopsPerThread === "number" && b.minFlopsPerThread >= 0, "a non-negative number");
  need("minElementsPerThread", Number.isInteger(b.minElementsPerThread) && b.minElementsPerThread >= 0, "a non-negative integer");
  need("winogradPanelTiles", Number.isInteger(b.winogradPanelTiles) && b.winogradPanelTiles >= 0, "a non-negative integer");
  need("winogradPanelsPerTask", Number.isInteger(b.winogradPanelsPerTask) && b.winogradPanelsPerTask >= 1, "a positive integer");
  return b;
}
