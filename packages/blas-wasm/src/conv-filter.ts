/**
 * Planning of one implicit-GEMM convolution backward-filter (assembly/conv-filter.ts): whether it
 * runs, and the scratch layout (job record, k-offset and pixel-base tables, per-thread tiles, dY
 * transposed, the zero-padded batch).
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { FJ, FJ_BYTES } from "./layout.generated.js";
import { align64, writeKOffsets } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";


/**
 * The input batch (padded) that every task reads in full must stay in L2 (1 MiB on the development
 * machine): LeNet-5's layers (262 and 301 KiB) take the implicit path; a ResNet-18 layer's batch
 * (6.9 MiB) would stream from L3 once per task, and its per-image sgemm already runs at 50+ GFLOP/s.
 * @internal
 */
export const FILTER_MAX_INPUT_BYTES = 1 << 20;

/** Whether {@link convFilterImplicit} takes this convolution. @internal */
export function filterImplicitApplies(g: Conv2dGeometry, N: number): boolean {
  const pad = g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
  const image = pad ? g.C * (g.H + g.padTop + g.padBottom) * (g.W + g.padLeft + g.padRight) : g.C * g.H * g.W;
  return N * image * 4 <= FILTER_MAX_INPUT_BYTES;
}

/** Addresses (bytes) of the operands of one call. @internal */
export interface FilterAddresses {
  readonly x: number;
  /** Bytes between images of x. */ readonly sxn: number;
  readonly dy: number;
  /** Bytes between images of dy. */ readonly syn: number;
  readonly dw: number;
}

/** dW += Σₙ dy[n] · im2col(x[n])ᵀ without the column matrix. The caller has validated everything. @internal */
export function convFilterImplicit(e: WasmEngine, g: Conv2dGeometry, N: number, OC: number, a: FilterAddresses): void {
  const { C, H, W, KH, KW, OH, OW } = g;
  const K = C * KH * KW, P = OH * OW;
  const pad = g.padTop + g.padBottom + g.padLeft + g.padRight > 0;
  const Hp = H + g.padTop + g.padBottom, Wp = W + g.padLeft + g.padRight;
  const panels = Math.ceil(OC / 8), OCpad = panels * 8;
  const tasks = Math.ceil(K / 4) * panels;
  const flops = 2 * N * OC * P * K;
  const threads = Math.max(1, Math.min(e.threads, tasks, Math.floor(flops / Math.max(1, e.blocking.minFlopsPerThread))));
  const rowElems = pad ? Wp : W, planeElems = pad ? Hp * Wp : H * W;
  // Scratch layout: job | koff | pixel bases | tiles | dYᵀ | padded batch.
  const koff = FJ_BYTES;
  const pbase = koff + align64(K * 4);
  const tiles = pbase + align64(P * 4);
  const dyt = tiles + align64(threads * 128);
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
    [FJ.KOFF, base + koff], [FJ.PBASE, base + pbase], [FJ.X, pad ? base + padded : a.x], [FJ.IMAGE, pad ? C * Hp * Wp * 4 : a.sxn],
    [FJ.DYT, base + dyt], [FJ.DW, a.dw], [FJ.TILES, base + tiles],
  ];
  for (const [s, v] of slots) i32[(base >>> 2) + s] = v;
  if (pad) e.exports.convPadBatch(a.x, a.sxn, N, C, H, W, g.padTop, g.padLeft, Hp, Wp, base + padded);
  e.exports.convTransposeDy(a.dy, a.syn, N, OC, P, base + dyt, OCpad);
  e.runConvJob(base, threads, 2);
}
