/**
 * Planning of one Winograd F(2×2, 3×3) backward-filter on the engine (assembly/winograd-filter.ts
 * has the dy and filter-domain transforms and the derivation): the tiles of the batch go in chunks
 * of whole tile rows: the input transform V of x (the forward's phase 0 of assembly/winograd.ts, a
 * job over the threads), the dy transform Y (this thread), and 16 products
 * `M[p] += Y[p] · V[p]ᵀ` (OC × T by T × C, the packed, threaded sgemm, K = the chunk's tiles);
 * after the last chunk, `dw += Gᵀ·M·G`. Every element of M is summed over the chunks in order by
 * the sgemm, whose results do not depend on the thread count, so neither do dw's.
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { gemm } from "./gemm.js";
import { WJ, WJ_BYTES } from "./layout.generated.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";

/**
 * Bytes the transformed tiles of one chunk (V and Y) may take: 1–2 MiB measured 1.1× faster than 8
 * or 32 MiB on ResNet-18 layer1 (one thread; the chunk stays in L2 between the transforms and the products).
 * @internal
 */
export const FILTER_CHUNK_BYTES = 2 << 20;
/** Tiles a chunk has at least (when the batch has them), however many channels: fewer make the products' K too short. */
const MIN_CHUNK_TILES = 256;

/**
 * `hints.winogradFilterMinChannels` of the wasm device, with or without worker threads (so that
 * results never depend on the thread count): 'auto' runs a 3×3 stride-1 backward-filter by
 * Winograd from this many channels (min of in and out). Measured (`bench/filter-ab.mjs`, batch 8,
 * interleaved with the implicit-GEMM convBackwardFilter on a busy 2-core VM; table in the README):
 * one thread 1.66–1.88× on ResNet-18's layers 1–4, 1.47× at 32 channels on 56×56, 1.06× at 16; two
 * threads (whose 16 products are small for the threaded sgemm at 64–128 channels) 1.01–1.24× on
 * layers 1–2, 1.16–1.48× on layers 3–4, 0.89× at 96 channels on 28×28.
 * @internal
 */
export const WINOGRAD_FILTER_MIN_CHANNELS = 32;

/** Bytes between the 16 positions of a transformed array of `floats` floats each: padded by 64 bytes off multiples of 4 KiB. */
function planeBytes(floats: number): number {
  const b = Math.ceil((floats * 4) / 64) * 64;
  return b % 4096 === 0 ? b + 64 : b;
}

/** Operands of one backward-filter call: byte addresses and byte strides between images. @internal */
export interface WinogradFilterAddresses {
  readonly x: number;
  readonly sxn: number;
  readonly dy: number;
  readonly syn: number;
  readonly dw: number;
}

/**
 * dw += ∂L/∂w of the convolution `g` (3×3, stride 1, dilation 1, padding ≤ 2) of N images from
 * g.C to OC channels, by Winograd F(2×2, 3×3). The caller has validated everything; N, OC, g.C
 * and the output are not empty. `chunkTiles` caps the tiles of a chunk (tests: many chunks on small data).
 * @internal
 */
export function convFilterWinograd(e: WasmEngine, fn: string, g: Conv2dGeometry, N: number, OC: number, a: WinogradFilterAddresses,
  chunkTiles = Infinity): void {
  const C = g.C, { OH, OW } = g;
  const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2), TWP = Math.ceil(TW / 4) * 4;
  const WR = 2 * TWP + 2;
  const rowsTotal = N * TH;
  const maxTiles = Math.min(chunkTiles, Math.max(MIN_CHUNK_TILES, Math.floor(FILTER_CHUNK_BYTES / (64 * (C + OC)))));
  const chunkRows = Math.max(1, Math.min(rowsTotal, Math.floor(maxTiles / TWP)));
  const Tmax = chunkRows * TWP;
  const rowWork = 64 * TWP * C;
  const threads = Math.max(1, Math.min(e.threads, chunkRows, Math.floor((rowWork * chunkRows) / Math.max(1, e.blocking.minFlopsPerThread))));
  const perThread = align64(16 * WR + 64);
  const CP = Math.ceil(C / 4) * 4;
  const mPlane = planeBytes(OC * CP), vPlaneMax = planeBytes(C * Tmax), yPlaneMax = planeBytes(OC * Tmax);
  const mAt = align64(WJ_BYTES);
  const vAt = mAt + 16 * mPlane;
  const yAt = vAt + 16 * vPlaneMax;
  const tAt = yAt + 16 * yPlaneMax;
  const dyTmp = tAt + threads * perThread;
  const bytes = dyTmp + align64(16 * TWP);
  const base = e.heap.alloc(bytes, fn, `${bytes} bytes of Winograd backward-filter workspace`);
  try {
    const i32 = e.heap.i32();
    const j = base >>> 2;
    const set: [number, number][] = [
      [WJ.C, C], [WJ.H, g.H], [WJ.W, g.W], [WJ.PT, g.padTop], [WJ.PL, g.padLeft], [WJ.OH, OH], [WJ.OW, OW],
      [WJ.TH, TH], [WJ.TWP, TWP], [WJ.WR, WR], [WJ.SRC, a.x], [WJ.SSN, a.sxn], [WJ.V, base + vAt],
      [WJ.SCRATCH, base + tAt], [WJ.SCRATCH_STRIDE, perThread], [WJ.PHASE, 0],
    ];
    for (const [s, v] of set) i32[j + s] = v;
    let first = true;
    for (let row0 = 0; row0 < rowsTotal; row0 += chunkRows) {
      const rows = Math.min(chunkRows, rowsTotal - row0);
      const T = rows * TWP;
      const vPlane = planeBytes(C * T), yPlane = planeBytes(OC * T);
      const h = e.heap.i32(); // the view may have been replaced by memory growth
      h[j + WJ.TICKET] = 0;
      h[j + WJ.ROW0] = row0;
      h[j + WJ.TASKS] = rows;
      h[j + WJ.T] = T;
      h[j + WJ.VP] = vPlane;
      e.runWinogradJob(base, Math.min(threads, rows));
      e.exports.winogradFilterDy(a.dy, a.syn, OC, OH, OW, TH, TWP, row0, rows, base + yAt, yPlane, base + dyTmp);
      for (let p = 0; p < 16; p++) {
        gemm(e, OC, C, T, 1,
          { at: base + yAt + p * yPlane, s1: T, s2: 1 },
          { at: base + vAt + p * vPlane, s1: 1, s2: T }, first ? 0 : 1,
          { at: base + mAt + p * mPlane, s1: CP, s2: 1 });
      }
      first = false;
    }
    e.exports.winogradFilterOut(base + mAt, mPlane, OC, C, CP, a.dw);
  } finally {
    e.heap.free(base);
  }
}
