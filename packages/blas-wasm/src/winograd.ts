/**
 * Planning of one Winograd F(2×2, 3×3) convolution on the engine (assembly/winograd.ts has the
 * kernels and the phase structure): the filter transform once, then per chunk of whole tile rows
 * the input transform, the 16 products `M[p] = U[p] · V[p]` (Cout × Cin by Cin × T, on the sgemm
 * micro-kernel, U and V already packed by the transforms) and the output transform with the bias
 * and the forward epilogue: 1 + 2 per chunk jobs of the worker pool, phases with disjoint data
 * sharing a job (the sgemm path used 2 transform jobs and 16 threaded products per chunk, each
 * product with its own pack and compute barriers). When the tile rows make at least two blocks
 * per thread, the call is two jobs instead: the filter transform, then blocks of tile rows, each a
 * task that runs all three phases in the thread's own V and M. A chunk has at most
 * `blocking.NC` tiles, and its V and M take at most {@link CHUNK_BYTES} unless that leaves fewer
 * than {@link MIN_CHUNK_TILES} tiles. The workspace: job record | U | V | M | per-thread scratch.
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import type { EpilogueAddresses } from "./conv-implicit.js";
import { kBlock, MR, NR } from "./gemm.js";
import { WJ, WJ_BYTES } from "./layout.generated.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";

/** The phases of a Winograd job (assembly/winograd.ts). */
const PHASE = { INPUT: 0, OUTPUT: 1, FILTER: 2, PRODUCTS: 3, BLOCKS: 4, PANELS: 5 } as const;

/** Bytes a block's own V and M may take (tried: 256 KiB to 2 MiB; 1 MiB was fastest on ResNet-18 layer1, 1 and 2 threads). */
const BLOCK_BYTES = 1 << 20;
/** Tiles a block has at least (a block reads all of U: 2 flops per tile and U element). */
const MIN_BLOCK_TILES = 32;

/** Bytes the transformed tiles of one chunk (V and M) may take. */
const CHUNK_BYTES = 2 << 20;
/** Tiles a chunk has at least (when the image has them), however many channels: fewer make the products too thin. */
const MIN_CHUNK_TILES = 128;

/** Bytes between the positions (16 or 36) of a transformed array of `floats` floats each: padded by 64 bytes off multiples of 4 KiB. @internal */
export function planeBytes(floats: number): number {
  const b = Math.ceil((floats * 4) / 64) * 64;
  return b % 4096 === 0 ? b + 64 : b;
}

/**
 * `hints.winogradMinChannels` of the wasm device: `@tessera/conv`'s 'auto' runs a 3×3 stride-1
 * pass by Winograd from this many channels (in and out). Measured (`pnpm bench winograd`, one
 * thread, direct and Winograd interleaved; table in the README): 56×56 at 8 channels Winograd is
 * 1.07–1.12× the direct kernel (0.8–1.0× in runs on the loaded machine), at 16 1.2–1.3×, at 32
 * 1.6×; every ResNet-18 and VGG-16 layer with ≥ 14×14 outputs 1.4–2.1×.
 * @internal
 */
export const WINOGRAD_MIN_CHANNELS = 16;

/**
 * `hints.winogradMinPixels` of the wasm device: output pixels per channel over the batch
 * (N·OH·OW forward, N·H·W backward-data) below which 'auto' keeps the direct kernel. With the
 * output-channel panels (phase 5), measured interleaved on the 2-vCPU VM (`bench/`-style A/B,
 * quiet machine), one image of 7×7, Winograd against direct, forward / backward-data: 512 channels
 * (ResNet-18 layer4) 1.37× / 1.58× on 1 thread, 1.29× / 1.59× on 2; 128 channels 1.21× / 1.21×
 * and 1.36× / 1.47×; 64 channels 1.06× / 1.05× and 1.07× / 1.07×; 16–32 channels 0.62–1.0× (tens
 * of microseconds either way). 14×14 1.5×. (It was 196 while layer4's transformed filters were
 * streamed through memory by every task: 1.01–1.03× on 1 thread.)
 * @internal
 */
export const WINOGRAD_MIN_PIXELS = 49;

/** `hints.winogradMinPixels` of a wasm device with worker threads: the one-thread value (measured above). @internal */
export const WINOGRAD_MIN_PIXELS_THREADED = 49;

/** Operands of one call: byte addresses and byte strides between images. @internal */
export interface WinogradAddresses {
  readonly src: number;
  readonly ssn: number;
  readonly w: number;
  /** 0 when there is no bias. */ readonly bias: number;
  readonly dst: number;
  readonly sdn: number;
  /** The forward epilogue (`ConvEpilogue`), absent for none. */ readonly epilogue?: EpilogueAddresses;
}

