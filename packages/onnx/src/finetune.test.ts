// An imported model trains: gradients reach every parameter, SGD lowers the loss, BatchNorm's
// running statistics stay buffers, and the fine-tuned weights load back into the zoo model.
import { randn, scope, tensor } from "@tessera/autograd";
import { lenet5, resnet20 } from "@tessera/models";
import { Rng } from "@tessera/ndarray";
import { Adam, crossEntropy, SGD } from "@tessera/optim";
import { describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { exportOnnx, importOnnx } from "./index.js";
import { relError } from "./test-support/graphs.js";

describe("fine-tuning an imported model", () => {
  it("LeNet-5: SGD steps lower the loss; keys are the state-dict keys; weights load back into lenet5()", async () => {
    const rng = new Rng(3);
    const src = lenet5({ seed: 1 });
    const net = importOnnx(await exportOnnx(src, randn([1, 1, 28, 28], rng)));
    expect(net.namedParameters().map(([k]) => k)).toEqual(src.namedParameters().map(([k]) => k));
    const x = randn([16, 1, 28, 28], rng);
    const labels = tensor(Int32Array.from({ length: 16 }, (_, i) => i % 10), { dtype: "int32" });
    const opt = new SGD(net.parameters(), { lr: 0.02 });
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      losses.push(await scope(async () => {
        opt.zeroGrad();
        const loss = crossEntropy(net.forward(x), labels);
        loss.backward();
        for (const [k, p] of net.namedParameters()) expect(p.grad, k).not.toBeNull();
        opt.step();
        return loss.item();
      }));
    }
    console.log(`LeNet-5 imported, SGD losses: ${losses.map((l) => l.toFixed(4)).join(" ")}`);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    // The same steps on the original model give the same losses: the imported graph's gradients are the model's.
    const twin = lenet5({ seed: 1 });
    const twinOpt = new SGD(twin.parameters(), { lr: 0.02 });
    for (let step = 0; step < 6; step++) {
      twinOpt.zeroGrad();
      const loss = crossEntropy(twin.forward(x), labels);
      loss.backward();
      twinOpt.step();
      expect(await loss.item()).toBeCloseTo(losses[step], 5);
    }
    const back = lenet5({ seed: 9 });
    await back.loadStateDict(net.stateDict());
    back.eval();
    net.eval();
    expect(Array.from(await back.forward(x).data())).toEqual(Array.from(await net.forward(x).data()));
  });

  it("ResNet-20: BatchNormalization's mean and variance are buffers and stay fixed; Adam lowers the loss", async () => {
    const rng = new Rng(4);
    const net = importOnnx(await exportOnnx(resnet20({ numClasses: 10 }), randn([1, 3, 32, 32], rng)));
    const keys = net.namedParameters().map(([k]) => k);
    expect(keys.some((k) => k.includes("running"))).toBe(false);
    expect(net.namedBuffers().map(([k]) => k)).toContain("bn1.running_var");
    const before = Array.from(await (net.stateDict().get("bn1.running_mean") as ReturnType<typeof tensor>).data());
    const x = randn([4, 3, 32, 32], rng);
    const labels = tensor([1, 2, 3, 4], { dtype: "int32" });
    const initial = (await net.forward(x).data()) as Float32Array;
    const opt = new Adam(net.parameters(), { lr: 1e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 4; step++) {
      opt.zeroGrad();
      const loss = crossEntropy(net.forward(x), labels);
      loss.backward();
      opt.step();
      losses.push(await loss.item());
    }
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    // Exported again, the fine-tuned model runs in onnxruntime with its new weights.
    net.eval();
    const tuned = (await net.forward(x).data()) as Float32Array;
    const session = await ort.InferenceSession.create(await exportOnnx(net, x));
    const out = await session.run({ input: new ort.Tensor("float32", (await x.data()) as Float32Array, [4, 3, 32, 32]) });
    expect(relError(out.output.data as Float32Array, tuned)).toBeLessThan(1e-4);
    expect(relError(initial, tuned)).toBeGreaterThan(1e-3); // so the check above sees the new weights
    expect(Array.from(await (net.stateDict().get("bn1.running_mean") as ReturnType<typeof tensor>).data())).toEqual(before);
  });
});
