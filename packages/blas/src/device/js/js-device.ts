import { refBlas, jsKernels } from "../../api/js-blas.js";
import { createBlas } from "../../api/create-blas.js";
import type { Transpose } from "../../types.js";
import { checkDim, checkInt, checkOp, checkScalar, checkVector, checkView, fail } from "../../validate.js";
import type { BufferDType, DeviceBuffer, HostArray, View } from "../buffer.js";
import { counterFill } from "../counter-rng.js";
import type { Device } from "../device.js";
import type { Conv2dGeometry, Pool2dGeometry } from "../geometry.js";
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type BinaryOp, type DeviceHints, type RandomDistribution, type ReduceOp, type UnaryOp } from "../ops.js";
import { checkConvGeometry, checkPlanes, checkPoolGeometry } from "../validate-geometry.js";
import { binaryView, fillView, unaryView } from "./elementwise.js";
import { col2imImages, im2colImages } from "./im2col.js";
import { f32, i32, JsBuffer, type JsPrecision } from "./js-buffer.js";
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

function viewOf(fn: string, name: string, shape: readonly number[], v: View): Float32Array {
  const data = f32(fn, name, v.buffer);
  checkView(fn, name, shape, v.strides, v.offset, data);
  return data;
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
    checkDim("alloc", "length", length);
    if (dtype !== "float32" && dtype !== "int32") fail("alloc", `dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
    const b = new JsBuffer(length, dtype, this.precision);
    this.bytes += b.data.byteLength;
    return b;
  }

  /** {@inheritDoc Device.free} */
  free(buffer: DeviceBuffer): void {
    if (!(buffer instanceof JsBuffer)) fail("free", `buffer must belong to the 'js' device, got '${buffer?.device}'`);
    if (!buffer.live) fail("free", "buffer was already freed");
    buffer.live = false;
    this.bytes -= buffer.data.byteLength;
  }

  /** {@inheritDoc Device.write} */
  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset = 0): void {
    const target = buffer instanceof JsBuffer && buffer.dtype === "int32" ? i32("write", "buffer", buffer) : f32("write", "buffer", buffer);
    checkVector("write", "data", data.length, 1, offset, target);
    target.set(data, offset);
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
    const src = buffer instanceof JsBuffer && buffer.dtype === "int32" ? i32("read", "buffer", buffer) : f32("read", "buffer", buffer);
    checkVector("read", "range", length, 1, offset, src);
    return src.slice(offset, offset + length);
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
    const o = f32("sdot", "out", out);
    checkVector("sdot", "out", 1, 1, oo, o);
    o[oo] = this.blas.sdot.ndarray(N, f32("sdot", "x", x), sx, ox, f32("sdot", "y", y), sy, oy);
  }

  /** {@inheritDoc Device.snrm2} */
  snrm2(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = f32("snrm2", "out", out);
    checkVector("snrm2", "out", 1, 1, oo, o);
    o[oo] = this.blas.snrm2.ndarray(N, f32("snrm2", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.sasum} */
  sasum(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = f32("sasum", "out", out);
    checkVector("sasum", "out", 1, 1, oo, o);
    o[oo] = this.blas.sasum.ndarray(N, f32("sasum", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.isamax} */
  isamax(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    const o = i32("isamax", "out", out);
    checkVector("isamax", "out", 1, 1, oo, o);
    o[oo] = this.blas.isamax.ndarray(N, f32("isamax", "x", x), sx, ox);
  }

  /** {@inheritDoc Device.fill} */
  fill(shape: readonly number[], value: number, y: View): void {
    checkScalar("fill", "value", value);
    const data = y.buffer instanceof JsBuffer && y.buffer.dtype === "int32" ? i32("fill", "y", y.buffer) : f32("fill", "y", y.buffer);
    checkView("fill", "y", shape, y.strides, y.offset, data);
    fillView(shape, value, data, y.strides, y.offset);
  }

  /** {@inheritDoc Device.unary} */
  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0 = 0, p1 = 0): void {
    checkOp("unary", op, UNARY_OPS);
    unaryView(op, shape, viewOf("unary", "x", shape, x), x.strides, x.offset, viewOf("unary", "y", shape, y), y.strides, y.offset, p0, p1);
  }

  /** {@inheritDoc Device.binary} */
  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0 = 0): void {
    checkOp("binary", op, BINARY_OPS);
    binaryView(op, shape, viewOf("binary", "a", shape, a), a.strides, a.offset, viewOf("binary", "b", shape, b), b.strides, b.offset,
      viewOf("binary", "out", shape, out), out.strides, out.offset, p0);
  }

  private checkReduce(fn: string, op: string, shape: readonly number[], reduceDims: number, x: View): readonly number[] {
    checkInt(fn, "reduceDims", reduceDims);
    if (reduceDims < 0 || reduceDims > shape.length) fail(fn, `reduceDims must be in [0, ${shape.length}] for shape [${shape.join(",")}], got ${reduceDims}`);
    const kept = shape.slice(0, shape.length - reduceDims);
    const emptyReduced = shape.slice(kept.length).some((d) => d === 0) && kept.every((d) => d > 0);
    if (emptyReduced && op !== "sum" && op !== "sumSquares") fail(fn, `cannot take ${op} over an empty dimension of shape [${shape.join(",")}]`);
    viewOf(fn, "x", shape, x);
    return kept;
  }

  /** {@inheritDoc Device.reduce} */
  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void {
    checkOp("reduce", op, REDUCE_OPS);
    const kept = this.checkReduce("reduce", op, shape, reduceDims, x);
    reduceView(op, shape, reduceDims, f32("reduce", "x", x.buffer), x.strides, x.offset, viewOf("reduce", "y", kept, y), y.strides, y.offset);
  }

  /** {@inheritDoc Device.argmax} */
  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): void {
    const kept = this.checkReduce("argmax", "argmax", shape, reduceDims, x);
    const out = i32("argmax", "y", y.buffer);
    checkView("argmax", "y", kept, y.strides, y.offset, out);
    argmaxView(shape, reduceDims, f32("argmax", "x", x.buffer), x.strides, x.offset, out, y.strides, y.offset);
  }

  /** {@inheritDoc Device.softmax} */
  softmax(rows: number, cols: number, x: View, y: View, log: boolean): void {
    const shape = [rows, cols];
    softmaxRows(rows, cols, viewOf("softmax", "x", shape, x), x.strides, x.offset, viewOf("softmax", "y", shape, y), y.strides, y.offset, log);
  }

  private checkColumns(fn: string, g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): [Float32Array, Float32Array] {
    checkConvGeometry(fn, g);
    checkDim(fn, "N", N);
    const xs = f32(fn, "x", x);
    const cs = f32(fn, "col", col);
    checkView(fn, "x", [N, g.C * g.H * g.W], [sxn, 1], ox, xs);
    const P = g.OH * g.OW;
    if (ld < N * P) fail(fn, `ldCol (${ld}) must be >= N·OH·OW = ${N * P}`);
    checkView(fn, "col", [g.C * g.KH * g.KW, N * P], [ld, 1], oc, cs);
    return [xs, cs];
  }

  /** {@inheritDoc Device.im2col} */
  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): void {
    const [xs, cs] = this.checkColumns("im2col", g, N, x, ox, sxn, col, oc, ld);
    im2colImages(g, N, xs, ox, sxn, cs, oc, ld);
  }

  /** {@inheritDoc Device.col2im} */
  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number): void {
    const [xs, cs] = this.checkColumns("col2im", g, N, x, ox, sxn, col, oc, ld);
    col2imImages(g, N, cs, oc, ld, xs, ox, sxn);
  }

  private checkPool(fn: string, g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): [Float32Array, Float32Array] {
    checkPoolGeometry(fn, g);
    checkDim(fn, "planes", planes);
    const xs = f32(fn, fn.endsWith("Backward") ? "dx" : "x", x);
    const ys = f32(fn, fn.endsWith("Backward") ? "dy" : "y", y);
    checkPlanes(fn, fn.endsWith("Backward") ? "dx" : "x", planes, g.H * g.W, ox, xs);
    checkPlanes(fn, fn.endsWith("Backward") ? "dy" : "y", planes, g.OH * g.OW, oy, ys);
    return [xs, ys];
  }

  /** {@inheritDoc Device.maxPool2d} */
  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, argmax: DeviceBuffer, oa: number): void {
    const [xs, ys] = this.checkPool("maxPool2d", g, planes, x, ox, y, oy);
    const as = i32("maxPool2d", "argmax", argmax);
    checkPlanes("maxPool2d", "argmax", planes, g.OH * g.OW, oa, as);
    maxPoolPlanes(g, planes, xs, ox, ys, oy, as, oa);
  }

  /** {@inheritDoc Device.maxPool2dBackward} */
  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, ody: number, argmax: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): void {
    const [dxs, dys] = this.checkPool("maxPool2dBackward", g, planes, dx, odx, dy, ody);
    const as = i32("maxPool2dBackward", "argmax", argmax);
    checkPlanes("maxPool2dBackward", "argmax", planes, g.OH * g.OW, oa, as);
    maxPoolBackwardPlanes(g, planes, dys, ody, as, oa, dxs, odx);
  }

  /** {@inheritDoc Device.avgPool2d} */
  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): void {
    const [xs, ys] = this.checkPool("avgPool2d", g, planes, x, ox, y, oy);
    if (g.dilationH !== 1 || g.dilationW !== 1) fail("avgPool2d", `dilation must be 1, got ${g.dilationH},${g.dilationW}`);
    avgPoolPlanes(g, planes, countIncludePad, xs, ox, ys, oy);
  }

  /** {@inheritDoc Device.avgPool2dBackward} */
  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): void {
    const [dxs, dys] = this.checkPool("avgPool2dBackward", g, planes, dx, odx, dy, ody);
    if (g.dilationH !== 1 || g.dilationW !== 1) fail("avgPool2dBackward", `dilation must be 1, got ${g.dilationH},${g.dilationW}`);
    avgPoolBackwardPlanes(g, planes, countIncludePad, dys, ody, dxs, odx);
  }

  /** {@inheritDoc Device.fillRandom} */
  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, oy: number, p0: number, p1: number): void {
    const fn = "fillRandom";
    if (dist !== "uniform" && dist !== "normal" && dist !== "bernoulli") fail(fn, `dist must be 'uniform', 'normal' or 'bernoulli', got ${JSON.stringify(dist)}`);
    checkInt(fn, "seed", seed);
    checkInt(fn, "counter", counter);
    checkDim(fn, "N", N);
    const out = f32(fn, "y", y);
    checkVector(fn, "y", N, 1, oy, out);
    counterFill(dist, seed, counter, N, out, oy, p0, p1);
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
