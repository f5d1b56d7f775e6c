import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scope, zeros, randn, sum } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import type { Module } from "@tessera/nn";
import * as models from "./index.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8"));
const counts = fixtures.parameter_counts;

/** Counts from the course (fixtures) and torchvision's published numbers. */
const EXPECTED: [string, () => Module, number][] = [
  ["lenet5", () => models.lenet5(), 61706],
  ["mnistMlp", () => models.mnistMlp(), counts.mnist_mlp_784_16_16_10],
  ["mnistCodelabCnn", () => models.mnistCodelabCnn(), counts.mnist_codelab_cnn.total],
  ["kerasMnistConvnet", () => models.kerasMnistConvnet(), counts.keras_mnist_convnet.total],
  ["alexnet", () => models.alexnet(), 61100840],
  ["alexnet2012", () => models.alexnet2012(), counts.alexnet_227_single_tower.total],
  ["vgg16", () => models.vgg16(), 138357544],
  ["vgg16_bn", () => models.vgg16_bn(), 138365992],
  ["vgg11", () => models.vgg11(), 132863336],
  ["resnet18", () => models.resnet18(), 11689512],
  ["resnet34", () => models.resnet34(), 21797672],
  ["resnet50", () => models.resnet50(), 25557032],
  ["resnet101", () => models.resnet101(), 44549160],
  ["resnet152", () => models.resnet152(), 60192808],
  ["resnet20", () => models.resnet20(), 269722],
];

describe("parameter counts match the course and torchvision", () => {
  for (const [name, make, n] of EXPECTED) {
    it(`${name}: ${n.toLocaleString("en-US")}`, () => {
      const m = make();
      expect(m.numParameters()).toBe(n);
      m.dispose();
    });
  }
});

describe("state-dict keys follow torchvision", () => {
  it("resnet18 and vgg16_bn", () => {
    const r = models.resnet18({ numClasses: 10 });
    const keys = [...r.stateDict().keys()];
    expect(keys.slice(0, 6)).toEqual(["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"]);
    expect(keys).toContain("layer1.0.conv1.weight");
    expect(keys).toContain("layer2.0.downsample.0.weight");
    expect(keys).toContain("layer2.0.downsample.1.running_var");
    expect(keys.slice(-2)).toEqual(["fc.weight", "fc.bias"]);
    expect(keys.length).toBe(122); // torchvision resnet18: 62 parameters + 60 buffers
    r.dispose();
    const v = models.vgg11_bn({ numClasses: 10 });
    const vk = [...v.stateDict().keys()];
    expect(vk.slice(0, 3)).toEqual(["features.0.weight", "features.0.bias", "features.1.weight"]);
    expect(vk.slice(-2)).toEqual(["classifier.6.weight", "classifier.6.bias"]);
    v.dispose();
  });
});

describe("forward and backward on the js device", () => {
  const cases: [string, () => Module, number[], number][] = [
    ["lenet5", () => models.lenet5(), [2, 1, 28, 28], 10],
    ["mnistCodelabCnn", () => models.mnistCodelabCnn(), [2, 1, 28, 28], 10],
    ["kerasMnistConvnet", () => models.kerasMnistConvnet(), [2, 1, 28, 28], 10],
    ["resnet20", () => models.resnet20(), [2, 3, 32, 32], 10],
    ["resnet18 (small input)", () => models.resnet18({ numClasses: 5 }), [2, 3, 32, 32], 5],
    ["resnet50 (small input)", () => models.resnet50({ numClasses: 3 }), [2, 3, 32, 32], 3],
  ];
  for (const [name, make, shape, classes] of cases) {
    it(name, () => {
      const m = make();
      scope(() => {
        const y = m.forward(randn(shape, new Rng(1)));
        expect(y.shape).toEqual([shape[0], classes]);
        sum(y).backward();
      });
      for (const p of m.parameters()) expect(p.grad, `gradient of a ${p.shape.join("×")} parameter`).not.toBeNull();
      m.dispose();
    });
  }
  it("alexnet2012 runs on 227×227 (batch 1) in evaluation mode", () => {
    const m = models.alexnet2012({ numClasses: 10 }).eval();
    scope(() => {
      expect(m.forward(zeros([1, 3, 227, 227])).shape).toEqual([1, 10]);
    });
    m.dispose();
  });
});
