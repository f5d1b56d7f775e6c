import { fail } from "../../validate.js";
import type { BufferDType, DeviceBuffer } from "../buffer.js";

/** Storage precision of a JS device's float buffers. */
export type JsPrecision = "float32" | "float64";

/**
 * A buffer of the JS device: a typed array on the heap.
 *
 * @example
 * ```ts
 * import { jsDevice, JsBuffer } from "@tessera/blas";
 * const b = jsDevice.alloc(3) as JsBuffer;
 * b.data; // Float32Array(3)
 * ```
 */
export class JsBuffer implements DeviceBuffer {
  /** Always `'js'`. */
  readonly device = "js";
  /** False after `free`. */
  live = true;
  /** The storage. */
  readonly data: Float32Array | Float64Array | Int32Array;
  /** Creates a zero-filled buffer (float buffers in `precision`). */
  constructor(
    /** Number of elements. */ readonly length: number,
    /** Element type. */ readonly dtype: BufferDType,
    precision: JsPrecision = "float32",
  ) {
    this.data = dtype === "int32" ? new Int32Array(length) : precision === "float64" ? new Float64Array(length) : new Float32Array(length);
  }
}

/**
 * Unwraps a JS float buffer, checking owner, liveness and dtype. Typed as Float32Array: the kernels
 * index it generically, and a float64 device's Float64Array runs through the same code.
 * @internal
 */
export function f32(fn: string, name: string, b: DeviceBuffer): Float32Array {
  return unwrap(fn, name, b, "float32") as Float32Array;
}

/** @internal */
export function i32(fn: string, name: string, b: DeviceBuffer): Int32Array {
  return unwrap(fn, name, b, "int32") as Int32Array;
}

function unwrap(fn: string, name: string, b: DeviceBuffer, dtype: BufferDType): Float32Array | Float64Array | Int32Array {
  return ownJsBuffer(fn, name, b, dtype).data;
}

/**
 * The JS device's buffer check for its `DeviceContract`: a live {@link JsBuffer} of `dtype`.
 * @internal
 */
export function ownJsBuffer(fn: string, name: string, b: unknown, dtype: BufferDType | "any"): JsBuffer {
  if (!(b instanceof JsBuffer)) fail(fn, `${name} must be a buffer of the 'js' device, got one of '${(b as DeviceBuffer | undefined)?.device}'`);
  if (!b.live) fail(fn, `${name} was freed`);
  if (dtype !== "any" && b.dtype !== dtype) fail(fn, `${name} must be a ${dtype} buffer, got ${b.dtype}`);
  return b;
}
