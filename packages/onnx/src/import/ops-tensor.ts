/**
 * Tensor operators: arithmetic with broadcasting, Softmax/LogSoftmax, ReduceMean and the shape
 * operators (Flatten, Reshape, Transpose, Squeeze/Unsqueeze, Concat, Pad, Shape, Gather, Constant,
 * Identity, Dropout). Shape computations on host tensors stay on the host.
 */
import { add, concat, div, full, logSoftmax, mean, mul, permute, reshape, slice, softmax, sub, type SliceRange, type Tensor } from "@tessera/autograd";
import type { HostTensor } from "../tensor-data.js";
import { hostBinary, hostConcat, hostGather, hostInts, hostReshape, hostSlice, hostTranspose } from "./host.js";
import { axis, isHost, type OpSpec, type RunCtx, type Value } from "./op-types.js";

const dimsOf = (v: Value): readonly number[] => (isHost(v) ? v.dims : v.shape);
const sizeOf = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);

/** Reshape that keeps host tensors on the host. */
function reshapeValue(ctx: RunCtx, v: Value, dims: readonly number[]): Value {
  if (isHost(v)) {
    if (sizeOf(dims) !== v.data.length) ctx.fail(`cannot reshape [${v.dims.join(",")}] into [${dims.join(",")}]`);
    return hostReshape(v, dims);
  }
  return reshape(v, dims);
}

const binary = (name: "Add" | "Sub" | "Mul" | "Div", f: (a: Tensor, b: Tensor) => Tensor): OpSpec => ({
  attrs: [],
  inputs: [2, 2],
  prepare: () => (ctx) => {
    const a = ctx.value(0);
    const b = ctx.value(1);
    if (isHost(a) && isHost(b)) return [hostBinary(name, a, b, (m) => ctx.fail(m))];
    return [f(ctx.tensor(0), ctx.tensor(1))];
  },
});

const softmaxOp = (f: (x: Tensor, axis: number) => Tensor): OpSpec => ({
  attrs: ["axis"],
  inputs: [1, 1],
  prepare(a, opset) {
    const ax = a.int("axis", opset >= 13 ? -1 : 1);
    return (ctx) => {
      const x = ctx.tensor(0);
      const k = axis((m) => ctx.fail(m), ax, x.ndim);
      if (opset >= 13 || k === x.ndim - 1) return [f(x, k)];
      // Before opset 13 the input is coerced to 2-D [prod(d < axis), prod(d ≥ axis)] and normalised per row.
      const rows = reshape(x, [sizeOf(x.shape.slice(0, k)), sizeOf(x.shape.slice(k))]);
      return [reshape(f(rows, 1), x.shape)];
    };
  },
});

const reduceMean: OpSpec = {
  attrs: ["axes", "keepdims", "noop_with_empty_axes"],
  inputs: [1, 2],
  hostInputs: [1],
  prepare(a, opset) {
    const keepDims = a.int("keepdims", 1) === 1;
    const attrAxes = a.ints("axes", null);
    if (attrAxes && opset >= 18) a.fail("attribute 'axes' was replaced by an input at opset 18");
    const noop = a.int("noop_with_empty_axes", 0) === 1;
    if (a.has("noop_with_empty_axes") && opset < 18) a.fail("attribute 'noop_with_empty_axes' exists from opset 18");
    return (ctx) => {
      const x = ctx.tensor(0);
      const list = opset >= 18 ? (ctx.has(1) ? ctx.ints(1) : []) : (attrAxes ?? []);
      if (list.length === 0 && noop) return [x];
      const axes = list.length ? list.map((k) => axis((m) => ctx.fail(m), k, x.ndim)) : x.shape.map((_, i) => i);
      return [mean(x, { axis: axes, keepDims })];
    };
  },
};

const flattenOp: OpSpec = {
  attrs: ["axis"],
  inputs: [1, 1],
  prepare(a) {
    const ax = a.int("axis", 1);
    return (ctx) => {
      const v = ctx.value(0);
      const d = dimsOf(v);
      const k = ax < 0 ? ax + d.length : ax;
      if (k < 0 || k > d.length) ctx.fail(`axis ${ax} is out of range for rank ${d.length}`);
      return [reshapeValue(ctx, v, [sizeOf(d.slice(0, k)), sizeOf(d.slice(k))])];
    };
  },
};

