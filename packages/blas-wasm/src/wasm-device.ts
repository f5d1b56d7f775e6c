import {
  applyConvEpilogue, registerDevice, type BinaryOp, type CheckedConvEpilogue, type Conv2dGeometry, type ConvEpilogue, type Device, type DeviceBuffer, type DeviceHints, type Pool2dGeometry, type RandomDistribution,
  type ReduceOp, type UnaryOp, type View,
} from "@tessera/blas";
import type { GemmBlocking } from "./blocking.js";
import { WasmDeviceBlas } from "./device-blas.js";
import { createEngine } from "./engine.js";
import type { WasmBuffer } from "./wasm-buffer.js";
import { collapse, type Collapsed } from "./nd-desc.js";
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS } from "./layout.generated.js";
import { convFilterImplicit, filterImplicitApplies } from "./conv-filter.js";
import {
  backwardDataAsForward, backwardDataPays, convBackwardDataImplicit, convImplicit, implicitApplies, type EpilogueAddresses,
} from "./conv-implicit.js";
import { addr, descriptors, geometryRecord, reduceDescs, reduceWalks } from "./routines.js";
import { apart, injective, span, splitNd, splitPlanes, splittable, walk, walkSize } from "./split.js";
import { convWinograd, WINOGRAD_MIN_CHANNELS, WINOGRAD_MIN_PIXELS, WINOGRAD_MIN_PIXELS_THREADED } from "./winograd.js";
import { checkWinogradTile, convWinograd4, pickWinogradTile, type WinogradTile } from "./winograd4.js";

/**
 * Options of {@link wasmDevice}.
 *
 * @example
 * ```ts
 * import { wasmDevice } from "@tessera/blas-wasm";
 * const dev = await wasmDevice({ threads: 2, simd: "auto" });
 * ```
 */
export interface WasmDeviceOptions {
  /** Threads for sgemm (the calling thread plus workers). Default: the available cores. */
  readonly threads?: number;
  /** `'auto'` (default): relaxed SIMD when it validates; `'relaxed'`: require it; `'plain'`: mul + add. */
  readonly simd?: "auto" | "relaxed" | "plain";
  /** Block sizes of sgemm (merged over {@link DEFAULT_BLOCKING}). */
  readonly blocking?: Partial<GemmBlocking>;
  /** Upper bound of the wasm memory in MiB, 16–4096. Default 4096. */
  readonly maxMemoryMiB?: number;
  /** Register the device as `'wasm'` in `@tessera/blas`'s registry. Default true. */
  readonly register?: boolean;
  /**
   * Output tile of the Winograd convolutions (`convForwardWinograd`, `convBackwardDataWinograd`):
   * `'auto'` (default) F(4×4, 3×3) on the planes where it was measured faster than F(2×2, 3×3)
   * (see the package README), `2` always F(2×2, 3×3) (smaller float32 error), `4` always F(4×4, 3×3).
   */
  readonly winogradTile?: "auto" | 2 | 4;
}

const ONE_THREAD_HINTS: DeviceHints = Object.freeze({
  batchConvPasses: ["forward", "backwardData"], batchBelowMacs: 1 << 20,
  winogradMinChannels: WINOGRAD_MIN_CHANNELS, winogradMinPixels: WINOGRAD_MIN_PIXELS,
} as const);
const THREADED_HINTS: DeviceHints = Object.freeze({ ...ONE_THREAD_HINTS, winogradMinPixels: WINOGRAD_MIN_PIXELS_THREADED });

const DISTRIBUTIONS = ["uniform", "normal", "bernoulli"] as const;

/** Whether a reduction may be split: y (the kept walk's operand 1) visits each output once and misses x. */
function reductionSplittable([ck, cr]: readonly [Collapsed, Collapsed], px: number, py: number): boolean {
  const x = { shape: [...ck.shape, ...cr.shape], strides: [[...ck.strides[0], ...cr.strides[0]]] };
  return injective(ck, 1) && apart([span(ck, 1, py)], [span(x, 0, px)]);
}

