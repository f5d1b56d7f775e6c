/**
 * Node twin of `#dawn` (package.json `imports`, condition `node`): Dawn through the `webgpu`
 * package, an optional peer dependency loaded on first use (`npm i webgpu`). The browser twin
 * (`dawn.browser.ts`) has no Dawn: browsers use `navigator.gpu`.
 * @internal
 */
/// <reference types="node" />

/** The part of the `webgpu` package the device uses. @internal */
export interface WebGpuModule {
  create(options: string[]): GPU;
}

/** The version of the `webgpu` package the device is tested with. @internal */
export const DAWN_VERSION = "0.6.2";

/**
 * Loads Dawn; sets `EGL_PLATFORM=surfaceless` first when it is unset (Dawn's OpenGL ES backend
 * needs a platform without a display server, read when the instance is created). @internal
 */
export async function loadDawn(): Promise<WebGpuModule> {
  if (process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = "surfaceless";
  try {
    return (await import("webgpu")) as WebGpuModule;
  } catch (e) {
    throw new Error(`webgpuDevice: WebGPU is unavailable: there is no navigator.gpu and the 'webgpu' package (Dawn for Node, an optional peer dependency) could not be loaded (${(e as Error).message}); install it with \`npm install webgpu@${DAWN_VERSION}\``);
  }
}