/**
 * The forward convolution `fg` (3×3, stride 1, dilation 1, padding ≤ 2) of N images from fg.C to
 * Cout channels by Winograd: dst = conv(src) (+ bias, then `a.epilogue`), or with `backward`
 * dst += conv(src, W transposed and flipped), where W (`[fg.C, Cout, 3, 3]`) is the weight of the
 * convolution whose backward-data this is (no epilogue then). The caller has validated
 * everything; fg.C, Cout, N and the output are not empty.
 * @internal
 */
export function convWinograd(e: WasmEngine, fn: string, fg: Conv2dGeometry, N: number, Cout: number, a: WinogradAddresses, backward: boolean): void {
  if (backward && a.epilogue) throw new Error(`${fn}: an epilogue with backward-data (internal error)`);
  const Cin = fg.C, { OH, OW } = fg;
  const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2), TWP = Math.ceil(TW / 4) * 4;
  const WR = 2 * TWP + 2;
  const rowsTotal = N * TH;
  // Work of the whole call (≈ flops: 16 products and the transforms): threads only where it pays, as for sgemm.
  const flops = 32 * Cout * Cin * rowsTotal * TWP + 64 * rowsTotal * TWP * (Cin + Cout) + 50 * Cout * Cin;
  const threads = Math.max(1, Math.min(e.threads, Math.floor(flops / Math.max(1, e.blocking.minFlopsPerThread))));
  const uPlane = planeBytes(Math.ceil(Cout / MR) * MR * Cin);
  // Blocks (phase 4) when there are two per thread: no join between the phases, and V and M stay
  // in the core that made them. Measured interleaved on the 2-vCPU VM (ResNet-18 layer1, 1 MiB
  // blocks vs chunks): 1 thread 3.1 vs 3.3 ms (batch 1), 18.7 vs 19.4 (batch 8); 2 threads 1.55
  // vs 1.82, 10.0 vs 13.9; layers 2 and 3 at batch 8 on 2 threads 10.9 vs 12.6. Same bits. Not with
  // fewer than MIN_BLOCK_TILES tiles a block: each block streams all of U (layer 4 at batch 8, 16
  // tiles a block: 34 vs 26 ms on 1 thread).
  const blockRows = Math.max(1, Math.floor(BLOCK_BYTES / (64 * (Cin + Cout) * TWP)));
  const blocks = blockRows * TWP >= MIN_BLOCK_TILES && Math.ceil(rowsTotal / blockRows) >= 2 * threads;
  const chunkRows = blocks ? Math.min(rowsTotal, blockRows)
    : Math.max(1, Math.min(rowsTotal, Math.floor(Math.min(e.blocking.NC, Math.max(MIN_CHUNK_TILES, Math.floor(CHUNK_BYTES / (64 * (Cin + Cout))))) / TWP)));
  // Panels (phase 5) when the whole call is a few tiles: U (Cout·Cin·16 floats) is then most of the
  // traffic, so each task transforms its own output channels' U and uses it while it is in cache.
  // ResNet-18 layer4 at batch 1 (16 tiles), interleaved on the 2-vCPU VM: 3.9 ms against 5.1 with
  // the shared U and 5.5 for the direct kernel on 1 thread; 2.5 against 4.0 and 2.6–3.3 on 2.
  // Layer3 (56 tiles) on 2 threads: 1.8 against 2.3 ms.
  const panels = !blocks && rowsTotal * TWP <= e.blocking.winogradPanelTiles && chunkRows === rowsTotal;
  const ppt = e.blocking.winogradPanelsPerTask;
  const Tmax = chunkRows * TWP, Tpanels = Math.ceil(Tmax / NR) * NR;
  // Product tasks: (position, MC rows, task columns); the 16 positions give most of the tasks, the
  // columns are cut only when they do not give 4 per thread (never in blocks: one thread does them all).
  const MC = e.blocking.MC, rowBlocks = Math.ceil(Cout / MC);
  const colTasks = blocks ? 1 : Math.max(1, Math.ceil((4 * threads) / (16 * rowBlocks)));
  const taskCols = Math.max(NR, Math.ceil(Tpanels / colTasks / NR) * NR);
  const vPlane = planeBytes(Cin * Tpanels), mPlane = planeBytes(Cout * Tmax);
  runWinogradCall(e, fn, "Winograd", fg, Cout, a, backward, {
    positions: 16, threads, TH, TWP, WR, rowsTotal, chunkRows, taskCols, groups: 1, blocks, panels,
    uPlane, vPlane, mPlane, ownU: planeBytes(ppt * Cin * MR), ownM: planeBytes(ppt * MR * Tmax),
    // A thread's scratch: tile (128 bytes) | four input rows | its own arrays.
    ownAt: align64(128 + 16 * WR + 64),
  }, (job, active) => e.runWinogradJob(job, active), {
    blockTasks: blocks ? Math.ceil(rowsTotal / chunkRows) : 0,
    inputTasks: (rows) => (TWP % NR === 0 ? rows : Math.ceil(rows / 2)),
    productTasks: (T) => 16 * rowBlocks * Math.ceil(T / taskCols),
    outputTasks: (rows) => rows,
  });
}