/** Byte addresses of a checked forward epilogue's parts (undefined for none). */
function epilogueAddresses(e: CheckedConvEpilogue<WasmBuffer> | null): EpilogueAddresses | undefined {
  if (e === null) return undefined;
  return {
    scale: e.scale === null ? 0 : addr(e.scale, e.offsetScale), shift: e.shift === null ? 0 : addr(e.shift, e.offsetShift),
    residual: e.residual === null ? 0 : addr(e.residual, e.offsetResidual), srn: e.strideResidualN * 4, relu: e.relu,
  };
}

/** Elements of a shape. */
const elements = (shape: readonly number[]) => shape.reduce((p, n) => p * n, 1);

/**
 * The `'wasm'` device: buffers in one `WebAssembly.Memory`, every routine in WebAssembly SIMD
 * (AssemblyScript), sgemm packed and register-blocked, multithreaded over a worker pool. Create it
 * with {@link wasmDevice}. The method examples use a `dev` made this way, and buffers from `dev.alloc`.
 *
 * @example
 * ```ts
 * import { wasmDevice } from "@tessera/blas-wasm";
 * const dev = await wasmDevice();
 * const a = dev.alloc(4), b = dev.alloc(4), c = dev.alloc(4);
 * dev.write(a, [1, 2, 3, 4]);
 * dev.write(b, [5, 6, 7, 8]);
 * dev.sgemm("no-transpose", "no-transpose", 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0);
 * dev.readSync(c); // Float32Array [19, 22, 43, 50]
 * ```
 */
export class WasmDevice extends WasmDeviceBlas implements Device {
  /** Always `'wasm'`. */
  readonly name = "wasm";
  /**
   * Measured alone (`pnpm bench conv`, 2 threads): batching the forward GEMM over images lifts
   * LeNet-5 conv2 from 30.1 to 41.1 GFLOP/s and conv1 from 16.7 to 19.7, but slows large layers
   * (ResNet-18 layer1 98 → 75), so only per-image GEMMs under 2^20 multiply-adds batch. (The forward
   * is an implicit GEMM unless `algorithm: 'im2col'`.) Backward-data of LeNet-5 conv2, where it is
   * lowered, batched over 64 images: 1.10 → 0.96 ms on one thread, 1.12 → 0.71 ms on two.
   * Backward-filter stays per image (batching it made LeNet-5 training 25 % slower).
   * Winograd: see `WINOGRAD_MIN_CHANNELS`, `WINOGRAD_MIN_PIXELS` and `WINOGRAD_MIN_PIXELS_THREADED`
   * (src/winograd.ts; the same threshold since the threaded Winograd scales).
   */
  get hints(): DeviceHints {
    return this.threads > 1 ? THREADED_HINTS : ONE_THREAD_HINTS;
  }

  /**
   * Creates a device without registering it (prefer {@link wasmDevice}).
   *
   * @example
   * ```ts
   * import { WasmDevice } from "@tessera/blas-wasm";
   * const dev = await WasmDevice.create({ threads: 1 });
   * ```
   */
  static async create(options: WasmDeviceOptions = {}): Promise<WasmDevice> {
    const tile = checkWinogradTile("wasmDevice", options.winogradTile);
    const dev = new WasmDevice(await createEngine("wasmDevice", options));
    dev.winogradTile = tile;
    return dev;
  }

  /** The `winogradTile` option. */
  private winogradTile: WinogradTile = "auto";

  /**
   * y ← value over an n-d view (float32 or int32).
   *
   * @example
   * ```ts
   * dev.fill([2, 3], 0, { buffer: y, offset: 0, strides: [3, 1] });
   * ```
   */
  fill(shape: readonly number[], value: number, y: View): void {
    const yb = this.contract.fill(shape, value, y);
    const bits = yb.dtype === "int32" ? new Int32Array([value])[0] : new Int32Array(new Float32Array([value]).buffer)[0];
    const c = collapse(shape, [y.strides]);
    const py = addr(yb, y.offset);
    if (splittable(c, [py]) && splitNd(this.engine, "fill", c, walkSize(c), { routine: "fill", descs: [c], a: py, i0: bits })) return;
    const [d] = descriptors(this.engine, "fill", c);
    this.engine.exports.fill(c.shape.length, d, addr(yb, y.offset), bits);
  }

