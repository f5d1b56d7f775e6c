/**
 * The strided n-d array: a typed buffer read through shape, strides and offset.
 */
import { allocate, checkDType, dtypeOf, type DType, type TypedArray, type TypedArrayFor } from "./dtype.js";
import { formatArray } from "./format.js";
import { broadcastToLayout, checkLayout, expandDimsLayout, permuteLayout, squeezeLayout } from "./layout.js";
import type { LayoutLike } from "./layout.js";
import type { NestedArray } from "./nested.js";
import { checkShape, contiguousStrides, formatShape, isCContiguous, reshapeStrides, resolveShape, sizeOf } from "./shape.js";
import { resolveIndex, sliceLayout, type SliceSpec } from "./slice.js";
import { copyStrided } from "./strided.js";

/**
 * An n-dimensional array: a typed buffer (`data`) read through `shape`, `strides` (in elements)
 * and `offset`. Views (`reshape`, `transpose`, `slice`, `broadcastTo`, …) share the buffer, so
 * writing through a view changes the base. Elements are read in row-major order.
 *
 * @typeParam D - The element type, see {@link DType}.
 *
 * @example
 * ```ts
 * const a = new NDArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * a.get(1, 2);          // 6
 * a.T.shape;            // [3, 2], a view
 * a.slice(null, [null, null, -1]).toArray(); // [[3, 2, 1], [6, 5, 4]]
 * ```
 */
export class NDArray<D extends DType = DType> {
  /** The buffer the elements live in (shared by views). */
  readonly data: TypedArrayFor<D>;
  /** Size of each axis. */
  readonly shape: readonly number[];
  /** Step in `data` between neighbours along each axis (may be 0 or negative). */
  readonly strides: readonly number[];
  /** Position in `data` of the element at index `[0, 0, …]`. */
  readonly offset: number;
  /** Element type, derived from the buffer's class. */
  readonly dtype: D;

  /**
   * Wraps a buffer without copying it.
   *
   * @param data - Float32Array, Float64Array or Int32Array; the dtype follows from it.
   * @param shape - Non-negative integer sizes.
   * @param strides - Element strides; row-major contiguous by default.
   * @param offset - Index in `data` of the first element; 0 by default.
   * @throws RangeError if any addressed element would lie outside `data`.
   *
   * @example
   * ```ts
   * const buf = new Float64Array(6);
   * const colMajor = new NDArray(buf, [2, 3], [1, 2]); // Fortran order over the same buffer
   * ```
   */
  constructor(data: TypedArrayFor<D>, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.dtype = dtypeOf("NDArray", data) as D;
    const s = checkShape("NDArray", shape);
    const st = strides === undefined ? contiguousStrides(s) : Array.from(strides);
    checkLayout(data, { shape: s, strides: st, offset });
    this.data = data;
    this.shape = Object.freeze(s);
    this.strides = Object.freeze(st);
    this.offset = offset;
  }

  /**
   * Number of elements (1 for a 0-d array).
   *
   * @example
   * ```ts
   * zeros([2, 3]).size; // 6
   * ```
   */
  get size(): number {
    return sizeOf(this.shape);
  }

  /**
   * Number of axes.
   *
   * @example
   * ```ts
   * zeros([2, 3]).ndim; // 2
   * ```
   */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * True when the elements are laid out row-major without gaps (starting at any offset).
   *
   * @example
   * ```ts
   * const a = zeros([2, 3]);
   * a.isContiguous;   // true
   * a.T.isContiguous; // false
   * ```
   */
  get isContiguous(): boolean {
    return isCContiguous(this.shape, this.strides);
  }

  /**
   * The transpose with all axes reversed (for a 2-D array, the matrix transpose); a view.
   *
   * @example
   * ```ts
   * arange(6).reshape([2, 3]).T.toArray(); // [[0, 3], [1, 4], [2, 5]]
   * ```
   */
  get T(): NDArray<D> {
    return this.transpose();
  }

