/**
 * Planning of one implicit-GEMM convolution forward (assembly/conv-implicit.ts): whether it runs,
 * the task split, and the scratch layout (job record, k-offset table, packed Wᵀ, per-thread tiles
 * and padded images).
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { CJ, CJ_BYTES } from "./layout.generated.js";
import { align64, writeKOffsets } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";


/** Pixels per sub-chunk of a task (a multiple of 4): each panel passes over a sub-chunk's tiles before the next. */
const MC_MAX = 128;

/** Pixels per task at least when images are cut into pixel chunks. */
const MIN_CHUNK = 64;

/** Tasks per thread that a job aims at (when images and channels allow), so that threads finish close together. */
const TASKS_PER_THREAD = 8;

/**
 * Bytes of packed panels one task may take (a thread packs its block into its scratch). Each panel
 * stays in L2 while a sub-chunk's tiles pass over it, whatever the block's size; a block covers the
 * task's channels for every image it meets, so larger blocks mean fewer padded-image copies at a
 * batch (a task per image and block), smaller ones less scratch (ResNet-18 layer4's 9.4 MB of
 * weights: 3 blocks). 512 KiB cost ResNet-18 layer4.0 at batch 8 about 3–6 % in such copies.
 */
const PACK_BYTES = 4 << 20;

/**
 * Whether {@link convImplicit} takes this convolution: every one with K = C·KH·KW > 0 (K = 0 leaves
 * y = bias, which the lowering's sgemm and bias add give). Measured on the 2-core development
 * machine (one thread, `pnpm bench conv` layers), the implicit GEMM beat im2col + sgemm on all six,
 * small (LeNet-5 conv2 56 vs 33 GFLOP/s) and large (ResNet-18 layer1 62 vs 54, AlexNet conv1 62 vs
 * 52, conv3 59 vs 54), and it needs no column buffer.
 * @internal
 */
export function implicitApplies(g: Conv2dGeometry): boolean {
  return g.C * g.KH * g.KW > 0;
}

/** Addresses (bytes) of the operands of one call. @internal */
export interface ConvAddresses {
  readonly x: number;
  /** Bytes between images of x. */ readonly sxn: number;
  readonly w: number;
  /** 0 when there is no bias. */ readonly bias: number;
  readonly y: number;
  /** Bytes between images of y. */ readonly syn: number;
  /** The forward epilogue (`ConvEpilogue`), absent for none. */ readonly epilogue?: EpilogueAddresses;
}

/** Addresses (bytes) of a forward epilogue's parts; 0 where a part is absent. @internal */
export interface EpilogueAddresses {
  readonly scale: number;
  readonly shift: number;
  readonly residual: number;
  /** Bytes between images of the residual. */ readonly srn: number;
  readonly relu: boolean;
}

/** How {@link convImplicit} treats y and W. @internal */
export interface ImplicitMode {
  /** Add to y instead of overwriting it (backward-data). */
  readonly accumulate?: boolean;
  /**
   * W holds the weights of the convolution whose backward-data this is, `[flip.OC, flip.C, KH, KW]`;
   * the kernel uses them transposed and flipped (see {@link convBackwardDataImplicit}).
   */
  readonly flip?: { readonly OC: number; readonly C: number };
}

/**
 * y[n] = W · im2col(x[n]) (+ bias) for N images, computed without the column matrix, with the
 * epilogue of `a.epilogue` applied as each tile is stored. The caller has validated everything.
 * @internal
 */
