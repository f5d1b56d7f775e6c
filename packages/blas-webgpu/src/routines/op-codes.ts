/**
 * Codes of the elementwise and reduction ops: the `OP` pipeline constant of
 * shaders/unary-ops.wgsl, binary-ops.wgsl and reduce.wgsl.
 * @internal
 */
import type { BinaryOp, ReduceOp, UnaryOp } from "@tessera/blas";

/** @internal */
export const UNARY_CODES: Readonly<Record<UnaryOp, number>> = {
  copy: 0, neg: 1, abs: 2, sign: 3, exp: 4, log: 5, sqrt: 6, rsqrt: 7, square: 8, reciprocal: 9,
  tanh: 10, sigmoid: 11, relu: 12, step: 13, gelu: 14, leakyRelu: 15, pow: 16, affine: 17, clamp: 18, inRange: 19,
};

/** @internal */
export const BINARY_CODES: Readonly<Record<BinaryOp, number>> = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, eq: 7,
  reluGrad: 8, leakyReluGrad: 9, sigmoidGrad: 10, tanhGrad: 11, geluGrad: 12,
};

/** @internal */
export const REDUCE_CODES: Readonly<Record<ReduceOp, number>> = { sum: 0, mean: 1, max: 2, min: 3, sumSquares: 4 };

/** Σ|x|, an internal reduction (sasum). @internal */
export const REDUCE_SUM_ABS = 5;

/** @internal */
export const UNARY_OPS = Object.keys(UNARY_CODES) as UnaryOp[];
/** @internal */
export const BINARY_OPS = Object.keys(BINARY_CODES) as BinaryOp[];
/** @internal */
export const REDUCE_OPS = Object.keys(REDUCE_CODES) as ReduceOp[];