  /**
   * y ← f(x) elementwise over n-d views (x may broadcast; y may equal x).
   *
   * @example
   * ```ts
   * dev.unary("relu", [n], { buffer: x, offset: 0, strides: [1] }, { buffer: x, offset: 0, strides: [1] });
   * ```
   */
  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0 = 0, p1 = 0): void {
    const [xb, yb] = this.contract.unary(op, shape, x, y, p0, p1);
    const c = collapse(shape, [x.strides, y.strides]);
    const code = UNARY_OPS.indexOf(op);
    const [px, py] = [addr(xb, x.offset), addr(yb, y.offset)];
    if (splittable(c, [px, py]) && splitNd(this.engine, "unary", c, walkSize(c), { routine: "unary", op: code, descs: [c], a: px, b: py, p0, p1 })) return;
    const [d] = descriptors(this.engine, "unary", c);
    this.engine.exports.unary(code, c.shape.length, d, addr(xb, x.offset), addr(yb, y.offset), p0, p1);
  }

  /**
   * out ← f(a, b) elementwise over n-d views (broadcast by zero strides; out may equal a or b).
   *
   * @example
   * ```ts
   * // add a bias of length C to every row of an N×C matrix
   * dev.binary("add", [N, C], { buffer: y, offset: 0, strides: [C, 1] }, { buffer: bias, offset: 0, strides: [0, 1] }, { buffer: y, offset: 0, strides: [C, 1] });
   * ```
   */
  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0 = 0): void {
    const [ab, bb, ob] = this.contract.binary(op, shape, a, b, out, p0);
    const c = collapse(shape, [a.strides, b.strides, out.strides]);
    const code = BINARY_OPS.indexOf(op);
    const [pa, pb, po] = [addr(ab, a.offset), addr(bb, b.offset), addr(ob, out.offset)];
    if (splittable(c, [pa, pb, po]) && splitNd(this.engine, "binary", c, walkSize(c), { routine: "binary", op: code, descs: [c], a: pa, b: pb, c: po, p0 })) return;
    const [d] = descriptors(this.engine, "binary", c);
    this.engine.exports.binary(code, c.shape.length, d, addr(ab, a.offset), addr(bb, b.offset), addr(ob, out.offset), p0);
  }

  /**
   * Reduces the last `reduceDims` dimensions of x into y (sums in float64).
   *
   * @example
   * ```ts
   * dev.reduce("mean", [N, C], 1, { buffer: x, offset: 0, strides: [C, 1] }, { buffer: y, offset: 0, strides: [1] });
   * ```
   */
  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void {
    const { kept, x: xb, y: yb } = this.contract.reduce(op, shape, reduceDims, x, y);
    const walks = reduceWalks(shape, kept, x, y);
    const code = REDUCE_OPS.indexOf(op), px = addr(xb, x.offset), py = addr(yb, y.offset);
    if (reductionSplittable(walks, px, py) && splitNd(this.engine, "reduce", walks[0], elements(shape), { routine: "reduce", op: code, descs: walks, a: px, b: py })) return;
    const [nk, dk, nr, dr] = reduceDescs(this.engine, "reduce", walks);
    this.engine.exports.reduce(code, nk, dk, nr, dr, addr(xb, x.offset), addr(yb, y.offset));
  }

  /**
   * y (int32) ← flat index of the first maximum over the last `reduceDims` dimensions.
   *
   * @example
   * ```ts
   * dev.argmax([N, 10], 1, { buffer: logits, offset: 0, strides: [10, 1] }, { buffer: predicted, offset: 0, strides: [1] });
   * ```
   */
  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): void {
    const { kept, x: xb, y: yb } = this.contract.argmax(shape, reduceDims, x, y);
    const walks = reduceWalks(shape, kept, x, y);
    const [px, py] = [addr(xb, x.offset), addr(yb, y.offset)];
    if (reductionSplittable(walks, px, py) && splitNd(this.engine, "argmax", walks[0], elements(shape), { routine: "argmax", descs: walks, a: px, b: py })) return;
    const [nk, dk, nr, dr] = reduceDescs(this.engine, "argmax", walks);
    this.engine.exports.argmax(nk, dk, nr, dr, addr(xb, x.offset), addr(yb, y.offset));
  }

  /**
   * Row-wise (log-)softmax of a rows×cols view, max subtracted.
   *
   * @example
   * ```ts
   * dev.softmax(N, 10, { buffer: logits, offset: 0, strides: [10, 1] }, { buffer: probs, offset: 0, strides: [10, 1] }, false);
   * ```
   */
  softmax(rows: number, cols: number, x: View, y: View, log: boolean): void {
    const [xb, yb] = this.contract.softmax(rows, cols, x, y, log);
    this.engine.exports.softmax(rows, cols, addr(xb, x.offset), x.strides[0], x.strides[1], addr(yb, y.offset), y.strides[0], y.strides[1], log ? 1 : 0);
  }

  /**
   * Lowers N images of one channel group to columns (padding reads as zero).
   *
   * @example
   * ```ts
   * dev.im2col(g, N, x, 0, g.C * g.H * g.W, col, 0, N * g.OH * g.OW);
   * ```
   */
  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): void {
    const [xb, cb] = this.contract.im2col(g, N, x, ox, sxn, col, oc, ld);
    const P = g.OH * g.OW, K = g.C * g.KH * g.KW;
    const [px, pc] = [addr(xb, ox), addr(cb, oc)];
    // Split by images only where the column matrix's rows do not overlap and miss x.
    const cols = walk([K, N * P], [ld, 1]);
    const ok = injective(cols, 0) && apart([span(cols, 0, pc)], [span(walk([N, g.C * g.H * g.W], [sxn, 1]), 0, px)]);
    if (ok && splitPlanes(this.engine, "im2col", N, N * K * P, { routine: "im2col", geometry: g, a: px, b: pc, i0: ld, i1: sxn, i2: P })) return;
    this.engine.exports.im2col(geometryRecord(this.engine, "im2col", g), N, addr(xb, ox), sxn, addr(cb, oc), ld);
  }

  /**
   * Convolution forward of N images of one channel group as an implicit GEMM (no column matrix):
   * taken for every geometry with K = C·KH·KW > 0 (measured faster than im2col + sgemm on every
   * benchmark layer); returns false otherwise (the caller lowers). Same threads as sgemm; results
   * do not depend on the thread count. The optional epilogue (per-channel scale and shift,
   * residual, ReLU) is applied in SIMD as each tile is stored, with the same bits as
   * `applyConvEpilogue` after the plain call.
   *
   * @example
   * ```ts
   * // LeNet-5 conv2 on 64 images: x [64, 6, 14, 14], w [16, 150], y [64, 16, 10, 10]
   * dev.convForward(g, 64, 16, x, 0, 6 * 14 * 14, w, 0, null, 0, y, 0, 16 * 100); // true
   * ```
   */
  convForward(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): boolean {
    const [xb, wb, bb, yb, e] = this.contract.convForward(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue);
    if (!implicitApplies(g)) return false;
    if (N === 0 || OC === 0 || g.OH * g.OW === 0) return true;
    convImplicit(this.engine, g, N, OC, {
      x: addr(xb, ox), sxn: sxn * 4, w: addr(wb, ow), bias: bb === null ? 0 : addr(bb, ob), y: addr(yb, oy), syn: syn * 4,
      epilogue: epilogueAddresses(e),
    });
    return true;
  }

  /**
   * Convolution backward-data of N images of one channel group, accumulating
   * `dx[n] += col2im(Wᵀ · dy[n])`: for stride 1, the forward implicit GEMM over dy zero-padded by
   * the kernel's reach minus the padding, with W transposed and flipped (no column matrix), when
   * most of its multiply-adds are useful ('same'-size layers with C a multiple of 8: ResNet, VGG);
   * returns false otherwise (strides above 1, small images, few channels: LeNet), which lower to
   * sgemm + col2im.
   *
   * @example
   * ```ts
   * // ResNet-18 layer1 3×3 conv on 8 images: w [64, 64, 3, 3], dy and dx [8, 64, 56, 56]
   * dev.convBackwardData(g, 8, 64, w, 0, dy, 0, 64 * 3136, dx, 0, 64 * 3136); // true
   * ```
   */
  convBackwardData(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number): boolean {
    const [wb, yb, xb] = this.contract.convBackwardData(g, N, OC, w, ow, dy, oy, syn, dx, ox, sxn);
    const fwd = backwardDataAsForward(g, OC);
    if (fwd === null || !backwardDataPays(g)) return false;
    if (N === 0 || OC === 0 || g.C === 0 || g.OH * g.OW === 0) return true;
    convBackwardDataImplicit(this.engine, g, fwd, N, OC, { w: addr(wb, ow), dy: addr(yb, oy), syn: syn * 4, dx: addr(xb, ox), sxn: sxn * 4 });
    return true;
  }

  /**
   * Convolution forward by Winograd F(2×2, 3×3) or F(4×4, 3×3) (the `winogradTile` option; 3×3,
   * stride 1, dilation 1, padding ≤ 2; other geometries throw): input and output transforms in
   * WASM SIMD split over the threads, the 16 (36) products per chunk of tiles on the sgemm
   * micro-kernel, in the pool's jobs. Results do not depend
   * on the thread count; they differ from {@link convForward}'s by float32 rounding (bounded in the
   * tests). The optional epilogue (per-channel scale and shift, residual, ReLU) gives the same bits
   * as `applyConvEpilogue` after the plain call: the output transform applies it in SIMD as each
   * tile is stored.
   *
   * @example
   * ```ts
   * // ResNet-18 layer1 3×3 conv on 8 images: x and y [8, 64, 56, 56], w [64, 64, 3, 3]
   * dev.convForwardWinograd(g, 8, 64, x, 0, 64 * 3136, w, 0, null, 0, y, 0, 64 * 3136);
   * ```
   */
  convForwardWinograd(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): void {
    const fn = "convForwardWinograd";
    const [xb, wb, bb, yb, e] = this.contract.convForwardWinograd(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue);
    const P = g.OH * g.OW;
    if (N === 0 || OC === 0 || P === 0) return;
    if (g.C === 0) {
      // No input channels: y = bias (or 0).
      const f = this.engine.heap.f32();
      const at = addr(yb, oy) >>> 2, b = bb === null ? -1 : addr(bb, ob) >>> 2;
      for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) f.fill(b < 0 ? 0 : f[b + o], at + n * syn + o * P, at + n * syn + (o + 1) * P);
      if (e !== null && epilogue) applyConvEpilogue(this, N, OC, P, y, oy, syn, epilogue);
      return;
    }
    const addresses = { src: addr(xb, ox), ssn: sxn * 4, w: addr(wb, ow), bias: bb === null ? 0 : addr(bb, ob), dst: addr(yb, oy), sdn: syn * 4 };
    const conv = pickWinogradTile(this.winogradTile, g.OH, g.OW, N) === 4 ? convWinograd4 : convWinograd;
    conv(this.engine, fn, g, N, OC, { ...addresses, epilogue: epilogueAddresses(e) }, false);
  }

  /**
   * Convolution backward-data (accumulating) by Winograd F(2×2, 3×3) or F(4×4, 3×3): the forward Winograd
   * convolution of dy padded by 2 − padding with the weights transposed and flipped (see
   * {@link convForwardWinograd}).
   *
   * @example
   * ```ts
   * // ResNet-18 layer1 3×3 conv on 8 images: w [64, 64, 3, 3], dy and dx [8, 64, 56, 56]
   * dev.convBackwardDataWinograd(g, 8, 64, w, 0, dy, 0, 64 * 3136, dx, 0, 64 * 3136);
   * ```
   */
  convBackwardDataWinograd(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number): void {
    const fn = "convBackwardDataWinograd";
    const [wb, yb, xb] = this.contract.convBackwardDataWinograd(g, N, OC, w, ow, dy, oy, syn, dx, ox, sxn);
    if (N === 0 || OC === 0 || g.C === 0 || g.H * g.W === 0) return;
    const fwd = backwardDataAsForward(g, OC)!;
    const conv = pickWinogradTile(this.winogradTile, fwd.OH, fwd.OW, N) === 4 ? convWinograd4 : convWinograd;
    conv(this.engine, fn, fwd, N, g.C, { src: addr(yb, oy), ssn: syn * 4, w: addr(wb, ow), bias: 0, dst: addr(xb, ox), sdn: sxn * 4 }, true);
  }

  /**
   * Convolution backward-filter of N images of one channel group as an implicit GEMM, accumulating
   * `dw += Σₙ dy[n] · im2col(x[n])ᵀ`: taken when its scratch (the padded batch, dy transposed)
   * stays within 64 MiB (ResNet-18 up to batch 32), returns false otherwise. Every
   * (4 k × 8 channel) tile of dw is one task's sum over all images and pixels in order, in pixel
   * blocks: results do not depend on the thread count.
   *
   * @example
   * ```ts
   * // LeNet-5 conv1 on 64 images: x [64, 1, 28, 28], dy [64, 6, 28, 28], dw [6, 25]
   * dev.convBackwardFilter(g, 64, 6, x, 0, 784, dy, 0, 6 * 784, dw, 0); // true
   * ```
   */
  convBackwardFilter(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, dy: DeviceBuffer, oy: number, syn: number,
    dw: DeviceBuffer, ow: number): boolean {
    const [xb, yb, wb] = this.contract.convBackwardFilter(g, N, OC, x, ox, sxn, dy, oy, syn, dw, ow);
    if (!filterImplicitApplies(g, N, OC)) return false;
    if (N === 0 || OC === 0 || g.C * g.KH * g.KW === 0 || g.OH * g.OW === 0) return true;
    convFilterImplicit(this.engine, g, N, OC, { x: addr(xb, ox), sxn: sxn * 4, dy: addr(yb, oy), syn: syn * 4, dw: addr(wb, ow) });
    return true;
  }

  /**
   * Accumulates columns back into images: x += col2im(col), the adjoint of {@link im2col}.
   *
   * @example
   * ```ts
   * dev.col2im(g, N, dcol, 0, N * g.OH * g.OW, dx, 0, g.C * g.H * g.W);
   * ```
   */
  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number): void {
    const [cb, xb] = this.contract.col2im(g, N, col, oc, ld, x, ox, sxn);
    const P = g.OH * g.OW, K = g.C * g.KH * g.KW;
    const [pc, px] = [addr(cb, oc), addr(xb, ox)];
    // Split by images only where the images do not overlap (they accumulate) and miss the columns.
    const images = walk([N, g.C * g.H * g.W], [sxn, 1]);
    const ok = injective(images, 0) && apart([span(images, 0, px)], [span(walk([K, N * P], [ld, 1]), 0, pc)]);
    if (ok && splitPlanes(this.engine, "col2im", N, N * K * P, { routine: "col2im", geometry: g, a: pc, b: px, i0: ld, i1: sxn, i2: P })) return;
    this.engine.exports.col2im(geometryRecord(this.engine, "col2im", g), N, addr(cb, oc), ld, addr(xb, ox), sxn);
  }

  /**
   * Max pooling of contiguous H×W planes, keeping the argmax (flat index in the plane, first on ties)
   * unless `argmax` is null (inference: the kernel then skips the index bookkeeping, 1.3–1.6× faster).
   *
   * @example
   * ```ts
   * dev.maxPool2d(g, N * C, x, 0, y, 0, argmax, 0);
   * ```
   */
  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, argmax: DeviceBuffer | null, oa: number): void {
    const [xb, yb, ab] = this.contract.maxPool2d(g, planes, x, ox, y, oy, argmax, oa);
    const [inPlane, outPlane] = [g.H * g.W, g.OH * g.OW];
    // c = 0: no indices (no buffer lives at address 0).
    const job = { routine: "maxPool", geometry: g, a: addr(xb, ox), b: addr(yb, oy), c: ab ? addr(ab, oa) : 0, i0: inPlane, i1: outPlane } as const;
    const outputs: [number, number][] = [[job.b, job.b + 4 * planes * outPlane], ...(ab ? [[job.c, job.c + 4 * planes * outPlane] as [number, number]] : [])];
    const ok = apart(outputs, [[job.a, job.a + 4 * planes * inPlane]]);
    if (ok && splitPlanes(this.engine, "maxPool2d", planes, planes * Math.max(inPlane, outPlane), job)) return;
    this.engine.exports.maxPool(geometryRecord(this.engine, "maxPool2d", g), planes, job.a, job.b, job.c);
  }

  /**
   * dx[argmax] += dy for every output cell.
   *
   * @example
   * ```ts
   * dev.maxPool2dBackward(g, N * C, dy, 0, argmax, 0, dx, 0);
   * ```
   */
  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, ody: number, argmax: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): void {
    const [dyb, ab, dxb] = this.contract.maxPool2dBackward(g, planes, dy, ody, argmax, oa, dx, odx);
    const [inPlane, outPlane] = [g.H * g.W, g.OH * g.OW];
    const job = { routine: "maxPoolBackward", geometry: g, a: addr(dyb, ody), b: addr(ab, oa), c: addr(dxb, odx), i0: inPlane, i1: outPlane } as const;
    const ok = apart([[job.c, job.c + 4 * planes * inPlane]], [[job.a, job.a + 4 * planes * outPlane], [job.b, job.b + 4 * planes * outPlane]]);
    if (ok && splitPlanes(this.engine, "maxPool2dBackward", planes, planes * Math.max(inPlane, outPlane), job)) return;
    this.engine.exports.maxPoolBackward(geometryRecord(this.engine, "maxPool2dBackward", g), planes, addr(dyb, ody), addr(ab, oa), addr(dxb, odx));
  }

  /**
   * Average pooling with PyTorch's divisor rules (dilation 1).
   *
   * @example
   * ```ts
   * dev.avgPool2d(g, N * C, true, x, 0, y, 0);
   * ```
   */
  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): void {
    const [xb, yb] = this.contract.avgPool2d(g, planes, countIncludePad, x, ox, y, oy);
    if (this.splitAvgPool("avgPool2d", g, planes, countIncludePad, 0, addr(xb, ox), addr(yb, oy))) return;
    this.engine.exports.avgPool(geometryRecord(this.engine, "avgPool2d", g), planes, countIncludePad ? 1 : 0, 0, addr(xb, ox), addr(yb, oy));
  }

  /**
   * The adjoint of {@link avgPool2d}; dx accumulates.
   *
   * @example
   * ```ts
   * dev.avgPool2dBackward(g, N * C, true, dy, 0, dx, 0);
   * ```
   */
  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): void {
    const [dyb, dxb] = this.contract.avgPool2dBackward(g, planes, countIncludePad, dy, ody, dx, odx);
    if (this.splitAvgPool("avgPool2dBackward", g, planes, countIncludePad, 1, addr(dyb, ody), addr(dxb, odx))) return;
    this.engine.exports.avgPool(geometryRecord(this.engine, "avgPool2dBackward", g), planes, countIncludePad ? 1 : 0, 1, addr(dyb, ody), addr(dxb, odx));
  }

  /** Average pooling (or its backward) over the threads when it is large enough; false if it stays here. */
  private splitAvgPool(fn: string, g: Pool2dGeometry, planes: number, countIncludePad: boolean, backward: 0 | 1, a: number, b: number): boolean {
    const [inPlane, outPlane] = [g.H * g.W, g.OH * g.OW];
    const [input, output] = backward ? [[a, a + 4 * planes * outPlane], [b, b + 4 * planes * inPlane]] as const : [[a, a + 4 * planes * inPlane], [b, b + 4 * planes * outPlane]] as const;
    return apart([output], [input]) && splitPlanes(this.engine, fn, planes, planes * Math.max(inPlane, outPlane), {
      routine: "avgPool", geometry: g, op: backward, a, b, i0: inPlane, i1: outPlane, i2: countIncludePad ? 1 : 0,
    });
  }

  /**
   * Counter-based random fill: element i depends only on (seed, counter + i), the same on every device.
   *
   * @example
   * ```ts
   * dev.fillRandom("normal", 42, 0, n, weights, 0, 0, Math.sqrt(2 / fanIn));
   * ```
   */
  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, oy: number, p0: number, p1: number): void {
    const yb = this.contract.fillRandom(dist, seed, counter, N, y, oy, p0, p1);
    this.engine.exports.fillRandom(DISTRIBUTIONS.indexOf(dist), seed, counter, N, addr(yb, oy), p0, p1);
  }
}

/**
 * Creates the `'wasm'` device and registers it (so `getDevice("wasm")` and the drop-in BLAS of this
 * package find it). Threads default to the available cores; where threads are impossible (a page
 * that is not cross-origin isolated) it runs on one thread and says so once.
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * import { wasmDevice } from "@tessera/blas-wasm";
 * await wasmDevice({ threads: 4 });
 * const dev = getDevice("wasm");
 * ```
 */
export async function wasmDevice(options: WasmDeviceOptions = {}): Promise<WasmDevice> {
  const dev = await WasmDevice.create(options);
  if (options.register ?? true) registerDevice(dev);
  return dev;
}
