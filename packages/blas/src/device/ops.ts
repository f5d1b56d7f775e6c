/**
 * Elementwise unary operations of {@link Device.unary}: `y = f(x)` with two scalar parameters
 * `p0`, `p1` used by some ops:
 * `copy`, `neg`, `abs`, `sign`, `exp`, `log`, `sqrt`, `rsqrt`, `square`, `reciprocal`, `tanh`,
 * `sigmoid`, `relu`, `step` (x > 0 ? 1 : 0), `gelu` (exact, erf form, as PyTorch's default),
 * `leakyRelu` (slope p0), `pow` (exponent p0), `affine` (p0·x + p1), `clamp` (to [p0, p1]),
 * `inRange` (p0 ≤ x ≤ p1 ? 1 : 0, the mask of clamp's gradient).
 *
 * @example
 * ```ts
 * import type { UnaryOp } from "@tessera/blas";
 * const op: UnaryOp = "sigmoid";
 * ```
 */
export type UnaryOp =
  | "copy" | "neg" | "abs" | "sign" | "exp" | "log" | "sqrt" | "rsqrt" | "square" | "reciprocal"
  | "tanh" | "sigmoid" | "relu" | "step" | "gelu" | "leakyRelu" | "pow" | "affine" | "clamp" | "inRange";

/**
 * Elementwise binary operations of {@link Device.binary}: `out = f(a, b)` with a scalar `p0`.
 * Arithmetic: `add`, `sub`, `mul`, `div`, `maximum`, `minimum`, `pow`; `eq` (a === b ? 1 : 0).
 * Fused backward rules (a = upstream gradient, b = the saved value):
 * `reluGrad` (b = x: a·[x > 0]), `leakyReluGrad` (b = x, slope p0), `sigmoidGrad` (b = y: a·y·(1−y)),
 * `tanhGrad` (b = y: a·(1−y²)), `geluGrad` (b = x).
 *
 * @example
 * ```ts
 * import type { BinaryOp } from "@tessera/blas";
 * const op: BinaryOp = "add";
 * ```
 */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "maximum" | "minimum" | "pow" | "eq"
  | "reluGrad" | "leakyReluGrad" | "sigmoidGrad" | "tanhGrad" | "geluGrad";

/**
 * Reductions of {@link Device.reduce}: `sum`, `mean`, `max`, `min`, `sumSquares`.
 *
 * @example
 * ```ts
 * import type { ReduceOp } from "@tessera/blas";
 * const op: ReduceOp = "mean";
 * ```
 */
export type ReduceOp = "sum" | "mean" | "max" | "min" | "sumSquares";

/**
 * Distributions of {@link Device.fillRandom}: `uniform` on [p0, p1), `normal` with mean p0 and
 * standard deviation p1, `bernoulli`: p1 with probability p0, else 0 (an inverted-dropout mask
 * when p1 = 1/(1−p)).
 *
 * @example
 * ```ts
 * import type { RandomDistribution } from "@tessera/blas";
 * const d: RandomDistribution = "normal";
 * ```
 */
export type RandomDistribution = "uniform" | "normal" | "bernoulli";

/**
 * Tuning hints a device gives the libraries above it (`@tessera/conv`), so that no library keys
 * tables by device name: a new backend states its own measured preferences.
 *
 * @example
 * ```ts
 * import type { DeviceHints } from "@tessera/blas";
 * const gpu: DeviceHints = { batchConvPasses: ["forward", "backwardData", "backwardFilter"] };
 * ```
 */
export interface DeviceHints {
  /**
   * Convolution passes whose GEMM should cover several images at once when lowered to im2col +
   * sgemm (default: none, one GEMM per image).
   */
  readonly batchConvPasses?: readonly ("forward" | "backwardData" | "backwardFilter")[];
  /**
   * Batch a pass only while one image's GEMM has fewer multiply-adds than this (CPU devices,
   * where a large GEMM already runs at full speed; default: no limit).
   */
  readonly batchBelowMacs?: number;
  /**
   * `@tessera/conv`'s `algorithm: 'auto'` runs a convolution pass through the device's Winograd
   * routines (`Device.convForwardWinograd`, `convBackwardDataWinograd`) when they apply, the pass
   * reads and writes at least this many channels (min of its input and output channels), and it
   * writes at least {@link winogradMinPixels} pixels per channel over the batch (N·OH·OW forward,
   * N·H·W backward-data). Default: never (auto keeps the direct algorithms).
   */
  readonly winogradMinChannels?: number;
  /** See {@link winogradMinChannels}; default 0. */
  readonly winogradMinPixels?: number;
}

/** All unary ops, for validation and tests. @internal */
export const UNARY_OPS: readonly UnaryOp[] = [
  "copy", "neg", "abs", "sign", "exp", "log", "sqrt", "rsqrt", "square", "reciprocal",
  "tanh", "sigmoid", "relu", "step", "gelu", "leakyRelu", "pow", "affine", "clamp", "inRange",
];
/** All binary ops. @internal */
export const BINARY_OPS: readonly BinaryOp[] = [
  "add", "sub", "mul", "div", "maximum", "minimum", "pow", "eq",
  "reluGrad", "leakyReluGrad", "sigmoidGrad", "tanhGrad", "geluGrad",
];
/** All reductions. @internal */
export const REDUCE_OPS: readonly ReduceOp[] = ["sum", "mean", "max", "min", "sumSquares"];
