// Each operator on a small hand-built graph, run by importOnnx and by onnxruntime-node (the
// reference), on seeded random inputs.
import { randn, scope, sum, tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { importOnnx } from "./index.js";
import { floats, ints, model, node, relError, type GraphSpec } from "./test-support/graphs.js";

const rng = new Rng(42);
const rand = (dims: readonly number[]) => {
  const n = dims.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => rng.normal());
};
const w = (name: string, dims: number[]) => floats(name, dims, rand(dims));

interface Case { readonly name: string; readonly x: number[]; readonly y: (number | null)[]; readonly g: Omit<GraphSpec, "inputs" | "outputs"> }
const one = (op: string, x: number[], y: (number | null)[], attrs = {}, extra: { inputs?: string[]; inits?: ReturnType<typeof w>[]; opset?: number } = {}): Case => ({
  name: `${op} ${JSON.stringify(attrs)} opset ${extra.opset ?? 17}`,
  x,
  y,
  g: { nodes: [node(op, ["x", ...(extra.inputs ?? [])], ["y"], attrs, "n0")], initializers: extra.inits ?? [], opset: extra.opset },
});

const cases: Case[] = [
  one("Conv", [2, 2, 7, 7], [2, 4, 4, 4], { auto_pad: "SAME_UPPER", strides: [2, 2] }, { inputs: ["W", "B"], inits: [w("W", [4, 2, 3, 3]), w("B", [4])] }),
  one("Conv", [1, 2, 6, 6], [1, 4, 3, 3], { auto_pad: "SAME_LOWER", strides: [2, 2], kernel_shape: [2, 2] }, { inputs: ["W"], inits: [w("W", [4, 2, 2, 2])] }),
  one("Conv", [1, 4, 8, 7], [1, 6, 7, 3], { group: 2, dilations: [2, 1], pads: [1, 0, 2, 1], strides: [1, 2] }, { inputs: ["W", "B"], inits: [w("W", [6, 2, 3, 3]), w("B", [6])] }),
  one("Conv", [1, 3, 5, 5], [1, 2, 3, 1], { auto_pad: "VALID" }, { inputs: ["W"], inits: [w("W", [2, 3, 3, 5])] }),
  one("Gemm", [5, 3], [3, 4], { transA: 1, alpha: { float: 0.5 }, beta: { float: 2 } }, { inputs: ["B", "C"], inits: [w("B", [5, 4]), w("C", [1, 4])] }),
  one("Gemm", [3, 5], [3, 4], { transB: 1 }, { inputs: ["B", "C"], inits: [w("B", [4, 5]), w("C", [4])] }),
  one("MatMul", [2, 3, 5], [2, 3, 4], {}, { inputs: ["B"], inits: [w("B", [5, 4])] }),
  one("Add", [2, 3, 4, 4], [2, 3, 4, 4], {}, { inputs: ["c"], inits: [w("c", [3, 1, 1])] }),
  one("Sub", [2, 3, 4], [2, 3, 4], {}, { inputs: ["c"], inits: [w("c", [4])] }),
  one("Mul", [2, 3, 4], [2, 3, 4], {}, { inputs: ["c"], inits: [w("c", [3, 1])] }),
  one("Div", [2, 3], [2, 3], {}, { inputs: ["c"], inits: [floats("c", [3], [2, -4, 0.5])] }),
  one("Relu", [3, 4], [3, 4]),
  one("LeakyRelu", [3, 4], [3, 4], { alpha: { float: 0.2 } }),
  one("Sigmoid", [3, 4], [3, 4]),
  one("Tanh", [3, 4], [3, 4]),
  one("HardSigmoid", [3, 4], [3, 4], { alpha: { float: 0.3 }, beta: { float: 0.4 } }),
  one("HardSwish", [3, 4], [3, 4], {}, { opset: 14 }),
  one("Clip", [3, 4], [3, 4], {}, { inputs: ["lo", "hi"], inits: [floats("lo", [], [-0.5]), floats("hi", [], [0.7])] }),
  one("Clip", [3, 4], [3, 4], {}, { inputs: ["", "hi"], inits: [floats("hi", [], [0.1])], opset: 11 }),
  one("MaxPool", [1, 2, 9, 9], [1, 2, 5, 5], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  one("MaxPool", [1, 2, 8, 8], [1, 2, 4, 4], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  one("MaxPool", [1, 2, 9, 9], [1, 2, 5, 5], { kernel_shape: [2, 2], auto_pad: "SAME_UPPER", strides: [2, 2] }),
  one("MaxPool", [1, 2, 9, 9], [1, 2, 4, 4], { kernel_shape: [2, 2], dilations: [2, 2], strides: [2, 2] }),
  one("AveragePool", [1, 2, 7, 7], [1, 2, 4, 4], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  one("AveragePool", [1, 2, 7, 7], [1, 2, 4, 4], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }),
  one("AveragePool", [1, 2, 8, 8], [1, 2, 5, 5], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 }),
  one("AveragePool", [1, 2, 8, 8], [1, 2, 5, 5], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
  one("AveragePool", [1, 2, 8, 8], [1, 2, 4, 4], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }),
  one("GlobalAveragePool", [2, 3, 5, 4], [2, 3, 1, 1]),
  one("BatchNormalization", [2, 3, 4, 4], [2, 3, 4, 4], { epsilon: { float: 1e-3 } }, {
    inputs: ["s", "b", "m", "v"], inits: [w("s", [3]), w("b", [3]), w("m", [3]), floats("v", [3], [0.5, 1, 2])],
  }),
  one("LRN", [1, 7, 3, 3], [1, 7, 3, 3], { size: 5, alpha: { float: 1e-2 }, beta: { float: 0.75 }, bias: { float: 2 } }),
  one("Dropout", [3, 4], [3, 4], {}, { inputs: ["r"], inits: [floats("r", [], [0.5])] }),
  one("Flatten", [2, 3, 4, 5], [6, 20], { axis: 2 }),
  one("Reshape", [2, 3, 4], [2, 4, 3], {}, { inputs: ["s"], inits: [ints("s", [0, -1, 3])] }),
  one("Transpose", [2, 3, 4], [4, 2, 3], { perm: [2, 0, 1] }),
  one("Squeeze", [2, 1, 3, 1], [2, 3, 1], { axes: [1] }, { opset: 11 }),
  one("Squeeze", [2, 1, 3, 1], [2, 3], {}, { inputs: ["a"], inits: [ints("a", [1, -1])], opset: 13 }),
  one("Unsqueeze", [2, 3], [2, 1, 3, 1], { axes: [1, 3] }, { opset: 12 }),
  one("Unsqueeze", [2, 3], [1, 2, 3], {}, { inputs: ["a"], inits: [ints("a", [0])], opset: 13 }),
  one("Concat", [2, 3], [2, 7], { axis: 1 }, { inputs: ["c"], inits: [w("c", [2, 4])] }),
  one("Pad", [1, 2, 3, 3], [1, 2, 5, 4], { mode: "constant" }, { inputs: ["p", "v"], inits: [ints("p", [0, 0, 1, -1, 0, 0, 1, 2]), floats("v", [], [0.5])] }),
  one("Softmax", [2, 3, 4], [2, 3, 4], { axis: 1 }, { opset: 11 }),
  one("Softmax", [2, 3, 4], [2, 3, 4], { axis: 1 }, { opset: 13 }),
  one("Softmax", [2, 3, 4], [2, 3, 4], {}, { opset: 12 }),
  one("LogSoftmax", [2, 5], [2, 5], {}, { opset: 13 }),
  one("Identity", [2, 5], [2, 5]),
  one("ReduceMean", [2, 3, 4], [2, 4], { axes: [1], keepdims: 0 }, { opset: 13 }),
  one("ReduceMean", [2, 3, 4], [2, 1, 1], {}, { inputs: ["a"], inits: [ints("a", [-1, 1])], opset: 18 }),
  one("ReduceMean", [2, 3, 4], [1, 1, 1], {}, { opset: 13 }),
  one("Slice", [2, 5, 6], [2, 2, 3], {}, { inputs: ["st", "en", "ax", "sp"], inits: [ints("st", [1, 0]), ints("en", [100, 6]), ints("ax", [1, 2]), ints("sp", [2, 2])] }),
  {
    name: "Shape → Gather → Unsqueeze → Concat → Reshape (view(x.size(0), -1)), with Constant and host Mul",
    x: [2, 3, 2, 2],
    y: [2, 12],
    g: {
      opset: 13,
      nodes: [
        node("Shape", ["x"], ["shape"]),
        node("Constant", [], ["zero"], { value: ints("", [0], []) }),
        node("Gather", ["shape", "zero"], ["n"], { axis: 0 }),
        node("Unsqueeze", ["n", "axes0"], ["n1"]),
        node("Constant", [], ["minus1"], { value_ints: [-1] }),
        node("Concat", ["n1", "minus1"], ["target"], { axis: 0 }),
        node("Reshape", ["x", "target"], ["flat"]),
        node("Constant", [], ["k"], { value_floats: { floats: [0.5] } }),
        node("Mul", ["flat", "k"], ["y"]),
      ],
      initializers: [ints("axes0", [0])],
    },
  },
  {
    // torch.onnx.export's channel shuffle (torchvision ShuffleNetV2): channels // groups goes through Div and Cast(to INT64).
    name: "channel shuffle: Shape → Gather → Div → Cast(INT64) → Unsqueeze → Concat → Reshape → Transpose → Reshape, then Cast(FLOAT) of a float tensor",
    x: [2, 4, 3, 3],
    y: [2, 4, 3, 3],
    g: {
      opset: 13,
      nodes: [
        node("Shape", ["x"], ["shape"]),
        node("Gather", ["shape", "i0"], ["n"], { axis: 0 }),
        node("Gather", ["shape", "i1"], ["c"], { axis: 0 }),
        node("Gather", ["shape", "i2"], ["h"], { axis: 0 }),
        node("Gather", ["shape", "i3"], ["w"], { axis: 0 }),
        node("Div", ["c", "two"], ["half"]),
        node("Cast", ["half"], ["half64"], { to: 7 }),
        node("Cast", ["half64"], ["half32"], { to: 6 }),
        node("Cast", ["half32"], ["halfBack"], { to: 7 }),
        ...["n", "halfBack", "h", "w"].map((k) => node("Unsqueeze", [k, "axes0"], [`${k}1`])),
        node("Concat", ["n1", "two1", "halfBack1", "h1", "w1"], ["shape5"], { axis: 0 }),
        node("Reshape", ["x", "shape5"], ["grouped"]),
        node("Transpose", ["grouped"], ["swapped"], { perm: [0, 2, 1, 3, 4] }),
        node("Concat", ["n1", "minus1", "h1", "w1"], ["shape4"], { axis: 0 }),
        node("Reshape", ["swapped", "shape4"], ["shuffled"]),
        node("Cast", ["shuffled"], ["y"], { to: 1 }),
      ],
      initializers: [ints("i0", [0], []), ints("i1", [1], []), ints("i2", [2], []), ints("i3", [3], []), ints("two", [2], []), ints("two1", [2]), ints("minus1", [-1]), ints("axes0", [0])],
    },
  },
  {
    // torch.onnx.export's F.pad(x, (1, 2, 0, 1)): the pads are built on the host and reversed pairwise.
    name: "F.pad's pads: ConstantOfShape → Concat → Reshape → Slice(step −1, INT64_MIN end) → Transpose → Reshape → Cast → Pad",
    x: [2, 3, 4, 4],
    y: [2, 3, 5, 7],
    g: {
      opset: 13,
      nodes: [
        node("ConstantOfShape", ["four"], ["zeros"], { value: ints("", [0], [1]) }),
        node("Concat", ["given", "zeros"], ["eight"], { axis: 0 }),
        node("Reshape", ["eight", "pairs"], ["byAxis"]),
        node("Slice", ["byAxis", "minus1", "int64min", "zero", "minus1"], ["reversed"]),
        node("Transpose", ["reversed"], ["beforeAfter"], { perm: [1, 0] }),
        node("Reshape", ["beforeAfter", "minus1"], ["flat"]),
        node("Cast", ["flat"], ["pads"], { to: 7 }),
        node("Pad", ["x", "pads", "padValue"], ["y"], { mode: "constant" }),
      ],
      initializers: [ints("four", [4]), ints("given", [1, 2, 0, 1]), ints("pairs", [-1, 2]), ints("minus1", [-1]), ints("int64min", [-(2 ** 63)]), ints("zero", [0]), floats("padValue", [], [0.25])],
    },
  },
  {
    name: "host Slice with a negative step and out-of-range start and end (clamped as ONNX says) as a Reshape target",
    x: [2, 3, 4, 5],
    y: [5, 3, 8],
    g: {
      opset: 13,
      nodes: [
        node("Shape", ["x"], ["shape"]),
        node("Slice", ["shape", "start", "end", "zero", "step"], ["picked"]),
        node("Concat", ["picked", "minus1"], ["target"], { axis: 0 }),
        node("Reshape", ["x", "target"], ["y"]),
      ],
      initializers: [ints("start", [10]), ints("end", [-100]), ints("zero", [0]), ints("step", [-2]), ints("minus1", [-1])],
    },
  },
];

async function viaOrt(bytes: Uint8Array, x: Float32Array, dims: readonly number[]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const r = await s.run({ x: new ort.Tensor("float32", x, [...dims]) });
  return r.y.data as Float32Array;
}

describe("importOnnx operators against onnxruntime-node", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const bytes = model({ ...c.g, inputs: [{ name: "x", dims: c.x }], outputs: [{ name: "y", dims: c.y }] });
      const xs = rand(c.x);
      const want = await viaOrt(bytes, xs, c.x);
      const net = importOnnx(bytes);
      const x = tensor(xs, { shape: c.x, requiresGrad: true });
      const y = net.forward(x);
      expect(y.shape).toEqual(c.y);
      expect(relError(await y.data(), want)).toBeLessThan(1e-5);
      // gradients reach the input and every parameter
      sum(y).backward();
      expect(x.grad).not.toBeNull();
      for (const [k, p] of net.namedParameters()) expect(p.grad, k).not.toBeNull();
    });
  }

  it("constants uploaded inside a scope() are uploaded again by the next forward", async () => {
    const bytes = model({ nodes: [node("Constant", [], ["c"], { value_floats: { floats: [1, 2, 3] } }), node("Mul", ["x", "c"], ["y"])], inputs: [{ name: "x", dims: [null, 3] }], outputs: [{ name: "y", dims: [null, 3] }] });
    const net = importOnnx(bytes);
    const x = tensor([[1, 1, 1]]);
    const first = await scope(async () => Array.from(await net.forward(x).data()));
    expect(first).toEqual([1, 2, 3]);
    expect(Array.from(await net.forward(x).data())).toEqual([1, 2, 3]);
  });

  it("parameter keys are the initializer names; names Module would skip or that clash with its members are prefixed", () => {
    const bytes = model({
      nodes: [node("Mul", ["x", "_scale"], ["a"]), node("Add", ["a", "training"], ["b"]), node("Add", ["b", "forward"], ["c"]), node("Add", ["c", "onnx::Add_7"], ["y"])],
      initializers: [w("_scale", [3]), w("training", [3]), w("forward", [3]), w("onnx::Add_7", [3])],
      inputs: [{ name: "x", dims: [null, 3] }],
      outputs: [{ name: "y", dims: [null, 3] }],
    });
    const net = importOnnx(bytes);
    expect(net.namedParameters().map(([k]) => k)).toEqual(["onnx__scale", "onnx_training", "onnx_forward", "onnx::Add_7"]);
    expect(net.keyOf("_scale")).toBe("onnx__scale");
    expect(net.keyOf("onnx::Add_7")).toBe("onnx::Add_7");
    expect(net.training).toBe(true);
    expect(typeof net.forward).toBe("function");
  });

  it("a dynamic batch dimension takes any size; a fixed one is checked", async () => {
    const bytes = model({ nodes: [node("Relu", ["x"], ["y"])], inputs: [{ name: "x", dims: [null, 3] }], outputs: [{ name: "y", dims: [null, 3] }] });
    const net = importOnnx(bytes);
    expect(net.forward(randn([5, 3], new Rng(0))).shape).toEqual([5, 3]);
    expect(() => net.forward(randn([5, 4], new Rng(0)))).toThrow(/input 'x' must have shape \[\?,3\], got \[5,4\]/);
  });
});
