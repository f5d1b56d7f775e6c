/**
 * Planning of one Winograd F(4×4, 3×3) convolution on the engine (assembly/winograd4.ts has the
 * kernels; src/winograd.ts is the F(2×2, 3×3) twin, whose job structure this one shares): the
 * filter transform once, then per chunk of whole tile rows the input transform, the 36 products
 * `M[p] = U[p] · V[p]` on the sgemm micro-kernel (U and V packed by the transforms) and the output
 * transform with the bias and the forward epilogue, 1 + 2 per chunk jobs; or, when the tile rows
 * make at least two blocks per thread, the filter transform and then blocks of tile rows, each a
 * task that runs all three phases in the thread's own V and M. A chunk has at most `blocking.NC`
 * tiles, and its V and M take at most {@link CHUNK_BYTES} unless that leaves fewer than
 * {@link MIN_CHUNK_TILES} tiles. The workspace: job record | U | V | M | per-thread scratch.
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import type { GemmBlocking } from "./blocking.js";
import { MR, NR } from "./gemm.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";
import { planeBytes, runWinogradCall, type WinogradAddresses } from "./winograd.js";


/** Bytes a block's own V and M may take (one thread, ResNet-18 layers 1–2 at batch 8, interleaved with the earlier F(4×4): 1 MiB 0.88–1.00×, 2 MiB 1.00–1.10×, 4 MiB 0.94–0.97×). */
const BLOCK_BYTES = 2 << 20;
/** Tiles a block has at least (a block reads all of U: 2 flops per tile and U element). */
const MIN_BLOCK_TILES = 32;

/** Bytes the transformed tiles of one chunk (V and M) may take. */
const CHUNK_BYTES = 4 << 20;
/** Tiles a chunk has at least (when the image has them), however many channels. */
const MIN_CHUNK_TILES = 128;
/** Transform tasks per thread in a chunk (tile rows × channel groups) at least, where the channels allow. */
const GROUP_TASKS = 4;

/**
 * The Winograd tile of the wasm device's `winogradTile` option: `'auto'` (F(4×4) where it was
 * measured faster than F(2×2); see {@link pickWinogradTile}), 2 or 4. @internal
 */
export type WinogradTile = "auto" | 2 | 4;

/** Validates the `winogradTile` option of a wasm device. @internal */
export function checkWinogradTile(fn: string, t: unknown): WinogradTile {
  if (t === undefined) return "auto";
  if (t === "auto" || t === 2 || t === 4) return t;
  throw new RangeError(`${fn}: winogradTile must be 'auto', 2 or 4, got ${JSON.stringify(t)}`);
}

/**
 * Output tile of a Winograd pass with output planes OH×OW over N images under `tile`. 'auto'
 * takes F(4×4) when it has at least {@link F4_MIN_TILES} tiles over the batch. Measured
 * (`bench/winograd-tiles.mjs`, one thread, F(2×2) and F(4×4) interleaved; table in the README):
 * F(4×4) is 1.1–1.7× F(2×2) on ResNet-18's layers with ≥ 32 tiles (layers 1–2 at batch 1, every
 * layer at batch 8; backward-data of layer4 at batch 8 0.94 and 1.12 in two runs) and on VGG-16's
 * down to 28×28, and 0.5–0.97× with fewer (ResNet-18 layers 3–4 at batch 1, VGG-16 conv5_1): there
 * the 36 products are thin (T = 16 or 4 columns) and streaming the 36 transformed filter planes
 * (36·Cin·Cout floats, written and read once per call) dominates. Independent of the thread
 * count, so results are too.
 * @internal
 */
export function pickWinogradTile(tile: WinogradTile, OH: number, OW: number, N: number): 2 | 4 {
  if (tile !== "auto") return tile;
  return N * Math.ceil(OH / 4) * Math.ceil(OW / 4) >= F4_MIN_TILES ? 4 : 2;
}

/** 4×4 tiles over the batch from which 'auto' may take F(4×4) (see {@link pickWinogradTile}). @internal */
export const F4_MIN_TILES = 32;

/**
 * The schedule of one F(4×4) call: threads, tile rows, tiles per row (TWP, not padded), whether it runs
 * as blocks (two jobs) or chunks (1 + 2 per chunk), tile rows per block or chunk, and the columns
 * of a product task. Depends on the thread count; the results do not. @internal
 */
