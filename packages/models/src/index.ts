/**
 * `@tessera/models`: model factories with torchvision's names, layouts, state-dict keys and
 * parameter counts, plus the course's MNIST networks.
 *
 * @example
 * ```ts
 * import { lenet5, resnet18 } from "@tessera/models";
 * const net = lenet5({ seed: 1 });
 * resnet18({ numClasses: 10 }).numParameters();
 * ```
 * @packageDocumentation
 */
export type { ModelOptions, Init } from "./options.js";
export { lenet5, mnistMlp, mnistCodelabCnn, kerasMnistConvnet } from "./mnist-nets.js";
export { alexnet, alexnet2012, FeaturesClassifier } from "./alexnet.js";
export { vgg, VGG_CONFIGS, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn } from "./vgg.js";
export { ResNet, BasicBlock, Bottleneck, type BlockClass, resnet18, resnet34, resnet50, resnet101, resnet152 } from "./resnet.js";
export { FusedResidualBlock } from "./fused-blocks.js";
export { CifarResNet, CifarBlock, resnet20, resnet32, resnet44, resnet56, resnet110 } from "./cifar-resnet.js";
export { BasicConv2d } from "./basic-conv.js";
export { GoogLeNet, googlenet, Inception, InceptionAux, type GoogLeNetOptions, type GoogLeNetOutputs } from "./googlenet.js";
export { Inception3, inceptionV3, type InceptionV3Options, type InceptionOutputs } from "./inception.js";
export { InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionV3Aux } from "./inception-blocks.js";
export { readTorchStateDict, torchToSafetensors, loadTorchvision, type TorchTensor, type TorchDType, type ReadTorchOptions, type LoadTorchvisionOptions } from "./torch/pth.js";
export { preprocessImageNet, type RgbImage, type ImageNetPreprocessOptions, type PreprocessedImage } from "./imagenet-preprocess.js";
export { IMAGENET_CLASSES } from "./imagenet-classes.js";
