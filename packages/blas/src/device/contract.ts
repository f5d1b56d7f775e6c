/**
 * The argument checks of every non-BLAS `Device` routine, written once: each device builds a
 * {@link DeviceContract} around its own buffer lookup and calls it before its kernel, so every
 * device accepts and rejects the same calls with the same messages (the BLAS routines are checked
 * by `createBlas` / `checkSgemm` and friends, equally shared).
 */
import { checkDim, checkInt, checkOp, checkScalar, checkView, fail } from "../validate.js";
import type { BufferDType, DeviceBuffer, View } from "./buffer.js";
import { BufferContract, type OwnedBuffer } from "./buffer-contract.js";
import type { Conv2dGeometry, Pool2dGeometry } from "./geometry.js";
import { checkConvEpilogue, type CheckedConvEpilogue, type ConvEpilogue } from "./conv-epilogue.js";
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type BinaryOp, type RandomDistribution, type ReduceOp, type UnaryOp } from "./ops.js";
import { checkConvGeometry, checkPoolGeometry } from "./validate-geometry.js";
import { winogradIncompatibility } from "./winograd.js";

/** The buffers of a reduction and the shape of its output. */
export interface CheckedReduce<B> {
  /** The kept (leading) dimensions: the shape of y. */ readonly kept: readonly number[];
  /** x's buffer. */ readonly x: B;
  /** y's buffer. */ readonly y: B;
}

const DISTRIBUTIONS: readonly RandomDistribution[] = ["uniform", "normal", "bernoulli"];

/**
 * Every argument check of the non-BLAS `Device` routines (dimensions, strides, views within
 * their buffers, op names, geometry, distributions, scalars), in one fixed order per routine:
 * scalars, op names and geometry first, then the buffers in argument order. Each method returns
 * the device's own buffers for the kernel. A device adds only what is its own (a heap or binding
 * size limit) after these checks.
 *
 * @example
 * ```ts
 * import { JsBuffer } from "@tessera/blas";
 * import { DeviceContract } from "@tessera/blas/validate";
 * const contract = new DeviceContract<JsBuffer>((fn, name, b) => b as JsBuffer);
 * // contract.reduce("max", [2, 0], 1, x, y) throws "reduce: cannot take max over an empty dimension of shape [2,0]"
 * ```
 */
export class DeviceContract<B extends OwnedBuffer> extends BufferContract<B> {
  /**
   * `Device.fill`: a number and a float32 or int32 view.
   *
   * @example
   * ```ts
   * const yb = contract.fill([4], 0, { buffer: y, offset: 0, strides: [1] });
   * ```
   */
  fill(shape: readonly number[], value: number, y: View): B {
    checkScalar("fill", "value", value);
    return this.view("fill", "y", shape, y, "any");
  }

