/**
 * Convolution and pooling ops on `@tessera/conv`'s device-level routines: conv2d (im2col + sgemm),
 * maxPool2d (with argmax for backward), avgPool2d, adaptiveAvgPool2d and localResponseNorm.
 * Inputs are made contiguous NCHW; one column workspace per device is reused across calls.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import {
  adaptiveAvgPool2dBackward, adaptiveAvgPool2dForward, adaptiveAvgPool2dGeometry, avgPool2dBackward, avgPool2dForward,
  conv2dBackwardBias, conv2dBackwardData, conv2dBackwardFilter, conv2dForward, conv2dGeometry, ConvWorkspace,
  localResponseNormBackward, localResponseNormForward, maxPool2dBackward, maxPool2dForward, pool2dGeometry,
  type Conv2dOptions, type LocalResponseNormOptions, type Pool2dOptions,
} from "@tessera/conv";
import { checkOptions, checkTensor, describe } from "../args.js";
import { empty } from "../create.js";
import type { Tensor } from "../tensor.js";
import { alloc, allocOutput, checkFloat, checkOnDevice, checkOptionalTensor, materialise, record, sameDevice, willRecord } from "./util.js";
import { gradEnabled } from "../grad-mode.js";

const workspaces = new WeakMap<Device, ConvWorkspace>();
/** The column workspace of a device, shared by every convolution op. @internal */
export function workspace(d: Device): ConvWorkspace {
  let w = workspaces.get(d);
  if (!w) workspaces.set(d, (w = new ConvWorkspace(d)));
  return w;
}

/** The options object of a pooling op, with the kernelSize it cannot do without. */
function checkPoolOptions(op: string, options: Pool2dOptions): void {
  checkOptions(op, "options", options, false);
  const k = options.kernelSize as unknown;
  if (typeof k !== "number" && !Array.isArray(k)) throw new TypeError(`${op}: options.kernelSize must be a positive integer or a pair [h, w] of positive integers, got ${describe(k)}`);
}

/** `t` itself when contiguous from offset 0…, else a contiguous copy (the caller disposes copies). @internal */
export function dense(t: Tensor): Tensor {
  return t.isContiguous ? t : materialise(t);
}

/**
 * 2-D convolution (cross-correlation, as every DNN framework) of NCHW input with OIHW weights:
 * stride, padding (number, [h, w], [top, bottom, left, right], 'same', 'valid'), dilation and groups.
 *
 * @example
 * ```ts
 * import { conv2d, tensor } from "@tessera/autograd";
 * const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);   // [1, 1, 3, 3]
 * const w = tensor([[[[1, 0], [0, 1]]]], { requiresGrad: true }); // [1, 1, 2, 2]
 * conv2d(x, w, null, { padding: "valid" });                      // [[[[6, 8], [12, 14]]]]
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  return convolutionOp("conv2d", x, weight, bias, options, {
    geometry: conv2dGeometry, forward: conv2dForward, backwardData: conv2dBackwardData,
    backwardFilter: conv2dBackwardFilter, backwardBias: conv2dBackwardBias,
  });
}

type Buf = DeviceBuffer;
/** The five device-level passes of a convolution-like op (conv2d, convTranspose2d) on `@tessera/conv`. @internal */
export interface ConvolutionPasses<G extends { OC: number; outputShape: readonly number[] }, O> {
  geometry(xShape: readonly number[], wShape: readonly number[], options: O): G;
  forward(d: Device, g: G, x: Buf, ox: number, w: Buf, ow: number, b: Buf | null, ob: number, y: Buf, oy: number, ws: ConvWorkspace): void;
  backwardData(d: Device, g: G, w: Buf, ow: number, dy: Buf, ody: number, dx: Buf, odx: number, ws: ConvWorkspace): void;
  backwardFilter(d: Device, g: G, x: Buf, ox: number, dy: Buf, ody: number, dw: Buf, odw: number, ws: ConvWorkspace): void;
  backwardBias(d: Device, g: G, dy: Buf, ody: number, db: Buf, odb: number, ws: ConvWorkspace): void;
}

