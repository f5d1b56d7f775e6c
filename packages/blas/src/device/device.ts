import type { Transpose } from "../types.js";
import type { BufferDType, DeviceBuffer, HostArray, View } from "./buffer.js";
import type { ConvEpilogue } from "./conv-epilogue.js";
import type { Conv2dGeometry, Pool2dGeometry } from "./geometry.js";
import type { BinaryOp, DeviceHints, RandomDistribution, ReduceOp, UnaryOp } from "./ops.js";

/**
 * A compute backend: memory plus the routines a CNN needs. BLAS-first: backends implement
 * routines, not ops. All routines are synchronous to call (GPU work is queued); only {@link read}
 * and {@link sync} are async. Outputs never alias inputs unless a routine says so; every routine
 * validates its views against the buffers and throws a `RangeError` naming the argument.
 *
 * Strided arguments follow the BLAS strided form: a matrix is (buffer, stride1, stride2, offset).
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * const dev = getDevice("js");
 * const a = dev.alloc(4), b = dev.alloc(4), c = dev.alloc(4);
 * dev.write(a, new Float32Array([1, 2, 3, 4]));
 * dev.write(b, new Float32Array([5, 6, 7, 8]));
 * dev.sgemm("no-transpose", "no-transpose", 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0);
 * await dev.read(c); // Float32Array [19, 22, 43, 50]
 * ```
 */
export interface Device {
  /** Registry name: `'js'`, `'wasm'`, `'webgpu'`. */
  readonly name: string;
  /** Optional tuning hints for the libraries above (see {@link DeviceHints}). */
  readonly hints?: DeviceHints;

