/** Zoo models the course page can summarise, with the input each expects (batch of one). */
import * as models from "@tessera/models";
import type { ModelOptions } from "@tessera/models";
import type { Module } from "@tessera/nn";

export const SUMMARY_ZOO: Record<string, { readonly label: string; readonly make: (o: ModelOptions) => Module; readonly input: readonly number[] }> = {
  alexnet: { label: "AlexNet (torchvision)", make: models.alexnet, input: [1, 3, 224, 224] },
  alexnet2012: { label: "AlexNet (the course's, 227×227)", make: models.alexnet2012, input: [1, 3, 227, 227] },
  lenet5: { label: "LeNet-5", make: models.lenet5, input: [1, 1, 28, 28] },
  mnistMlp: { label: "The course's MNIST MLP", make: models.mnistMlp, input: [1, 1, 28, 28] },
  mnistCodelabCnn: { label: "The course's MNIST CNN", make: models.mnistCodelabCnn, input: [1, 1, 28, 28] },
  kerasMnistConvnet: { label: "Keras MNIST convnet", make: models.kerasMnistConvnet, input: [1, 1, 28, 28] },
  resnet20: { label: "ResNet-20 (CIFAR)", make: models.resnet20, input: [1, 3, 32, 32] },
  resnet18: { label: "ResNet-18", make: models.resnet18, input: [1, 3, 224, 224] },
  googlenet: { label: "GoogLeNet", make: models.googlenet, input: [1, 3, 224, 224] },
};