const reshapeOp: OpSpec = {
  attrs: ["allowzero"],
  inputs: [2, 2],
  hostInputs: [1],
  prepare(a) {
    const allowZero = a.int("allowzero", 0) === 1;
    return (ctx) => {
      const v = ctx.value(0);
      const d = dimsOf(v);
      const target = ctx.ints(1);
      if (target.filter((t) => t === -1).length > 1) ctx.fail(`shape [${target.join(",")}] has more than one -1`);
      const dims = target.map((t, i) => {
        if (t === 0 && !allowZero) {
          if (i >= d.length) ctx.fail(`shape [${target.join(",")}] copies dimension ${i} (0) of a rank-${d.length} input`);
          return d[i];
        }
        if (t < -1) ctx.fail(`shape [${target.join(",")}] has a negative dimension`);
        return t;
      });
      if (dims.includes(-1)) {
        const known = sizeOf(dims.filter((t) => t !== -1));
        const total = sizeOf(d);
        if (known === 0 || total % known !== 0) ctx.fail(`cannot reshape [${d.join(",")}] into [${target.join(",")}]`);
        dims[dims.indexOf(-1)] = total / known;
      }
      if (sizeOf(dims) !== sizeOf(d)) ctx.fail(`cannot reshape [${d.join(",")}] (${sizeOf(d)} elements) into [${target.join(",")}]`);
      return [reshapeValue(ctx, v, dims)];
    };
  },
};

const transposeOp: OpSpec = {
  attrs: ["perm"],
  inputs: [1, 1],
  prepare(a) {
    const perm = a.ints("perm", null);
    return (ctx) => {
      const v = ctx.value(0);
      const rank = dimsOf(v).length;
      const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
      if (p.length !== rank || new Set(p.map((k) => axis((m) => ctx.fail(m), k, rank))).size !== rank) ctx.fail(`perm [${p.join(",")}] is not a permutation of ${rank} axes`);
      // Shape arithmetic (torch.onnx.export's F.pad turns its pads around with a Transpose) stays on the host.
      if (isHost(v)) return [hostTranspose(v, p.map((k) => axis((m) => ctx.fail(m), k, rank)))];
      return [permute(ctx.tensor(0), p)];
    };
  },
};

/** Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input from 13. */
function axesOf(ctx: RunCtx, opset: number, attr: readonly number[] | null): number[] | null {
  if (opset >= 13) return ctx.has(1) ? ctx.ints(1) : null;
  return attr ? [...attr] : null;
}

const squeezeOp: OpSpec = {
  attrs: ["axes"],
  inputs: [1, 2],
  hostInputs: [1],
  prepare(a, opset) {
    const attr = a.ints("axes", null);
    if (attr && opset >= 13) a.fail("attribute 'axes' became an input at opset 13");
    return (ctx) => {
      const v = ctx.value(0);
      const d = dimsOf(v);
      const list = axesOf(ctx, opset, attr);
      const axes = list ? list.map((k) => axis((m) => ctx.fail(m), k, d.length)) : d.map((_, i) => i).filter((i) => d[i] === 1);
      for (const k of axes) if (d[k] !== 1) ctx.fail(`cannot squeeze axis ${k} of size ${d[k]} (shape [${d.join(",")}])`);
      return [reshapeValue(ctx, v, d.filter((_, i) => !axes.includes(i)))];
    };
  },
};

const unsqueezeOp: OpSpec = {
  attrs: ["axes"],
  inputs: [1, 2],
  hostInputs: [1],
  prepare(a, opset) {
    const attr = a.ints("axes", null);
    if (attr && opset >= 13) a.fail("attribute 'axes' became an input at opset 13");
    if (!attr && opset < 13) a.fail("attribute 'axes' is required");
    return (ctx) => {
      const v = ctx.value(0);
      const d = dimsOf(v);
      const list = axesOf(ctx, opset, attr) ?? ctx.fail("input 1 (axes) is required");
      const rank = d.length + list.length;
      const axes = list.map((k) => axis((m) => ctx.fail(m), k, rank));
      if (new Set(axes).size !== axes.length) ctx.fail(`axes [${list.join(",")}] repeat`);
      const out: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : d[j++]);
      return [reshapeValue(ctx, v, out)];
    };
  },
};