  private offsetOf(op: string, idx: readonly number[]): number {
    if (idx.length !== this.ndim) {
      throw new RangeError(
        `${op}: expected ${this.ndim} indices for array of shape ${formatShape(this.shape)}, got ${idx.length}`,
      );
    }
    let p = this.offset;
    idx.forEach((i, axis) => (p += resolveIndex(op, i, axis, this.shape[axis]) * this.strides[axis]));
    return p;
  }

  /**
   * Reads one element; one index per axis, negative indices count from the end.
   *
   * @throws RangeError `get: index 5 is out of bounds for axis 0 with size 3`.
   *
   * @example
   * ```ts
   * const a = arange(6).reshape([2, 3]);
   * a.get(1, -1); // 5
   * ```
   */
  get(...idx: number[]): number {
    return this.data[this.offsetOf("get", idx)];
  }

  /**
   * Writes one element (stored with the buffer's conversion, so int32 truncates).
   *
   * @example
   * ```ts
   * const a = zeros([2, 2]);
   * a.set(7, 0, -1);
   * a.toArray(); // [[0, 7], [0, 0]]
   * ```
   */
  set(value: number, ...idx: number[]): void {
    this.data[this.offsetOf("set", idx)] = value;
  }

  private view(layout: LayoutLike): NDArray<D> {
    return new NDArray(this.data, layout.shape, layout.strides, layout.offset);
  }

  /**
   * The same elements in a new shape; one entry may be -1 (inferred). Returns a view when the
   * strides allow it, otherwise a contiguous copy.
   *
   * @throws Error `reshape: cannot reshape array of size 6 into shape [4,2]`.
   *
   * @example
   * ```ts
   * const a = arange(6);
   * const b = a.reshape([2, -1]); // view, shape [2, 3]
   * b.T.reshape([6]);             // copy: [0, 3, 1, 4, 2, 5]
   * ```
   */
  reshape(shape: readonly number[]): NDArray<D> {
    const target = resolveShape("reshape", this.size, shape);
    const strides = reshapeStrides(this.shape, this.strides, target);
    if (strides !== null) return this.view({ shape: target, strides, offset: this.offset });
    return new NDArray(this.toFlat(), target);
  }

  /**
   * Reorders axes (a view). Without arguments reverses them; otherwise see {@link NDArray.permute}.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).transpose().shape;        // [4, 3, 2]
   * zeros([2, 3, 4]).transpose(0, 2, 1).shape; // [2, 4, 3]
   * ```
   */
  transpose(...axes: number[]): NDArray<D> {
    return this.permute(axes.length === 0 ? this.shape.map((_, i) => this.ndim - 1 - i) : axes);
  }

  /**
   * Reorders axes so that result axis `i` is input axis `axes[i]` (negative axes allowed); a view.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).permute([2, 0, 1]).shape; // [4, 2, 3]
   * ```
   */
  permute(axes: readonly number[]): NDArray<D> {
    return this.view(permuteLayout(this, axes));
  }

  /**
   * NumPy basic slicing (a view). Per axis: a number picks an index and drops the axis, `null`
   * keeps it whole, `[start, stop, step]` selects a range (negative steps reverse; bounds are
   * clamped). Axes without a spec are kept whole.
   *
   * @example
   * ```ts
   * const a = arange(12).reshape([3, 4]);
   * a.slice(1).toArray();                     // [4, 5, 6, 7]
   * a.slice(null, [1, 3]).shape;              // [3, 2]
   * a.slice([null, null, -1], 0).toArray();   // [8, 4, 0]
   * ```
   */
  slice(...specs: SliceSpec[]): NDArray<D> {
    return this.view(sliceLayout("slice", this, specs));
  }