/** The plan and layout of one Winograd call, F(2×2) or F(4×4) (see {@link runWinogradCall}). @internal */
export interface WinogradCall {
  /** Transform positions: 16 for F(2×2), 36 for F(4×4). */
  readonly positions: number;
  readonly threads: number;
  readonly TH: number;
  readonly TWP: number;
  readonly WR: number;
  readonly rowsTotal: number;
  readonly chunkRows: number;
  readonly taskCols: number;
  /** Channel groups of the transform tasks (F(4×4) chunks; 1 otherwise). */
  readonly groups: number;
  readonly blocks: boolean;
  readonly panels: boolean;
  /** Bytes between positions: the shared U, V and M, and a panel task's own U and M (UP and MP of the record in phase 5). */
  readonly uPlane: number;
  readonly vPlane: number;
  readonly mPlane: number;
  readonly ownU: number;
  readonly ownM: number;
  /** Bytes of a thread's scratch before its own arrays (blocks: V and M; panels: U and M). */
  readonly ownAt: number;
}

/**
 * Runs one planned Winograd call: lays out its workspace (job record | U | V, M (shared, chunks)
 * | per thread: scratch, then its own V and M (blocks) or U and M (panels)), writes the WJ_
 * record and runs its jobs ({@link runWinogradSchedule}). `what` names the workspace in errors.
 * @internal
 */
export function runWinogradCall(e: WasmEngine, fn: string, what: string, fg: Conv2dGeometry, Cout: number, a: WinogradAddresses, backward: boolean,
  c: WinogradCall, runJob: (job: number, active: number) => void,
  tasks: Pick<WinogradSchedule, "blockTasks" | "inputTasks" | "productTasks" | "outputTasks">): void {
  const P = c.positions, ppt = e.blocking.winogradPanelsPerTask;
  const perThread = c.ownAt + (c.blocks ? P * (c.vPlane + c.mPlane) : c.panels ? align64(P * (c.ownU + c.ownM)) : 0);
  const uAt = align64(WJ_BYTES);
  const vAt = uAt + (c.panels ? 0 : P * c.uPlane);
  const mAt = vAt + (c.blocks ? 0 : P * c.vPlane);
  const tAt = mAt + (c.blocks || c.panels ? 0 : P * c.mPlane);
  const bytes = tAt + c.threads * perThread;
  const base = e.heap.alloc(bytes, fn, `${bytes} bytes of ${what} workspace`);
  try {
    const i32 = e.heap.i32();
    const j = base >>> 2;
    const ep = a.epilogue;
    // Plain stores (no array of pairs): this runs cold after every kernel, where each allocation and
    // object touched costs (the array of pairs took 20 µs a call on the 2-vCPU VM).
    i32[j + WJ.C] = fg.C; i32[j + WJ.OC] = Cout; i32[j + WJ.H] = fg.H; i32[j + WJ.W] = fg.W; i32[j + WJ.PT] = fg.padTop;
    i32[j + WJ.PL] = fg.padLeft; i32[j + WJ.OH] = fg.OH; i32[j + WJ.OW] = fg.OW; i32[j + WJ.TH] = c.TH; i32[j + WJ.TWP] = c.TWP;
    i32[j + WJ.WR] = c.WR; i32[j + WJ.SRC] = a.src; i32[j + WJ.SSN] = a.ssn; i32[j + WJ.DST] = a.dst; i32[j + WJ.SDN] = a.sdn;
    i32[j + WJ.V] = base + vAt; i32[j + WJ.M] = base + mAt; i32[j + WJ.BIAS] = a.bias; i32[j + WJ.ACC] = backward ? 1 : 0;
    i32[j + WJ.SCRATCH] = base + tAt; i32[j + WJ.SCRATCH_STRIDE] = perThread; i32[j + WJ.WF] = a.w; i32[j + WJ.U] = base + uAt;
    i32[j + WJ.UP] = c.panels ? c.ownU : c.uPlane; i32[j + WJ.VP] = c.vPlane; i32[j + WJ.MP] = c.panels ? c.ownM : c.mPlane;
    i32[j + WJ.KC] = kBlock(fg.C, e.blocking.KC); i32[j + WJ.MC] = e.blocking.MC; i32[j + WJ.TASK_COLS] = c.taskCols;
    i32[j + WJ.SCALE] = ep?.scale ?? 0; i32[j + WJ.SHIFT] = ep?.shift ?? 0; i32[j + WJ.RES] = ep?.residual ?? 0;
    i32[j + WJ.SRN] = ep?.srn ?? 0; i32[j + WJ.RELU] = ep?.relu ? 1 : 0; i32[j + WJ.ROWS_TOTAL] = c.rowsTotal;
    i32[j + WJ.BLOCK_ROWS] = c.chunkRows; i32[j + WJ.OWN_AT] = c.ownAt; i32[j + WJ.GROUPS] = c.groups; i32[j + WJ.PANELS_PER_TASK] = ppt;
    const panels = Math.ceil(Cout / MR);
    runWinogradSchedule(e, base, j, c.threads, runJob, {
      ...tasks, filterTasks: panels, panelTasks: c.panels ? Math.ceil(panels / ppt) : 0, rowsTotal: c.rowsTotal, chunkRows: c.chunkRows, TWP: c.TWP,
    });
  } finally {
    e.heap.free(base);
  }
}

