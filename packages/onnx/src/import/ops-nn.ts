/**
 * Layer operators: Conv, Gemm, MatMul, pooling, BatchNormalization (inference), LRN and the
 * activations, each one call to an `@tessera/autograd` op so that gradients flow.
 */
import {
  adaptiveAvgPool2d, add, affine, avgPool2d, batchNorm, clamp, conv2d, leakyRelu, linear, localResponseNorm, matmul, maxPool2d, mean,
  mul, relu, sigmoid, tanh, transpose, type Tensor,
} from "@tessera/autograd";
import type { Attrs, OpSpec, RunCtx } from "./op-types.js";

type Pads4 = [number, number, number, number];

/** Reads auto_pad / pads / strides / dilations of a 2-D window op; returns the pads ([top, bottom, left, right]) for an input. @internal */
export function windowAttrs(a: Attrs, kernelFromAttr: boolean) {
  const autoPad = a.string("auto_pad", "NOTSET");
  if (!["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].includes(autoPad)) a.fail(`auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  const kernel = a.ints("kernel_shape", null);
  if (kernelFromAttr && !kernel) a.fail("attribute 'kernel_shape' is required");
  const two = (name: string, v: readonly number[] | null, dflt: number): [number, number] => {
    if (!v) return [dflt, dflt];
    if (v.length !== 2) a.fail(`'${name}' must have 2 values (Tessera supports 2-D windows), got [${v.join(",")}]`);
    if (v.some((x) => !Number.isInteger(x) || x < 1)) a.fail(`'${name}' must be positive, got [${v.join(",")}]`);
    return [v[0], v[1]];
  };
  const k = kernel ? two("kernel_shape", kernel, 1) : null;
  const strides = two("strides", a.ints("strides", null), 1);
  const dilations = two("dilations", a.ints("dilations", null), 1);
  const pads = a.ints("pads", null);
  if (pads && autoPad !== "NOTSET") a.fail(`'pads' and auto_pad '${autoPad}' cannot be used together`);
  if (pads && (pads.length !== 4 || pads.some((p) => !Number.isInteger(p) || p < 0))) a.fail(`'pads' must be 4 non-negative values [top, left, bottom, right], got [${pads.join(",")}]`);
  const resolve = (H: number, W: number, kh: number, kw: number): Pads4 => {
    if (autoPad === "NOTSET") return pads ? [pads[0], pads[2], pads[1], pads[3]] : [0, 0, 0, 0];
    if (autoPad === "VALID") return [0, 0, 0, 0];
    const same = (n: number, kk: number, s: number, d: number): [number, number] => {
      const total = Math.max(0, (Math.ceil(n / s) - 1) * s + (kk - 1) * d + 1 - n);
      const small = Math.floor(total / 2);
      return autoPad === "SAME_UPPER" ? [small, total - small] : [total - small, small];
    };
    const [t, b] = same(H, kh, strides[0], dilations[0]);
    const [l, r] = same(W, kw, strides[1], dilations[1]);
    return [t, b, l, r];
  };
  return { k, strides, dilations, resolve };
}

/**
 * ONNX sizes a ceil_mode pool as ceil((n + pads − window) / stride) + 1; Tessera (as PyTorch) drops
 * a last window that would start in the right padding. Where the two differ the result is refused.
 */
function checkCeil(ctx: RunCtx, x: Tensor, y: Tensor, k: readonly [number, number], s: readonly [number, number], d: readonly [number, number], p: readonly number[]): void {
  for (const a of [0, 1]) {
    const onnx = Math.ceil((x.shape[2 + a] + p[2 * a] + p[2 * a + 1] - ((k[a] - 1) * d[a] + 1)) / s[a]) + 1;
    if (onnx !== y.shape[2 + a]) ctx.fail(`with ceil_mode the last window would start in the padding (ONNX sizes the output ${onnx}, PyTorch and Tessera ${y.shape[2 + a]}); not supported`);
  }
}

const autoSame = (a: Attrs) => a.string("auto_pad", "NOTSET").startsWith("SAME");

/** Fails unless `x` is 4-D. @internal */
export function rank4(ctx: RunCtx, x: Tensor, what = "input"): void {
  if (x.ndim !== 4) ctx.fail(`${what} must be 4-D [N, C, H, W] (Tessera supports 2-D convolution and pooling), got [${x.shape.join(",")}]`);
}

const conv: OpSpec = {
  attrs: ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"],
  inputs: [2, 3],
  prepare(a) {
    const w = windowAttrs(a, false);
    const groups = a.int("group", 1);
    if (groups < 1) a.fail(`group must be positive, got ${groups}`);
    return (ctx) => {
      const x = ctx.tensor(0);
      const weight = ctx.tensor(1);
      rank4(ctx, x);
      rank4(ctx, weight, "weight");
      if (w.k && (w.k[0] !== weight.shape[2] || w.k[1] !== weight.shape[3])) ctx.fail(`kernel_shape [${w.k.join(",")}] differs from the weight's [${weight.shape.slice(2).join(",")}]`);
      const padding = w.resolve(x.shape[2], x.shape[3], weight.shape[2], weight.shape[3]);
      return [conv2d(x, weight, ctx.has(2) ? ctx.tensor(2) : null, { stride: w.strides, dilation: w.dilations, padding, groups })];
    };
  },
};

const maxPool: OpSpec = {
  attrs: ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"],
  inputs: [1, 1],
  outputs: 1,
  prepare(a) {
    const w = windowAttrs(a, true);
    const ceilMode = a.int("ceil_mode", 0) === 1;
    if (autoSame(a) && (w.dilations[0] !== 1 || w.dilations[1] !== 1)) a.fail("auto_pad SAME with dilations is not supported (onnxruntime and the ONNX specification size it differently)");
    if (a.int("storage_order", 0) !== 0) a.fail("storage_order 1 (column-major indices) is not supported");
    const k = w.k as [number, number];
    return (ctx) => {
      const x = ctx.tensor(0);
      rank4(ctx, x);
      const padding = w.resolve(x.shape[2], x.shape[3], k[0], k[1]);
      const y = maxPool2d(x, { kernelSize: k, stride: w.strides, dilation: w.dilations, padding, ceilMode });
      if (ceilMode) checkCeil(ctx, x, y, k, w.strides, w.dilations, padding);
      return [y];
    };
  },
};

const averagePool: OpSpec = {
  attrs: ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"],
  inputs: [1, 1],
  prepare(a) {
    const w = windowAttrs(a, true);
    if (w.dilations[0] !== 1 || w.dilations[1] !== 1) a.fail(`dilations [${w.dilations.join(",")}] are not supported for AveragePool`);
    const ceilMode = a.int("ceil_mode", 0) === 1;
    const countIncludePad = a.int("count_include_pad", 0) === 1;
    const k = w.k as [number, number];
    return (ctx) => {
      const x = ctx.tensor(0);
      rank4(ctx, x);
      const padding = w.resolve(x.shape[2], x.shape[3], k[0], k[1]);
      const y = avgPool2d(x, { kernelSize: k, stride: w.strides, padding, ceilMode, countIncludePad });
      if (ceilMode) checkCeil(ctx, x, y, k, w.strides, w.dilations, padding);
      return [y];
    };
  },
};

const globalAveragePool: OpSpec = {
  attrs: [],
  inputs: [1, 1],
  prepare: () => (ctx) => {
    const x = ctx.tensor(0);
    if (x.ndim === 4) return [adaptiveAvgPool2d(x, 1)];
    if (x.ndim < 3) ctx.fail(`input must have at least 3 dimensions [N, C, ...], got [${x.shape.join(",")}]`);
    return [mean(x, { axis: x.shape.map((_, i) => i).filter((i) => i >= 2), keepDims: true })];
  },
};

const batchNormalization: OpSpec = {
  attrs: ["epsilon", "momentum", "training_mode"],
  inputs: [5, 5],
  outputs: 1,
  bufferInputs: [3, 4],
  prepare(a) {
    const eps = a.float("epsilon", 1e-5);
    // momentum only governs the running-statistics update of training mode, which is refused below.
    a.float("momentum", 0.9);
    if (a.int("training_mode", 0) !== 0) a.fail("training_mode 1 is not supported (Tessera imports BatchNormalization for inference: running statistics are fixed, scale and bias train)");
    return (ctx) => [batchNorm(ctx.tensor(0), ctx.tensor(3), ctx.tensor(4), ctx.tensor(1), ctx.tensor(2), { training: false, eps })];
  },
};

const lrn: OpSpec = {
  attrs: ["alpha", "beta", "bias", "size"],
  inputs: [1, 1],
  prepare(a) {
    const size = a.int("size", 0);
    if (!a.has("size") || size < 1) a.fail("attribute 'size' is required and must be positive");
    if (size % 2 === 0) a.fail(`size ${size} is even: ONNX centres an even window differently from Tessera's (PyTorch's) LRN, so it is not supported`);
    const o = { size, alpha: a.float("alpha", 1e-4), beta: a.float("beta", 0.75), k: a.float("bias", 1) };
    return (ctx) => {
      const x = ctx.tensor(0);
      rank4(ctx, x);
      return [localResponseNorm(x, o)];
    };
  },
};

const gemm: OpSpec = {
  attrs: ["alpha", "beta", "transA", "transB"],
  inputs: [2, 3],
  prepare(a) {
    const alpha = a.float("alpha", 1);
    const beta = a.float("beta", 1);
    const transA = a.int("transA", 0) !== 0;
    const transB = a.int("transB", 0) !== 0;
    return (ctx) => {
      const A = ctx.tensor(0);
      const B = ctx.tensor(1);
      if (A.ndim !== 2 || B.ndim !== 2) ctx.fail(`A and B must be 2-D, got [${A.shape.join(",")}] and [${B.shape.join(",")}]`);
      const C = ctx.has(2) ? ctx.tensor(2) : null;
      // The common case (a Linear layer) goes through linear(), exactly as Tessera's own Linear.
      if (!transA && transB && alpha === 1 && (C === null || (beta === 1 && C.ndim === 1 && C.shape[0] === B.shape[0]))) return [linear(A, B, C)];
      let y = matmul(transA ? transpose(A) : A, transB ? transpose(B) : B);
      if (alpha !== 1) y = mul(y, alpha);
      if (C && beta !== 0) y = add(y, beta === 1 ? C : mul(C, beta));
      return [y];
    };
  },
};

const unary = (f: (x: Tensor) => Tensor): OpSpec => ({ attrs: [], inputs: [1, 1], prepare: () => (ctx) => [f(ctx.tensor(0))] });

const leaky: OpSpec = {
  attrs: ["alpha"],
  inputs: [1, 1],
  prepare(a) {
    const alpha = a.float("alpha", 0.01);
    return (ctx) => [leakyRelu(ctx.tensor(0), alpha)];
  },
};

const hardSigmoid: OpSpec = {
  attrs: ["alpha", "beta"],
  inputs: [1, 1],
  prepare(a) {
    const alpha = a.float("alpha", 0.2);
    const beta = a.float("beta", 0.5);
    return (ctx) => [clamp(affine(ctx.tensor(0), alpha, beta), 0, 1)];
  },
};

const hardSwish: OpSpec = {
  attrs: [],
  inputs: [1, 1],
  prepare: () => (ctx) => {
    const x = ctx.tensor(0);
    return [mul(x, clamp(affine(x, 1 / 6, 0.5), 0, 1))];
  },
};

const clip: OpSpec = {
  attrs: [],
  inputs: [1, 3],
  hostInputs: [1, 2],
  prepare: () => (ctx) => {
    const lo = ctx.has(1) ? ctx.scalar(1) : -Infinity;
    const hi = ctx.has(2) ? ctx.scalar(2) : Infinity;
    if (!(lo <= hi)) ctx.fail(`min (${lo}) must be <= max (${hi})`);
    return [clamp(ctx.tensor(0), lo, hi)];
  },
};

/** Layer operators by ONNX name. @internal */
export const NN_OPS: Record<string, OpSpec> = {
  Conv: conv,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNormalization,
  LRN: lrn,
  Gemm: gemm,
  MatMul: { attrs: [], inputs: [2, 2], prepare: () => (ctx) => [matmul(ctx.tensor(0), ctx.tensor(1))] },
  Relu: unary(relu),
  Sigmoid: unary(sigmoid),
  Tanh: unary(tanh),
  LeakyRelu: leaky,
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Clip: clip,
};
