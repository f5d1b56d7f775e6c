/**
 * ONNX nodes for the layers of `@tessera/nn`, read from the layer's own settings (its stride,
 * padding, epsilon…), resolved on the traced input shape by `@tessera/conv`'s geometry.
 */
import type { Tensor } from "@tessera/autograd";
import { conv2dGeometry, convTranspose2dGeometry, pool2dGeometry, type ResolvedPool2d } from "@tessera/conv";
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, ConvTranspose2d, Flatten, LeakyReLU, Linear, LocalResponseNorm, LogSoftmax, MaxPool2d, ReLU,
  Sigmoid, Softmax, Tanh, type Module,
} from "@tessera/nn";
import type { AttrValue, GraphBuilder } from "./builder.js";

/** What a layer emitter gets: the builder, the layer, its path, input name and tensor, output tensor. @internal */
export interface LayerCall {
  readonly b: GraphBuilder;
  readonly m: Module;
  readonly path: string;
  readonly x: Tensor;
  readonly xName: string;
  readonly y: Tensor;
  readonly opset: number;
  /** Name of a parameter or buffer tensor (added as an initializer on first use). */
  readonly tensorName: (t: Tensor) => string;
  /** Output name to use. */
  readonly out: string;
}

/** Layer types exported as nodes (others are traced through their forward). @internal */
export const LAYER_TYPES = [Conv2d, ConvTranspose2d, Linear, BatchNorm1d, BatchNorm2d, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, LocalResponseNorm, Flatten];

function fail(c: LayerCall, msg: string): never {
  throw new Error(`exportOnnx: layer '${c.path || "(root)"}' (${c.m.constructor.name}): ${msg}`);
}

const onnxPads = (p: readonly [number, number, number, number]) => [p[0], p[2], p[1], p[3]];

/** Rejects ceil_mode geometries whose output differs from ONNX's plain ceil formula. */
function poolAttrs(c: LayerCall, p: ResolvedPool2d): Record<string, AttrValue> {
  if (p.ceilMode) {
    const ceilOut = (n: number, lo: number, hi: number, k: number, s: number, d: number) => Math.ceil((n + lo + hi - ((k - 1) * d + 1)) / s) + 1;
    if (ceilOut(p.H, p.padding[0], p.padding[1], p.kernel[0], p.stride[0], p.dilation[0]) !== p.OH || ceilOut(p.W, p.padding[2], p.padding[3], p.kernel[1], p.stride[1], p.dilation[1]) !== p.OW) {
      fail(c, "ceilMode drops a window that starts in the padding here; ONNX runtimes disagree on that case, so it is not exported");
    }
  }
  return { kernel_shape: { ints: p.kernel }, strides: { ints: p.stride }, pads: { ints: onnxPads(p.padding) }, ceil_mode: { i: p.ceilMode ? 1 : 0 } };
}

