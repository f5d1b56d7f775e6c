/** Validation of the training page's request, so a bad form value is an error, never a silent zero-epoch run. */
import { isMnistModelName, MNIST_MODELS } from "./models.js";
import type { TrainRequest } from "./protocol.js";

type Start = Extract<TrainRequest, { type: "start" }>;

/** Throws a clear error naming the first bad field of `req`; returns it unchanged otherwise. */
export function checkTrainRequest(req: Start, maxTrainSize: number): Start {
  const int = (name: keyof Start, lo: number, hi: number) => {
    const v = req[name] as unknown;
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(`train: ${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
    }
  };
  if (!isMnistModelName(req.model)) throw new RangeError(`train: model must be one of ${Object.keys(MNIST_MODELS).join(", ")}, got ${JSON.stringify(req.model)}`);
  if (!["wasm", "js", "webgpu"].includes(req.device)) throw new RangeError(`train: device must be "wasm", "js" or "webgpu", got ${JSON.stringify(req.device)}`);
  int("threads", 1, 64);
  int("epochs", 1, 1000);
  int("batchSize", 1, 4096);
  int("trainSize", 1, maxTrainSize);
  int("seed", 0, Number.MAX_SAFE_INTEGER);
  if (typeof req.lr !== "number" || !Number.isFinite(req.lr) || req.lr <= 0) throw new RangeError(`train: lr must be a positive number, got ${String(req.lr)}`);
  return req;
}
