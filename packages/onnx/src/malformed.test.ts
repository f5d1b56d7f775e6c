// Hostile and malformed files: every one is refused with an error that says what is wrong and
// where, before anything large is allocated.
import { create, toBinary } from "@bufbuild/protobuf";
import { randn, tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { importOnnx } from "./index.js";
import {
  ModelProtoSchema, StringStringEntryProtoSchema, TensorProto_DataLocation, TensorProto_DataType as DT, TensorProtoSchema, TypeProto_TensorSchema,
  TypeProtoSchema, ValueInfoProtoSchema,
} from "./proto/onnx_pb.js";
import { floats, ints, model, modelProto, node, type GraphSpec } from "./test-support/graphs.js";

const io = { inputs: [{ name: "x", dims: [null, 2, 4, 4] }], outputs: [{ name: "y", dims: [null, 3, 4, 4] }] };
const convGraph = (extra: Partial<GraphSpec> = {}): GraphSpec => ({
  ...io,
  nodes: [node("Conv", ["x", "W", "B"], ["y"], { pads: [1, 1, 1, 1] }, "conv")],
  initializers: [floats("W", [3, 2, 3, 3], new Float32Array(54).fill(0.1)), floats("B", [3], [1, 2, 3])],
  ...extra,
});
const bytesWith = (mutate: (m: ReturnType<typeof modelProto>) => void, g = convGraph()) => {
  const m = modelProto(g);
  mutate(m);
  return toBinary(ModelProtoSchema, m);
};

describe("importOnnx refuses malformed files", () => {
  it("a valid file imports (the baseline of the cases below)", () => {
    expect(importOnnx(model(convGraph())).forward(randn([1, 2, 4, 4], new Rng(0))).shape).toEqual([1, 3, 4, 4]);
  });

  it("truncated files", () => {
    const bytes = model(convGraph());
    for (const cut of [1, 10, bytes.length >> 1, bytes.length - 40, bytes.length - 1]) {
      expect(() => importOnnx(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(/importOnnx: (cannot decode|the model has no graph|.*has no output|.*must import the default ONNX opset)/);
    }
  });

  it("not bytes, empty, not ONNX", () => {
    expect(() => importOnnx("model.onnx" as unknown as Uint8Array)).toThrow(/importOnnx: bytes must be a Uint8Array, got string/);
    expect(() => importOnnx(new Uint8Array())).toThrow(/bytes is empty/);
    expect(() => importOnnx(new TextEncoder().encode("\x89PNG\r\n\x1a\n not an onnx file"))).toThrow(/importOnnx: (cannot decode|the model has no graph)/);
  });

  it("wrong types: a STRING initializer, float_data for INT64, a raw_data length that does not match, an INT64 graph input", () => {
    const str = create(TensorProtoSchema, { name: "W", dims: [3n, 2n, 3n, 3n], dataType: DT.STRING, stringData: [new Uint8Array(1)] });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = str)))).toThrow(/initializer 'W' has data type STRING/);
    const mixed = create(TensorProtoSchema, { name: "s", dims: [2n], dataType: DT.INT64, floatData: [1, 2] });
    expect(() => importOnnx(bytesWith((m) => m.graph!.initializer.push(mixed)))).toThrow(/initializer 's' has type INT64 but stores its values in float_data/);
    const short = floats("W", [3, 2, 3, 3], new Float32Array(53));
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = short)))).toThrow(/initializer 'W' .* needs 216 bytes of raw_data, got 212/);
    const intInput = create(ValueInfoProtoSchema, { name: "x", type: create(TypeProtoSchema, { value: { case: "tensorType", value: create(TypeProto_TensorSchema, { elemType: DT.INT64 }) } }) });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.input[0] = intInput)))).toThrow(/graph input 'x' has element type INT64/);
  });

  it("a cycle", () => {
    const g: GraphSpec = { ...io, nodes: [node("Relu", ["x2"], ["x1"], {}, "a"), node("Relu", ["x1"], ["x2"], {}, "b"), node("Add", ["x", "x2"], ["y"], {}, "c")] };
    expect(() => importOnnx(model(g))).toThrow(/the graph has a cycle through node 'a' \(#0, Relu, opset 17\), node 'b'/);
  });

  it("a missing initializer, a missing graph output, a value defined twice", () => {
    expect(() => importOnnx(model(convGraph({ initializers: [floats("B", [3], [1, 2, 3])] })))).toThrow(/node 'conv' \(#0, Conv, opset 17\): input 'W' is not a graph input, an initializer or the output of any node/);
    expect(() => importOnnx(model({ ...convGraph(), outputs: [{ name: "z", dims: [1] }] }))).toThrow(/graph output 'z' is not produced by any node/);
    const twice: GraphSpec = { ...io, nodes: [node("Relu", ["x"], ["y"], {}, "r1"), node("Relu", ["x"], ["y"], {}, "r2")] };
    expect(() => importOnnx(model(twice))).toThrow(/node 'r2' \(#1, Relu, opset 17\): output 'y' is already defined/);
  });

  it("huge or negative dims are refused before any allocation", () => {
    const huge = create(TensorProtoSchema, { name: "W", dims: [1n << 40n, 1n << 40n], dataType: DT.FLOAT });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = huge)))).toThrow(/initializer 'W' has dimension 1099511627776 .* more than the limit/);
    const big = create(TensorProtoSchema, { name: "W", dims: [65536n, 65536n], dataType: DT.FLOAT, rawData: new Uint8Array(8) });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = big)))).toThrow(/initializer 'W' of shape \[65536,65536\] has more than 268435456 elements/);
    const neg = create(TensorProtoSchema, { name: "W", dims: [-3n], dataType: DT.FLOAT });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = neg)))).toThrow(/initializer 'W' has a negative dimension -3/);
    expect(() => importOnnx(model(convGraph()), { limits: { maxTensorElements: 10 } })).toThrow(/initializer 'W' of shape \[3,2,3,3\] has more than 10 elements/);
  });

  it("a Pad that would allocate past the limit fails before allocating", () => {
    const g: GraphSpec = { ...io, nodes: [node("Pad", ["x", "p"], ["y"], {}, "pad")], initializers: [ints("p", [0, 0, 0, 0, 0, 0, 1 << 27, 1 << 27])] };
    const net = importOnnx(model(g));
    expect(() => net.forward(tensor(new Float32Array(32), { shape: [1, 2, 4, 4] }))).toThrow(/node 'pad' \(#0, Pad, opset 17\): padding \[1,2,4,4\] to \[1,2,\d+,\d+\] exceeds the limit of 268435456 elements/);
  });

  it("external data, local functions, sparse initializers", () => {
    const ext = create(TensorProtoSchema, {
      name: "W", dims: [3n, 2n, 3n, 3n], dataType: DT.FLOAT, dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [create(StringStringEntryProtoSchema, { key: "location", value: "/etc/passwd" })],
    });
    expect(() => importOnnx(bytesWith((m) => (m.graph!.initializer[0] = ext)))).toThrow(/initializer 'W' stores its data in an external file \('\/etc\/passwd'\); external data is not supported/);
    expect(() => importOnnx(bytesWith((m) => m.functions.push(new Uint8Array([10, 1, 102]))))).toThrow(/defines 1 local function\(s\)/);
    expect(() => importOnnx(bytesWith((m) => m.graph!.sparseInitializer.push(new Uint8Array([8, 1]))))).toThrow(/sparse initializers/);
  });

  it("unsupported operators, attributes and opsets name the node, the op and the opset", () => {
    const resize: GraphSpec = { ...io, nodes: [node("Relu", ["x"], ["h"], {}, "r"), node("Resize", ["h"], ["y"], {}, "up")] };
    expect(() => importOnnx(model(resize))).toThrow(/node 'up' \(#1, Resize, opset 17\): operator 'Resize' is not supported/);
    const convT: GraphSpec = { ...io, nodes: [node("ConvTranspose", ["x", "W"], ["y"], { kernel_shape: [1, 1, 1] }, "deconv")], initializers: [floats("W", [2, 3, 1, 1, 1], new Float32Array(6))] };
    expect(() => importOnnx(model(convT))).toThrow(/node 'deconv' \(#0, ConvTranspose, opset 17\): 'kernel_shape' must have 2 values \(Tessera supports 2-D windows\)/);
    const attr: GraphSpec = { ...io, nodes: [node("Relu", ["x"], ["y"], { alpha: { float: 2 } }, "r")] };
    expect(() => importOnnx(model(attr))).toThrow(/node 'r' \(#0, Relu, opset 17\) has attribute 'alpha', which Tessera does not support/);
    const wrongType: GraphSpec = { ...io, nodes: [node("MaxPool", ["x"], ["y"], { kernel_shape: { float: 3 } }, "p")] };
    expect(() => importOnnx(model(wrongType))).toThrow(/node 'p' \(#0, MaxPool, opset 17\): attribute 'kernel_shape' must be of type INTS, got FLOAT/);
    const reflect: GraphSpec = { ...io, nodes: [node("Pad", ["x", "p"], ["y"], { mode: "reflect" }, "pad")], initializers: [ints("p", [0, 0, 1, 1, 0, 0, 1, 1])] };
    expect(() => importOnnx(model(reflect))).toThrow(/node 'pad' \(#0, Pad, opset 17\): mode 'reflect' is not supported/);
    const indices: GraphSpec = { ...io, nodes: [node("MaxPool", ["x"], ["y", "idx"], { kernel_shape: [1, 1] }, "p")] };
    expect(() => importOnnx(model(indices))).toThrow(/node 'p' \(#0, MaxPool, opset 17\) uses 2 outputs/);
    const custom: GraphSpec = { ...io, nodes: [{ ...node("Relu", ["x"], ["y"], {}, "r"), domain: "com.microsoft" }] };
    expect(() => importOnnx(model(custom))).toThrow(/node 'r' \(#0, Relu, opset 17\) is in domain 'com.microsoft'/);
    const ok: GraphSpec = { ...io, nodes: [node("Relu", ["x"], ["y"], {}, "r")] };
    expect(() => importOnnx(model({ ...ok, opset: 10 }))).toThrow(/opset 10 is not supported \(supported: 11–21\)/);
    expect(() => importOnnx(model({ ...ok, opset: 22 }))).toThrow(/opset 22 is not supported/);
    expect(() => importOnnx(model({ ...ok, nodes: [node("Squeeze", ["x"], ["y"], { axes: [0] }, "s")], opset: 13 }))).toThrow(/node 's' \(#0, Squeeze, opset 13\): attribute 'axes' became an input at opset 13/);
  });

  it("a ceil_mode window that would start in the padding (ONNX and PyTorch size it differently) is refused", () => {
    const g: GraphSpec = { inputs: [{ name: "x", dims: [1, 2, 7, 7] }], outputs: [{ name: "y", dims: [1, 2, 5, 5] }], nodes: [node("MaxPool", ["x"], ["y"], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }, "p")] };
    const net = importOnnx(model(g));
    expect(() => net.forward(tensor(new Float32Array(98), { shape: [1, 2, 7, 7] }))).toThrow(/node 'p' \(#0, MaxPool, opset 17\): with ceil_mode the last window would start in the padding \(ONNX sizes the output 5, PyTorch and Tessera 4\)/);
  });

  it("errors at run time name the node", () => {
    const g: GraphSpec = { ...io, nodes: [node("Reshape", ["x", "s"], ["y"], {}, "r")], initializers: [ints("s", [0, 5, -1])] };
    const net = importOnnx(model(g));
    expect(() => net.forward(tensor(new Float32Array(32), { shape: [1, 2, 4, 4] }))).toThrow(/OnnxModule: node 'r' \(#0, Reshape, opset 17\): cannot reshape \[1,2,4,4\] into \[0,5,-1\]/);
  });
});
