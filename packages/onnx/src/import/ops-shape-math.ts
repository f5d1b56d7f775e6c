/**
 * Operators torch.onnx.export writes in shape arithmetic: Cast (e.g. ShuffleNet's channel shuffle,
 * `Shape → Gather → Div → Cast(to INT64)`, and `Cast(to FLOAT)` of a float32 tensor) and
 * ConstantOfShape (F.pad's pads: `ConstantOfShape → Concat → Reshape → Slice → Transpose → Cast`).
 * Cast targets other than FLOAT, INT32 and INT64 are refused by name.
 */
import { TensorProto_DataType as DT } from "../proto/onnx_pb.js";
import type { HostTensor } from "../tensor-data.js";
import { isHost, type OpSpec } from "./op-types.js";

const INT_RANGE: Partial<Record<number, readonly [number, number]>> = {
  [DT.INT64]: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], // host integers are exact up to 2^53
  [DT.INT32]: [-(2 ** 31), 2 ** 31 - 1],
};

/** The Cast operator (opsets 6–21; `saturate` of opset 19 only concerns float8 targets, which are refused). @internal */
export const castOp: OpSpec = {
  attrs: ["to", "saturate"],
  inputs: [1, 1],
  prepare(a, opset) {
    if (!a.has("to")) a.fail("attribute 'to' is required");
    if (a.has("saturate") && opset < 19) a.fail("attribute 'saturate' exists from opset 19");
    a.int("saturate", 1); // type-checked; without float8 targets it changes nothing
    const to = a.int("to", 0);
    const range = INT_RANGE[to];
    if (to !== DT.FLOAT && !range) a.fail(`Cast to ${DT[to] ?? `data type ${to}`} is not supported (supported: FLOAT, INT32, INT64)`);
    return (ctx) => {
      const v = ctx.value(0);
      if (!isHost(v)) {
        if (to === DT.FLOAT) return [v]; // the model's tensors are float32 already
        return ctx.fail(`Cast of a float32 tensor (a parameter or a value computed from the model's input) to ${DT[to]} is not supported (integers are supported as constants and shapes only)`);
      }
      if (to === DT.FLOAT) return [{ kind: "float", dims: [...v.dims], data: Float32Array.from(v.data) }];
      const [lo, hi] = range!;
      const out = new Float64Array(v.data.length);
      for (let i = 0; i < out.length; i++) {
        const x = v.kind === "int" ? v.data[i] : Math.trunc(v.data[i]); // float → int rounds toward zero
        if (!Number.isFinite(x) || x < lo || x > hi) ctx.fail(`value ${v.data[i]} does not fit in ${DT[to]}`);
        out[i] = x;
      }
      return [{ kind: "int", dims: [...v.dims], data: out }];
    };
  },
};

/** ConstantOfShape (opsets 9–21): a host tensor of the given shape filled with `value` (default float 0). @internal */
export const constantOfShapeOp: OpSpec = {
  attrs: ["value"],
  inputs: [1, 1],
  hostInputs: [0],
  prepare(a) {
    const value: HostTensor = a.tensor("value") ?? { kind: "float", dims: [1], data: Float32Array.of(0) };
    if (value.data.length !== 1) a.fail(`attribute 'value' must hold one element, got shape [${value.dims.join(",")}]`);
    const max = a.limits.maxTensorElements;
    return (ctx) => {
      const h = ctx.host(0);
      if (h.kind !== "int" || h.dims.length !== 1) ctx.fail(`input 0 (shape) must be a 1-D integer tensor, got ${h.kind} of shape [${h.dims.join(",")}]`);
      const dims = Array.from(h.data);
      if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) ctx.fail(`shape [${dims.join(",")}] has a negative or non-integer dimension`);
      const n = dims.reduce((x, y) => x * y, 1);
      if (n > max) ctx.fail(`shape [${dims.join(",")}] has ${n} elements, more than the limit of ${max}`);
      const data = value.kind === "int" ? new Float64Array(n) : new Float32Array(n);
      data.fill(value.data[0]);
      return [{ kind: value.kind, dims, data }];
    };
  },
};
