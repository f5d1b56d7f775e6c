import type { Module } from "@tessera/nn";
import * as models from "@tessera/models";
import type { ModelOptions } from "@tessera/models";

/** Models the CLI can build by name, with the input shape they expect (batch excluded). */
export const ZOO: Record<string, { make: (o: ModelOptions) => Module; input: number[] }> = {
  lenet5: { make: models.lenet5, input: [1, 28, 28] },
  mnistMlp: { make: models.mnistMlp, input: [1, 28, 28] },
  mnistCodelabCnn: { make: models.mnistCodelabCnn, input: [1, 28, 28] },
  kerasMnistConvnet: { make: models.kerasMnistConvnet, input: [1, 28, 28] },
  alexnet: { make: models.alexnet, input: [3, 224, 224] },
  alexnet2012: { make: models.alexnet2012, input: [3, 227, 227] },
  vgg11: { make: models.vgg11, input: [3, 224, 224] },
  vgg11_bn: { make: models.vgg11_bn, input: [3, 224, 224] },
  vgg13: { make: models.vgg13, input: [3, 224, 224] },
  vgg13_bn: { make: models.vgg13_bn, input: [3, 224, 224] },
  vgg16: { make: models.vgg16, input: [3, 224, 224] },
  vgg16_bn: { make: models.vgg16_bn, input: [3, 224, 224] },
  vgg19: { make: models.vgg19, input: [3, 224, 224] },
  vgg19_bn: { make: models.vgg19_bn, input: [3, 224, 224] },
  resnet18: { make: models.resnet18, input: [3, 224, 224] },
  resnet34: { make: models.resnet34, input: [3, 224, 224] },
  resnet50: { make: models.resnet50, input: [3, 224, 224] },
  resnet101: { make: models.resnet101, input: [3, 224, 224] },
  resnet152: { make: models.resnet152, input: [3, 224, 224] },
  googlenet: { make: models.googlenet, input: [3, 224, 224] },
  inceptionV3: { make: models.inceptionV3, input: [3, 299, 299] },
  resnet20: { make: models.resnet20, input: [3, 32, 32] },
  resnet32: { make: models.resnet32, input: [3, 32, 32] },
  resnet44: { make: models.resnet44, input: [3, 32, 32] },
  resnet56: { make: models.resnet56, input: [3, 32, 32] },
  resnet110: { make: models.resnet110, input: [3, 32, 32] },
};

/** The zoo entry for `name`, or an error listing the names. */
export function zooEntry(name: string) {
  const e = ZOO[name];
  if (!e) throw new CliError(`unknown model '${name}' (models: ${Object.keys(ZOO).join(", ")})`);
  return e;
}

/** An error whose message is shown to the user without a stack trace. */
export class CliError extends Error {}
