/** Messages between the pages and their workers (structured-cloned). */

/** The MNIST nets the training page offers. */
export type MnistModelName = "lenet5" | "mnistMlp" | "mnistCodelabCnn";

/** Where the worker runs the model. */
export type DeviceChoice = "wasm" | "js" | "webgpu";

/** What the training page asks its worker. */
export type TrainRequest =
  | {
      readonly type: "start";
      readonly model: MnistModelName;
      readonly device: DeviceChoice;
      readonly threads: number;
      readonly epochs: number;
      readonly batchSize: number;
      readonly lr: number;
      readonly seed: number;
      /** Training digits used of the 8,000 (the rest is skipped); the 2,000 test digits are always evaluated. */
      readonly trainSize: number;
    }
  | { readonly type: "pause" }
  | { readonly type: "resume" };

/** What the training worker reports. */
export type TrainReport =
  | { readonly type: "ready"; readonly device: string; readonly threads: number; readonly isolated: boolean; readonly trainSize: number; readonly testSize: number; readonly batchesPerEpoch: number }
  | { readonly type: "step"; readonly step: number; readonly epoch: number; readonly batch: number; readonly loss: number; readonly accuracy: number; readonly imagesPerSecond: number }
  | { readonly type: "epoch"; readonly epoch: number; readonly step: number; readonly testLoss: number; readonly testAccuracy: number }
  | { readonly type: "paused"; readonly paused: boolean }
  | { readonly type: "done"; readonly model: MnistModelName; readonly weights: Uint8Array; readonly testAccuracy: number; readonly imagesPerSecond: number; readonly threads: number; readonly device: string }
  | { readonly type: "error"; readonly message: string };
