import { describe, expect, it } from "vitest";
import type { TrainRequest } from "./protocol.js";
import { checkTrainRequest } from "./train-request.js";

const ok: Extract<TrainRequest, { type: "start" }> = { type: "start", model: "lenet5", device: "wasm", threads: 2, epochs: 3, batchSize: 64, lr: 0.002, seed: 0, trainSize: 8000 };

describe("checkTrainRequest", () => {
  it("accepts the page's defaults", () => {
    expect(checkTrainRequest(ok, 8000)).toBe(ok);
  });

  it("rejects what an emptied or mistyped form field gives, naming the field", () => {
    // an emptied number input reads as 0 (Number("")): zero epochs would "train" nothing silently
    expect(() => checkTrainRequest({ ...ok, epochs: 0 }, 8000)).toThrow("train: epochs must be an integer in [1, 1000], got 0");
    expect(() => checkTrainRequest({ ...ok, epochs: 1.5 }, 8000)).toThrow("train: epochs must be an integer in [1, 1000], got 1.5");
    expect(() => checkTrainRequest({ ...ok, trainSize: 9000 }, 8000)).toThrow("train: trainSize must be an integer in [1, 8000], got 9000");
    expect(() => checkTrainRequest({ ...ok, lr: 0 }, 8000)).toThrow("train: lr must be a positive number, got 0");
    expect(() => checkTrainRequest({ ...ok, lr: NaN }, 8000)).toThrow("train: lr must be a positive number, got NaN");
    expect(() => checkTrainRequest({ ...ok, seed: -1 }, 8000)).toThrow("train: seed must be an integer in [0, 9007199254740991], got -1");
    expect(() => checkTrainRequest({ ...ok, model: "vgg16" as never }, 8000)).toThrow('train: model must be one of lenet5, mnistCodelabCnn, mnistMlp, got "vgg16"');
    expect(() => checkTrainRequest({ ...ok, device: "cuda" as never }, 8000)).toThrow('train: device must be "wasm", "js" or "webgpu", got "cuda"');
  });
});
