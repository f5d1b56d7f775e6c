import { fail } from "../../validate.js";
import type { BufferDType, DeviceBuffer } from "../buffer.js";

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
  readonly data: Float32Array | Int32Array;
  /** Creates a zero-filled buffer. */
  constructor(
    /** Number of elements. */ readonly length: number,
    /** Element type. */ readonly dtype: BufferDType,
  ) {
    this.data = dtype === "int32" ? new Int32Array(length) : new Float32Array(length);
  }
}

/** Unwraps a JS buffer, checking owner, liveness and dtype. @internal */
export function f32(fn: string, name: string, b: DeviceBuffer): Float32Array {
  return unwrap(fn, name, b, "float32") as Float32Array;
}

/** @internal */
export function i32(fn: string, name: string, b: DeviceBuffer): Int32Array {
  return unwrap(fn, name, b, "int32") as Int32Array;
}

function unwrap(fn: string, name: string, b: DeviceBuffer, dtype: BufferDType): Float32Array | Int32Array {
  if (!(b instanceof JsBuffer)) fail(fn, `${name} must be a buffer of the 'js' device, got one of '${(b as DeviceBuffer | undefined)?.device}'`);
  if (!b.live) fail(fn, `${name} was freed`);
  if (b.dtype !== dtype) fail(fn, `${name} must be a ${dtype} buffer, got ${b.dtype}`);
  return b.data;
}
