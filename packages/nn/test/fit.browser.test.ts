/**
 * fit() in a real browser (no AsyncLocalStorage): its async training-step scopes create every
 * tensor before their first await, so they free all they make and leak nothing, as in Node.
 */
import { expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import { liveStorages } from "@tessera/autograd";
import { fromArray } from "@tessera/ndarray";
import { SGD, crossEntropy } from "@tessera/optim";
import { fit, Linear, ReLU, Sequential } from "../src/index.js";

it("fit() trains in Chromium without leaking a tensor", async () => {
  setDefaultDevice("js");
  const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const x = fromArray(Float32Array.from({ length: 16 }, (_, i) => ((i * 7) % 5) / 4 - 0.5), { shape: [4, 4] });
  const batches = [{ x, y: new Int32Array([0, 1, 1, 0]) }];
  await fit(model, batches, { optimizer, loss: crossEntropy, epochs: 1, verbose: 0 }); // creates the momentum buffers and grads
  const before = liveStorages();
  const history = await fit(model, batches, { optimizer, loss: crossEntropy, epochs: 3, verbose: 0, validation: batches });
  expect(history.epochs).toHaveLength(3);
  expect(history.epochs[2].loss).toBeLessThan(history.epochs[0].loss);
  expect(liveStorages()).toBe(before);
});