/**
 * A convolution-like op with input, weight and optional bias: checks, the forward pass, and a graph
 * node whose backward runs the data, filter and bias passes on the saved contiguous x and weight.
 * @internal
 */
export function convolutionOp<G extends { OC: number; outputShape: readonly number[] }, O extends object>(
  fn: string, x: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: O, p: ConvolutionPasses<G, O>,
): Tensor {
  checkTensor(fn, "x", x);
  checkTensor(fn, "weight", weight);
  checkOptionalTensor(fn, "bias", bias);
  checkOptions(fn, "options", options, true);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const d = sameDevice(fn, ...inputs);
  inputs.forEach((t, i) => checkFloat(fn, ["x", "weight", "bias"][i], t));
  const g = p.geometry(x.shape, weight.shape, options);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== g.OC)) throw new RangeError(`${fn}: bias must be [${g.OC}], got [${bias.shape.join(",")}]`);
  const xc = dense(x);
  const wc = dense(weight);
  const bc = bias ? dense(bias) : null;
  const y = allocOutput(x, [...g.outputShape]);
  p.forward(d, g, xc.storage.buffer, xc.offset, wc.storage.buffer, wc.offset, bc ? bc.storage.buffer : null, bc ? bc.offset : 0, y.storage.buffer, 0, workspace(d));
  if (bc && bc !== bias) bc.dispose();
  if (!willRecord(inputs)) {
    if (xc !== x) xc.dispose();
    if (wc !== weight) wc.dispose();
    return y;
  }
  return record(y, fn, inputs, () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const ws = workspace(d);
      let gx = null;
      let gw = null;
      let gb = null;
      if (x.requiresGrad) {
        gx = empty(d, x.shape);
        p.backwardData(d, g, wc.storage.buffer, wc.offset, dy.storage.buffer, dy.offset, gx.storage.buffer, 0, ws);
      }
      if (weight.requiresGrad) {
        gw = empty(d, weight.shape);
        p.backwardFilter(d, g, xc.storage.buffer, xc.offset, dy.storage.buffer, dy.offset, gw.storage.buffer, 0, ws);
      }
      if (bias?.requiresGrad) {
        gb = empty(d, bias.shape);
        p.backwardBias(d, g, dy.storage.buffer, dy.offset, gb.storage.buffer, 0, ws);
      }
      return bias ? [gx, gw, gb] : [gx, gw];
    },
    saved: [xc, wc].filter((c, i) => c !== inputs[i]),
    release: () => {
      if (xc !== x) xc.dispose();
      if (wc !== weight) wc.dispose();
    },
  }));
}

/**
 * Max pooling over NCHW input (kernelSize, stride = kernelSize, padding, dilation, ceilMode), with
 * the argmax kept for backward (ties → first index, as PyTorch).
 *
 * @example
 * ```ts
 * import { maxPool2d, zeros } from "@tessera/autograd";
 * maxPool2d(zeros([8, 96, 55, 55]), { kernelSize: 3, stride: 2 }).shape; // [8, 96, 27, 27] (AlexNet)
 * ```
 */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  checkTensor("maxPool2d", "x", x);
  checkPoolOptions("maxPool2d", options);
  const d = sameDevice("maxPool2d", x);
  checkFloat("maxPool2d", "x", x);
  const p = pool2dGeometry(x.shape, options, "maxPool2d");
  const xc = dense(x);
  const y = allocOutput(x, p.outputShape);
  if (!willRecord([x])) {
    // Inference: no backward pass will need the indices.
    try {
      maxPool2dForward(d, p, xc.storage.buffer, xc.offset, y.storage.buffer, 0, null, 0);
    } finally {
      if (xc !== x) xc.dispose();
    }
    return y;
  }
  const argmax = empty(d, p.outputShape, "int32");
  maxPool2dForward(d, p, xc.storage.buffer, xc.offset, y.storage.buffer, 0, argmax.storage.buffer, 0);
  if (xc !== x) xc.dispose();
  return record(y, "maxPool2d", [x], () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const gx = empty(d, x.shape);
      maxPool2dBackward(d, p, dy.storage.buffer, dy.offset, argmax.storage.buffer, 0, gx.storage.buffer, 0);
      return [gx];
    },
    saved: [argmax],
    release: () => argmax.dispose(),
  }));
}

