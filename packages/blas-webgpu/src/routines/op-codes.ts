/**
 * Codes of the elementwise and reduction ops: the `OP` pipeline constant of
 * shaders/unary-ops.wgsl, binary-ops.wgsl and reduce.wgsl, from the one table in
 * scripts/op-codes.mjs (the shaders switch on the WGSL constants generated from the same table).
 * @internal
 */
import type { BinaryOp, ReduceOp, UnaryOp } from "@tessera/blas";
import { BINARY_TABLE, REDUCE_TABLE, UNARY_TABLE } from "../generated/op-codes.js";

/** @internal */
export const UNARY_CODES: Readonly<Record<UnaryOp, number>> = UNARY_TABLE;
/** @internal */
export const BINARY_CODES: Readonly<Record<BinaryOp, number>> = BINARY_TABLE;
/** @internal */
export const REDUCE_CODES: Readonly<Record<ReduceOp, number>> = REDUCE_TABLE;
/** Σ|x|, an internal reduction (sasum). @internal */
export const REDUCE_SUM_ABS: number = REDUCE_TABLE.sumAbs;

/** @internal */
export const UNARY_OPS = Object.keys(UNARY_CODES) as UnaryOp[];
/** @internal */
export const BINARY_OPS = Object.keys(BINARY_CODES) as BinaryOp[];
/** @internal */
export const REDUCE_OPS = (Object.keys(REDUCE_CODES) as (ReduceOp | "sumAbs")[]).filter((k): k is ReduceOp => k !== "sumAbs");