export function convImplicit(e: WasmEngine, g: Conv2dGeometry, N: number, OC: number, a: ConvAddresses, mode: ImplicitMode = {}): void {
  const { C, H, W, KH, KW, OH, OW } = g;
  if (mode.flip && mode.flip.OC !== C) throw new Error(`convImplicit: flip.OC ${mode.flip.OC} is not the geometry's C ${C} (internal error)`);
  const K = C * KH * KW, P = OH * OW;
  const pad = g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
  const Hp = H + g.padTop + g.padBottom, Wp = W + g.padLeft + g.padRight;
  const panels = Math.ceil(OC / 8);
  const flops = 2 * N * OC * P * K;
  const threads = Math.max(1, Math.min(e.threads, Math.floor(flops / Math.max(1, e.blocking.minFlopsPerThread))));
  const { chunk, chunks, block, cblocks } = splitTasks(N, P, panels, K, threads);
  const tasks = N * chunks * cblocks;
  const active = Math.min(threads, tasks);
  // Pixels in sub-chunks of MC (a multiple of 4).
  const MC = Math.min(MC_MAX, Math.ceil(chunk / 4) * 4);
  // Padded input rows one task copies at most: its output rows (a chunk spans ⌈chunk/OW⌉ + 1 of
  // them at most) times the stride, plus the kernel's reach.
  const kspan = (KH - 1) * g.dilationH + 1;
  const rows = Math.min(Hp, (Math.min(OH, Math.ceil(chunk / OW) + 1) - 1) * g.strideH + kspan);
  // Scratch layout: job | koff | per thread (tile, pixel addresses, padded rows, packed panels).
  const koff = CJ_BYTES;
  const packAt = align64(128 + MC * 4 + (pad ? C * rows * Wp * 4 : 0));
  const perThread = packAt + align64(block * K * 32);
  const threadsAt = koff + align64(K * 4);
  const base = e.heap.scratch(threadsAt + active * perThread, mode.flip ? "convBackwardData" : "convForward");
  const i32 = e.heap.i32();
  const j = base >>> 2;
  const rowElems = pad ? Wp : W, planeElems = pad ? rows * Wp : H * W;
  writeKOffsets(i32, base + koff, g, planeElems, rowElems);
  // Plain stores, no array of pairs (see runWinogradCall in winograd.ts: host code here runs cold).
  i32[j + CJ.TICKET] = 0; i32[j + CJ.TASKS] = tasks; i32[j + CJ.CHUNKS] = chunks; i32[j + CJ.CHUNK] = chunk; i32[j + CJ.P] = P;
  i32[j + CJ.OW] = OW; i32[j + CJ.SH] = g.strideH; i32[j + CJ.SW] = g.strideW; i32[j + CJ.ROW] = rowElems * 4; i32[j + CJ.K] = K;
  i32[j + CJ.OC] = OC; i32[j + CJ.PANELS] = panels; i32[j + CJ.KOFF] = base + koff; i32[j + CJ.WPACK] = packAt; i32[j + CJ.X] = a.x;
  i32[j + CJ.SXN] = a.sxn; i32[j + CJ.Y] = a.y; i32[j + CJ.SYN] = a.syn; i32[j + CJ.BIAS] = a.bias; i32[j + CJ.PAD] = pad ? 1 : 0;
  i32[j + CJ.C] = C; i32[j + CJ.H] = H; i32[j + CJ.W] = W; i32[j + CJ.PT] = g.padTop; i32[j + CJ.PL] = g.padLeft; i32[j + CJ.HP] = Hp;
  i32[j + CJ.WP] = Wp; i32[j + CJ.SCRATCH] = base + threadsAt; i32[j + CJ.SCRATCH_STRIDE] = perThread; i32[j + CJ.BLOCK] = block;
  i32[j + CJ.KSPAN] = kspan; i32[j + CJ.ROWS] = rows; i32[j + CJ.ACC] = mode.accumulate ? 1 : 0; i32[j + CJ.SCALE] = a.epilogue?.scale ?? 0;
  i32[j + CJ.SHIFT] = a.epilogue?.shift ?? 0; i32[j + CJ.RES] = a.epilogue?.residual ?? 0; i32[j + CJ.SRN] = a.epilogue?.srn ?? 0;
  i32[j + CJ.RELU] = a.epilogue?.relu ? 1 : 0; i32[j + CJ.N] = N; i32[j + CJ.WEIGHTS] = a.w; i32[j + CJ.FLIP] = mode.flip ? 1 : 0;
  i32[j + CJ.MC] = MC; i32[j + CJ.CBLOCKS] = cblocks;
  e.runConvJob(base, active);
}

/** How {@link convImplicit} cuts a job into tasks. @internal */
export interface ImplicitSplit {
  /**
   * Pixels per chunk at most, and chunks per image: chunk c holds tiles ⌊c·T/chunks⌋ to ⌊(c+1)·T/chunks⌋ of the
   * image's T = ⌈P/4⌉ 4-pixel tiles (the last tile may be ragged).
   */
  readonly chunk: number;
  readonly chunks: number;
  /** Output-channel panels per block at most (blocks hold ⌊panels/cblocks⌋ or ⌈panels/cblocks⌉), and blocks. */
  readonly block: number;
  readonly cblocks: number;
}

