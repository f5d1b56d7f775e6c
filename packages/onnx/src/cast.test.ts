// Cast, which torch.onnx.export emits in shape arithmetic (see torch-export.test.ts): integer and
// float constants convert as ONNX says; anything Tessera cannot represent is refused by name.
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
