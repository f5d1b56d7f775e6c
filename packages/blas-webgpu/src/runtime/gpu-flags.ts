/**
 * The WebGPU flag constants the device uses, by value (WebGPU spec §GPUBufferUsage, §GPUMapMode):
 * Node's Dawn exposes them only through its `globals` object, and this package installs nothing
 * on `globalThis`.
 * @internal
 */

/** GPUBufferUsage bits. @internal */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** GPUMapMode.READ. @internal */
export const MAP_READ = 0x0001;

/** GPUShaderStage.COMPUTE. @internal */
export const STAGE_COMPUTE = 0x4;
