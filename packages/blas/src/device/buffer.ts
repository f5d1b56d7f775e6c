/**
 * Element type of a device buffer: float32 for data, int32 for labels and argmax indices.
 *
 * @example
 * ```ts
 * import type { BufferDType } from "@tessera/blas";
 * const dtype: BufferDType = "int32";
 * ```
 */
export type BufferDType = "float32" | "int32";

/**
 * Host arrays that devices read and write. Float64Array appears only with the float64 JS device
 * used for gradient checks (`new JsDevice({ precision: "float64" })`).
 *
 * @example
 * ```ts
 * import type { HostArray } from "@tessera/blas";
 * const a: HostArray = new Float32Array(4);
 * ```
 */
export type HostArray = Float32Array | Float64Array | Int32Array;

/**
 * An opaque handle to memory owned by a {@link Device}. Only the device that allocated it can use it.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * const buf = jsDevice.alloc(4); // { device: "js", length: 4, dtype: "float32" }
 * ```
 */
export interface DeviceBuffer {
  /** Name of the owning device. */
  readonly device: string;
  /** Number of elements. */
  readonly length: number;
  /** Element type. */
  readonly dtype: BufferDType;
}

/**
 * A strided n-d view of a buffer: element `[i0, i1, …]` is at `offset + Σ iₖ·strides[k]`.
 * A stride of 0 broadcasts.
 *
 * @example
 * ```ts
 * import { jsDevice, type View } from "@tessera/blas";
 * const buf = jsDevice.alloc(6);
 * const transposed: View = { buffer: buf, offset: 0, strides: [1, 3] }; // a 3×2 view of a 2×3 matrix
 * ```
 */
export interface View {
  /** The buffer viewed. */
  readonly buffer: DeviceBuffer;
  /** Element offset of index [0, 0, …]. */
  readonly offset: number;
  /** One stride per dimension, in elements. */
  readonly strides: readonly number[];
}