  /**
   * `Device.unary`: op, parameters and the two views; returns [x, y].
   *
   * @example
   * ```ts
   * const [xb, yb] = contract.unary("relu", [4], xv, yv, 0, 0);
   * ```
   */
  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0: number, p1: number): [B, B] {
    checkOp("unary", op, UNARY_OPS);
    checkScalar("unary", "p0", p0);
    checkScalar("unary", "p1", p1);
    return [this.view("unary", "x", shape, x), this.view("unary", "y", shape, y)];
  }

  /**
   * `Device.binary`: op, parameter and the three views; returns [a, b, out].
   *
   * @example
   * ```ts
   * const [ab, bb, ob] = contract.binary("add", [4], av, bv, ov, 0);
   * ```
   */
  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0: number): [B, B, B] {
    checkOp("binary", op, BINARY_OPS);
    checkScalar("binary", "p0", p0);
    return [this.view("binary", "a", shape, a), this.view("binary", "b", shape, b), this.view("binary", "out", shape, out)];
  }

  private reduction(fn: string, op: string, shape: readonly number[], reduceDims: number, x: View, y: View, yType: BufferDType): CheckedReduce<B> {
    if (!Array.isArray(shape)) fail(fn, `shape must be an array of dimensions, got ${typeof shape}`);
    checkInt(fn, "reduceDims", reduceDims);
    if (reduceDims < 0 || reduceDims > shape.length) fail(fn, `reduceDims must be in [0, ${shape.length}] for shape [${shape.join(",")}], got ${reduceDims}`);
    const kept = shape.slice(0, shape.length - reduceDims);
    const emptyReduced = shape.slice(kept.length).some((d) => d === 0) && kept.every((d) => d > 0);
    if (emptyReduced && op !== "sum" && op !== "sumSquares") fail(fn, `cannot take ${op} over an empty dimension of shape [${shape.join(",")}]`);
    return { kept, x: this.view(fn, "x", shape, x), y: this.view(fn, "y", kept, y, yType) };
  }

  /**
   * `Device.reduce`: op, shape, reduceDims (no max/min/mean over an empty dimension), x and y.
   *
   * @example
   * ```ts
   * const { kept, x: xb, y: yb } = contract.reduce("sum", [2, 4], 1, xv, yv); // kept [2]
   * ```
   */
  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): CheckedReduce<B> {
    checkOp("reduce", op, REDUCE_OPS);
    return this.reduction("reduce", op, shape, reduceDims, x, y, "float32");
  }

  /**
   * `Device.argmax`: as {@link reduce}, y int32.
   *
   * @example
   * ```ts
   * const { x: xb, y: yb } = contract.argmax([2, 4], 1, xv, yv);
   * ```
   */
  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): CheckedReduce<B> {
    return this.reduction("argmax", "argmax", shape, reduceDims, x, y, "int32");
  }

  /**
   * `Device.softmax`: the two rows×cols views and a boolean `log`; returns [x, y].
   *
   * @example
   * ```ts
   * const [xb, yb] = contract.softmax(2, 10, xv, yv, false);
   * ```
   */
  softmax(rows: number, cols: number, x: View, y: View, log: boolean): [B, B] {
    const shape = [rows, cols];
    const xb = this.view("softmax", "x", shape, x);
    const yb = this.view("softmax", "y", shape, y);
    if (typeof log !== "boolean") fail("softmax", `log must be a boolean, got ${typeof log}`);
    return [xb, yb];
  }

  private columns(fn: string, g: Conv2dGeometry, N: number, ld: number): void {
    checkConvGeometry(fn, g);
    checkDim(fn, "N", N);
    checkInt(fn, "ldCol", ld);
    const P = g.OH * g.OW;
    if (ld < N * P) fail(fn, `ldCol (${ld}) must be >= N·OH·OW = ${N * P}`);
  }

  private images(fn: string, name: string, g: Conv2dGeometry, N: number, b: DeviceBuffer, offset: number, strideN: number): B {
    const own = this.own(fn, name, b, "float32");
    checkView(fn, name, [N, g.C * g.H * g.W], [strideN, 1], offset, own.length);
    return own;
  }

  private colMatrix(fn: string, g: Conv2dGeometry, N: number, b: DeviceBuffer, offset: number, ld: number): B {
    const own = this.own(fn, "col", b, "float32");
    checkView(fn, "col", [g.C * g.KH * g.KW, N * g.OH * g.OW], [ld, 1], offset, own.length);
    return own;
  }

  /**
   * `Device.im2col`: geometry, N, ldCol ≥ N·OH·OW, the images and the column matrix; returns [x, col].
   *
   * @example
   * ```ts
   * const [xb, cb] = contract.im2col(g, N, x, 0, g.C * g.H * g.W, col, 0, N * g.OH * g.OW);
   * ```
   */
  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number, col: DeviceBuffer, oc: number, ld: number): [B, B] {
    this.columns("im2col", g, N, ld);
    return [this.images("im2col", "x", g, N, x, ox, sxn), this.colMatrix("im2col", g, N, col, oc, ld)];
  }

  /**
   * `Device.col2im`: as {@link im2col}; returns [col, x].
   *
   * @example
   * ```ts
   * const [cb, xb] = contract.col2im(g, N, col, 0, N * g.OH * g.OW, x, 0, g.C * g.H * g.W);
   * ```
   */
  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, oc: number, ld: number, x: DeviceBuffer, ox: number, sxn: number): [B, B] {
    this.columns("col2im", g, N, ld);
    return [this.colMatrix("col2im", g, N, col, oc, ld), this.images("col2im", "x", g, N, x, ox, sxn)];
  }

  private filter(fn: string, name: string, g: Conv2dGeometry, OC: number, b: DeviceBuffer, offset: number): B {
    const K = g.C * g.KH * g.KW;
    const own = this.own(fn, name, b, "float32");
    checkView(fn, name, [OC, K], [K, 1], offset, own.length);
    return own;
  }

  private outputs(fn: string, name: string, g: Conv2dGeometry, N: number, OC: number, b: DeviceBuffer, offset: number, strideN: number): B {
    const own = this.own(fn, name, b, "float32");
    checkView(fn, name, [N, OC * g.OH * g.OW], [strideN, 1], offset, own.length);
    return own;
  }

  private conv(fn: string, g: Conv2dGeometry, N: number, OC: number): void {
    checkConvGeometry(fn, g);
    checkDim(fn, "N", N);
    checkDim(fn, "OC", OC);
  }

  /**
   * `Device.convForward`: geometry, N, OC, x, w, bias (or null), y and the optional epilogue
   * (see {@link ConvEpilogue}: unknown keys, views outside their buffers and parts overlapping y
   * are rejected); returns [x, w, bias, y, epilogue or null].
   *
   * @example
   * ```ts
   * const [xb, wb, bb, yb, eb] = contract.convForward(g, N, OC, x, 0, sxn, w, 0, null, 0, y, 0, syn, { relu: true });
   * ```
   */
  convForward(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): [B, B, B | null, B, CheckedConvEpilogue<B> | null] {
    const fn = "convForward";
    const [xb, wb, bb, yb] = this.forwardOperands(fn, g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn);
    const eb = checkConvEpilogue(fn, (f, name, b) => this.own(f, name, b, "float32"), epilogue, N, OC, g.OH * g.OW, y, oy, syn);
    return [xb, wb, bb, yb, eb];
  }

  /** The checks of a forward convolution's geometry and operands, for `fn`; returns [x, w, bias, y]. */
  private forwardOperands(fn: string, g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer,
    ow: number, bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number): [B, B, B | null, B] {
    this.conv(fn, g, N, OC);
    const xb = this.images(fn, "x", g, N, x, ox, sxn);
    const wb = this.filter(fn, "w", g, OC, w, ow);
    const bb = bias === null ? null : this.planes(fn, "bias", 1, OC, ob, bias);
    return [xb, wb, bb, this.outputs(fn, "y", g, N, OC, y, oy, syn)];
  }

  /**
   * `Device.convBackwardData`: geometry, N, OC, w, dy and dx; returns [w, dy, dx].
   *
   * @example
   * ```ts
   * const [wb, dyb, dxb] = contract.convBackwardData(g, N, OC, w, 0, dy, 0, syn, dx, 0, sxn);
   * ```
   */
  convBackwardData(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number, fn = "convBackwardData"): [B, B, B] {
    this.conv(fn, g, N, OC);
    return [this.filter(fn, "w", g, OC, w, ow), this.outputs(fn, "dy", g, N, OC, dy, oy, syn), this.images(fn, "dx", g, N, dx, ox, sxn)];
  }

  /**
   * `Device.convForwardWinograd`: as {@link convForward} (the epilogue included), and a geometry
   * Winograd F(2×2, 3×3) applies to (see `winogradIncompatibility`); returns
   * [x, w, bias, y, epilogue or null].
   *
   * @example
   * ```ts
   * const [xb, wb, bb, yb, eb] = contract.convForwardWinograd(g, N, OC, x, 0, sxn, w, 0, null, 0, y, 0, syn, { relu: true });
   * ```
   */
  convForwardWinograd(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, w: DeviceBuffer, ow: number,
    bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number, epilogue?: ConvEpilogue | null): [B, B, B | null, B, CheckedConvEpilogue<B> | null] {
    const fn = "convForwardWinograd";
    this.winograd(fn, g);
    const [xb, wb, bb, yb] = this.forwardOperands(fn, g, N, OC, x, ox, sxn, w, ow, bias, ob, y, oy, syn);
    const eb = checkConvEpilogue(fn, (f, name, b) => this.own(f, name, b, "float32"), epilogue, N, OC, g.OH * g.OW, y, oy, syn);
    return [xb, wb, bb, yb, eb];
  }

  /**
   * `Device.convBackwardDataWinograd`: as {@link convBackwardData}, and a geometry Winograd
   * F(2×2, 3×3) applies to (see `winogradIncompatibility`); returns [w, dy, dx].
   *
   * @example
   * ```ts
   * const [wb, dyb, dxb] = contract.convBackwardDataWinograd(g, N, OC, w, 0, dy, 0, syn, dx, 0, sxn);
   * ```
   */
  convBackwardDataWinograd(g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number, syn: number,
    dx: DeviceBuffer, ox: number, sxn: number): [B, B, B] {
    const fn = "convBackwardDataWinograd";
    this.winograd(fn, g);
    return this.convBackwardData(g, N, OC, w, ow, dy, oy, syn, dx, ox, sxn, fn);
  }

  private winograd(fn: string, g: Conv2dGeometry): void {
    checkConvGeometry(fn, g);
    const why = winogradIncompatibility(g);
    if (why !== null) fail(fn, `Winograd F(2×2, 3×3) does not apply to this geometry: ${why}`);
  }

  /**
   * `Device.convBackwardFilter`: geometry, N, OC, x, dy and dw; returns [x, dy, dw].
   *
   * @example
   * ```ts
   * const [xb, dyb, dwb] = contract.convBackwardFilter(g, N, OC, x, 0, sxn, dy, 0, syn, dw, 0);
   * ```
   */
  convBackwardFilter(g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number, dy: DeviceBuffer, oy: number, syn: number,
    dw: DeviceBuffer, ow: number): [B, B, B] {
    const fn = "convBackwardFilter";
    this.conv(fn, g, N, OC);
    return [this.images(fn, "x", g, N, x, ox, sxn), this.outputs(fn, "dy", g, N, OC, dy, oy, syn), this.filter(fn, "dw", g, OC, dw, ow)];
  }

  private pool(fn: string, g: Pool2dGeometry, planes: number, avg: boolean, countIncludePad?: boolean): void {
    checkPoolGeometry(fn, g);
    checkDim(fn, "planes", planes);
    if (!avg) return;
    if (g.dilationH !== 1 || g.dilationW !== 1) fail(fn, `dilation must be 1, got ${g.dilationH},${g.dilationW}`);
    if (typeof countIncludePad !== "boolean") fail(fn, `countIncludePad must be a boolean, got ${typeof countIncludePad}`);
  }

  /**
   * `Device.maxPool2d`: geometry, planes, x, y and argmax (int32, or null: none); returns [x, y, argmax].
   *
   * @example
   * ```ts
   * const [xb, yb, ab] = contract.maxPool2d(g, planes, x, 0, y, 0, argmax, 0);
   * ```
   */
  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number, argmax: DeviceBuffer | null, oa: number): [B, B, B | null] {
    const fn = "maxPool2d";
    this.pool(fn, g, planes, false);
    const out = g.OH * g.OW;
    return [this.planes(fn, "x", planes, g.H * g.W, ox, x), this.planes(fn, "y", planes, out, oy, y),
      argmax === null ? null : this.planes(fn, "argmax", planes, out, oa, argmax, "int32")];
  }

  /**
   * `Device.maxPool2dBackward`: geometry, planes, dy, argmax (int32) and dx; returns [dy, argmax, dx].
   *
   * @example
   * ```ts
   * const [dyb, ab, dxb] = contract.maxPool2dBackward(g, planes, dy, 0, argmax, 0, dx, 0);
   * ```
   */
  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, ody: number, argmax: DeviceBuffer, oa: number, dx: DeviceBuffer, odx: number): [B, B, B] {
    const fn = "maxPool2dBackward";
    this.pool(fn, g, planes, false);
    const out = g.OH * g.OW;
    return [this.planes(fn, "dy", planes, out, ody, dy), this.planes(fn, "argmax", planes, out, oa, argmax, "int32"), this.planes(fn, "dx", planes, g.H * g.W, odx, dx)];
  }

  /**
   * `Device.avgPool2d`: geometry (dilation 1), planes, a boolean countIncludePad, x and y; returns [x, y].
   *
   * @example
   * ```ts
   * const [xb, yb] = contract.avgPool2d(g, planes, true, x, 0, y, 0);
   * ```
   */
  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): [B, B] {
    const fn = "avgPool2d";
    this.pool(fn, g, planes, true, countIncludePad);
    return [this.planes(fn, "x", planes, g.H * g.W, ox, x), this.planes(fn, "y", planes, g.OH * g.OW, oy, y)];
  }

  /**
   * `Device.avgPool2dBackward`: as {@link avgPool2d} with dy and dx; returns [dy, dx].
   *
   * @example
   * ```ts
   * const [dyb, dxb] = contract.avgPool2dBackward(g, planes, true, dy, 0, dx, 0);
   * ```
   */
  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, ody: number, dx: DeviceBuffer, odx: number): [B, B] {
    const fn = "avgPool2dBackward";
    this.pool(fn, g, planes, true, countIncludePad);
    return [this.planes(fn, "dy", planes, g.OH * g.OW, ody, dy), this.planes(fn, "dx", planes, g.H * g.W, odx, dx)];
  }

  /**
   * `Device.fillRandom`: distribution, integer seed and counter, N, numbers p0 and p1, and y
   * (float32, N elements from offsetY); returns y.
   *
   * @example
   * ```ts
   * const yb = contract.fillRandom("normal", 42, 0, n, y, 0, 0, 1);
   * ```
   */
  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, oy: number, p0: number, p1: number): B {
    const fn = "fillRandom";
    if (!DISTRIBUTIONS.includes(dist)) fail(fn, `dist must be 'uniform', 'normal' or 'bernoulli', got ${JSON.stringify(dist)}`);
    checkInt(fn, "seed", seed);
    checkInt(fn, "counter", counter);
    checkDim(fn, "N", N);
    checkScalar(fn, "p0", p0);
    checkScalar(fn, "p1", p1);
    return this.planes(fn, "y", 1, N, oy, y);
  }
}
