/**
 * `@tessera/nn`: `Module` and layers with torch.nn's names, arguments and default
 * initialisations; state dicts keyed like torchvision; safetensors; `summary()`; and `fit()`.
 *
 * @example
 * ```ts
 * import { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, summary } from "@tessera/nn";
 * const net = new Sequential(new Conv2d(1, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(6 * 14 * 14, 10));
 * console.log(summary(net, [1, 1, 28, 28]).toString());
 * ```
 * @packageDocumentation
 */
export { Module, type StateDict, type LoadOptions } from "./module.js";
export { uniformParameter, normalParameter, initUniform, initNormal, defaultBound, kaimingNormalStd, type InitOptions } from "./init.js";
export { Linear } from "./layers/linear.js";
export { Conv2d, type Conv2dLayerOptions, type BiasOption } from "./layers/conv.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./layers/pooling.js";
export { BatchNorm1d, BatchNorm2d, LocalResponseNorm, type BatchNormLayerOptions } from "./layers/normalization.js";
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Identity, Flatten, Dropout } from "./layers/activations.js";
export { Sequential, ModuleList } from "./layers/containers.js";
export { summary, type ModelSummary, type SummaryRow } from "./summary.js";
export { encodeSafetensors, decodeSafetensors, type SafeTensor, type DecodedSafetensors } from "./safetensors.js";
export { readSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader } from "./safetensors-header.js";
export { stateDictToBytes, loadStateDictFromBytes, saveWeights, loadWeights, writeFileAtomic } from "./weights.js";
export { EarlyStopping, ModelCheckpoint, LRSchedulerCallback, TerminateOnNaN, type Callback, type Logs, type Scheduler, type TrainParams } from "./callbacks.js";
export { ProgressLogger, type ProgressLoggerOptions, type BarStream } from "./progress-logger.js";
export { fit, evaluate, countCorrect, type EvaluateResult, type FitOptions, type History, type Batch, type BatchSource, type Steppable } from "./fit.js";
