// Every model of @tessera/models: exported (traced at batch 2), run by onnxruntime-node at batch 3
// (the batch dimension is dynamic), logits equal to Tessera's within 1e-4 relative; re-imported
// with importOnnx, equal again. Each test prints its errors (the README's table comes from them).
import { randn, type Tensor } from "@tessera/autograd";
import * as models from "@tessera/models";
import { Rng } from "@tessera/ndarray";
import type { Module } from "@tessera/nn";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { checkOnnx, exportOnnx, importOnnx } from "./index.js";
import { relError } from "./test-support/graphs.js";

type Entry = readonly [name: string, make: () => Module, chw: readonly [number, number, number]];
const mnist = [1, 28, 28] as const;
const cifar = [3, 32, 32] as const;
const ZOO: readonly Entry[] = [
  ["lenet5", () => models.lenet5(), mnist],
  ["mnistMlp", () => models.mnistMlp(), mnist],
  ["mnistCodelabCnn", () => models.mnistCodelabCnn(), mnist],
  ["kerasMnistConvnet", () => models.kerasMnistConvnet(), mnist],
  ["alexnet", () => models.alexnet({ numClasses: 10 }), [3, 224, 224]],
  ["alexnet2012", () => models.alexnet2012({ numClasses: 10 }), [3, 227, 227]],
  ...(["vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"] as const).map((k): Entry => [k, () => models[k]({ numClasses: 10 }), cifar]),
  ...(["resnet18", "resnet34", "resnet50", "resnet101", "resnet152"] as const).map((k): Entry => [k, () => models[k]({ numClasses: 10 }), cifar]),
  ...(["resnet20", "resnet32", "resnet44", "resnet56", "resnet110"] as const).map((k): Entry => [k, () => models[k]({ numClasses: 10 }), cifar]),
  // Evaluation-mode graphs: the auxiliary classifiers only run in training (forwardWithAux).
  ["googlenet", () => models.googlenet({ numClasses: 10, auxLogits: false }), [3, 96, 96]],
  ["inceptionV3", () => models.inceptionV3({ numClasses: 10, auxLogits: false }), [3, 75, 75]],
];
/** Exports of @tessera/models that are not model factories. */
const NOT_MODELS = new Set(["vgg", "loadTorchvision", "preprocessImageNet", "readTorchStateDict", "torchToSafetensors"]);

/** Gives BatchNorm running statistics values other than 0 and 1, so BatchNormalization's use of them is checked. */
async function perturbBuffers(net: Module, rng: Rng): Promise<void> {
  const sd = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for (const [k, t] of net.namedBuffers()) {
    if (k.endsWith("running_mean")) sd.set(k, { shape: t.shape, data: Float32Array.from({ length: t.size }, () => 0.1 * rng.normal()) });
    if (k.endsWith("running_var")) sd.set(k, { shape: t.shape, data: Float32Array.from({ length: t.size }, () => 0.5 + rng.uniform()) });
  }
  await net.loadStateDict(sd, { strict: false });
}

describe("every zoo model through ONNX", () => {
  it("the list covers every factory of @tessera/models", () => {
    const factories = Object.entries(models).filter(([k, v]) => typeof v === "function" && /^[a-z]/.test(k) && !NOT_MODELS.has(k)).map(([k]) => k);
    const missing = factories.filter((k) => !ZOO.some(([n]) => n === k));
    expect(missing, "zoo models without an ONNX round-trip test").toEqual([]);
  });

  for (const [name, make, chw] of ZOO) {
    it(name, async () => {
      const rng = new Rng(7);
      const net = make();
      await perturbBuffers(net, rng);
      const bytes = await exportOnnx(net, randn([2, ...chw], rng), { opset: 17 });
      checkOnnx(bytes);
      net.eval();
      const x: Tensor = randn([3, ...chw], rng);
      const xs = (await x.data()) as Float32Array;
      const want = (await net.forward(x).data()) as Float32Array;

      const session = await ort.InferenceSession.create(bytes);
      const got = (await session.run({ input: new ort.Tensor("float32", xs, [3, ...chw]) })).output;
      await session.release();
      expect(got.dims).toEqual([3, 10]);
      const ortError = relError(got.data as Float32Array, want);

      const imported = importOnnx(bytes);
      expect(imported.numParameters()).toBe(net.numParameters());
      const again = (await imported.forward(x).data()) as Float32Array;
      const importError = relError(again, want);
      console.log(`ONNX ${name}: onnxruntime max rel error ${ortError.toExponential(2)}, re-imported ${importError.toExponential(2)}`);
      expect(ortError).toBeLessThan(1e-4);
      expect(importError).toBeLessThan(1e-4);
    });
  }
});
