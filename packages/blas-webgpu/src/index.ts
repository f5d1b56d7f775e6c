/**
 * `@tessera/blas-webgpu`: the `'webgpu'` device of Tessera. Every routine of the `Device`
 * interface runs as a WGSL compute shader and buffers stay on the GPU, so a training step issues
 * GPU work only and reads back only what you ask for. Works with `navigator.gpu` in browsers and
 * with Dawn (the `webgpu` package) in Node, including machines without a GPU (Mesa llvmpipe).
 *
 * @example
 * ```ts
 * import { webgpuDevice } from "@tessera/blas-webgpu";
 * const dev = await webgpuDevice();          // registered as getDevice("webgpu")
 * const x = dev.alloc(3);
 * dev.write(x, [1, -2, 3]);
 * dev.unary("relu", [3], { buffer: x, offset: 0, strides: [1] }, { buffer: x, offset: 0, strides: [1] });
 * await dev.read(x); // Float32Array [1, 0, 3]
 * ```
 * @packageDocumentation
 */
export { webgpuDevice, type WebGpuDeviceOptions } from "./create.js";
export type { WebGpuDevice, WebGpuDeviceInfo, WebGpuMemoryStats } from "./webgpu-device.js";
export { WebGpuBuffer } from "./webgpu-buffer.js";
export type { DawnBackend } from "./acquire.js";
export type { SgemmKernel, GemmTiles } from "./routines/gemm-plan.js";