/**
 * Tasks = panel blocks × N images × pixel chunks. On one thread, one task per image. On more,
 * about {@link TASKS_PER_THREAD} tasks per thread where the images alone give fewer: each image is
 * cut into pixel chunks of at least {@link MIN_CHUNK} pixels as far as it has pixels (a task then
 * reads its rows of the image once for all its channels), and the output channels into blocks of
 * panels for the rest (a 7×7 output of 512 channels: 16 blocks of 4 panels for two threads). Blocks
 * hold {@link PACK_BYTES} of packed weights at most, on one thread too.
 * @internal
 */
export function splitTasks(N: number, P: number, panels: number, K: number, threads: number): ImplicitSplit {
  const want = threads === 1 ? 1 : TASKS_PER_THREAD * threads;
  const per = N >= want ? 1 : Math.ceil(want / N);
  const tiles = Math.ceil(P / 4);
  const chunks = Math.min(per, Math.max(1, Math.floor(P / MIN_CHUNK)));
  // Blocks of a whole number of panels each, at least ⌈per/chunks⌉ of them (24 panels for 16 wanted: 24 blocks of 1,
  // rather than 16 of 1 or 2), and each within PACK_BYTES.
  const wantBlocks = Math.ceil(per / chunks);
  let cblocks = Math.ceil(panels / Math.max(1, Math.floor(panels / wantBlocks)));
  cblocks = Math.max(cblocks, Math.ceil(panels / Math.max(1, Math.floor(PACK_BYTES / (K * 32)))));
  return { chunk: chunks === 1 ? P : 4 * Math.ceil(tiles / chunks), chunks, block: Math.ceil(panels / cblocks), cblocks };
}

/**
 * The forward convolution that computes backward-data of a stride-1 convolution `g` with OC output
 * channels: dx = conv(dy padded by (K−1)·dilation − pad on each side, W transposed and flipped),
 * stride 1, same dilation, output H×W. Null when it does not exist (stride > 1, or a padding larger
 * than the kernel's reach, which would need negative padding).
 * @internal
 */
export function backwardDataAsForward(g: Conv2dGeometry, OC: number): Conv2dGeometry | null {
  if (g.strideH !== 1 || g.strideW !== 1) return null;
  const reachH = (g.KH - 1) * g.dilationH, reachW = (g.KW - 1) * g.dilationW;
  const pads = [reachH - g.padTop, reachH - g.padBottom, reachW - g.padLeft, reachW - g.padRight];
  if (pads.some((p) => p < 0)) return null;
  return {
    C: OC, H: g.OH, W: g.OW, KH: g.KH, KW: g.KW, strideH: 1, strideW: 1, padTop: pads[0], padBottom: pads[1], padLeft: pads[2], padRight: pads[3],
    dilationH: g.dilationH, dilationW: g.dilationW, OH: g.H, OW: g.W,
  };
}

/**
 * Share of the multiply-adds of {@link backwardDataAsForward} that are useful, below which
 * backward-data lowers instead: the forward over the padded dy multiplies OH·OW/(H·W) of its taps
 * with real values (LeNet-5 conv2: 100 of 196), and its output channels (the input's C) fill
 * C/(8·⌈C/8⌉) of the 8 lanes. Measured on one thread: ResNet-18 layer1 (share 1) 60 vs 55 GFLOP/s
 * lowered; LeNet-5 conv2 (share 0.38) 21 vs 23, conv1 (C = 1) 7 vs 17.
 * @internal
 */
export const BACKWARD_DATA_MIN_SHARE = 0.7;

/** Whether backward-data through {@link backwardDataAsForward} pays for this geometry (see {@link BACKWARD_DATA_MIN_SHARE}). @internal */
export function backwardDataPays(g: Conv2dGeometry): boolean {
  const spatial = (g.OH * g.OW) / (g.H * g.W);
  const lanes = g.C / (8 * Math.ceil(g.C / 8));
  return spatial * lanes >= BACKWARD_DATA_MIN_SHARE;
}

/**
 * dx[n] += col2im(Wᵀ · dy[n]) for a stride-1 convolution, as the forward implicit GEMM of
 * {@link backwardDataAsForward}. The caller has validated everything and checked that it exists.
 * @internal
 */
export function convBackwardDataImplicit(e: WasmEngine, g: Conv2dGeometry, fwd: Conv2dGeometry, N: number, OC: number,
  a: { readonly w: number; readonly dy: number; readonly syn: number; readonly dx: number; readonly sxn: number }): void {
  convImplicit(e, fwd, N, g.C, { x: a.dy, sxn: a.syn, w: a.w, bias: 0, y: a.dx, syn: a.sxn }, { accumulate: true, flip: { OC, C: g.C } });
}
