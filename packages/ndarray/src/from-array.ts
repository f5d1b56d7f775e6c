/**
 * Building arrays from nested JS arrays or existing buffers.
 */
import { allocate, checkDType, dtypeOf, type DType, type TypedArray } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import type { NestedInput } from "./nested.js";
import { resolveShape } from "./shape.js";

/**
 * Options for {@link fromArray}.
 *
 * @example
 * ```ts
 * const opts: FromArrayOptions = { shape: [2, 2], dtype: "float64" };
 * ```
 */
export interface FromArrayOptions<D extends DType = DType> {
  /** Shape of the result; must hold as many elements as the input (one entry may be -1). */
  shape?: readonly number[];
  /** Element type; float32 for nested input, the buffer's own dtype for a typed array. */
  dtype?: D;
}

/**
 * The dtype {@link fromArray} gives an input when no `dtype` option is passed: the buffer's own
 * dtype for a typed array, float32 for nested arrays.
 *
 * @example
 * ```ts
 * type T = InputDType<Int32Array>; // "int32"
 * ```
 */
export type InputDType<I> = I extends Float64Array ? "float64" : I extends Int32Array ? "int32" : "float32";

const where = (path: readonly number[]): string => `[${path.join(",")}]`;

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === "number" ? `number ${v}` : typeof v;
}

/** Infers the shape from the first element at each depth. */
function inferShape(input: NestedInput): number[] {
  const shape: number[] = [];
  let v: unknown = input;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** Copies nested input into `out` in row-major order, checking it against `shape`. */
function fill(input: NestedInput, shape: readonly number[], out: TypedArray): void {
  let k = 0;
  const path: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== "number") {
        throw new TypeError(`fromArray: expected a number at ${where(path)}, got ${describe(v)}`);
      }
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? String(v.length) : describe(v);
      throw new Error(`fromArray: ragged nested array at ${where(path)}: expected length ${shape[depth]}, got ${got}`);
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], depth + 1);
      path.pop();
    }
  };
  walk(input, 0);
}

/**
 * A new array from nested JS arrays (shape inferred and checked) or from a typed array (copied;
 * 1-D unless `shape` is given).
 *
 * @throws Error `fromArray: ragged nested array at [1]: expected length 3, got 2`.
 * @throws TypeError `fromArray: expected a number at [0,1], got string`.
 *
 * @example
 * ```ts
 * fromArray([[1, 2, 3], [4, 5, 6]]).shape;                  // [2, 3]
 * fromArray([1, 2, 3, 4], { shape: [2, 2], dtype: "int32" }); // 2×2 int32
 * fromArray(new Float64Array([0.5, 1.5])).dtype;             // "float64"
 * ```
 */
export function fromArray<I extends NestedInput | TypedArray, D extends DType = InputDType<I>>(
  input: I,
  options: FromArrayOptions<D> = {},
): NDArray<D> {
  let data: TypedArray;
  let shape: number[];
  if (ArrayBuffer.isView(input)) {
    const own = dtypeOf("fromArray", input);
    const dtype = options.dtype ?? own;
    checkDType("fromArray", dtype);
    data = allocate(dtype, input.length);
    data.set(input);
    shape = [input.length];
  } else {
    const dtype = options.dtype ?? "float32";
    checkDType("fromArray", dtype);
    shape = inferShape(input as NestedInput);
    data = allocate(dtype, shape.reduce((a, b) => a * b, 1));
    fill(input as NestedInput, shape, data);
  }
  if (options.shape !== undefined) shape = resolveShape("fromArray", data.length, options.shape);
  return new NDArray(data as NDArray<D>["data"], shape);
}