  /**
   * A read-through view of this array broadcast to `shape` (stretched axes get stride 0, so
   * writing through the view writes shared elements).
   *
   * @throws Error `broadcastTo: cannot broadcast shape [2,3] to [4,3]`.
   *
   * @example
   * ```ts
   * fromArray([1, 2, 3]).broadcastTo([2, 3]).toArray(); // [[1, 2, 3], [1, 2, 3]]
   * ```
   */
  broadcastTo(shape: readonly number[]): NDArray<D> {
    return this.view(broadcastToLayout(this, shape));
  }

  /**
   * Removes size-1 axes (all of them, or just `axis`); a view.
   *
   * @throws Error if `axis` does not have size 1.
   *
   * @example
   * ```ts
   * zeros([1, 3, 1]).squeeze().shape;  // [3]
   * zeros([1, 3, 1]).squeeze(-1).shape; // [1, 3]
   * ```
   */
  squeeze(axis?: number): NDArray<D> {
    return this.view(squeezeLayout(this, axis));
  }

  /**
   * Inserts a size-1 axis at position `axis` (in `[-ndim-1, ndim]`); a view.
   *
   * @example
   * ```ts
   * zeros([3]).expandDims(0).shape;  // [1, 3]
   * zeros([3]).expandDims(-1).shape; // [3, 1]
   * ```
   */
  expandDims(axis: number): NDArray<D> {
    return this.view(expandDimsLayout(this, axis));
  }

  /**
   * This array if it is contiguous, starts at offset 0 and spans the whole buffer; else a copy.
   *
   * @example
   * ```ts
   * const a = zeros([2, 3]);
   * a.contiguous() === a;   // true
   * a.T.contiguous() === a; // false (a row-major copy)
   * ```
   */
  contiguous(): NDArray<D> {
    if (this.isContiguous && this.offset === 0 && this.data.length === this.size) return this;
    return this.copy();
  }

  /**
   * A contiguous copy with its own buffer.
   *
   * @example
   * ```ts
   * const b = arange(3).copy();
   * b.set(9, 0); // the original is unchanged
   * ```
   */
  copy(): NDArray<D> {
    return new NDArray(this.toFlat(), this.shape);
  }

  /**
   * A contiguous copy converted to `dtype` (float to int32 truncates toward zero).
   *
   * @example
   * ```ts
   * fromArray([1.7, -1.7]).astype("int32").toArray(); // [1, -1]
   * ```
   */
  astype<T extends DType>(dtype: T): NDArray<T> {
    checkDType("astype", dtype);
    const out = allocate(dtype, this.size);
    copyStrided(this.data, this.shape, this.strides, this.offset, out);
    return new NDArray(out, this.shape);
  }

  /**
   * The elements in row-major order, as a new buffer of the same dtype.
   *
   * @example
   * ```ts
   * arange(4).reshape([2, 2]).T.toFlat(); // Float32Array [0, 2, 1, 3]
   * ```
   */
  toFlat(): TypedArrayFor<D> {
    const out = allocate(this.dtype, this.size);
    copyStrided(this.data, this.shape, this.strides, this.offset, out);
    return out;
  }

  /**
   * The elements as nested JS arrays (a number for a 0-d array).
   *
   * @example
   * ```ts
   * arange(4).reshape([2, 2]).toArray(); // [[0, 1], [2, 3]]
   * ```
   */
  toArray(): NestedArray {
    const build = (axis: number, p: number): NestedArray => {
      if (axis === this.ndim) return this.data[p];
      const out: NestedArray[] = new Array(this.shape[axis]);
      for (let i = 0; i < out.length; i++) out[i] = build(axis + 1, p + i * this.strides[axis]);
      return out;
    };
    return build(0, this.offset);
  }

  /**
   * NumPy-style text, elided (first and last 3 per axis) above 1000 elements.
   *
   * @example
   * ```ts
   * String(arange(6).reshape([2, 3]));
   * // array([[0, 1, 2],
   * //        [3, 4, 5]], dtype=float32)
   * ```
   */
  toString(): string {
    return formatArray(this);
  }
}
