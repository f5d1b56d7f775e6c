/**
 * Planning of one implicit-GEMM convolution backward-filter (assembly/conv-filter.ts): whether it
 * runs, and the scratch layout (job record, k-offset and pixel-base tables, partial tiles, dY
 * transposed, the zero-padded batch).
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { FJ, FJ_BYTES } from "./layout.generated.js";
import { align64, writeKOffsets } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";


/**
 * The most scratch (bytes) one implicit backward-filter may use: the zero-padded batch and dY
 * transposed by channel panels. Larger jobs are declined (lowered to im2col +
 * sgemm per image): ResNet-18's layers take the implicit path up to batch 32 (layer1 at batch 8:
 * 13 MiB). Since the pixels are blocked (assembly/conv-filter.ts), the batch no longer has to stay
 * in L2: measured interleaved on ResNet-18's 3×3 layers at batch 8 (busy 2-core VM), the
 * implicit path took the time of im2col + sgemm on one thread and 0.60–0.89× of it on two.
 * @internal
 */
export const FILTER_MAX_SCRATCH_BYTES = 1 << 26;

/** Scratch bytes of {@link convFilterImplicit} for this job, tables and alignment aside. @internal */
export function filterScratchBytes(g: Conv2dGeometry, N: number, OC: number): number {
  const pad = g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
  const image = pad ? g.C * (g.H + g.padTop + g.padBottom) * (g.W + g.padLeft + g.padRight) : 0;
  const P = g.OH * g.OW;
  return 4 * (N * (image + P * Math.ceil(OC / 8) * 8) + P);
}

/** Whether {@link convFilterImplicit} takes this convolution. @internal */
export function filterImplicitApplies(g: Conv2dGeometry, N: number, OC: number): boolean {
  return filterScratchBytes(g, N, OC) <= FILTER_MAX_SCRATCH_BYTES;
}

/** Addresses (bytes) of the operands of one call. @internal */
export interface FilterAddresses {
  readonly x: number;
  /** Bytes between images of x. */ readonly sxn: number;
  readonly dy: number;
  /** Bytes between images of dy. */ readonly syn: number;
  readonly dw: number;
}

/** Pixels per block of the blocked loop: a block's dYᵀ panel (256 × 8 floats, 8 KiB) stays in L1. @internal */
export const FILTER_PIXEL_BLOCK = 256;

/**
 * Up to this many bytes of (padded) input batch, the pixels are not blocked: the batch stays in L2
 * while every task streams it, and one pass per tile saves the partial tiles' loads and stores;
 * tasks are then single k tiles (LeNet-5's layers, as before the blocking). @internal
 */
export const FILTER_UNBLOCKED_INPUT_BYTES = 1 << 20;

/** Most k tiles (of 4 rows) per task: their partial tiles and input rows stay in L1/L2. @internal */
export const FILTER_MAX_KGROUP = 16;

/** dW += Σₙ dy[n] · im2col(x[n])ᵀ without the column matrix. The caller has validated everything. @internal */
export function convFilterImplicit(e: WasmEngine, g: Conv2dGeometry, N: number, OC: number, a: FilterAddresses): void {
  const { C, H, W, KH, KW, OH, OW } = g;
  const K = C * KH * KW, P = OH * OW;
  const pad = g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
  const Hp = H + g.padTop + g.padBottom, Wp = W + g.padLeft + g.padRight;
  const panels = Math.ceil(OC / 8), OCpad = panels * 8;
  const ktiles = Math.ceil(K / 4);
  const flops = 2 * N * OC * P * K;
  const threads = Math.max(1, Math.min(e.threads, ktiles, Math.floor(flops / Math.max(1, e.blocking.minFlopsPerThread))));
  // Tasks: a multiple of the threads where the k tiles allow, each at most FILTER_MAX_KGROUP tiles.
  // (How the k tiles are grouped and the pixels blocked changes no result: see assembly/conv-filter.ts.)
  // Unblocked (a small batch): one k tile per task, the finest balance.
  const unblocked = N * (pad ? C * Hp * Wp : C * H * W) * 4 <= FILTER_UNBLOCKED_INPUT_BYTES;
  const kgroup = unblocked ? 1 : Math.max(1, Math.ceil(ktiles / (threads * Math.ceil(ktiles / (threads * FILTER_MAX_KGROUP)))));
  const tasks = Math.ceil(ktiles / kgroup);
  const rowElems = pad ? Wp : W, planeElems = pad ? Hp * Wp : H * W;
  // Scratch layout: job | koff | pixel bases | partial tiles | dYᵀ | padded batch.
  const koff = FJ_BYTES;
  const pbase = koff + align64(K * 4);
  const parts = pbase + align64(P * 4);
  const dyt = parts + align64(ktiles * panels * 128);
  const padded = dyt + align64(N * P * OCpad * 4);
  const total = padded + (pad ? align64(N * C * Hp * Wp * 4) : 0);
  const base = e.heap.scratch(total, "convBackwardFilter");
  const i32 = e.heap.i32();
  writeKOffsets(i32, base + koff, g, planeElems, rowElems);
  let p = (base + pbase) >>> 2;
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) i32[p++] = (oh * g.strideH * rowElems + ow * g.strideW) * 4;
  }
  const slots: [number, number][] = [
    [FJ.TICKET, 0], [FJ.TASKS, tasks], [FJ.PANELS, panels], [FJ.K, K], [FJ.OC, OC], [FJ.OCPAD, OCpad], [FJ.N, N], [FJ.P, P],
    [FJ.KOFF, base + koff], [FJ.PBASE, base + pbase], [FJ.X, pad ? base + padded : a.x],
    [FJ.DYT, base + dyt], [FJ.DW, a.dw], [FJ.KGROUP, kgroup], [FJ.PBLOCK, unblocked ? N * P : FILTER_PIXEL_BLOCK], [FJ.PARTS, base + parts],
    [FJ.IMAGE, pad ? C * Hp * Wp * 4 : a.sxn],
  ];
  for (const [s, v] of slots) i32[(base >>> 2) + s] = v;
  if (pad) e.exports.convPadBatch(a.x, a.sxn, N, C, H, W, g.padTop, g.padLeft, Hp, Wp, base + padded);
  e.exports.convTransposeDy(a.dy, a.syn, N, OC, P, base + dyt, OCpad);
  e.runConvJob(base, Math.min(threads, tasks), 2);
}
