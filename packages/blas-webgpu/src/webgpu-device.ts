import type { BufferDType, Device } from "@tessera/blas";
import type { GemmTiles } from "./routines/gemm-plan.js";
import type { WebGpuBuffer } from "./webgpu-buffer.js";

/**
 * How a {@link WebGpuDevice} was obtained: adapter and backend, for logs and benchmark tables.
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const { adapter, backend, featureLevel } = (await webgpuDevice()).info;
 * console.log(`${adapter} via ${backend} (${featureLevel})`);
 * ```
 */
export interface WebGpuDeviceInfo {
  /** Adapter description (vendor, architecture, device, description, as far as the platform tells). */
  readonly adapter: string;
  /** `'navigator.gpu'` in browsers; the Dawn backend in Node (`'default'`, `'opengles'`, …); `'external'` for a GPUDevice you passed. */
  readonly backend: string;
  /** `'core'` or `'compatibility'` (`'unknown'` for a GPUDevice you passed). */
  readonly featureLevel: string;
}

/**
 * Memory statistics of a {@link WebGpuDevice}.
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const { bytesInUse, pooledBytes } = (await webgpuDevice()).memory();
 * ```
 */
export interface WebGpuMemoryStats {
  /** Bytes of live buffers (length · 4 each), as `bytesInUse()`. */
  readonly bytesInUse: number;
  /** Bytes of GPU buffers created and not destroyed: live ones at their pooled size class, plus the pool. */
  readonly allocatedBytes: number;
  /** Bytes of freed buffers kept for reuse. */
  readonly pooledBytes: number;
  /** The pool's cap in bytes (`poolBytes`). */
  readonly poolCapBytes: number;
}

/**
 * The `'webgpu'` device: every routine of `Device` in WGSL, with buffers that stay on the GPU.
 * Routines are encoded into one command encoder and submitted without waiting; `read` and `sync`
 * submit and wait, and throw (never hang) when GPU work failed or the device was lost. There is
 * no `readSync`: GPU reads are asynchronous. Obtain one with {@link webgpuDevice}.
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const dev = await webgpuDevice();
 * const a = dev.alloc(4), b = dev.alloc(4), c = dev.alloc(4);
 * dev.write(a, [1, 2, 3, 4]);
 * dev.write(b, [5, 6, 7, 8]);
 * dev.sgemm("no-transpose", "no-transpose", 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0);
 * await dev.read(c); // Float32Array [19, 22, 43, 50]
 * ```
 */
export interface WebGpuDevice extends Device {
  /** Always `'webgpu'`. */
  readonly name: "webgpu";
  /** The GPUDevice running the kernels (share it with your own WebGPU code; do not destroy it). */
  readonly gpu: GPUDevice;
  /** Where the device came from. */
  readonly info: WebGpuDeviceInfo;
  /** The tile of the tiled sgemm chosen for this adapter's limits (null: only the small kernel runs). */
  readonly sgemmTiles: GemmTiles | null;
  /**
   * Allocates a zero-filled GPU buffer of `length` elements (float32 or int32).
   *
   * @example
   * ```ts
   * import { webgpuDevice } from "@tessera/blas-webgpu";
   * const dev = await webgpuDevice();
   * const labels = dev.alloc(64, "int32");
   * labels.gpuBuffer; // the GPUBuffer, for your own shaders
   * ```
   */
  alloc(length: number, dtype?: BufferDType): WebGpuBuffer;
  /**
   * Memory statistics: live bytes, GPU bytes allocated, bytes pooled for reuse and the pool cap.
   *
   * @example
   * ```ts
   * import { webgpuDevice } from "@tessera/blas-webgpu";
   * const dev = await webgpuDevice({ poolBytes: 64 * 2 ** 20 });
   * dev.free(dev.alloc(1000));
   * dev.memory().pooledBytes; // 4096: the freed buffer waits for reuse
   * ```
   */
  memory(): WebGpuMemoryStats;
  /**
   * Releases every GPU resource: live buffers become invalid, pooled buffers are destroyed, and
   * the GPUDevice is destroyed if `webgpuDevice` created it. Later calls throw.
   *
   * @example
   * ```ts
   * import { webgpuDevice } from "@tessera/blas-webgpu";
   * const dev = await webgpuDevice();
   * dev.dispose();
   * ```
   */
  dispose(): void;
}
