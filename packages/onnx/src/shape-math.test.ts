// Cast and ConstantOfShape, which torch.onnx.export emits in shape arithmetic (see
// torch-export.test.ts and import-ops.test.ts for the graphs against torch and onnxruntime): values
// convert as ONNX says; anything Tessera cannot represent is refused by name.
import { tensor } from "@tessera/autograd";
import { describe, expect, it } from "vitest";
import { importOnnx } from "./index.js";
import { floats, ints, model, node } from "./test-support/graphs.js";

/** y = Reshape(x, Cast(s)) with s a Constant node's value: the cast values become the target shape. */
const reshapeBy = (value: ReturnType<typeof ints>, to: number, opset = 13) => model({
  opset,
  nodes: [node("Constant", [], ["s"], { value }), node("Cast", ["s"], ["s2"], { to }, "cast"), node("Reshape", ["x", "s2"], ["y"])],
  inputs: [{ name: "x", dims: [2, 6] }],
  outputs: [{ name: "y", dims: [null, null] }],
});

describe("Cast", () => {
  it("float → INT64 and INT32 round toward zero (the reshape target [3.9, -1.5] becomes [3, -1])", () => {
    for (const to of [7, 6]) {
      const net = importOnnx(reshapeBy(floats("", [2], [3.9, -1.5]), to));
      expect(net.forward(tensor(new Float32Array(12), { shape: [2, 6] })).shape).toEqual([3, 4]);
    }
  });

  it("an integer out of INT32's range is refused, not wrapped", () => {
    const net = importOnnx(reshapeBy(ints("", [2 ** 31, -1]), 6));
    expect(() => net.forward(tensor(new Float32Array(12), { shape: [2, 6] }))).toThrow("OnnxModule: node 'cast' (#1, Cast, opset 13): value 2147483648 does not fit in INT32");
  });

  it("unsupported targets and attributes are refused at import, naming the node and type", () => {
    expect(() => importOnnx(reshapeBy(ints("", [3, 4]), 10))).toThrow("importOnnx: node 'cast' (#1, Cast, opset 13): Cast to FLOAT16 is not supported (supported: FLOAT, INT32, INT64)");
    expect(() => importOnnx(reshapeBy(ints("", [3, 4]), 9))).toThrow(/Cast to BOOL is not supported/);
    expect(() => importOnnx(model({ opset: 13, nodes: [node("Cast", ["x"], ["y"], {}, "cast")], inputs: [{ name: "x", dims: [2] }], outputs: [{ name: "y", dims: [2] }] }))).toThrow(/Cast, opset 13\): attribute 'to' is required/);
    expect(() => importOnnx(model({ opset: 13, nodes: [node("Cast", ["x"], ["y"], { to: 1, saturate: 1 }, "cast")], inputs: [{ name: "x", dims: [2] }], outputs: [{ name: "y", dims: [2] }] }))).toThrow(/attribute 'saturate' exists from opset 19/);
  });

  it("a float32 tensor computed from the input: Cast(FLOAT) is the identity, Cast(INT64) is refused at run time", async () => {
    const cast = (to: number) => importOnnx(model({ opset: 13, nodes: [node("Cast", ["x"], ["y"], { to }, "cast")], inputs: [{ name: "x", dims: [2] }], outputs: [{ name: "y", dims: [2] }] }));
    expect(Array.from(await cast(1).forward(tensor([1.5, -2.5])).data())).toEqual([1.5, -2.5]);
    expect(() => cast(7).forward(tensor([1.5, -2.5]))).toThrow("OnnxModule: node 'cast' (#0, Cast, opset 13): Cast of a float32 tensor (a parameter or a value computed from the model's input) to INT64 is not supported");
  });
});

describe("ConstantOfShape", () => {
  /** y = x + ConstantOfShape(shape) with the value attribute given. */
  const filled = (shape: number[], value?: ReturnType<typeof floats>) => model({
    opset: 13,
    nodes: [node("ConstantOfShape", ["s"], ["c"], value ? { value } : {}, "fill"), node("Add", ["x", "c"], ["y"])],
    initializers: [ints("s", shape)],
    inputs: [{ name: "x", dims: [2, 3] }],
    outputs: [{ name: "y", dims: [2, 3] }],
  });

  it("fills with the value (default float 0)", async () => {
    expect(Array.from(await importOnnx(filled([2, 3], floats("", [1], [1.5]))).forward(tensor([[1, 2, 3], [4, 5, 6]])).data())).toEqual([2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
    expect(Array.from(await importOnnx(filled([1, 3])).forward(tensor([[1, 2, 3], [4, 5, 6]])).data())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses a value of several elements, a negative dimension and a shape over the element limit", () => {
    expect(() => importOnnx(filled([2, 3], floats("", [2], [1, 2])))).toThrow("importOnnx: node 'fill' (#0, ConstantOfShape, opset 13): attribute 'value' must hold one element, got shape [2]");
    expect(() => importOnnx(filled([2, -3])).forward(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow("OnnxModule: node 'fill' (#0, ConstantOfShape, opset 13): shape [2,-3] has a negative or non-integer dimension");
    const huge = importOnnx(filled([2 ** 20, 2 ** 20]), { limits: { maxTensorElements: 1 << 20 } });
    expect(() => huge.forward(tensor([[1, 2, 3], [4, 5, 6]]))).toThrow(/shape \[1048576,1048576\] has 1099511627776 elements, more than the limit of 1048576/);
  });
});