  /** Allocates a zero-filled buffer of `length` elements. */
  alloc(length: number, dtype?: BufferDType): DeviceBuffer;
  /**
   * Allocates a buffer of `length` elements whose contents are unspecified: for the output of a
   * routine that overwrites all of it (a convolution's or a pooling's y), which then skips
   * {@link alloc}'s zero fill. Optional: callers fall back to `alloc`. The reference device fills
   * it with NaN (int32: 0xAAAAAAAA), so that a caller that reads it before writing shows up in tests.
   */
  allocUninitialized?(length: number, dtype?: BufferDType): DeviceBuffer;
  /** Releases a buffer; using it afterwards throws. Freeing twice is an error. */
  free(buffer: DeviceBuffer): void;
  /** Copies host data into the buffer, starting at element `offset`. */
  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset?: number): void;
  /** Copies `length` elements from `offset` back to the host, after all queued work. */
  read(buffer: DeviceBuffer, offset?: number, length?: number): Promise<HostArray>;
  /** Synchronous read, offered by CPU devices only (`js`, `wasm`); GPU devices leave it undefined. */
  readSync?(buffer: DeviceBuffer, offset?: number, length?: number): HostArray;
  /** Resolves when all queued work has finished. */
  sync(): Promise<void>;
  /** Bytes held by live buffers. */
  bytesInUse(): number;

  /** C ← α·op(A)·op(B) + β·C (strides of A and B as stored). β = 0 never reads C. */
  sgemm(
    transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: DeviceBuffer, strideA1: number, strideA2: number, offsetA: number,
    B: DeviceBuffer, strideB1: number, strideB2: number, offsetB: number,
    beta: number, C: DeviceBuffer, strideC1: number, strideC2: number, offsetC: number,
  ): void;
  /** y ← α·op(A)·x + β·y, A is M×N. */
  sgemv(
    trans: Transpose, M: number, N: number, alpha: number,
    A: DeviceBuffer, strideA1: number, strideA2: number, offsetA: number,
    x: DeviceBuffer, strideX: number, offsetX: number,
    beta: number, y: DeviceBuffer, strideY: number, offsetY: number,
  ): void;
  /** A ← α·x·yᵀ + A. */
  sger(
    M: number, N: number, alpha: number, x: DeviceBuffer, strideX: number, offsetX: number,
    y: DeviceBuffer, strideY: number, offsetY: number, A: DeviceBuffer, strideA1: number, strideA2: number, offsetA: number,
  ): void;
  /** y ← α·x + y. */
  saxpy(N: number, alpha: number, x: DeviceBuffer, strideX: number, offsetX: number, y: DeviceBuffer, strideY: number, offsetY: number): void;
  /** x ← α·x. */
  sscal(N: number, alpha: number, x: DeviceBuffer, strideX: number, offsetX: number): void;
  /** y ← x. */
  scopy(N: number, x: DeviceBuffer, strideX: number, offsetX: number, y: DeviceBuffer, strideY: number, offsetY: number): void;
  /** x ↔ y. */
  sswap(N: number, x: DeviceBuffer, strideX: number, offsetX: number, y: DeviceBuffer, strideY: number, offsetY: number): void;
  /** out[offsetOut] ← xᵀy (results stay on the device). */
  sdot(N: number, x: DeviceBuffer, strideX: number, offsetX: number, y: DeviceBuffer, strideY: number, offsetY: number, out: DeviceBuffer, offsetOut: number): void;
  /** out[offsetOut] ← ‖x‖₂. */
  snrm2(N: number, x: DeviceBuffer, strideX: number, offsetX: number, out: DeviceBuffer, offsetOut: number): void;
  /** out[offsetOut] ← Σ|xᵢ|. */
  sasum(N: number, x: DeviceBuffer, strideX: number, offsetX: number, out: DeviceBuffer, offsetOut: number): void;
  /** out[offsetOut] (int32) ← index of the first largest |xᵢ| (−1 for N = 0). */
  isamax(N: number, x: DeviceBuffer, strideX: number, offsetX: number, out: DeviceBuffer, offsetOut: number): void;

  /** y ← value over an n-d view. */
  fill(shape: readonly number[], value: number, y: View): void;
  /** y ← f(x) elementwise over n-d views (x may broadcast with zero strides; y may equal x). */
  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0?: number, p1?: number): void;
  /** out ← f(a, b) elementwise over n-d views (broadcast by zero strides; out may equal a or b). */
  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0?: number): void;
  /**
   * Reduces the last `reduceDims` dimensions of `x` (shape `shape`) into `y`, whose view has the
   * strides of the leading `shape.length − reduceDims` dimensions. Sums accumulate in float64.
   */
  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void;
  /** Like {@link reduce} with argmax: y (int32) gets the flat index within the reduced dimensions; ties → first. */
  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): void;
  /** Row-wise (log-)softmax of a rows×cols view, numerically stable (max subtracted). */
  softmax(rows: number, cols: number, x: View, y: View, log: boolean): void;
  /**
   * im2col for N images of one channel group: image n's channel c is the H×W plane at
   * `x[offsetX + n·strideXN + c·H·W]`; column row r = (c·KH + kh)·KW + kw, column n·OH·OW + oh·OW + ow,
   * at `col[offsetCol + r·ldCol + …]`. Padding reads as zero.
   */
  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, offsetX: number, strideXN: number, col: DeviceBuffer, offsetCol: number, ldCol: number): void;
  /**
   * Optional: convolution forward of N images of one channel group in one fused kernel, for devices
   * that have a faster way than {@link im2col} + {@link sgemm} (the wasm device's implicit GEMM on
   * small layers). Computes `y[n] = W · im2col(x[n]) (+ bias)`: x images at
   * `offsetX + n·strideXN` as for im2col, W row-major `[OC, C·KH·KW]` at `offsetW`, bias `[OC]` at
   * `offsetBias` (or null), y images `[OC, OH·OW]` at `offsetY + n·strideYN`, overwritten; y must
   * not overlap x or W. With an `epilogue` (see {@link ConvEpilogue}), each output element then
   * gets the per-channel scale and shift, the residual and the ReLU, in that order, while it is
   * stored (one pass over y); the result must equal `applyConvEpilogue` run after the plain call.
   * Returns false, having touched nothing, when the device prefers the lowering for this geometry;
   * `@tessera/conv` then lowers and applies the epilogue with elementwise routines.
   */
  convForward?(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, offsetX: number, strideXN: number,
    w: DeviceBuffer, offsetW: number, bias: DeviceBuffer | null, offsetBias: number,
    y: DeviceBuffer, offsetY: number, strideYN: number, epilogue?: ConvEpilogue | null): boolean;
  /**
   * Optional: convolution backward-filter of N images of one channel group in one fused kernel,
   * `dw += Σₙ dy[n] · im2col(x[n])ᵀ` (accumulating): x as for {@link convForward}, dy images
   * `[OC, OH·OW]` at `offsetDy + n·strideDyN`, dw row-major `[OC, C·KH·KW]` at `offsetDw`; dw must
   * not overlap x or dy. Returns false, having touched nothing, when the device prefers the lowering.
   */
  convBackwardFilter?(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, offsetX: number, strideXN: number,
    dy: DeviceBuffer, offsetDy: number, strideDyN: number, dw: DeviceBuffer, offsetDw: number): boolean;
  /**
   * Optional: convolution backward-data of N images of one channel group in one fused kernel,
   * `dx[n] += col2im(Wᵀ · dy[n])` (accumulating): W and dy as for {@link convForward} and
   * {@link convBackwardFilter}, dx images as x there (at `offsetDx + n·strideDxN`); dx must not
   * overlap W or dy. Returns false, having touched nothing, when the device prefers the lowering.
   */
  convBackwardData?(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, offsetW: number,
    dy: DeviceBuffer, offsetDy: number, strideDyN: number, dx: DeviceBuffer, offsetDx: number, strideDxN: number): boolean;
  /**
   * Optional: {@link convForward} by Winograd F(2×2, 3×3) for 3×3 convolutions with stride 1,
   * dilation 1 and padding ≤ 2 (`winogradIncompatibility` says why another geometry is rejected,
   * and the call throws). Same operands and result as {@link convForward} up to float32 rounding:
   * the transforms change the order and number of roundings (tests bound the error against a
   * float64 reference relative to Σ|x·w|). Unlike {@link convForward} it never declines. With an
   * `epilogue` (see {@link ConvEpilogue}) each output element, once the transforms have given
   * conv + bias, gets the scale, shift, residual and ReLU in that order as it is stored: the result
   * must equal, bit for bit, the same call without the epilogue followed by `applyConvEpilogue`.
   */
  convForwardWinograd?(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, offsetX: number, strideXN: number,
    w: DeviceBuffer, offsetW: number, bias: DeviceBuffer | null, offsetBias: number,
    y: DeviceBuffer, offsetY: number, strideYN: number, epilogue?: ConvEpilogue | null): void;
  /**
   * Optional: {@link convBackwardData} (accumulating) by Winograd F(2×2, 3×3), for the geometries
   * of {@link convForwardWinograd}: backward-data of a 3×3 stride-1 convolution is a forward one
   * over dy padded by 2 − padding with the weights transposed and flipped. Never declines.
   */
  convBackwardDataWinograd?(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, offsetW: number,
    dy: DeviceBuffer, offsetDy: number, strideDyN: number, dx: DeviceBuffer, offsetDx: number, strideDxN: number): void;
  /** The adjoint of {@link im2col}: accumulates columns back into the images (x += col2im(col)). */
  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, offsetCol: number, ldCol: number, x: DeviceBuffer, offsetX: number, strideXN: number): void;
  /**
   * Max pooling of `planes` contiguous H×W planes; argmax (int32) gets the flat input index in the
   * plane (first on ties). `argmax` null: the maxima only (inference, where no backward pass needs
   * the indices); y is the same either way.
   */
  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, argmax: DeviceBuffer | null, offsetArgmax: number): void;
  /** dx[argmax] += dy for every output cell (dx accumulates). */
  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, offsetDy: number, argmax: DeviceBuffer, offsetArgmax: number, dx: DeviceBuffer, offsetDx: number): void;
  /** Average pooling (PyTorch's divisor rules). */
  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number): void;
  /** Adjoint of {@link avgPool2d}; dx accumulates. */
  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number): void;
  /**
   * Fills `N` elements with counter-based random numbers: element i depends only on (seed, counter + i),
   * so every device produces the same values (see `counterUniform`).
   */
  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, offsetY: number, p0: number, p1: number): void;
}
