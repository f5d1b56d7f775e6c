import { registerDevice } from "@tessera/blas";
import { acquireGpuDevice, describeAdapter, type DawnBackend } from "./acquire.js";
import type { SgemmKernel } from "./routines/gemm-plan.js";
import { fail } from "./validate.js";
import { WebGpuDeviceImpl } from "./webgpu-device-impl.js";
import type { WebGpuDevice } from "./webgpu-device.js";

/**
 * Options of {@link webgpuDevice}.
 *
 * @example
 * ```ts
 * import { webgpuDevice, type WebGpuDeviceOptions } from "@tessera/blas-webgpu";
 * const options: WebGpuDeviceOptions = { powerPreference: "high-performance", poolBytes: 512 * 2 ** 20 };
 * const dev = await webgpuDevice(options);
 * ```
 */
export interface WebGpuDeviceOptions {
  /**
   * Run on this GPUDevice instead of acquiring one (for sharing a device with your own WebGPU
   * code). Request it with the adapter's compute limits; `dispose()` does not destroy it.
   */
  readonly gpuDevice?: GPUDevice;
  /** Request the adapter from this GPU object instead of `navigator.gpu` or Dawn. */
  readonly gpu?: GPU;
  /**
   * Node only: the Dawn backends to try, in order. Default `['default', 'opengles']`: the
   * platform's native API on a machine with a GPU, then OpenGL ES (compatibility mode, Mesa's
   * llvmpipe) on a machine without one.
   */
  readonly backends?: readonly DawnBackend[];
  /** Adapter preference on machines with several GPUs. */
  readonly powerPreference?: GPUPowerPreference;
  /** Most bytes of freed buffers kept for reuse (default 256 MiB); beyond it buffers are destroyed. */
  readonly poolBytes?: number;
  /** sgemm kernel: `'auto'` (default: tiled for M, N ≥ 32 and K ≥ 8, small below), or forced. */
  readonly sgemmKernel?: SgemmKernel;
  /** Register the device as `'webgpu'` in the device registry of `@tessera/blas` (default true). */
  readonly register?: boolean;
}

/** Default cap of the buffer pool. */
const DEFAULT_POOL_BYTES = 256 * 2 ** 20;

/**
 * Creates the `'webgpu'` device and registers it (so `getDevice('webgpu')` returns it). In
 * browsers it uses `navigator.gpu`; in Node, Dawn through the `webgpu` package, with the
 * platform's GPU when there is one and Mesa's llvmpipe (OpenGL ES, compatibility mode) when not.
 * Throws a clear error naming what to install when no adapter is found.
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const dev = await webgpuDevice();
 * getDevice("webgpu") === dev; // true
 * console.log(dev.info.adapter, dev.info.backend);
 * ```
 */
export async function webgpuDevice(options: WebGpuDeviceOptions = {}): Promise<WebGpuDevice> {
  const poolBytes = options.poolBytes ?? DEFAULT_POOL_BYTES;
  if (!Number.isFinite(poolBytes) || poolBytes < 0) fail("webgpuDevice", `poolBytes must be a non-negative number, got ${poolBytes}`);
  const sgemmKernel = options.sgemmKernel ?? "auto";
  if (!["auto", "tiled", "small"].includes(sgemmKernel)) fail("webgpuDevice", `sgemmKernel must be 'auto', 'tiled' or 'small', got ${JSON.stringify(sgemmKernel)}`);
  let dev: WebGpuDevice;
  if (options.gpuDevice) {
    const adapter = (options.gpuDevice as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    const info = { adapter: adapter ? describeAdapter({ info: adapter } as GPUAdapter) : "unknown adapter", backend: "external", featureLevel: "unknown" };
    dev = new WebGpuDeviceImpl(options.gpuDevice, info, { poolBytes, sgemmKernel, owned: false });
  } else {
    const got = await acquireGpuDevice(options);
    dev = new WebGpuDeviceImpl(got.device, { adapter: got.adapter, backend: got.backend, featureLevel: got.featureLevel }, { poolBytes, sgemmKernel, owned: true });
  }
  if (options.register ?? true) registerDevice(dev);
  return dev;
}
