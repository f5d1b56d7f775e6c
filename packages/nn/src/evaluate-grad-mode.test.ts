/**
 * evaluate() turns gradients off only for its own forward passes: code that runs while it awaits
 * a read-back still records graphs (before, its noGrad spanned the awaits, and a training step
 * running meanwhile would silently get no gradients).
 */
import { expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import { mul, tensor } from "@tessera/autograd";
import { zeros } from "@tessera/ndarray";
import { crossEntropy } from "@tessera/optim";
import { evaluate, Linear } from "./index.js";

it("evaluate() does not turn gradients off for code that runs during its awaits", async () => {
  setDefaultDevice("js");
  const model = new Linear(4, 2);
  const w = tensor([1, 2], { requiresGrad: true });
  const pending = evaluate(model, [{ x: zeros([2, 4]), y: new Int32Array([0, 1]) }, { x: zeros([2, 4]), y: new Int32Array([1, 0]) }], crossEntropy);
  const y = mul(w, 2); // runs while evaluate awaits its first read-back
  expect(y.requiresGrad).toBe(true);
  expect((await pending).count).toBe(4);
  y.backward(tensor([1, 1]));
  expect([...w.grad!.dataSync()]).toEqual([2, 2]);
});
