/**
 * `@tessera/ndarray`: strided n-d arrays for JavaScript, like a small NumPy. Views without
 * copies, NumPy broadcasting, reductions, `matmul`, seeded random numbers and NumPy-style
 * printing; no dependencies.
 *
 * @packageDocumentation
 */
export type { DType, TypedArray, TypedArrayFor, TypedArrayMap } from "./dtype.js";
export { NDArray } from "./ndarray.js";
export type { NestedArray, NestedInput } from "./nested.js";
export type { SliceRange, SliceSpec } from "./slice.js";
export { broadcastShapes } from "./broadcast.js";
export { arange, eye, full, linspace, ones, zeros } from "./create.js";
export { fromArray, type FromArrayOptions, type InputDType } from "./from-array.js";
export { Rng, type FloatDType, type NormalOptions, type UniformOptions } from "./rng.js";
export {
  abs,
  add,
  div,
  exp,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  sigmoid,
  sqrt,
  square,
  sub,
  tanh,
  type ArrayOrScalar,
} from "./elementwise.js";
export {
  argmax,
  max,
  mean,
  min,
  sum,
  variance,
  type ArgReduceOptions,
  type ReduceOptions,
  type VarianceOptions,
} from "./reduce.js";
export { matmul } from "./matmul.js";
export { MAX_ELEMENTS } from "./shape.js";
export { allClose, equal, type AllCloseOptions } from "./compare.js";
