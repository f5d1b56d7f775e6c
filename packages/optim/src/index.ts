/**
 * `@tessera/optim`: losses, optimizers with torch.optim's semantics, learning-rate schedules and
 * gradient clipping.
 *
 * @example
 * ```ts
 * import { tensor, linear } from "@tessera/autograd";
 * import { SGD, crossEntropy } from "@tessera/optim";
 * const w = tensor([[0.1, -0.2], [0.3, 0.4]], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * const loss = crossEntropy(linear(tensor([[1, 2]]), w), [1]);
 * opt.zeroGrad(); loss.backward(); opt.step();
 * ```
 * @packageDocumentation
 */
export { crossEntropy, nllLoss, type Reduction, type Labels, type ClassWeights, type CrossEntropyOptions, type NllLossOptions } from "./class-losses.js";
export { mseLoss, l1Loss, smoothL1Loss, binaryCrossEntropy, bceWithLogits } from "./losses.js";
export { Optimizer, type HasLr, type HasParams, type ParamGroup, type ParamState, type OptimizerStateDict, type SavedParamGroup } from "./optimizer.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, AdamW, type AdamOptions } from "./adam.js";
export { RMSprop, Adagrad, type RMSpropOptions, type AdagradOptions } from "./rmsprop-adagrad.js";
export { LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR } from "./schedulers.js";
export { OneCycleLR, type OneCycleOptions } from "./one-cycle.js";
export { ReduceLROnPlateau, type PlateauOptions } from "./plateau.js";
export type { HasParamGroups, SchedulerStateDict } from "./scheduler-state.js";
export { clipGradNorm, clipGradValue } from "./clip.js";
export { rejectUnknownOptions } from "./options.js";