const concatOp: OpSpec = {
  attrs: ["axis"],
  inputs: [1, Infinity],
  prepare(a) {
    if (!a.has("axis")) a.fail("attribute 'axis' is required");
    const ax = a.int("axis", 0);
    return (ctx) => {
      const vs = Array.from({ length: ctx.count }, (_, i) => ctx.value(i));
      const k = axis((m) => ctx.fail(m), ax, dimsOf(vs[0]).length);
      if (vs.every(isHost)) return [hostConcat(vs as HostTensor[], k, (m) => ctx.fail(m))];
      return [concat(vs.map((_, i) => ctx.tensor(i)), k)];
    };
  },
};

const padOp: OpSpec = {
  attrs: ["mode"],
  inputs: [2, 4],
  hostInputs: [1, 2, 3],
  prepare(a, opset) {
    const mode = a.string("mode", "constant");
    if (mode !== "constant") a.fail(`mode '${mode}' is not supported (only 'constant')`);
    const maxElements = a.limits.maxTensorElements;
    return (ctx) => {
      let x = ctx.tensor(0);
      const pads = ctx.ints(1);
      if (pads.some((p) => !Number.isSafeInteger(p) || Math.abs(p) > maxElements)) ctx.fail(`pads [${pads.join(",")}] are out of range`);
      const value = ctx.has(2) ? ctx.scalar(2) : 0;
      if (ctx.has(3) && opset < 18) ctx.fail("input 3 (axes) exists from opset 18");
      const axes = ctx.has(3) ? ctx.ints(3).map((k) => axis((m) => ctx.fail(m), k, x.ndim)) : x.shape.map((_, i) => i);
      if (pads.length !== 2 * axes.length) ctx.fail(`pads has ${pads.length} values, expected ${2 * axes.length}`);
      const outDims = x.shape.map((d, i) => (axes.includes(i) ? d + pads[axes.indexOf(i)] + pads[axes.indexOf(i) + axes.length] : d));
      if (outDims.some((d) => d < 0) || sizeOf(outDims) > maxElements) ctx.fail(`padding [${x.shape.join(",")}] to [${outDims.join(",")}] exceeds the limit of ${maxElements} elements (or is negative)`);
      axes.forEach((ax, i) => {
        const before = pads[i];
        const after = pads[i + axes.length];
        if (before < 0 || after < 0) {
          const range: SliceRange[] = x.shape.map(() => null);
          range[ax] = [Math.max(0, -before), x.shape[ax] - Math.max(0, -after)];
          x = slice(x, ...range);
        }
        const parts: Tensor[] = [];
        const block = (n: number) => full(x.shape.map((d, j) => (j === ax ? n : d)), value, { device: x.device });
        if (before > 0) parts.push(block(before));
        parts.push(x);
        if (after > 0) parts.push(block(after));
        if (parts.length > 1) x = concat(parts, ax);
      });
      return [x];
    };
  },
};

const shapeOp: OpSpec = {
  attrs: ["start", "end"],
  inputs: [1, 1],
  prepare(a, opset) {
    if ((a.has("start") || a.has("end")) && opset < 15) a.fail("attributes 'start' and 'end' exist from opset 15");
    const start = a.int("start", 0);
    const end = a.has("end") ? a.int("end", 0) : null;
    return (ctx) => {
      const d = dimsOf(ctx.value(0));
      const clampAxis = (k: number) => Math.min(Math.max(k < 0 ? k + d.length : k, 0), d.length);
      const dims = d.slice(clampAxis(start), end === null ? d.length : clampAxis(end));
      return [hostInts([dims.length], dims)];
    };
  },
};