/**
 * Average pooling over NCHW input; `countIncludePad` (default true, as PyTorch) counts padded cells
 * in the divisor.
 *
 * @example
 * ```ts
 * import { avgPool2d, zeros } from "@tessera/autograd";
 * avgPool2d(zeros([1, 6, 28, 28]), { kernelSize: 2 }).shape; // [1, 6, 14, 14]
 * ```
 */
export function avgPool2d(x: Tensor, options: Pool2dOptions & { readonly countIncludePad?: boolean }): Tensor {
  checkTensor("avgPool2d", "x", x);
  checkPoolOptions("avgPool2d", options);
  const d = sameDevice("avgPool2d", x);
  checkFloat("avgPool2d", "x", x);
  const p = pool2dGeometry(x.shape, options, "avgPool2d");
  const inc = options.countIncludePad ?? true;
  const xc = dense(x);
  const y = allocOutput(x, p.outputShape);
  avgPool2dForward(d, p, inc, xc.storage.buffer, xc.offset, y.storage.buffer, 0, workspace(d));
  if (xc !== x) xc.dispose();
  return record(y, "avgPool2d", [x], () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const gx = empty(d, x.shape);
      avgPool2dBackward(d, p, inc, dy.storage.buffer, dy.offset, gx.storage.buffer, 0, workspace(d));
      return [gx];
    },
  }));
}

/**
 * Adaptive average pooling to a fixed output size (torchvision models end with it).
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2d, zeros } from "@tessera/autograd";
 * adaptiveAvgPool2d(zeros([2, 512, 7, 7]), 1).shape; // [2, 512, 1, 1]
 * ```
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number, number]): Tensor {
  checkTensor("adaptiveAvgPool2d", "x", x);
  if (typeof outputSize !== "number" && !Array.isArray(outputSize)) {
    throw new TypeError(`adaptiveAvgPool2d: outputSize must be a positive integer or a pair [h, w] of positive integers, got ${describe(outputSize)}`);
  }
  const d = sameDevice("adaptiveAvgPool2d", x);
  checkFloat("adaptiveAvgPool2d", "x", x);
  const a = adaptiveAvgPool2dGeometry(x.shape, outputSize);
  const xc = dense(x);
  const y = allocOutput(x, a.outputShape);
  adaptiveAvgPool2dForward(d, a, xc.storage.buffer, xc.offset, y.storage.buffer, 0, workspace(d));
  if (xc !== x) xc.dispose();
  return record(y, "adaptiveAvgPool2d", [x], () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const gx = empty(d, x.shape);
      adaptiveAvgPool2dBackward(d, a, dy.storage.buffer, dy.offset, gx.storage.buffer, 0, workspace(d));
      return [gx];
    },
  }));
}

/**
 * Local Response Normalization across channels (AlexNet 2012), PyTorch's definition:
 * b_c = a_c / (k + α/n · Σ_{c' ∈ window(c)} a_c'²)^β.
 *
 * @example
 * ```ts
 * import { localResponseNorm, zeros } from "@tessera/autograd";
 * localResponseNorm(zeros([1, 96, 55, 55]), { size: 5, alpha: 1e-4, beta: 0.75, k: 2 });
 * ```
 */
