// Files written by a real torch.onnx.export (PyTorch 1.13.1, see test/fixtures/torch/generate.py),
// not by our exporter: every operator and attribute pattern torch emits must import, run at two
// batch sizes with torch's outputs, and train.
import { readFileSync } from "node:fs";
import { scope, tensor, type Tensor } from "@tessera/autograd";
import { Adam, crossEntropy } from "@tessera/optim";
import { describe, expect, it } from "vitest";
import { importOnnx } from "./index.js";
import { relError } from "./test-support/graphs.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/torch/${name}`, import.meta.url)));

interface Case { inputShape: number[]; input: string; logits: number[]; probs?: number[] }
const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as {
  smallCnn: Record<string, Case>; shufflenetTiny: Record<string, Case>;
};

/** The base64 float32 little-endian input as a tensor. */
function input(c: Case): Tensor {
  const bytes = Uint8Array.from(atob(c.input), (ch) => ch.charCodeAt(0));
  const v = new DataView(bytes.buffer);
  const data = Float32Array.from({ length: bytes.length / 4 }, (_, i) => v.getFloat32(i * 4, true));
  return tensor(data, { shape: c.inputShape });
}

async function fineTune(bytes: Uint8Array, c: Case, run: (net: ReturnType<typeof importOnnx>, x: Tensor) => Tensor): Promise<number[]> {
  const net = importOnnx(bytes);
  const x = input(c);
  const labels = tensor(Int32Array.from({ length: c.inputShape[0] }, (_, i) => (3 * i + 1) % 10), { dtype: "int32" });
  const opt = new Adam(net.parameters(), { lr: 1e-2 });
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
    it(`SmallCnn, opset ${opset}: logits and softmax equal torch's at batch 1 and 3`, async () => {
      const net = importOnnx(fixture(`small-cnn-opset${opset}.onnx`));
      net.eval();
      expect(net.outputNames).toEqual(["logits", "probs"]);
      for (const n of ["1", "3"]) {
        const c = expected.smallCnn[n];
        const [logits, probs] = net.run(input(c));
        expect(logits.shape).toEqual([Number(n), 10]);
        expect(relError((await logits.data()) as Float32Array, c.logits), `batch ${n}`).toBeLessThan(1e-5);
        expect(relError((await probs.data()) as Float32Array, c.probs!), `batch ${n}`).toBeLessThan(1e-5);
      }
    });
  }

  it("SmallCnn, opset 13: a few Adam steps on the imported model lower the loss", async () => {
    const losses = await fineTune(fixture("small-cnn-opset13.onnx"), expected.smallCnn["3"], (net, x) => net.run(x)[0]);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });

  it("torchvision's ShuffleNetV2 (tiny stages), opset 13: logits equal torch's at batch 1 and 3; fine-tuning lowers the loss", async () => {
    const net = importOnnx(fixture("shufflenet-tiny-opset13.onnx"));
    net.eval();
    for (const n of ["1", "3"]) {
      const c = expected.shufflenetTiny[n];
      expect(relError((await net.forward(input(c)).data()) as Float32Array, c.logits), `batch ${n}`).toBeLessThan(1e-5);
    }
    const losses = await fineTune(fixture("shufflenet-tiny-opset13.onnx"), expected.shufflenetTiny["3"], (m, x) => m.forward(x));
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });
});
