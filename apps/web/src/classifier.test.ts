import { getDevice } from "@tessera/blas";
import { encodeSafetensors, stateDictToBytes } from "@tessera/nn";
import { lenet5, mnistMlp } from "@tessera/models";
import { describe, expect, it } from "vitest";
import { classifierBytes, classify, loadClassifier, MAX_WEIGHTS_BYTES } from "./classifier.js";

const js = getDevice("js");

describe("loadClassifier: safetensors → the matching MNIST net, strictly", () => {
  it("builds the net the metadata names and gives back the same bytes", async () => {
    const bytes = await stateDictToBytes(lenet5({ seed: 3, device: js }), { model: "lenet5", test_accuracy: "0.9800" });
    const c = await loadClassifier(bytes);
    expect(c.name).toBe("lenet5");
    expect(c.metadata.test_accuracy).toBe("0.9800");
    expect(Buffer.from(await classifierBytes(c)).equals(Buffer.from(bytes))).toBe(true);
    const p = classify(c, new Float32Array(784).fill(0.5));
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
  });

  it("without metadata finds the net whose keys and shapes fit", async () => {
    const c = await loadClassifier(await stateDictToBytes(mnistMlp({ seed: 1, device: js })));
    expect(c.name).toBe("mnistMlp");
  });

  it("rejects a model the page does not run, weights that fit no net, and oversized files", async () => {
    await expect(loadClassifier(await stateDictToBytes(lenet5({ device: js }), { model: "resnet18" }))).rejects.toThrow(
      'loadClassifier: the file is for model "resnet18"; this page runs lenet5, mnistCodelabCnn, mnistMlp');
    const odd = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array(2) }]]));
    await expect(loadClassifier(odd)).rejects.toThrow(/^loadClassifier: the weights fit none of the MNIST nets \(lenet5: .*missing/);
    await expect(loadClassifier(new Uint8Array(MAX_WEIGHTS_BYTES + 1))).rejects.toThrow(`loadClassifier: the file has ${MAX_WEIGHTS_BYTES + 1} bytes, more than the ${MAX_WEIGHTS_BYTES} accepted`);
  });
});