export function planWinograd4(threads: number, blocking: GemmBlocking, Cin: number, Cout: number, OH: number, OW: number, N: number) {
  const TH = Math.ceil(OH / 4), TWP = Math.ceil(OW / 4);
  const rowsTotal = N * TH;
  // Work of the whole call (≈ flops: 36 products and the transforms): threads only where it pays, as for sgemm.
  const flops = 72 * Cout * Cin * rowsTotal * TWP + 160 * rowsTotal * TWP * (Cin + Cout) + 200 * Cout * Cin;
  const active = Math.max(1, Math.min(threads, Math.floor(flops / Math.max(1, blocking.minFlopsPerThread))));
  // Blocks (phase 4) when each has MIN_BLOCK_TILES tiles (a block streams all of U) and there are two
  // per thread, or as many per thread (the even count): then V and M never cross cores. ResNet-18
  // layer1 at batch 1 on 2 threads, one 7-row block each instead of 3 chunked jobs: 1.28 vs 1.89 ms
  // (2-vCPU VM, interleaved; 1 thread 2.1 ms), the chunked jobs' transforms writing V and M that the
  // other core reads next.
  // The rows split evenly (block b: rows [⌊b·rows/n⌋, ⌊(b+1)·rows/n⌋)), the count rounded up to a
  // multiple of the threads where the blocks keep MIN_BLOCK_TILES tiles.
  const maxBlockRows = Math.max(1, Math.floor(BLOCK_BYTES / (144 * (Cin + Cout) * TWP)));
  const fewest = Math.ceil(rowsTotal / maxBlockRows), even = Math.min(rowsTotal, Math.ceil(fewest / active) * active);
  const nBlocks = Math.floor(rowsTotal / even) * TWP >= MIN_BLOCK_TILES ? even : fewest;
  const blocks = Math.floor(rowsTotal / nBlocks) * TWP >= MIN_BLOCK_TILES && (nBlocks >= 2 * active || nBlocks % active === 0);
  const chunkRows = blocks ? Math.ceil(rowsTotal / nBlocks)
    : Math.max(1, Math.min(rowsTotal, Math.floor(Math.min(blocking.NC, Math.max(MIN_CHUNK_TILES, Math.floor(CHUNK_BYTES / (144 * (Cin + Cout))))) / TWP)));
  // Output-channel panels (phase 5) when the whole call is one chunk of at most a quarter of
  // blocking.winogradPanelTiles (the 2×2 tiles of F(2×2)'s threshold) 4×4 tiles.
  const panels = !blocks && chunkRows === rowsTotal && 4 * rowsTotal * TWP <= blocking.winogradPanelTiles;
  const Tpanels = Math.ceil((chunkRows * TWP) / NR) * NR;
  // Product tasks: (position, MC rows, task columns); columns are cut only when the 36 positions do not give 4 tasks per thread.
  const colTasks = blocks ? 1 : Math.max(1, Math.ceil((4 * active) / (36 * Math.ceil(Cout / blocking.MC))));
  const taskCols = Math.max(NR, Math.ceil(Tpanels / colTasks / NR) * NR);
  // Chunks: the transform tasks are (tile rows, channel group), groups of a multiple of 8 channels,
  // as many groups as give 4 tasks per thread (the rows of a chunk are few at batch 1).
  const rowUnits = TWP % NR === 4 ? Math.ceil(chunkRows / 2) : chunkRows;
  const groups = blocks ? 1 : Math.max(1, Math.min(Math.ceil(Math.min(Cin, Cout) / 8), Math.ceil((GROUP_TASKS * active) / rowUnits)));
  return { threads: active, TH, TWP, rowsTotal, blocks, nBlocks, chunkRows, taskCols, groups, panels };
}

/**
 * The forward convolution `fg` (3×3, stride 1, dilation 1, padding ≤ 2) of N images from fg.C to
 * Cout channels by Winograd F(4×4, 3×3): dst = conv(src) (+ bias, then `a.epilogue`), or with
 * `backward` dst += conv(src, W transposed and flipped), as {@link convWinograd} (src/winograd.ts),
 * on the same jobs: the filter transform, then blocks of tile rows (two per thread at least) or
 * chunks. The caller has validated everything; fg.C, Cout, N and the output are not empty.
 * @internal
 */
export function convWinograd4(e: WasmEngine, fn: string, fg: Conv2dGeometry, N: number, Cout: number, a: WinogradAddresses, backward: boolean): void {
  if (backward && a.epilogue) throw new Error(`${fn}: an epilogue with backward-data (internal error)`);
  const Cin = fg.C, { OH, OW } = fg;
  const { threads, TH, TWP, rowsTotal, blocks, nBlocks, chunkRows, taskCols, groups, panels } = planWinograd4(e.threads, e.blocking, Cin, Cout, OH, OW, N);
  const WR = 16 * Math.ceil(TWP / 4) + 4;
  const Tmax = chunkRows * TWP, Tpanels = Math.ceil(Tmax / NR) * NR;
  const ppt = e.blocking.winogradPanelsPerTask, rowBlocks = Math.ceil(Cout / e.blocking.MC);
  runWinogradCall(e, fn, "Winograd F(4×4)", fg, Cout, a, backward, {
    positions: 36, threads, TH, TWP, WR, rowsTotal, chunkRows, taskCols, groups, blocks, panels,
    // (M, and a panel task's own M: 16 floats more a position, the output transform reads up to 3 floats past a tile row.)
    uPlane: planeBytes(Math.ceil(Cout / MR) * MR * Cin), vPlane: planeBytes(Cin * Tpanels), mPlane: planeBytes(Cout * Tmax + 4),
    ownU: planeBytes(ppt * Cin * MR), ownM: planeBytes(ppt * MR * Tmax + 16),
    // A thread's scratch: tile (128 bytes) | six transform rows and vectors | its own arrays.
    ownAt: align64(128 + 24 * WR + 576),
  }, (job, active) => e.runWinograd4Job(job, active), {
    blockTasks: blocks ? nBlocks : 0,
    inputTasks: (rows) => (TWP % NR === 4 ? Math.ceil(rows / 2) : rows) * groups,
    productTasks: (T) => 36 * rowBlocks * Math.ceil(T / taskCols),
    outputTasks: (rows) => rows * groups,
  });
}