export function localResponseNorm(x: Tensor, options: LocalResponseNormOptions): Tensor {
  checkTensor("localResponseNorm", "x", x);
  checkOptions("localResponseNorm", "options", options, false);
  const d = sameDevice("localResponseNorm", x);
  checkFloat("localResponseNorm", "x", x);
  const xc = dense(x);
  const y = alloc(x, x.shape);
  const scale = alloc(x, x.shape);
  localResponseNormForward(d, x.shape, options, xc.storage.buffer, xc.offset, y.storage.buffer, 0, scale.storage.buffer, 0, workspace(d));
  if (!willRecord([x])) {
    scale.dispose();
    if (xc !== x) xc.dispose();
    return y;
  }
  return record(y, "localResponseNorm", [x], () => ({
    backward: (gy) => {
      const dy = dense(gy);
      const gx = empty(d, x.shape);
      localResponseNormBackward(d, x.shape, options, xc.storage.buffer, xc.offset, y.storage.buffer, 0, scale.storage.buffer, 0,
        dy.storage.buffer, dy.offset, gx.storage.buffer, 0, workspace(d));
      return [gx];
    },
    saved: xc === x ? [scale] : [scale, xc],
    release: () => {
      scale.dispose();
      if (xc !== x) xc.dispose();
    },
  }));
}

/**
 * What {@link fusedConv2d} applies after the convolution and its bias, in this order:
 * `relu((conv + bias)·scale[oc] + shift[oc] + residual)`, every part optional.
 *
 * @example
 * ```ts
 * import type { FusedConv2dEpilogue } from "@tessera/autograd";
 * const e: FusedConv2dEpilogue = { residual: identity, relu: true }; // a ResNet block's tail
 * ```
 */
export interface FusedConv2dEpilogue {
  /** `[OC]` per-channel factor. */ readonly scale?: Tensor | null;
  /** `[OC]` per-channel addend after the scale. */ readonly shift?: Tensor | null;
  /** Added after the shift; the output's shape `[N, OC, OH, OW]`. */ readonly residual?: Tensor | null;
  /** Clamp at zero last (default false). */ readonly relu?: boolean;
}

const EPILOGUE_KEYS = ["scale", "shift", "residual", "relu"];

/**
 * Inference-only convolution with an epilogue, `relu((conv2d(x, w) + bias)·scale + shift + residual)`,
 * in one pass over the output where the device has a fused kernel (the wasm implicit GEMM applies
 * the epilogue while storing each tile), else as the same elementwise steps after the
 * convolution. It records no graph: it throws when gradients are enabled and an input requires
 * grad (use {@link conv2d} and the separate ops to train). `nn.fuse()` builds its layers on it.
 *
 * @example
 * ```ts
 * import { fusedConv2d, noGrad, tensor } from "@tessera/autograd";
 * const x = tensor([[[[1, -2], [3, -4]]]]);            // [1, 1, 2, 2]
 * const w = tensor([[[[1]]]]);                          // [1, 1, 1, 1]
 * fusedConv2d(x, w, null, {}, { relu: true });          // [[[[1, 0], [3, 0]]]]
 * ```
 */
