/**
 * `@tessera/autograd`: reverse-mode automatic differentiation over any Tessera device. A
 * {@link Tensor} records the op that made it; `backward()` walks the graph in reverse and
 * accumulates gradients. Ops are plain functions.
 *
 * @example
 * ```ts
 * import { tensor, linear, relu, sum } from "@tessera/autograd";
 * const x = tensor([[1, 2]]);
 * const w = tensor([[0.5, -1], [1, 1]], { requiresGrad: true });
 * const loss = sum(relu(linear(x, w)));
 * loss.backward();
 * ```
 * @packageDocumentation
 */
export { Tensor, type TensorDType } from "./tensor.js";
export type { GradFn } from "./grad-fn.js";
export type { BackwardOptions } from "./backward.js";
export { tensor, zeros, ones, full, randn, rand, type TensorOptions } from "./create.js";
export { noGrad } from "./grad-mode.js";
export { scope, keep, unscoped, type ScopeHandle } from "./scope.js";
export { liveStorages } from "./storage.js";
export { add, sub, mul, div, neg, pow, affine, type Operand } from "./ops/arithmetic.js";
export { relu, leakyRelu, sigmoid, tanh, gelu, abs, exp, log, sqrt, clamp } from "./ops/activations.js";
export { reshape, flatten, permute, transpose, slice, concat, type SliceRange } from "./ops/shape.js";
export { sum, mean, max, min, argmax, type ReduceOptions } from "./ops/reduce.js";
export { matmul, linear } from "./ops/matmul.js";
export { softmax, logSoftmax } from "./ops/softmax.js";
export { batchNorm, dropout, type BatchNormOptions } from "./ops/normalization.js";
export { convTranspose2d } from "./ops/conv-transpose.js";
export { FusedConv2dPlan } from "./ops/fused-conv-plan.js";
export { conv2d, fusedConv2d, maxPool2d, avgPool2d, adaptiveAvgPool2d, localResponseNorm, type FusedConv2dEpilogue } from "./ops/conv.js";