/** How many tasks each phase of a Winograd call has (see {@link runWinogradSchedule}). @internal */
export interface WinogradSchedule {
  readonly filterTasks: number;
  /** Tasks of the "blocks" schedule (each runs every phase for its tile rows), or 0 for "chunks". */
  readonly blockTasks: number;
  /** Tasks of the "panels" schedule (one chunk: the input transform, then output-channel panels that run F, G and O), or 0. */
  readonly panelTasks?: number;
  readonly rowsTotal: number;
  /** Tile rows per chunk (or per block). */
  readonly chunkRows: number;
  /** Tiles per tile row. */
  readonly TWP: number;
  inputTasks(rows: number): number;
  productTasks(T: number): number;
  outputTasks(rows: number): number;
}

/**
 * Runs the pool jobs of one Winograd call whose record is at `base` (i32 index `j`), for F(2×2) and
 * F(4×4) alike: the filter transform, then either every block of tile rows as one task, or per
 * chunk [F + I₀], G₀, [O₀ + I₁], G₁, …, [O_last] (phases with disjoint data share a job; see
 * assembly/winograd.ts). @internal
 */
export function runWinogradSchedule(e: WasmEngine, base: number, j: number, threads: number,
  runJob: (job: number, active: number) => void, s: WinogradSchedule): void {
  // One job: `tasks` of `phase` (chunk row0, T tiles), then `tasks2` of `phase2`. Numbers, not
  // tuples: allocations here run cold after every kernel (see runWinogradCall).
  const run = (phase: number, row0: number, T: number, tasks: number, phase2 = 0, row02 = 0, T2 = 0, tasks2 = 0) => {
    const h = e.heap.i32(); // the view may have been replaced by memory growth
    h[j + WJ.TICKET] = 0;
    h[j + WJ.PHASE] = phase; h[j + WJ.ROW0] = row0; h[j + WJ.T] = T; h[j + WJ.TASKS] = tasks;
    h[j + WJ.PHASE2] = phase2; h[j + WJ.ROW02] = row02; h[j + WJ.T2] = T2; h[j + WJ.TASKS2] = tasks2;
    runJob(base, Math.min(threads, tasks + tasks2));
  };
  if (s.panelTasks) {
    const T = s.rowsTotal * s.TWP;
    run(PHASE.INPUT, 0, T, s.inputTasks(s.rowsTotal));
    run(PHASE.PANELS, 0, T, s.panelTasks);
    return;
  }
  if (s.blockTasks > 0) {
    run(PHASE.FILTER, 0, 0, s.filterTasks);
    run(PHASE.BLOCKS, 0, 0, s.blockTasks);
    return;
  }
  const inputRows = (row0: number) => Math.min(s.chunkRows, s.rowsTotal - row0);
  run(PHASE.FILTER, 0, 0, s.filterTasks, PHASE.INPUT, 0, inputRows(0) * s.TWP, s.inputTasks(inputRows(0)));
  for (let row0 = 0; row0 < s.rowsTotal; row0 += s.chunkRows) {
    const rows = Math.min(s.chunkRows, s.rowsTotal - row0);
    const T = rows * s.TWP;
    run(PHASE.PRODUCTS, row0, T, s.productTasks(T));
    const next = row0 + s.chunkRows;
    if (next < s.rowsTotal) run(PHASE.OUTPUT, row0, T, s.outputTasks(rows), PHASE.INPUT, next, inputRows(next) * s.TWP, s.inputTasks(inputRows(next)));
    else run(PHASE.OUTPUT, row0, T, s.outputTasks(rows));
  }
}