export function fusedConv2d(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: Conv2dOptions, epilogue: FusedConv2dEpilogue): Tensor {
  // Checked without arrays or closures: inference runs this between two kernels, where every
  // allocation and every object touched is a cache miss (ResNet-18: ~15 µs a call that way).
  const fn = "fusedConv2d";
  checkTensor(fn, "x", x);
  checkTensor(fn, "weight", weight);
  checkOptionalTensor(fn, "bias", bias);
  checkOptions(fn, "options", options, true);
  checkOptions(fn, "epilogue", epilogue, false);
  for (const k in epilogue) {
    if (Object.prototype.hasOwnProperty.call(epilogue, k) && !EPILOGUE_KEYS.includes(k)) {
      throw new RangeError(`${fn}: epilogue has an unknown key '${k}' (expected ${EPILOGUE_KEYS.join(", ")})`);
    }
  }
  if (epilogue.relu !== undefined && typeof epilogue.relu !== "boolean") throw new TypeError(`${fn}: epilogue.relu must be a boolean, got ${describe(epilogue.relu)}`);
  const b = bias ? bias : null, scale = epilogue.scale ?? null, shift = epilogue.shift ?? null, r = epilogue.residual ?? null;
  if (scale) checkTensor(fn, "epilogue.scale", scale);
  if (shift) checkTensor(fn, "epilogue.shift", shift);
  if (r) checkTensor(fn, "epilogue.residual", r);
  const d = x.device;
  checkOnDevice(fn, d, x);
  checkOnDevice(fn, d, weight);
  if (b) checkOnDevice(fn, d, b);
  if (scale) checkOnDevice(fn, d, scale);
  if (shift) checkOnDevice(fn, d, shift);
  if (r) checkOnDevice(fn, d, r);
  checkFloat(fn, "x", x);
  checkFloat(fn, "weight", weight);
  if (b) checkFloat(fn, "bias", b);
  if (scale) checkFloat(fn, "epilogue.scale", scale);
  if (shift) checkFloat(fn, "epilogue.shift", shift);
  if (r) checkFloat(fn, "epilogue.residual", r);
  if (gradEnabled() && (x.requiresGrad || weight.requiresGrad || b?.requiresGrad || scale?.requiresGrad || shift?.requiresGrad || r?.requiresGrad)) {
    const named: [string, Tensor | null][] = [["x", x], ["weight", weight], ["bias", b], ["epilogue.scale", scale], ["epilogue.shift", shift], ["epilogue.residual", r]];
    const grads = named.filter(([, t]) => t?.requiresGrad).map(([name]) => name);
    throw new Error(`${fn}: inference only (no backward), but ${grads.join(", ")} require${grads.length === 1 ? "s" : ""} grad; run it under noGrad() or train with conv2d`);
  }
  const g = conv2dGeometry(x.shape, weight.shape, options);
  checkChannels(fn, "bias", b, g.OC);
  checkChannels(fn, "epilogue.scale", scale, g.OC);
  checkChannels(fn, "epilogue.shift", shift, g.OC);
  if (r && !sameShape(r.shape, g.outputShape)) {
    throw new RangeError(`${fn}: epilogue.residual must have the output's shape [${g.outputShape.join(",")}], got [${r.shape.join(",")}]`);
  }
  const xc = dense(x), wc = dense(weight), bc = b && dense(b), sc = scale && dense(scale), tc = shift && dense(shift), rc = r && dense(r);
  const y = allocOutput(x, g.outputShape);
  try {
    conv2dForward(d, g, xc.storage.buffer, xc.offset, wc.storage.buffer, wc.offset, bc ? bc.storage.buffer : null, bc ? bc.offset : 0,
      y.storage.buffer, 0, workspace(d), {
        scale: sc ? sc.storage.buffer : null, offsetScale: sc ? sc.offset : undefined,
        shift: tc ? tc.storage.buffer : null, offsetShift: tc ? tc.offset : undefined,
        residual: rc ? rc.storage.buffer : null, offsetResidual: rc ? rc.offset : undefined,
        relu: epilogue.relu === true,
      });
  } catch (err) {
    y.dispose();
    throw err;
  } finally {
    if (xc !== x) xc.dispose();
    if (wc !== weight) wc.dispose();
    if (bc && bc !== b) bc.dispose();
    if (sc && sc !== scale) sc.dispose();
    if (tc && tc !== shift) tc.dispose();
    if (rc && rc !== r) rc.dispose();
  }
  return y;
}

/** Throws unless `t` (when given) is a `[OC]` vector. */
function checkChannels(fn: string, name: string, t: Tensor | null, OC: number): void {
  if (t && (t.ndim !== 1 || t.shape[0] !== OC)) throw new RangeError(`${fn}: ${name} must be [${OC}], got [${t.shape.join(",")}]`);
}

/** Whether two shapes are equal. */
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
