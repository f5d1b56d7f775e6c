/**
 * The buffer half of `DeviceContract`: the device's own buffer lookup, views and planes
 * inside their buffers, and the memory routines' checks.
 */
import { checkDim, checkView, fail } from "../validate.js";
import type { BufferDType, DeviceBuffer, HostArray, View } from "./buffer.js";

/**
 * What a device knows of one of its own buffers: enough to bound-check a view.
 *
 * @example
 * ```ts
 * import type { OwnedBuffer } from "@tessera/blas/validate";
 * const b: OwnedBuffer = { length: 4, dtype: "float32" };
 * ```
 */
export interface OwnedBuffer {
  /** Number of elements. */
  readonly length: number;
  /** Element type. */
  readonly dtype: BufferDType;
}

/**
 * The one check a device keeps for itself: that `buffer` is a live buffer of this device with the
 * element type `dtype` (`'any'`: either). It returns the device's own buffer object or throws a
 * `RangeError` `fn: name …` (e.g. `unary: x must be a buffer of the 'wasm' device, got one of 'js'`).
 *
 * @example
 * ```ts
 * import { JsBuffer } from "@tessera/blas";
 * import type { OwnBuffer } from "@tessera/blas/validate";
 * const own: OwnBuffer<JsBuffer> = (fn, name, b) => {
 *   if (!(b instanceof JsBuffer)) throw new RangeError(`${fn}: ${name} must be a buffer of the 'js' device`);
 *   return b;
 * };
 * ```
 */
export type OwnBuffer<B extends OwnedBuffer> = (fn: string, name: string, buffer: unknown, dtype: BufferDType | "any") => B;

/**
 * Checks of buffer arguments over a device's own buffer lookup; `DeviceContract` adds the
 * checks of each routine.
 *
 * @example
 * ```ts
 * import { BufferContract } from "@tessera/blas/validate";
 * const buffers = new BufferContract((fn, name, b) => b as { length: number; dtype: "float32" });
 * buffers.alloc(4, "float32");
 * ```
 */
export class BufferContract<B extends OwnedBuffer> {
  /** The device's own buffer lookup (ownership, liveness, dtype). */
  protected readonly own: OwnBuffer<B>;

  /**
   * Wraps the device's buffer lookup.
   *
   * @example
   * ```ts
   * import { DeviceContract } from "@tessera/blas/validate";
   * const contract = new DeviceContract((fn, name, b) => b as { length: number; dtype: "float32" });
   * ```
   */
  constructor(own: OwnBuffer<B>) {
    this.own = own;
  }

  /**
   * A buffer argument of the device with its dtype.
   *
   * @example
   * ```ts
   * const b = contract.buffer("free", "buffer", buffer, "any");
   * ```
   */
  buffer(fn: string, name: string, buffer: unknown, dtype: BufferDType | "any" = "float32"): B {
    return this.own(fn, name, buffer, dtype);
  }

  /**
   * A strided n-d view of `shape` lying inside its buffer.
   *
   * @example
   * ```ts
   * const xb = contract.view("unary", "x", [2, 3], { buffer: x, offset: 0, strides: [3, 1] });
   * ```
   */
  view(fn: string, name: string, shape: readonly number[], v: View, dtype: BufferDType | "any" = "float32"): B {
    if (typeof v !== "object" || v === null) fail(fn, `${name} must be a view { buffer, offset, strides }, got ${v}`);
    const b = this.own(fn, name, v.buffer, dtype);
    checkView(fn, name, shape, v.strides, v.offset, b.length);
    return b;
  }

  /**
   * `count` contiguous planes of `size` elements from `offset` (a contiguous vector when count = 1).
   *
   * @example
   * ```ts
   * const yb = contract.planes("maxPool2d", "y", planes, g.OH * g.OW, 0, y);
   * ```
   */
  planes(fn: string, name: string, count: number, size: number, offset: number, buffer: DeviceBuffer, dtype: BufferDType | "any" = "float32"): B {
    const b = this.own(fn, name, buffer, dtype);
    checkView(fn, name, [count * size], [1], offset, b.length);
    return b;
  }

  /**
   * `Device.alloc`'s (or `fn`'s: `allocUninitialized`) length and dtype.
   *
   * @example
   * ```ts
   * contract.alloc(16, "int32");
   * ```
   */
  alloc(length: number, dtype: BufferDType, fn = "alloc"): void {
    checkDim(fn, "length", length);
    if (dtype !== "float32" && dtype !== "int32") fail(fn, `dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
  }

  /**
   * `Device.write`: host data that fits from `offset`.
   *
   * @example
   * ```ts
   * const b = contract.write(buffer, [1, 2, 3], 0);
   * ```
   */
  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset: number): B {
    const b = this.own("write", "buffer", buffer, "any");
    if (data === null || typeof data !== "object" || typeof data.length !== "number") fail("write", `data must be a typed array or an array of numbers, got ${data}`);
    checkView("write", "data", [data.length], [1], offset, b.length);
    return b;
  }

  /**
   * `Device.read` / `readSync`: a range inside the buffer.
   *
   * @example
   * ```ts
   * const b = contract.read(buffer, 0, 4);
   * ```
   */
  read(buffer: DeviceBuffer, offset: number, length: number): B {
    const b = this.own("read", "buffer", buffer, "any");
    checkView("read", "range", [length], [1], offset, b.length);
    return b;
  }

  /**
   * The one-element output of sdot, snrm2, sasum (float32) and isamax (int32).
   *
   * @example
   * ```ts
   * const o = contract.scalarOut("sdot", out, 0, "float32");
   * ```
   */
  scalarOut(fn: string, out: DeviceBuffer, offset: number, dtype: BufferDType): B {
    return this.planes(fn, "out", 1, 1, offset, out, dtype);
  }
}
