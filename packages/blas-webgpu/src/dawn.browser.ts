/**
 * Browser twin of `#dawn` (package.json `imports`, every condition but `node`): there is no Dawn
 * outside Node, so without `navigator.gpu` (or a `gpu` option) the device cannot be made.
 * @internal
 */
import type { WebGpuModule } from "./dawn.node.js";

export type { WebGpuModule };

/** Throws: WebGPU in a browser comes only from `navigator.gpu`. @internal */
export async function loadDawn(): Promise<WebGpuModule> {
  throw new Error("webgpuDevice: WebGPU is unavailable: this browser has no navigator.gpu (it lacks WebGPU or has it turned off; " +
    "Chromium: --enable-unsafe-webgpu where it is not on by default), and Dawn (the 'webgpu' package) runs only in Node");
}
