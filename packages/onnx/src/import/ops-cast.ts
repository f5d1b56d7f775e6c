/**
 * Cast, as torch.onnx.export emits it in shape arithmetic (e.g. ShuffleNet's channel shuffle:
 * `Shape → Gather → Div → Cast(to INT64)`) and around float tensors (`Cast(to FLOAT)` of a float32
 * tensor). Targets other than FLOAT, INT32 and INT64 are refused by name.
 */
import { TensorProto_DataType as DT } from "../proto/onnx_pb.js";
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
