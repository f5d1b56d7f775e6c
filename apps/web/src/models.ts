/** The MNIST nets of `@tessera/models` that the site trains and draws with. */
import type { Device } from "@tessera/blas";
import { lenet5, mnistCodelabCnn, mnistMlp } from "@tessera/models";
import type { Module } from "@tessera/nn";
import type { MnistModelName } from "./protocol.js";

/** Label and factory of each trainable net. */
export const MNIST_MODELS: Record<MnistModelName, { readonly label: string; readonly make: (o: { seed?: number; device?: Device }) => Module }> = {
  lenet5: { label: "LeNet-5 (61,706 parameters)", make: lenet5 },
  mnistCodelabCnn: { label: "The course's CNN", make: mnistCodelabCnn },
  mnistMlp: { label: "The course's MLP", make: mnistMlp },
};

/** Whether `name` is one of {@link MNIST_MODELS}. */
export function isMnistModelName(name: unknown): name is MnistModelName {
  return typeof name === "string" && Object.hasOwn(MNIST_MODELS, name);
}
