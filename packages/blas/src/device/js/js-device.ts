import { refBlas, jsKernels } from "../../api/js-blas.js";
import { createBlas } from "../../api/create-blas.js";
import type { Transpose } from "../../types.js";
import { fail } from "../../validate.js";
import type { BufferDType, DeviceBuffer, HostArray, View } from "../buffer.js";
import { applyConvEpilogue, type ConvEpilogue } from "../conv-epilogue.js";
import { counterFill } from "../counter-rng.js";
import { DeviceContract } from "../contract.js";
import type { Device } from "../device.js";
import type { Conv2dGeometry, Pool2dGeometry } from "../geometry.js";
import { type BinaryOp, type DeviceHints, type RandomDistribution, type ReduceOp, type UnaryOp } from "../ops.js";
import { binaryView, fillView, unaryView } from "./elementwise.js";
import { col2imImages, im2colImages } from "./im2col.js";
import { winogradBackwardData, winogradForward } from "./winograd.js";
import { f32, JsBuffer, ownJsBuffer, type JsPrecision } from "./js-buffer.js";
import { avgPoolBackwardPlanes, avgPoolPlanes, maxPoolBackwardPlanes, maxPoolPlanes } from "./pool.js";
import { argmaxView, reduceView, softmaxRows } from "./reduce.js";

/** Options of {@link JsDevice}. */
export interface JsDeviceOptions {
  /** Use the plain triple-loop sgemm (the specification) instead of the blocked one. Default false. */
  readonly reference?: boolean;
  /**
   * Float storage: `float32` (default) or `float64`. The float64 device runs the reference kernels
   * in double precision end to end; it exists for finite-difference gradient checks.
   */
  readonly precision?: JsPrecision;
}

/** A float buffer's storage, typed as the kernels index it (a float64 device's Float64Array runs the same code). */
function data(b: JsBuffer): Float32Array {
  return b.data as Float32Array;
}

/**
 * The reference device `'js'`: typed arrays on the heap, plain loops for everything but sgemm,
 * which runs the blocked, packed JS kernel (or the triple loop with `{ reference: true }`).
 *
 * @example
 * ```ts
 * import { JsDevice } from "@tessera/blas";
 * const spec = new JsDevice({ reference: true });
 * const buf = spec.alloc(3);
 * ```
 */
export class JsDevice implements Device {
  /** Always `'js'`. */
  readonly name = "js";
  /**
   * No hints: convolutions lower one image per GEMM. Measured (Node 20, blocked JS sgemm,
   * `pnpm bench conv --layers LeNet`), one GEMM per image vs all 64 images in one column matrix:
   * LeNet-5 conv1 forward 8.7 vs 9.3 ms, backward-data 8.5 vs 8.9, backward-filter 9.2 vs 9.9;
   * conv2 9.8 vs 9.8, 10.1 vs 10.0, 9.6 vs 9.8; ResNet-18 layer1 409 vs 413 ms. The packed sgemm
   * already runs at full speed on one image's GEMM, so batching only adds copies.
   */
  readonly hints: DeviceHints = {};
  private readonly blas;
  /** The shared argument checks of every routine, over this device's buffers. */
  private readonly contract = new DeviceContract<JsBuffer>(ownJsBuffer);
  /** Float storage precision. */
  readonly precision: JsPrecision;
  private bytes = 0;

  /** Creates a JS device. */
  constructor(options: JsDeviceOptions = {}) {
    this.precision = options.precision ?? "float32";
    this.blas = options.reference || this.precision === "float64" ? refBlas : createBlas(jsKernels);
  }

  /** {@inheritDoc Device.alloc} */
  alloc(length: number, dtype: BufferDType = "float32"): DeviceBuffer {
    this.contract.alloc(length, dtype);
    const b = new JsBuffer(length, dtype, this.precision);
    this.bytes += b.data.byteLength;
    return b;
  }

