import { describe, expect, it } from "vitest";
import { linear, liveStorages, randn, relu, scope, tensor, zeros, type Tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { Adam, crossEntropy } from "./index.js";

/** Two interleaved spirals (a classic non-linear problem), seeded. */
function spirals(n: number, rng: Rng): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(2 * n * 2);
  const y = new Int32Array(2 * n);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 1.0 + 0.05;
      const t = (i / n) * 3.5 * Math.PI + c * Math.PI;
      const k = c * n + i;
      x[2 * k] = r * Math.cos(t) + rng.normal(0, 0.02);
      x[2 * k + 1] = r * Math.sin(t) + rng.normal(0, 0.02);
      y[k] = c;
    }
  }
  return { x, y };
}

function mlp(rng: Rng) {
  const layer = (i: number, o: number) => [randn([o, i], rng, { std: Math.sqrt(2 / i), requiresGrad: true }), zeros([o], { requiresGrad: true })];
  const [w1, b1] = layer(2, 32);
  const [w2, b2] = layer(32, 32);
  const [w3, b3] = layer(32, 2);
  const params = [w1, b1, w2, b2, w3, b3];
  const forward = (x: Tensor) => linear(relu(linear(relu(linear(x, w1, b1)), w2, b2)), w3, b3);
  return { params, forward };
}

describe("training a small MLP end to end", () => {
  it("reaches ≥ 97% accuracy on two spirals with Adam", () => {
    const rng = new Rng(1);
    const { x, y } = spirals(200, rng);
    const X = tensor(x, { shape: [400, 2] });
    const { params, forward } = mlp(rng);
    const opt = new Adam(params, { lr: 0.02 });
    for (let step = 0; step < 600; step++) {
      scope(() => {
        opt.zeroGrad();
        crossEntropy(forward(X), y).backward();
        opt.step();
      });
    }
    const logits = scope(() => forward(X).dataSync());
    let correct = 0;
    for (let i = 0; i < 400; i++) correct += (logits[2 * i + 1] > logits[2 * i] ? 1 : 0) === y[i] ? 1 : 0;
    expect(correct / 400).toBeGreaterThanOrEqual(0.97);
  });

  it("does not leak: live buffers after step 10 equal those after step 300", () => {
    const rng = new Rng(2);
    const { x, y } = spirals(32, rng);
    const X = tensor(x, { shape: [64, 2] });
    const { params, forward } = mlp(rng);
    const opt = new Adam(params, { lr: 0.01 });
    const step = () => scope(() => {
      opt.zeroGrad();
      crossEntropy(forward(X), y).backward();
      opt.step();
    });
    for (let i = 0; i < 10; i++) step();
    const after10 = liveStorages();
    for (let i = 0; i < 290; i++) step();
    expect(liveStorages()).toBe(after10);
  });
});
