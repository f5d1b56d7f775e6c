/**
 * Planning of one Winograd F(2×2, 3×3) convolution on the engine (assembly/winograd.ts has the
 * transforms): the filters are transformed once, then the tiles are processed in chunks of whole
 * tile rows: the input transform (a job over the threads), 16 products
 * `M[p] = U[p] · V[p]` (Cout × Cin by Cin × T, the packed, threaded sgemm), and the output
 * transform (a job over the threads). A chunk has at most `blocking.NC` tiles (each product is one
 * NC block), and its V and M take at most {@link CHUNK_BYTES} unless that leaves fewer than
 * {@link MIN_CHUNK_TILES} tiles.
 * @internal
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { gemm } from "./gemm.js";
import { WJ, WJ_BYTES } from "./layout.generated.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";

/** Bytes the transformed tiles of one chunk (V and M) may take. */
const CHUNK_BYTES = 2 << 20;
/** Tiles a chunk has at least (when the image has them), however many channels: fewer make the products too thin. */
const MIN_CHUNK_TILES = 128;

/** Bytes between the 16 positions of a transformed array of `floats` floats each: padded by 64 bytes off multiples of 4 KiB. */
function planeBytes(floats: number): number {
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
 * (N·OH·OW forward, N·H·W backward-data) below which 'auto' keeps the direct kernel. Measured as
 * above: forward at 7×7 with one image, 64 channels 0.88×, 512 channels (ResNet-18 layer4)
 * 1.01–1.03×; 14×14 1.4–1.5×; ResNet-18 layer4 at batch 8 1.6×. (Backward-data wins at 7×7 with
 * one image too, 1.2–1.5×, but one threshold serves both passes.)
 * @internal
 */
export const WINOGRAD_MIN_PIXELS = 196;

/**
 * `hints.winogradMinPixels` of a wasm device with worker threads. Provisional: measured with two
 * threads on a 2-vCPU VM that other work kept loaded (the direct kernels themselves ran no faster
 * on two threads than on one), Winograd won on 56×56 planes at batch 1 (ResNet-18 layer1 1.7–1.9×,
 * VGG-16 conv3_2 1.2–1.3×) and at batch 8 on ResNet-18 layer1 (1.8–1.9×), but lost on ResNet-18
 * layers 2–4 at batch 1 (0.5–0.84×): each chunk makes 18 pool dispatches (two transform jobs and
 * 16 threaded products), and a descheduled worker stalls every one of them.
 * @internal
 */
export const WINOGRAD_MIN_PIXELS_THREADED = 3136;

/** Operands of one call: byte addresses and byte strides between images. @internal */
export interface WinogradAddresses {
  readonly src: number;
  readonly ssn: number;
  readonly w: number;
  /** 0 when there is no bias. */ readonly bias: number;
  readonly dst: number;
  readonly sdn: number;
}

/**
 * The forward convolution `fg` (3×3, stride 1, dilation 1, padding ≤ 2) of N images from fg.C to
 * Cout channels by Winograd: dst = conv(src) (+ bias), or with `backward` dst += conv(src, W
 * transposed and flipped), where W (`[fg.C, Cout, 3, 3]`) is the weight of the convolution whose
 * backward-data this is. The caller has validated everything; fg.C, Cout, N and the
 * output are not empty.
 * @internal
 */
export function convWinograd(e: WasmEngine, fn: string, fg: Conv2dGeometry, N: number, Cout: number, a: WinogradAddresses, backward: boolean): void {
  const Cin = fg.C, { OH, OW } = fg;
  const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2), TWP = Math.ceil(TW / 4) * 4;
  const WR = 2 * TWP + 2;
  const rowsTotal = N * TH;
  const maxTiles = Math.min(e.blocking.NC, Math.max(MIN_CHUNK_TILES, Math.floor(CHUNK_BYTES / (64 * (Cin + Cout)))));
  const chunkRows = Math.max(1, Math.min(rowsTotal, Math.floor(maxTiles / TWP)));
  const Tmax = chunkRows * TWP;
  // Transform work of one tile row (≈ flops): threads only where it pays, as for sgemm.
  const rowWork = 64 * TWP * (Cin + Cout);
  const threads = Math.max(1, Math.min(e.threads, chunkRows, Math.floor((rowWork * chunkRows) / Math.max(1, e.blocking.minFlopsPerThread))));
  const perThread = align64(16 * WR + 64);
  const uPlane = planeBytes(Cout * Cin), vPlaneMax = planeBytes(Cin * Tmax), mPlaneMax = planeBytes(Cout * Tmax);
  const uAt = align64(WJ_BYTES);
  const vAt = uAt + 16 * uPlane;
  const mAt = vAt + 16 * vPlaneMax;
  const tAt = mAt + 16 * mPlaneMax;
  const bytes = tAt + threads * perThread;
  const base = e.heap.alloc(bytes, fn, `${bytes} bytes of Winograd workspace`);
  try {
    const i32 = e.heap.i32();
    const j = base >>> 2;
    const set: [number, number][] = [
      [WJ.C, Cin], [WJ.OC, Cout], [WJ.H, fg.H], [WJ.W, fg.W], [WJ.PT, fg.padTop], [WJ.PL, fg.padLeft], [WJ.OH, OH], [WJ.OW, OW],
      [WJ.TH, TH], [WJ.TWP, TWP], [WJ.WR, WR], [WJ.SRC, a.src], [WJ.SSN, a.ssn], [WJ.DST, a.dst], [WJ.SDN, a.sdn],
      [WJ.V, base + vAt], [WJ.M, base + mAt], [WJ.BIAS, a.bias], [WJ.ACC, backward ? 1 : 0],
      [WJ.SCRATCH, base + tAt], [WJ.SCRATCH_STRIDE, perThread], [WJ.WF, a.w], [WJ.U, base + uAt], [WJ.UP, uPlane],
    ];
    for (const [s, v] of set) i32[j + s] = v;
    const run = (phase: number, row0: number, rows: number, T: number, vPlane: number, mPlane: number) => {
      const h = e.heap.i32(); // the view may have been replaced by memory growth
      h[j + WJ.TICKET] = 0;
      h[j + WJ.PHASE] = phase;
      h[j + WJ.ROW0] = row0;
      h[j + WJ.TASKS] = rows;
      h[j + WJ.T] = T;
      h[j + WJ.VP] = vPlane;
      h[j + WJ.MP] = mPlane;
      e.runWinogradJob(base, Math.min(phase === 2 ? filterThreads : threads, rows));
    };
    // The filter transform: a task per output channel (≈ 50 flops per filter).
    const filterThreads = Math.max(1, Math.min(e.threads, Math.floor((50 * Cout * Cin) / Math.max(1, e.blocking.minFlopsPerThread))));
    run(2, 0, Cout, 0, 0, 0);
    for (let row0 = 0; row0 < rowsTotal; row0 += chunkRows) {
      const rows = Math.min(chunkRows, rowsTotal - row0);
      const T = rows * TWP;
      const vPlane = planeBytes(Cin * T), mPlane = planeBytes(Cout * T);
      run(0, row0, rows, T, vPlane, mPlane);
      for (let p = 0; p < 16; p++) {
        gemm(e, Cout, T, Cin, 1,
          { at: base + uAt + p * uPlane, s1: Cin, s2: 1 },
          { at: base + vAt + p * vPlane, s1: T, s2: 1 }, 0,
          { at: base + mAt + p * mPlane, s1: T, s2: 1 });
      }
      run(1, row0, rows, T, vPlane, mPlane);
    }
  } finally {
    e.heap.free(base);
  }
}
