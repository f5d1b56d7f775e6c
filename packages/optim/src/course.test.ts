import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { add, conv2d, flatten, linear, mul, relu, sigmoid, sub, sum, tensor } from "@tessera/autograd";
import { crossEntropy } from "./index.js";
import { SGD } from "./index.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8"));
/** float32 agreement with the course's float64 values. */
const F32 = 1e-6;

function close(actual: ArrayLike<number>, expected: number[], tol = F32): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(Math.abs(actual[i] - v)).toBeLessThan(tol * Math.max(1, Math.abs(v))));
}

describe("the course's MLP example (mlp_sigmoid_mse), end to end", () => {
  it("forward, every gradient, and one SGD step", async () => {
    const ex = fixtures.mlp_sigmoid_mse;
    const W1 = tensor(ex.W1, { requiresGrad: true });
    const W2 = tensor(ex.W2, { requiresGrad: true });
    const x = tensor([ex.input]);
    // One bias scalar per layer, shared by its units and not updated (the course's convention).
    const h = sigmoid(add(linear(x, W1), ex.b1));
    const o = sigmoid(add(linear(h, W2), ex.b2));
    const d = sub(tensor([ex.target]), o);
    const loss = sum(mul(mul(d, d), 0.5));
    close(await h.data(), ex.hidden);
    close(await o.data(), ex.output);
    close(await loss.data(), [ex.loss]);
    loss.backward();
    close(await W2.grad!.data(), ex.grad_W2.flat());
    close(await W1.grad!.data(), ex.grad_W1.flat(), 1e-5);
    new SGD([W1, W2], { lr: ex.lr }).step();
    close(await W1.data(), ex.W1_after.flat());
    close(await W2.data(), ex.W2_after.flat());
  });
});

describe("the course's CNN example (cnn_end_to_end): one SGD step", () => {
  it("updates every parameter to the listed values", async () => {
    const ex = fixtures.cnn_end_to_end;
    const F = tensor([[ex.filter]], { requiresGrad: true });
    const cb = tensor([ex.conv_bias], { requiresGrad: true });
    const Wh = tensor(ex.W_hidden, { requiresGrad: true });
    const bh = tensor(ex.b_hidden, { requiresGrad: true });
    const Wo = tensor(ex.W_out, { requiresGrad: true });
    const bo = tensor(ex.b_out, { requiresGrad: true });
    const h = relu(linear(flatten(relu(conv2d(tensor([[ex.input]]), F, cb))), Wh, bh));
    const loss = crossEntropy(linear(h, Wo, bo), tensor([ex.label]));
    close(await loss.data(), [ex.loss]);
    loss.backward();
    new SGD([F, cb, Wh, bh, Wo, bo], { lr: ex.lr }).step();
    close(await F.data(), ex.filter_after.flat(), 1e-5);
    close(await cb.data(), [ex.conv_bias_after], 1e-5);
    close(await Wh.data(), ex.W_hidden_after.flat(), 1e-5);
    close(await bh.data(), ex.b_hidden_after, 1e-5);
    close(await Wo.data(), ex.W_out_after.flat(), 1e-5);
    close(await bo.data(), ex.b_out_after, 1e-5);
  });
});
