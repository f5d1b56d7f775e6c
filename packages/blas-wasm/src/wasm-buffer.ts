import type { BufferDType, DeviceBuffer } from "@tessera/blas";
import { fail } from "./validate.js";

/**
 * A buffer of a wasm device: a block of the device's `WebAssembly.Memory`. It holds the block's
 * byte address, never a typed array, so it stays valid when the memory grows.
 *
 * @example
 * ```ts
 * import { wasmDevice, WasmBuffer } from "@tessera/blas-wasm";
 * const dev = await wasmDevice({ threads: 1 });
 * const b = dev.alloc(4);
 * b instanceof WasmBuffer; // true: { device: "wasm", length: 4, dtype: "float32", address: … }
 * ```
 */
export class WasmBuffer implements DeviceBuffer {
  /** Always `'wasm'`. */
  readonly device = "wasm";
  /** False after `free`. */
  live = true;

  /** Wraps a block; only {@link WasmDevice.alloc} creates buffers. @internal */
  constructor(
    /** Number of elements. */ readonly length: number,
    /** Element type. */ readonly dtype: BufferDType,
    /** Byte address of element 0 in the device's memory. */ readonly address: number,
    /** The heap that owns the block. @internal */ readonly owner: object,
  ) {}
}

/** Checks that `b` is a live buffer of `owner` with `dtype`; returns it typed. @internal */
export function unwrap(fn: string, name: string, b: DeviceBuffer, owner: object, dtype: BufferDType | "any" = "float32"): WasmBuffer {
  if (!(b instanceof WasmBuffer)) fail(fn, `${name} must be a buffer of the 'wasm' device, got one of '${(b as DeviceBuffer | undefined)?.device}'`);
  if (b.owner !== owner) fail(fn, `${name} belongs to another wasm device`);
  if (!b.live) fail(fn, `${name} was freed`);
  if (dtype !== "any" && b.dtype !== dtype) fail(fn, `${name} must be a ${dtype} buffer, got ${b.dtype}`);
  return b;
}
