/**
 * ONNX nodes for the autograd ops a forward pass calls outside the known layers (a residual
 * block's `add`, CifarResNet's strided `slice` and zero-channel `concat`…), read from the recorded
 * graph: op name, inputs and output layout. Ops whose settings the graph does not record are refused.
 */
import type { Tensor } from "@tessera/autograd";
import type { GraphBuilder } from "./builder.js";

/** One recorded op to emit. @internal */
export interface FunctionalCall {
  readonly b: GraphBuilder;
  readonly y: Tensor;
  readonly inputs: readonly Tensor[];
  readonly name: string;
  readonly out: string;
  readonly opset: number;
  readonly nameOf: (t: Tensor) => string;
}

const SIMPLE: Record<string, string> = { add: "Add", sub: "Sub", mul: "Mul", div: "Div", relu: "Relu", sigmoid: "Sigmoid", tanh: "Tanh", matmul: "MatMul" };

function fail(c: FunctionalCall, msg: string): never {
  throw new Error(`exportOnnx: op '${c.name}' (output [${c.y.shape.join(",")}]): ${msg}`);
}

/** Emits the nodes of one recorded op; returns the output name. @internal */
export async function emitFunctional(c: FunctionalCall): Promise<string> {
  const { b, y, inputs, out } = c;
  const simple = SIMPLE[c.name];
  if (simple) return b.node(simple, inputs.map(c.nameOf), [out])[0];
  switch (c.name) {
    case "linear": {
      const [x, w, bias] = inputs;
      if (x.ndim !== 2) fail(c, "linear on more than 2 dimensions outside a Linear layer is not exported");
      return b.node("Gemm", [c.nameOf(x), c.nameOf(w), ...(bias ? [c.nameOf(bias)] : [])], [out], { transB: { i: 1 } })[0];
    }
    case "reshape": {
      const x = inputs[0];
      if (y.shape[0] !== x.shape[0]) fail(c, "a reshape that changes the batch dimension cannot be exported with a dynamic batch");
      const shape = b.intInit(`${out}_shape`, [0, ...y.shape.slice(1)]);
      return b.node("Reshape", [c.nameOf(x), shape], [out])[0];
    }
    case "slice":
      return emitSlice(c);
    case "concat":
      return emitConcat(c);
    default:
      return fail(c, "it has no ONNX export outside the supported layers (its settings are not recorded in the autograd graph); use the matching @tessera/nn layer where the exporter supports one (see the README)");
  }
}

/** Slice: recovered from the view's offset and strides (input contiguous, no dropped dimension). */
function emitSlice(c: FunctionalCall): string {
  const { b, y, out } = c;
  const x = c.inputs[0];
  if (!x.isContiguous || y.ndim !== x.ndim) fail(c, "only slices of a contiguous tensor that keep every dimension are exported");
  let rest = y.offset - x.offset;
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  for (let d = 0; d < x.ndim; d++) {
    const stride = x.strides[d];
    const start = x.shape[d] > 1 ? Math.floor(rest / stride) : 0;
    rest -= start * stride;
    const step = y.shape[d] > 1 ? y.strides[d] / stride : 1;
    if (!Number.isInteger(step) || step < 1 || start < 0 || start >= Math.max(1, x.shape[d])) fail(c, "its layout is not a forward slice of the input");
    if (start === 0 && step === 1 && y.shape[d] === x.shape[d]) continue;
    if (d === 0) fail(c, "slicing the batch dimension cannot be exported with a dynamic batch");
    starts.push(start);
    ends.push(start + (y.shape[d] - 1) * step + 1);
    axes.push(d);
    steps.push(step);
  }
  if (rest !== 0) fail(c, "its layout is not a forward slice of the input");
  if (axes.length === 0) return b.node("Identity", [c.nameOf(x)], [out])[0];
  const ins = [c.nameOf(x), b.intInit(`${out}_starts`, starts), b.intInit(`${out}_ends`, ends), b.intInit(`${out}_axes`, axes), b.intInit(`${out}_steps`, steps)];
  return b.node("Slice", ins, [out])[0];
}

/** Concat; constant all-zero blocks around one computed tensor become a Pad (batch-size independent). */
async function emitConcat(c: FunctionalCall): Promise<string> {
  const { b, y, inputs, out } = c;
  const ref = inputs[0];
  const axis = y.shape.findIndex((d, a) => d === inputs.reduce((s, t) => s + t.shape[a], 0) && inputs.every((t) => t.shape.every((e, i) => i === a || e === ref.shape[i])));
  if (axis < 0) fail(c, "cannot tell its axis");
  const constant = (t: Tensor) => !t.gradFn && !t.requiresGrad;
  const computed = inputs.filter((t) => !constant(t));
  if (computed.length === 1) {
    const zeros = await Promise.all(inputs.filter(constant).map(async (t) => (await t.data()).every((v) => v === 0)));
    if (zeros.every(Boolean)) {
      const i = inputs.indexOf(computed[0]);
      const before = inputs.slice(0, i).reduce((s, t) => s + t.shape[axis], 0);
      const after = inputs.slice(i + 1).reduce((s, t) => s + t.shape[axis], 0);
      const pads = new Array<number>(2 * y.ndim).fill(0);
      pads[axis] = before;
      pads[y.ndim + axis] = after;
      return b.node("Pad", [c.nameOf(computed[0]), b.intInit(`${out}_pads`, pads)], [out], { mode: { s: "constant" } })[0];
    }
  }
  if (axis === 0) fail(c, "a concat along the batch dimension cannot be exported with a dynamic batch");
  if (inputs.some((t) => constant(t) && t.shape[0] === y.shape[0] && y.shape[0] !== 1)) {
    fail(c, "joins a constant whose first dimension is the batch size; it would not follow a dynamic batch");
  }
  return b.node("Concat", inputs.map(c.nameOf), [out], { axis: { i: axis } })[0];
}
