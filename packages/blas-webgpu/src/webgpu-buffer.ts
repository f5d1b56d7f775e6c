import type { BufferDType, DeviceBuffer } from "@tessera/blas";

/**
 * A buffer of the `'webgpu'` device: a GPU storage buffer that stays on the GPU. Its elements are
 * float32 or int32 (4 bytes each); `length` counts elements.
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const dev = await webgpuDevice();
 * const b = dev.alloc(1024); // a WebGpuBuffer: { device: "webgpu", length: 1024, dtype: "float32" }
 * ```
 */
export class WebGpuBuffer implements DeviceBuffer {
  /** Always `'webgpu'`. */
  readonly device = "webgpu";
  /** False after `free` (or after the device is disposed). @internal */
  live = true;

  /** @internal */
  constructor(
    /** Number of elements. */
    readonly length: number,
    /** Element type. */
    readonly dtype: BufferDType,
    /**
     * The GPUBuffer holding the elements from byte 0, for interoperation with your own WebGPU
     * code. It may be larger than `length · 4` bytes (buffers are pooled by size class); do not
     * destroy it, and do not use it after `free`, when the pool may hand it to another buffer.
     */
    readonly gpuBuffer: GPUBuffer,
    /** Size of `gpuBuffer` in bytes. @internal */
    readonly size: number,
    /** The context that owns it. @internal */
    readonly owner: object,
  ) {}
}
