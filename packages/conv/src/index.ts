/**
 * `@tessera/conv`: convolution and pooling for CNNs on any Tessera device. The course's
 * "im2col: matrix multiplication it is", made exact and fast: forward, backward-data and
 * backward-filter lowered to `sgemm` (+ `col2im`), max/average/adaptive pooling, and Local
 * Response Normalization. Layout NCHW activations, OIHW weights (PyTorch order).
 *
 * Transposed convolution (`convTranspose2d*`) runs on the same passes: its forward is the
 * backward-data pass of the convolution it is the adjoint of.
 *
 * Two levels: device-level functions over buffers and a resolved geometry (what autograd calls;
 * backward functions accumulate), and NDArray functions on the `js` device for three-line
 * experiments.
 *
 * @example
 * ```ts
 * import { fromArray } from "@tessera/ndarray";
 * import { conv2d, maxPool2d } from "@tessera/conv";
 * const x = fromArray([[[[2, 4, 9, 1, 4], [2, 1, 4, 4, 6], [1, 1, 2, 9, 2], [7, 3, 5, 1, 3], [2, 3, 4, 8, 5]]]]);
 * const w = fromArray([[[[1, 2, 3], [-4, 7, 4], [2, -5, 1]]]]);
 * maxPool2d(conv2d(x, w, { padding: "same" }), { kernelSize: 2, stride: 1 });
 * ```
 * @packageDocumentation
 */
export { samePadding, type Padding2d } from "./padding.js";
export { conv2dGeometry, conv2dFlops, type ConvAlgorithm, type Conv2dOptions, type ResolvedConv2d } from "./conv-geometry.js";
export { pool2dGeometry, type Pool2dOptions, type ResolvedPool2d } from "./pool-geometry.js";
export { adaptiveAvgPool2dGeometry, adaptiveAvgPool2dForward, adaptiveAvgPool2dBackward, type ResolvedAdaptivePool2d } from "./adaptive-pool.js";
export { convTranspose2dGeometry, type ConvTranspose2dOptions, type ResolvedConvTranspose2d } from "./conv-transpose-geometry.js";
export { convTranspose2dForward, convTranspose2dBackwardData, convTranspose2dBackwardFilter, convTranspose2dBackwardBias } from "./conv-transpose.js";
export { ConvWorkspace } from "./workspace.js";
export { defaultImagesPerGemm, BATCHED_COLUMN_BUDGET, type ConvPass } from "./lowering.js";
export { conv2dForward, conv2dForwardPlan, type Conv2dForwardRun } from "./conv-forward.js";
export type { Conv2dEpilogue } from "./conv-epilogue.js";
export { conv2dBackwardData, conv2dBackwardFilter, conv2dBackwardBias } from "./conv-backward.js";
export { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward } from "./pool.js";
export { localResponseNormForward, localResponseNormBackward, type LocalResponseNormOptions } from "./lrn.js";
export type { HostDevice, OnDevice } from "./nd-support.js";
export { conv2d, conv2dInputGrad, conv2dWeightGrad, conv2dBiasGrad, type Conv2dCallOptions } from "./nd-conv.js";
export {
  maxPool2d, maxPool2dWithIndices, maxPool2dGrad, avgPool2d, avgPool2dGrad, adaptiveAvgPool2d, adaptiveAvgPool2dGrad,
  globalAvgPool2d, localResponseNorm, localResponseNormGrad, type AvgPool2dOptions, type MaxPool2dResult,
} from "./nd-pool.js";
