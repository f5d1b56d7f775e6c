/** The MNIST nets of `@tessera/models` that the site trains and draws with. */
import type { Device } from "@tessera/blas";
import { lenet5, mnistCodelabCnn, mnistMlp } from "@tessera/models";
import type { Module } from "@tessera/nn";
import { MNIST_MODEL_LABELS } from "./model-names.js";
import type { MnistModelName } from "./protocol.js";

export { isMnistModelName } from "./model-names.js";

/** Label and factory of each trainable net. */
export const MNIST_MODELS: Record<MnistModelName, { readonly label: string; readonly make: (o: { seed?: number; device?: Device }) => Module }> = {
  lenet5: { label: MNIST_MODEL_LABELS.lenet5, make: lenet5 },
  mnistCodelabCnn: { label: MNIST_MODEL_LABELS.mnistCodelabCnn, make: mnistCodelabCnn },
  mnistMlp: { label: MNIST_MODEL_LABELS.mnistMlp, make: mnistMlp },
};
