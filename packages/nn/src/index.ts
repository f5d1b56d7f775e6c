/**
 * `@tessera/nn`: `Module` and layers with torch.nn's names, arguments and default
 * initialisations; state dicts keyed like torchvision; safetensors; `summary()`; `fit()`; and
 * TensorBoard event files (`SummaryWriter`, `readEvents`, the `TensorBoard` callback; files in a
 * log directory come from `@tessera/nn/node`).
 *
 * @example
 * ```ts
 * import { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, summary } from "@tessera/nn";
 * const net = new Sequential(new Conv2d(1, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(6 * 14 * 14, 10));
 * console.log(summary(net, [1, 1, 28, 28]).toString());
 * ```
 * @packageDocumentation
 */
export { Module, type StateDict, type LoadOptions, type LoadResult } from "./module.js";
export { Parameter, isParameter } from "./parameter.js";
export { uniformParameter, normalParameter, initUniform, initNormal, defaultBound, kaimingNormalStd, type InitOptions } from "./init.js";
export { Linear } from "./layers/linear.js";
export { Conv2d, type Conv2dLayerOptions, type BiasOption } from "./layers/conv.js";
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from "./layers/conv-transpose.js";
export type { PaddingMode } from "./layers/pad.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./layers/pooling.js";
export { BatchNorm1d, BatchNorm2d, LocalResponseNorm, type BatchNormLayerOptions } from "./layers/normalization.js";
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Identity, Flatten, Dropout } from "./layers/activations.js";
export { Sequential, ModuleList } from "./layers/containers.js";
export { summary, type ModelSummary, type SummaryRow } from "./summary.js";
export { profile, type ProfileOptions } from "./profile.js";
export { ProfileReport, type ProfileRow, type LayerRow, type ProfileData, type ProfileJson, type ProfileTableOptions } from "./profile-report.js";
export { encodeSafetensors, decodeSafetensors, type SafeTensor, type DecodedSafetensors } from "./safetensors.js";
export { readSafetensorsHeader, type SafetensorsEntry, type SafetensorsHeader } from "./safetensors-header.js";
export { stateDictToBytes, loadStateDictFromBytes, saveWeights, loadWeights, writeFileAtomic } from "./weights.js";
export { weightsToBlob, loadWeightsFromBlob, SAFETENSORS_MIME, type LoadWeightsFromBlobOptions } from "./blob.js";
export { saveWeightsToIndexedDB, loadWeightsFromIndexedDB, type SaveWeightsToIndexedDBOptions, type LoadWeightsFromIndexedDBOptions } from "./weights-indexeddb.js";
export { listIndexedDB, deleteFromIndexedDB, type IndexedDBEntry, type IndexedDBOptions, type StoredKind } from "./indexeddb-store.js";
export { saveWeightsToOPFS, loadWeightsFromOPFS } from "./opfs.js";
export {
  checkpointToBytes, checkpointFromBytes, decodeCheckpoint, dropoutCounters, CheckpointError, CHECKPOINT_FORMAT,
  type CheckpointContents, type CheckpointTargets, type CheckpointScheduler, type CheckpointState, type DecodedCheckpoint,
} from "./checkpoint.js";
export {
  saveCheckpointToIndexedDB, loadCheckpointFromIndexedDB, readCheckpointFromIndexedDB, checkpointToBlob, loadCheckpointFromBlob, saveCheckpointToOPFS,
  loadCheckpointFromOPFS, type LoadCheckpointFileOptions,
} from "./checkpoint-storage.js";
export { EarlyStopping, ModelCheckpoint, LRSchedulerCallback, TerminateOnNaN, type Callback, type Logs, type Scheduler, type TrainParams } from "./callbacks.js";
export { ProgressLogger, type ProgressLoggerOptions, type BarStream } from "./progress-logger.js";
export { fit, evaluate, countCorrect, type EvaluateResult, type FitOptions, type History, type Batch, type BatchSource, type Steppable } from "./fit.js";
export { SummaryWriter, MemorySink, eventFileName, EVENT_FILE_VERSION, type EventSink, type SummaryWriterOptions } from "./tensorboard/writer.js";
export { readEvents, type TensorBoardEvent, type SummaryValue } from "./tensorboard/reader.js";
export { histogramOf, type HistogramData } from "./tensorboard/histogram.js";
export { crc32c, maskCrc32c } from "./tensorboard/crc32c.js";
export { TensorBoard, type TensorBoardOptions } from "./tensorboard/callback.js";
export { FusedConv2d } from "./layers/fused-conv.js";
export { fuse, withChildren, type Fusable } from "./fuse.js";
