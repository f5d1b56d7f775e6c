/**
 * Planning of one Winograd F(4×4, 3×3) convolution on the engine (assembly/winograd4.ts has the
 * transforms; src/winograd.ts is the F(2×2, 3×3) twin): the filters are transformed once, then the
 * tiles go in chunks of whole tile rows: the input transform (a job over the threads), 36 products
 * `M[p] = U[p] · V[p]` (Cout × Cin by Cin × T, the packed, threaded sgemm), and the output
 * transform (a job over the threads). A chunk has at most `blocking.NC` tiles, and its V and M take
 * at most {@link CHUNK_BYTES} unless that leaves fewer than {@link MIN_CHUNK_TILES} tiles.
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { gemm } from "./gemm.js";
import { WJ, WJ_BYTES } from "./layout.generated.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";
import type { WinogradAddresses } from "./winograd.js";

/** Bytes the transformed tiles of one chunk (V and M) may take. */
const CHUNK_BYTES = 4 << 20;
/** Tiles a chunk has at least (when the image has them), however many channels. */
const MIN_CHUNK_TILES = 128;

/**
 * Bytes of one of the 36 positions of a transformed array of `floats` floats: 16 bytes more (the
 * output transform reads up to 3 floats past a tile row), padded by 64 bytes off multiples of 4 KiB.
 */
function planeBytes(floats: number): number {
  const b = Math.ceil((floats * 4 + 16) / 64) * 64;
  return b % 4096 === 0 ? b + 64 : b;
}

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
 * The forward convolution `fg` (3×3, stride 1, dilation 1, padding ≤ 2) of N images from fg.C to
 * Cout channels by Winograd F(4×4, 3×3): dst = conv(src) (+ bias), or with `backward`
 * dst += conv(src, W transposed and flipped), as {@link convWinograd} (src/winograd.ts). The
 * caller has validated everything; fg.C, Cout, N and the output are not empty.
 * @internal
 */
export function convWinograd4(e: WasmEngine, fn: string, fg: Conv2dGeometry, N: number, Cout: number, a: WinogradAddresses, backward: boolean): void {
  const Cin = fg.C, { OH, OW } = fg;
  const TH = Math.ceil(OH / 4), TW = Math.ceil(OW / 4), TW4 = Math.ceil(TW / 4) * 4;
  const WR = 4 * TW4 + 4;
  const rowsTotal = N * TH;
  const maxTiles = Math.min(e.blocking.NC, Math.max(MIN_CHUNK_TILES, Math.floor(CHUNK_BYTES / (144 * (Cin + Cout)))));
  const chunkRows = Math.max(1, Math.min(rowsTotal, Math.floor(maxTiles / TW)));
  const Tmax = chunkRows * TW;
  // Transform work of one tile row (≈ flops): threads only where it pays, as for sgemm.
  const rowWork = 160 * TW * (Cin + Cout);
  const threads = Math.max(1, Math.min(e.threads, chunkRows, Math.floor((rowWork * chunkRows) / Math.max(1, e.blocking.minFlopsPerThread))));
  // Per thread: 6 padded input rows, 30 transformed vectors, 6 more, and 64 bytes (output: 24 + 4 + 1 vectors).
  const perThread = align64(24 * WR + 480 + 96 + 64);
  const uPlane = planeBytes(Cout * Cin), vPlaneMax = planeBytes(Cin * Tmax), mPlaneMax = planeBytes(Cout * Tmax);
  const uAt = align64(WJ_BYTES);
  const vAt = uAt + 36 * uPlane;
  const mAt = vAt + 36 * vPlaneMax;
  const tAt = mAt + 36 * mPlaneMax;
  const bytes = tAt + Math.max(threads, filterThreadsFor(e, Cin, Cout)) * perThread;
  const base = e.heap.alloc(bytes, fn, `${bytes} bytes of Winograd F(4×4) workspace`);
  try {
    const i32 = e.heap.i32();
    const j = base >>> 2;
    const set: [number, number][] = [
      [WJ.C, Cin], [WJ.OC, Cout], [WJ.H, fg.H], [WJ.W, fg.W], [WJ.PT, fg.padTop], [WJ.PL, fg.padLeft], [WJ.OH, OH], [WJ.OW, OW],
      [WJ.TH, TH], [WJ.TWP, TW], [WJ.WR, WR], [WJ.SRC, a.src], [WJ.SSN, a.ssn], [WJ.DST, a.dst], [WJ.SDN, a.sdn],
      [WJ.V, base + vAt], [WJ.M, base + mAt], [WJ.BIAS, a.bias], [WJ.ACC, backward ? 1 : 0],
      [WJ.SCRATCH, base + tAt], [WJ.SCRATCH_STRIDE, perThread], [WJ.WF, a.w], [WJ.U, base + uAt], [WJ.UP, uPlane],
    ];
    for (const [s, v] of set) i32[j + s] = v;
    const run = (phase: number, row0: number, tasks: number, T: number, vPlane: number, mPlane: number, active: number) => {
      const h = e.heap.i32(); // the view may have been replaced by memory growth
      h[j + WJ.TICKET] = 0;
      h[j + WJ.PHASE] = phase;
      h[j + WJ.ROW0] = row0;
      h[j + WJ.TASKS] = tasks;
      h[j + WJ.T] = T;
      h[j + WJ.VP] = vPlane;
      h[j + WJ.MP] = mPlane;
      e.runWinograd4Job(base, Math.min(active, tasks));
    };
    run(2, 0, Cout, 0, 0, 0, filterThreadsFor(e, Cin, Cout));
    for (let row0 = 0; row0 < rowsTotal; row0 += chunkRows) {
      const rows = Math.min(chunkRows, rowsTotal - row0);
      const T = rows * TW;
      const vPlane = planeBytes(Cin * T), mPlane = planeBytes(Cout * T);
      run(0, row0, rows, T, vPlane, mPlane, threads);
      for (let p = 0; p < 36; p++) {
        gemm(e, Cout, T, Cin, 1,
          { at: base + uAt + p * uPlane, s1: Cin, s2: 1 },
          { at: base + vAt + p * vPlane, s1: T, s2: 1 }, 0,
          { at: base + mAt + p * mPlane, s1: T, s2: 1 });
      }
      run(1, row0, rows, T, vPlane, mPlane, threads);
    }
  } finally {
    e.heap.free(base);
  }
}

/** Threads of the filter transform: a task per output channel, ≈ 200 flops per filter. */
function filterThreadsFor(e: WasmEngine, Cin: number, Cout: number): number {
  return Math.max(1, Math.min(e.threads, Math.floor((200 * Cout * Cin) / Math.max(1, e.blocking.minFlopsPerThread))));
}