const gatherOp: OpSpec = {
  attrs: ["axis"],
  inputs: [2, 2],
  hostInputs: [0, 1],
  prepare(a) {
    const ax = a.int("axis", 0);
    return (ctx) => {
      const data = ctx.host(0);
      const idx = ctx.host(1);
      if (idx.kind !== "int") ctx.fail("indices must be integers");
      return [hostGather(data, idx, axis((m) => ctx.fail(m), ax, data.dims.length), (m) => ctx.fail(m))];
    };
  },
};

const constantOp: OpSpec = {
  attrs: ["value", "value_float", "value_floats", "value_int", "value_ints"],
  inputs: [0, 0],
  prepare(a) {
    const given = ["value", "value_float", "value_floats", "value_int", "value_ints"].filter((k) => a.has(k));
    if (given.length !== 1) a.fail(`needs exactly one value attribute, got ${given.length ? given.join(", ") : "none"}`);
    let v: HostTensor;
    if (a.has("value")) v = a.tensor("value") ?? a.fail("attribute 'value' holds no tensor");
    else if (a.has("value_float")) v = { kind: "float", dims: [], data: Float32Array.of(a.float("value_float", 0)) };
    else if (a.has("value_floats")) {
      const f = a.floats("value_floats") ?? [];
      v = { kind: "float", dims: [f.length], data: Float32Array.from(f) };
    } else if (a.has("value_int")) v = hostInts([], [a.int("value_int", 0)]);
    else {
      const i = a.ints("value_ints", []) ?? [];
      v = hostInts([i.length], i);
    }
    return () => [v];
  },
};

const dropoutOp: OpSpec = {
  attrs: ["seed"],
  inputs: [1, 3],
  outputs: 1,
  hostInputs: [1, 2],
  prepare(a) {
    a.int("seed", 0); // only used in training mode, which is refused below.
    return (ctx) => {
      if (ctx.has(2) && ctx.scalar(2) !== 0) ctx.fail("training_mode true is not supported (Dropout is imported as the identity of inference)");
      return [ctx.value(0)];
    };
  },
};

const sliceOp: OpSpec = {
  attrs: [],
  inputs: [3, 5],
  hostInputs: [1, 2, 3, 4],
  prepare: () => (ctx) => {
    const v = ctx.value(0);
    const rank = dimsOf(v).length;
    const starts = ctx.ints(1);
    const ends = ctx.ints(2);
    const axes = ctx.has(3) ? ctx.ints(3).map((k) => axis((m) => ctx.fail(m), k, rank)) : starts.map((_, i) => i);
    const steps = ctx.has(4) ? ctx.ints(4) : starts.map(() => 1);
    if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) ctx.fail("starts, ends, axes and steps must have the same length");
    if (new Set(axes).size !== axes.length) ctx.fail(`axes [${axes.join(",")}] repeat`);
    if (steps.includes(0)) ctx.fail("a step is 0");
    // Shape arithmetic (torch.onnx.export's F.pad reverses its pads with a step −1 Slice) stays on the host.
    if (isHost(v)) return [hostSlice(v, starts, ends, axes, steps)];
    const x = ctx.tensor(0);
    const range: SliceRange[] = x.shape.map(() => null);
    axes.forEach((ax, i) => {
      if (steps[i] === 0) ctx.fail("a step is 0");
      range[ax] = [starts[i], ends[i], steps[i]];
    });
    return [slice(x, ...range)];
  },
};

/** Tensor operators by ONNX name. @internal */
export const TENSOR_OPS: Record<string, OpSpec> = {
  Add: binary("Add", add),
  Sub: binary("Sub", sub),
  Mul: binary("Mul", mul),
  Div: binary("Div", div),
  Softmax: softmaxOp(softmax),
  LogSoftmax: softmaxOp(logSoftmax),
  ReduceMean: reduceMean,
  Flatten: flattenOp,
  Reshape: reshapeOp,
  Transpose: transposeOp,
  Squeeze: squeezeOp,
  Unsqueeze: unsqueezeOp,
  Concat: concatOp,
  Pad: padOp,
  Shape: shapeOp,
  Gather: gatherOp,
  Constant: constantOp,
  Identity: { attrs: [], inputs: [1, 1], prepare: () => (ctx) => [ctx.value(0)] },
  Dropout: dropoutOp,
  Slice: sliceOp,
};