  /**
   * `Device.allocUninitialized`: a buffer of `length` elements whose contents are unspecified, for
   * a result its routine overwrites entirely. Here they are poisoned (NaN, or 0xAAAAAAAA for int32)
   * so that a routine reading an element before writing it shows in the tests.
   */
  allocUninitialized(length: number, dtype: BufferDType = "float32"): DeviceBuffer {
    this.contract.alloc(length, dtype, "allocUninitialized");
    const b = this.alloc(length, dtype) as JsBuffer;
    b.data.fill(dtype === "int32" ? -0x55555556 : NaN);
    return b;
  }

  /** {@inheritDoc Device.free} */
  free(buffer: DeviceBuffer): void {
    if (buffer instanceof JsBuffer && !buffer.live) fail("free", "buffer was already freed");
    const b = this.contract.buffer("free", "buffer", buffer, "any");
    b.live = false;
    this.bytes -= b.data.byteLength;
  }

  /** {@inheritDoc Device.write} */
  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset = 0): void {
    this.contract.write(buffer, data, offset).data.set(data, offset);
  }

  /** {@inheritDoc Device.read} */
  async read(buffer: DeviceBuffer, offset = 0, length = buffer.length - offset): Promise<HostArray> {
    return this.readSync(buffer, offset, length);
  }

  /**
   * Synchronous read (CPU devices only): a copy of `length` elements from `offset`.
   *
   * @example
   * ```ts
   * import { jsDevice } from "@tessera/blas";
   * jsDevice.readSync(jsDevice.alloc(2)); // Float32Array [0, 0]
   * ```
   */
  readSync(buffer: DeviceBuffer, offset = 0, length = buffer.length - offset): HostArray {
    return this.contract.read(buffer, offset, length).data.slice(offset, offset + length);
  }

  /** {@inheritDoc Device.sync} */
  async sync(): Promise<void> {}

  /** {@inheritDoc Device.bytesInUse} */
  bytesInUse(): number {
    return this.bytes;
  }

  /** {@inheritDoc Device.sgemm} */
  sgemm(transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number, B: DeviceBuffer, sb1: number, sb2: number, ob: number,
    beta: number, C: DeviceBuffer, sc1: number, sc2: number, oc: number): void {
    this.blas.sgemm.ndarray(transA, transB, M, N, K, alpha, f32("sgemm", "A", A), sa1, sa2, oa, f32("sgemm", "B", B), sb1, sb2, ob,
      beta, f32("sgemm", "C", C), sc1, sc2, oc);
  }

  /** {@inheritDoc Device.sgemv} */
  sgemv(trans: Transpose, M: number, N: number, alpha: number, A: DeviceBuffer, sa1: number, sa2: number, oa: number,
    x: DeviceBuffer, sx: number, ox: number, beta: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.sgemv.ndarray(trans, M, N, alpha, f32("sgemv", "A", A), sa1, sa2, oa, f32("sgemv", "x", x), sx, ox, beta, f32("sgemv", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.sger} */
  sger(M: number, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number): void {
    this.blas.sger.ndarray(M, N, alpha, f32("sger", "x", x), sx, ox, f32("sger", "y", y), sy, oy, f32("sger", "A", A), sa1, sa2, oa);
  }

  /** {@inheritDoc Device.saxpy} */
  saxpy(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.saxpy.ndarray(N, alpha, f32("saxpy", "x", x), sx, ox, f32("saxpy", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.sscal} */
  sscal(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number): void {
    this.blas.sscal.ndarray(N, alpha, f32("sscal", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.scopy} */
  scopy(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.scopy.ndarray(N, f32("scopy", "x", x), sx, ox, f32("scopy", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.sswap} */
  sswap(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.sswap.ndarray(N, f32("sswap", "x", x), sx, ox, f32("sswap", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.sdot} */
  sdot(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number, out: DeviceBuffer, oo: number): void {
    const o = this.contract.scalarOut("sdot", out, oo, "float32").data;
    o[oo] = this.blas.sdot.ndarray(N, f32("sdot", "x", x), sx, ox, f32("sdot", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.snrm2} */
  snrm2(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = this.contract.scalarOut("snrm2", out, oo, "float32").data;
    o[oo] = this.blas.snrm2.ndarray(N, f32("snrm2", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.sasum} */
  sasum(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = this.contract.scalarOut("sasum", out, oo, "float32").data;
    o[oo] = this.blas.sasum.ndarray(N, f32("sasum", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.isamax} */
  isamax(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = this.contract.scalarOut("isamax", out, oo, "int32").data;
    o[oo] = this.blas.isamax.ndarray(N, f32("isamax", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.fill} */
  fill(shape: readonly number[], value: number, y: View): void {
    const yb = this.contract.fill(shape, value, y);
    fillView(shape, value, yb.data as Float32Array, y.strides, y.offset);
  }

  /** {@inheritDoc Device.unary} */
  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0 = 0, p1 = 0): void {
    const [xb, yb] = this.contract.unary(op, shape, x, y, p0, p1);
    unaryView(op, shape, data(xb), x.strides, x.offset, data(yb), y.strides, y.offset, p0, p1);
  }

  /** {@inheritDoc Device.binary} */
  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0 = 0): void {
    const [ab, bb, ob] = this.contract.binary(op, shape, a, b, out, p0);
    binaryView(op, shape, data(ab), a.strides, a.offset, data(bb), b.strides, b.offset, data(ob), out.strides, out.offset, p0);
  }

  /** {@inheritDoc Device.reduce} */
  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void {
    const c = this.contract.reduce(op, shape, reduceDims, x, y);
    reduceView(op, shape, reduceDims, data(c.x), x.strides, x.offset, data(c.y), y.strides, y.offset);
  }

  /** {@inheritDoc Device.argmax} */
  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): void {
    const c = this.contract.argmax(shape, reduceDims, x, y);
    argmaxView(shape, reduceDims, data(c.x), x.strides, x.offset, c.y.data as Int32Array, y.strides, y.offset);
  }

  /** {@inheritDoc Device.softmax} */
  softmax(rows: number, cols: number, x: View, y: View, log: boolean): void {
    const [xb, yb] = this.contract.softmax(rows, cols, x, y, log);
    softmaxRows(rows, cols, data(xb), x.strides, x.offset, data(yb), y.strides, y.offset, log);
  }

  /** {@inheritDoc Device.im2col} */
  /**
   * Convolution forward by Winograd F(2×2, 3×3), the plain reference of the wasm kernel
   * (arithmetic in float64, rounded once when stored; an epilogue then runs as the elementwise
   * passes of `applyConvEpilogue`); see `Device.convForwardWinograd`.
   *
   * @example
   * ```ts
   * import { jsDevice, type Conv2dGeometry } from "@tessera/blas";
   * const g: Conv2dGeometry = { C: 1, H: 4, W: 4, KH: 3, KW: 3, strideH: 1, strideW: 1,
   *   padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 2, OW: 2 };
   * const x = jsDevice.alloc(16), w = jsDevice.alloc(9), y = jsDevice.alloc(4);
   * jsDevice.write(x, Array.from({ length: 16 }, (_, i) => i));
   * jsDevice.write(w, [0, 0, 0, 0, 1, 0, 0, 0, 0]);
   * jsDevice.convForwardWinograd(g, 1, 1, x, 0, 16, w, 0, null, 0, y, 0, 4);
   * await jsDevice.read(y); // Float32Array [5, 6, 9, 10]
   * ```
   */
  convForwardWinograd(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): void {
    const [xb, wb, bb, yb, eb] = this.contract.convForwardWinograd(g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn, epilogue);
    winogradForward(g, N, OC, data(xb), ox, sxn, data(wb), ow, bb === null ? null : data(bb), ob, data(yb), oy, syn);
    // The epilogue's float32 steps, as its specification does them (checked above).
    if (eb !== null && epilogue) applyConvEpilogue(this, N, OC, g.OH * g.OW, y, oy, syn, epilogue);
  }

  /**
   * Convolution backward-data (accumulating) by Winograd F(2×2, 3×3), the plain reference of the
   * wasm kernel; see `Device.convBackwardDataWinograd`.
   *
   * @example
   * ```ts
   * import { jsDevice, type Conv2dGeometry } from "@tessera/blas";
   * const g: Conv2dGeometry = { C: 1, H: 3, W: 3, KH: 3, KW: 3, strideH: 1, strideW: 1,
   *   padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 3, OW: 3 };
   * const w = jsDevice.alloc(9), dy = jsDevice.alloc(9), dx = jsDevice.alloc(9);
   * jsDevice.write(w, [0, 0, 0, 0, 2, 0, 0, 0, 0]);
   * jsDevice.write(dy, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
   * jsDevice.convBackwardDataWinograd(g, 1, 1, w, 0, dy, 0, 9, dx, 0, 9);
   * await jsDevice.read(dx); // Float32Array [2, 4, 6, 8, 10, 12, 14, 16, 18]
   * ```
   */
  convBackwardDataWinograd(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number): void {
    const [wb, yb, xb] = this.contract.convBackwardDataWinograd(g, N, OC, w, ow, dy, oy, syn, dx, ox, sxn);
    winogradBackwardData(g, N, OC, data(wb), ow, data(yb), oy, syn, data(xb), ox, sxn);
  }

  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): void {
    const [xb, cb] = this.contract.im2col(g, N, x, ox, sxn, col, oc, ld);
    im2colImages(g, N, data(xb), ox, sxn, data(cb), oc, ld);
  }

  /** {@inheritDoc Device.col2im} */
  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number): void {
    const [cb, xb] = this.contract.col2im(g, N, col, oc, ld, x, ox, sxn);
    col2imImages(g, N, data(cb), oc, ld, data(xb), ox, sxn);
  }

  /** {@inheritDoc Device.maxPool2d} */
  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, argmax: DeviceBuffer | null, oa: number): void {
    const [xb, yb, ab] = this.contract.maxPool2d(g, planes, x, ox, y, oy, argmax, oa);
    maxPoolPlanes(g, planes, data(xb), ox, data(yb), oy, ab ? (ab.data as Int32Array) : null, oa);
  }

  /** {@inheritDoc Device.maxPool2dBackward} */
  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, ody: number, argmax: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): void {
    const [dyb, ab, dxb] = this.contract.maxPool2dBackward(g, planes, dy, ody, argmax, oa, dx, odx);
    maxPoolBackwardPlanes(g, planes, data(dyb), ody, ab.data as Int32Array, oa, data(dxb), odx);
  }

  /** {@inheritDoc Device.avgPool2d} */
  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): void {
    const [xb, yb] = this.contract.avgPool2d(g, planes, countIncludePad, x, ox, y, oy);
    avgPoolPlanes(g, planes, countIncludePad, data(xb), ox, data(yb), oy);
  }

  /** {@inheritDoc Device.avgPool2dBackward} */
  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): void {
    const [dyb, dxb] = this.contract.avgPool2dBackward(g, planes, countIncludePad, dy, ody, dx, odx);
    avgPoolBackwardPlanes(g, planes, countIncludePad, data(dyb), ody, data(dxb), odx);
  }

  /** {@inheritDoc Device.fillRandom} */
  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, oy: number, p0: number, p1: number): void {
    const yb = this.contract.fillRandom(dist, seed, counter, N, y, oy, p0, p1);
    counterFill(dist, seed, counter, N, data(yb), oy, p0, p1);
  }
}

/**
 * The shared JS device instance, registered as `'js'` (the default device).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * const b = jsDevice.alloc(8);
 * ```
 */
export const jsDevice: JsDevice = new JsDevice();