/** Emits the nodes of one layer call; returns the output name. @internal */
export function emitLayer(c: LayerCall): string {
  const { b, m, x, xName, out } = c;
  if (m instanceof Conv2d) {
    const mode = (m as { paddingMode?: string }).paddingMode ?? "zeros";
    if (mode !== "zeros") fail(c, `paddingMode '${mode}' is not exported (only 'zeros': ONNX's Conv pads with zeros)`);
    const g = conv2dGeometry(x.shape, m.weight.shape, m.options);
    const ins = [xName, c.tensorName(m.weight)];
    if (m.bias) ins.push(c.tensorName(m.bias));
    b.node("Conv", ins, [out], {
      kernel_shape: { ints: [g.KH, g.KW] }, strides: { ints: g.stride }, dilations: { ints: g.dilation }, pads: { ints: onnxPads(g.padding) }, group: { i: g.groups },
    });
    return out;
  }
  if (m instanceof ConvTranspose2d) {
    const g = convTranspose2dGeometry(x.shape, m.weight.shape, m.options);
    if (g.outputPadding[0] >= g.stride[0] || g.outputPadding[1] >= g.stride[1]) {
      fail(c, `outputPadding [${g.outputPadding.join(",")}] is not smaller than the stride [${g.stride.join(",")}] (allowed by the dilation, as PyTorch does); ` +
        "onnxruntime refuses such a ConvTranspose, so it is not exported");
    }
    const ins = [xName, c.tensorName(m.weight)];
    if (m.bias) ins.push(c.tensorName(m.bias));
    b.node("ConvTranspose", ins, [out], {
      kernel_shape: { ints: [g.KH, g.KW] }, strides: { ints: g.stride }, dilations: { ints: g.dilation }, pads: { ints: onnxPads(g.padding) },
      output_padding: { ints: g.outputPadding }, group: { i: g.groups },
    });
    return out;
  }
  if (m instanceof Linear) {
    if (x.ndim === 2) {
      const ins = [xName, c.tensorName(m.weight)];
      if (m.bias) ins.push(c.tensorName(m.bias));
      b.node("Gemm", ins, [out], { transB: { i: 1 } });
      return out;
    }
    const wt = b.fresh(`${c.path}.weight_t`);
    b.node("Transpose", [c.tensorName(m.weight)], [wt], { perm: { ints: [1, 0] } });
    if (!m.bias) return b.node("MatMul", [xName, wt], [out])[0];
    const mm = b.fresh(`${c.path}.matmul`);
    b.node("MatMul", [xName, wt], [mm]);
    return b.node("Add", [mm, c.tensorName(m.bias)], [out])[0];
  }
  if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
    const buffers = new Map(m.namedBuffers());
    const mean = buffers.get("running_mean");
    const variance = buffers.get("running_var");
    if (!mean || !variance) fail(c, "has no running statistics");
    const C = m.numFeatures;
    const scale = m.weight ? c.tensorName(m.weight) : b.floatInit(b.fresh(`${c.path}.onnx_scale`), [C], new Float32Array(C).fill(1));
    const bias = m.bias ? c.tensorName(m.bias) : b.floatInit(b.fresh(`${c.path}.onnx_bias`), [C], new Float32Array(C));
    const eps = (m as unknown as { o: { eps?: number } }).o.eps ?? 1e-5;
    b.node("BatchNormalization", [xName, scale, bias, c.tensorName(mean), c.tensorName(variance)], [out], { epsilon: { f: eps } });
    return out;
  }
  if (m instanceof ReLU) return b.node("Relu", [xName], [out])[0];
  if (m instanceof Sigmoid) return b.node("Sigmoid", [xName], [out])[0];
  if (m instanceof Tanh) return b.node("Tanh", [xName], [out])[0];
  if (m instanceof LeakyReLU) return b.node("LeakyRelu", [xName], [out], { alpha: { f: m.negativeSlope } })[0];
  if (m instanceof Softmax || m instanceof LogSoftmax) {
    const axis = m.dim < 0 ? m.dim + x.ndim : m.dim;
    if (c.opset < 13 && axis !== x.ndim - 1) fail(c, `before opset 13 ONNX's ${m instanceof Softmax ? "Softmax" : "LogSoftmax"} flattens the axes from ${axis} on; export with opset ≥ 13`);
    return b.node(m instanceof Softmax ? "Softmax" : "LogSoftmax", [xName], [out], { axis: { i: axis } })[0];
  }
  if (m instanceof MaxPool2d) {
    const p = pool2dGeometry(x.shape, m.options, "maxPool2d");
    return b.node("MaxPool", [xName], [out], { ...poolAttrs(c, p), dilations: { ints: p.dilation } })[0];
  }
  if (m instanceof AvgPool2d) {
    const p = pool2dGeometry(x.shape, m.options, "avgPool2d");
    if (p.dilation[0] !== 1 || p.dilation[1] !== 1) fail(c, "dilated average pooling is not exported");
    return b.node("AveragePool", [xName], [out], { ...poolAttrs(c, p), count_include_pad: { i: (m.options.countIncludePad ?? true) ? 1 : 0 } })[0];
  }
  if (m instanceof AdaptiveAvgPool2d) {
    const [H, W] = [x.shape[2], x.shape[3]];
    const [OH, OW] = [c.y.shape[2], c.y.shape[3]];
    if (OH === 1 && OW === 1) return b.node("GlobalAveragePool", [xName], [out])[0];
    if (H === 1 && W === 1) {
      // Every window is the single input cell (VGG's 1×1 → 7×7 on small images): copies, joined.
      const rows = b.fresh(`${c.path}.rows`);
      b.node("Concat", new Array<string>(OH).fill(xName), [rows], { axis: { i: 2 } });
      return b.node("Concat", new Array<string>(OW).fill(rows), [out], { axis: { i: 3 } })[0];
    }
    if (H % OH !== 0 || W % OW !== 0) fail(c, `adaptive pooling from ${H}×${W} to ${OH}×${OW} has uneven windows, which ONNX's pooling cannot express; use an input size whose feature map divides evenly`);
    const k = [H / OH, W / OW];
    return b.node("AveragePool", [xName], [out], { kernel_shape: { ints: k }, strides: { ints: k } })[0];
  }
  if (m instanceof LocalResponseNorm) {
    const o = m.options;
    if (o.size % 2 === 0) fail(c, `size ${o.size} is even: ONNX's LRN centres an even window differently`);
    return b.node("LRN", [xName], [out], { size: { i: o.size }, alpha: { f: o.alpha ?? 1e-4 }, beta: { f: o.beta ?? 0.75 }, bias: { f: o.k ?? 1 } })[0];
  }
  if (m instanceof Flatten) {
    const end = m.endDim < 0 ? m.endDim + x.ndim : m.endDim;
    const start = m.startDim < 0 ? m.startDim + x.ndim : m.startDim;
    if (start !== 1 || end !== x.ndim - 1) fail(c, `only Flatten(1, -1) is exported (ONNX's Flatten always makes a 2-D output), got (${m.startDim}, ${m.endDim})`);
    return b.node("Flatten", [xName], [out], { axis: { i: 1 } })[0];
  }
  return fail(c, "is not a layer the exporter knows");
}
