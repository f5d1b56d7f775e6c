/**
 * Op names → the integer codes of the wasm module (assembly/math.ts and assembly/reduce.ts use
 * the same order; new ops are appended, so codes never move).
 * @internal
 */
import type { BinaryOp, ReduceOp, UnaryOp } from "@tessera/blas";

/** Unary ops in code order. @internal */
export const UNARY_OPS: readonly UnaryOp[] = [
  "copy", "neg", "abs", "sign", "exp", "log", "sqrt", "rsqrt", "square", "reciprocal",
  "tanh", "sigmoid", "relu", "step", "gelu", "leakyRelu", "pow", "affine", "clamp", "inRange",
];
/** Binary ops in code order. @internal */
export const BINARY_OPS: readonly BinaryOp[] = [
  "add", "sub", "mul", "div", "maximum", "minimum", "pow", "reluGrad", "leakyReluGrad", "sigmoidGrad", "tanhGrad", "geluGrad", "eq",
];
/** Reductions in code order. @internal */
export const REDUCE_OPS: readonly ReduceOp[] = ["sum", "mean", "max", "min", "sumSquares"];
