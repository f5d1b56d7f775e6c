/** Names and labels of the trainable MNIST nets, without the nets themselves (the pages' bundle stays small). */
import type { MnistModelName } from "./protocol.js";

/** The label each net has on the Train page. */
export const MNIST_MODEL_LABELS: Record<MnistModelName, string> = {
  lenet5: "LeNet-5 (61,706 parameters)",
  mnistCodelabCnn: "The course's CNN",
  mnistMlp: "The course's MLP",
};

/** Whether `name` is one of the trainable MNIST nets. */
export function isMnistModelName(name: unknown): name is MnistModelName {
  return typeof name === "string" && Object.hasOwn(MNIST_MODEL_LABELS, name);
}
