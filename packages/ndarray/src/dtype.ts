/**
 * Element types and the typed arrays that store them.
 */
import { MAX_ELEMENTS, tooManyElements } from "./shape.js";

/**
 * The element type of an {@link NDArray}: 32-bit float (the default), 64-bit float (for gradient
 * checks) or 32-bit signed integer (labels and indices).
 *
 * @example
 * ```ts
 * const d: DType = "float32";
 * ```
 */
export type DType = "float32" | "float64" | "int32";

/**
 * Any buffer an {@link NDArray} can live on.
 *
 * @example
 * ```ts
 * const buf: TypedArray = new Float32Array(4);
 * ```
 */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/**
 * Maps each {@link DType} to its buffer type.
 *
 * @example
 * ```ts
 * const buf: TypedArrayMap["int32"] = new Int32Array(3);
 * ```
 */
export interface TypedArrayMap {
  /** 32-bit float storage. */
  float32: Float32Array;
  /** 64-bit float storage. */
  float64: Float64Array;
  /** 32-bit signed integer storage. */
  int32: Int32Array;
}

/**
 * The buffer type that stores elements of dtype `D`.
 *
 * @example
 * ```ts
 * const buf: TypedArrayFor<"float64"> = new Float64Array(2);
 * ```
 */
export type TypedArrayFor<D extends DType> = TypedArrayMap[D];

const DTYPES: readonly DType[] = ["float32", "float64", "int32"];

/** Throws unless `dtype` is a known {@link DType}. */
export function checkDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected float32, float64 or int32)`);
  }
}

/**
 * Allocates a zero-filled buffer of `n` elements of `dtype`; more than {@link MAX_ELEMENTS} throws
 * an error naming `op` (and `shape`, when given) instead of V8's `Invalid typed array length`.
 */
export function allocate<D extends DType>(dtype: D, n: number, op = "allocate", shape?: readonly number[]): TypedArrayFor<D> {
  if (n > MAX_ELEMENTS) throw tooManyElements(op, n, shape);
  switch (dtype) {
    case "float64":
      return new Float64Array(n) as TypedArrayFor<D>;
    case "int32":
      return new Int32Array(n) as TypedArrayFor<D>;
    default:
      return new Float32Array(n) as TypedArrayFor<D>;
  }
}

/** The dtype of a buffer; throws for anything that is not a supported typed array. */
export function dtypeOf(op: string, data: unknown): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  const name = (data as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof data;
  throw new TypeError(`${op}: data must be a Float32Array, Float64Array or Int32Array, got ${name}`);
}

/**
 * The dtype of a result computed from arrays of dtypes `a` and `b`: float64 if either is float64,
 * int32 if both are int32 and `keepInt` holds, float32 otherwise.
 */
export function promote(a: DType, b: DType, keepInt: boolean): DType {
  if (a === "float64" || b === "float64") return "float64";
  if (a === "int32" && b === "int32" && keepInt) return "int32";
  return "float32";
}
