// exportOnnx beyond the zoo: opsets, training flags restored, ops it cannot express refused, and
// the checker on hand-made invalid models.
import { create, toBinary } from "@bufbuild/protobuf";
import { add, leakyRelu, liveStorages, randn, type Tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { BatchNorm1d, Conv2d, Dropout, Linear, LogSoftmax, Module, ReLU, Sequential, Softmax } from "@tessera/nn";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { checkOnnx, exportOnnx, importOnnx } from "./index.js";
import { ModelProtoSchema, OperatorSetIdProtoSchema } from "./proto/onnx_pb.js";
import { floats, model, modelProto, node, relError } from "./test-support/graphs.js";

async function ortRun(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ input: new ort.Tensor("float32", (await x.data()) as Float32Array, [...x.shape]) });
  return out.output.data as Float32Array;
}

describe("exportOnnx", () => {
  const mlp = () => new Sequential(new Linear(6, 8, { rng: new Rng(1) }), new BatchNorm1d(8), new ReLU(), new Dropout(0.5), new Linear(8, 4, { rng: new Rng(2) }), new Softmax(1));

  for (const opset of [11, 13, 17, 21]) {
    it(`opset ${opset}: onnxruntime agrees, the model imports again`, async () => {
      const net = mlp();
      const x = randn([5, 6], new Rng(3));
      const bytes = await exportOnnx(net, randn([2, 6], new Rng(4)), { opset });
      net.eval();
      const want = await net.forward(x).data();
      expect(relError(await ortRun(bytes, x), want)).toBeLessThan(1e-5);
      const again = importOnnx(bytes);
      expect(again.opset).toBe(opset);
      expect(relError(await again.forward(x).data(), want)).toBeLessThan(1e-6);
    });
  }

  it("frees every tensor the trace made", async () => {
    const net = mlp();
    const x = randn([2, 6], new Rng(0));
    await exportOnnx(net, x); // first call: one-time device workspaces
    const before = liveStorages();
    await exportOnnx(net, x);
    expect(liveStorages()).toBe(before);
  });

  it("restores each module's training flag and its forward", async () => {
    const net = mlp().train();
    await exportOnnx(net, randn([2, 6], new Rng(0)));
    for (const [, m] of net.namedModules()) {
      expect(m.training).toBe(true);
      expect(Object.hasOwn(m, "forward")).toBe(false);
    }
  });

  it("refuses ops whose settings the autograd graph does not record, and softmax over a middle axis before opset 13", async () => {
    class Leaky extends Module {
      fc = new Linear(3, 3, { rng: new Rng(0) });
      forward(x: Tensor): Tensor {
        return leakyRelu(this.fc.forward(x), 0.2);
      }
    }
    await expect(exportOnnx(new Leaky(), randn([2, 3], new Rng(0)))).rejects.toThrow(/exportOnnx: op 'leakyRelu' .* use the matching @tessera\/nn layer/);
    class Shift extends Module {
      fc = new Linear(3, 3, { rng: new Rng(0) });
      forward(x: Tensor): Tensor {
        return add(this.fc.forward(x), 1);
      }
    }
    await expect(exportOnnx(new Shift(), randn([2, 3], new Rng(0)))).rejects.toThrow(/exportOnnx: op 'affine'/);
    const reflect = new Sequential(new Conv2d(1, 2, 3, { padding: 1, paddingMode: "reflect", rng: new Rng(0) }));
    await expect(exportOnnx(reflect, randn([1, 1, 5, 5], new Rng(0)))).rejects.toThrow(/layer '0' \(Conv2d\): paddingMode 'reflect' is not exported/);
    const seq = new Sequential(new LogSoftmax(1));
    await expect(exportOnnx(seq, randn([2, 3, 4], new Rng(0)), { opset: 12 })).rejects.toThrow(/layer '0' \(LogSoftmax\): before opset 13/);
    await expect(exportOnnx(seq, randn([2, 3], new Rng(0)), { opset: 10 })).rejects.toThrow(/opset must be an integer from 11 to 21, got 10/);
  });

  it("the residual add of a functional forward is traced", async () => {
    class Res extends Module {
      fc = new Linear(4, 4, { rng: new Rng(5) });
      act = new ReLU();
      forward(x: Tensor): Tensor {
        return this.act.forward(add(this.fc.forward(x), x));
      }
    }
    const net = new Res();
    const x = randn([3, 4], new Rng(6));
    const bytes = await exportOnnx(net, randn([1, 4], new Rng(7)));
    expect(relError(await ortRun(bytes, x), await net.forward(x).data())).toBeLessThan(1e-6);
  });
});

describe("checkOnnx (onnx.checker's structural rules)", () => {
  const io = { inputs: [{ name: "x", dims: [2] }], outputs: [{ name: "y", dims: [2] }] };
  it("accepts a valid model", () => {
    expect(() => checkOnnx(model({ ...io, nodes: [node("Relu", ["x"], ["h"]), node("Relu", ["h"], ["y"])] }))).not.toThrow();
  });
  it("nodes out of topological order (which importOnnx sorts)", () => {
    const bytes = model({ ...io, nodes: [node("Relu", ["h"], ["y"]), node("Relu", ["x"], ["h"])] });
    expect(() => checkOnnx(bytes)).toThrow(/checkOnnx: invalid ONNX model: node #0 '' \(Relu\) reads 'h' before it is defined/);
    expect(importOnnx(bytes).forward(randn([2], new Rng(0))).shape).toEqual([2]);
  });
  it("names defined twice, a missing opset import, an undeclared domain, an initializer whose data does not match its shape", () => {
    expect(() => checkOnnx(model({ ...io, nodes: [node("Relu", ["x"], ["y"]), node("Relu", ["x"], ["y"])] }))).toThrow(/output of node #1 '' \(Relu\) 'y' is defined twice/);
    const m = modelProto({ ...io, nodes: [node("Relu", ["x"], ["y"])] });
    m.opsetImport = [];
    expect(() => checkOnnx(toBinary(ModelProtoSchema, m))).toThrow(/no opset_import/);
    m.opsetImport = [create(OperatorSetIdProtoSchema, { domain: "", version: 17n })];
    m.graph!.node[0].domain = "com.example";
    expect(() => checkOnnx(toBinary(ModelProtoSchema, m))).toThrow(/uses domain 'com.example', which no opset_import declares/);
    const bad = floats("w", [3], [1, 2]);
    expect(() => checkOnnx(model({ ...io, nodes: [node("Add", ["x", "w"], ["y"])], initializers: [bad] }))).toThrow(/initializer 'w' of shape \[3\] holds 2 values, expected 3/);
  });
});
