// Files written by a real torch.onnx.export (PyTorch 1.13.1, see test/fixtures/torch/generate.py),
// not by our exporter: every operator and attribute pattern torch emits must import, run at two
// batch sizes with torch's outputs, and train.
import { readFileSync } from "node:fs";
import { mul, scope, sum, tensor, type Tensor } from "@tessera/autograd";
import { Adam, crossEntropy } from "@tessera/optim";
import { describe, expect, it } from "vitest";
import { importOnnx } from "./index.js";
import { relError } from "./test-support/graphs.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/torch/${name}`, import.meta.url)));

interface Case { inputShape: number[]; input: string; logits: number[]; probs?: number[]; inputGrad?: string }
const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as {
  smallCnn: Record<string, Case>; shufflenetTiny: Record<string, Case>; mobilenetV3Tiny: Record<string, Case>; mobilenetV2Tiny: Record<string, Case>; paddedCnn: Record<string, Case>;
};

/** Base64 of float32 little-endian values. */
function f32(b64: string): Float32Array {
  const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  const v = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => v.getFloat32(i * 4, true));
}

/** The case's input as a tensor. */
function input(c: Case, requiresGrad = false): Tensor {
  return tensor(f32(c.input), { shape: c.inputShape, requiresGrad });
}

/** The input's gradient of sum(logits · linspace(−1, 1)), as the generator computes it with torch. */
async function inputGrad(net: ReturnType<typeof importOnnx>, c: Case): Promise<Float32Array> {
  const x = input(c, true);
  const logits = net.run(x)[0];
  const n = logits.size;
  const w = tensor(Float32Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1)), { shape: logits.shape });
  sum(mul(logits, w)).backward();
  return (await x.grad!.data()) as Float32Array;
}

async function fineTune(bytes: Uint8Array, c: Case, run: (net: ReturnType<typeof importOnnx>, x: Tensor) => Tensor): Promise<number[]> {
  const net = importOnnx(bytes);
  const x = input(c);
  const batch = c.inputShape[0], classes = c.logits.length / batch;
  const labels = tensor(Int32Array.from({ length: batch }, (_, i) => (3 * i + 1) % classes), { dtype: "int32" });
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const losses: number[] = [];
  for (let step = 0; step < 4; step++) {
    losses.push(await scope(async () => {
      opt.zeroGrad();
      const loss = crossEntropy(run(net, x), labels);
      loss.backward();
      opt.step();
      return loss.item();
    }));
  }
  return losses;
}

describe("models exported by a real torch.onnx.export (PyTorch 1.13.1)", () => {
  for (const opset of [11, 13, 17]) {
    it(`SmallCnn, opset ${opset}: logits, softmax and the input's gradient equal torch's at batch 1 and 3`, async () => {
      const net = importOnnx(fixture(`small-cnn-opset${opset}.onnx`));
      net.eval();
      expect(net.outputNames).toEqual(["logits", "probs"]);
      for (const n of ["1", "3"]) {
        const c = expected.smallCnn[n];
        const [logits, probs] = net.run(input(c));
        expect(logits.shape).toEqual([Number(n), 10]);
        expect(relError((await logits.data()) as Float32Array, c.logits), `batch ${n}`).toBeLessThan(1e-5);
        expect(relError((await probs.data()) as Float32Array, c.probs!), `batch ${n}`).toBeLessThan(1e-5);
        expect(relError(await inputGrad(net, c), Array.from(f32(c.inputGrad!))), `gradient, batch ${n}`).toBeLessThan(1e-5);
      }
    });
  }

  it("SmallCnn as older exporters wrote it (initializers listed as graph inputs, no constant folding), opset 11: torch's logits; the initializers stay parameters, not inputs", async () => {
    const net = importOnnx(fixture("small-cnn-opset11-initializers-as-inputs.onnx"));
    net.eval();
    expect(net.inputNames).toEqual(["input"]);
    expect(net.namedParameters().length).toBe(importOnnx(fixture("small-cnn-opset11.onnx")).namedParameters().length);
    for (const n of ["1", "3"]) {
      const c = expected.smallCnn[n];
      expect(relError((await net.run(input(c))[0].data()) as Float32Array, c.logits), `batch ${n}`).toBeLessThan(1e-5);
    }
  });

  it("SmallCnn exported in training mode (BatchNormalization with running-statistics outputs) is refused, naming the node", () => {
    expect(() => importOnnx(fixture("small-cnn-opset13-training.onnx"))).toThrow("importOnnx: node '/stem_bn/BatchNormalization' (#1, BatchNormalization, opset 13) uses 5 outputs; Tessera computes only the first 1 (its training-mode outputs: export the model in eval mode, e.g. torch.onnx.export's default training=TrainingMode.EVAL)");
  });

  it("SmallCnn, opset 13: a few Adam steps on the imported model lower the loss", async () => {
    const losses = await fineTune(fixture("small-cnn-opset13.onnx"), expected.smallCnn["3"], (net, x) => net.run(x)[0]);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });

  const oneOutput = [
    ["torchvision's ShuffleNetV2 (tiny stages), opset 13", "shufflenet-tiny-opset13.onnx", "shufflenetTiny"],
    ["torchvision's MobileNetV3 (tiny blocks: Hardswish, squeeze-excitation), opset 17", "mobilenet-v3-tiny-opset17.onnx", "mobilenetV3Tiny"],
    ["torchvision's MobileNetV2 (tiny stages: ReLU6 as Clip), opset 11", "mobilenet-v2-tiny-opset11.onnx", "mobilenetV2Tiny"],
    ["PaddedCnn (nn.ZeroPad2d, F.pad with a value: pads built with ConstantOfShape, Slice, Transpose), opset 11", "padded-cnn-opset11.onnx", "paddedCnn"],
    ["PaddedCnn, opset 17", "padded-cnn-opset17.onnx", "paddedCnn"],
  ] as const;
  for (const [title, file, key] of oneOutput) {
    it(`${title}: logits equal torch's at batch 1 and 3, the input's gradient at batch 1; fine-tuning lowers the loss`, async () => {
      const net = importOnnx(fixture(file));
      net.eval();
      for (const n of ["1", "3"]) {
        const c = expected[key][n];
        expect(relError((await net.forward(input(c)).data()) as Float32Array, c.logits), `batch ${n}`).toBeLessThan(1e-5);
      }
      const one = expected[key]["1"];
      expect(relError(await inputGrad(net, one), Array.from(f32(one.inputGrad!))), "gradient").toBeLessThan(1e-5);
      const losses = await fineTune(fixture(file), expected[key]["3"], (m, x) => m.forward(x));
      for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    });
  }
});
