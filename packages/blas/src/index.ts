/**
 * `@tessera/blas`: the public float32 BLAS API (cblas and strided forms), the `Device` interface
 * every backend implements, the device registry and the reference JS device.
 *
 * @example
 * ```ts
 * import { sgemm } from "@tessera/blas";
 * const C = sgemm("row-major", "no-transpose", "no-transpose", 2, 2, 2, 1,
 *   new Float32Array([1, 2, 3, 4]), 2, new Float32Array([5, 6, 7, 8]), 2, 0, new Float32Array(4), 2);
 * ```
 * @packageDocumentation
 */
export type { Order, Transpose } from "./types.js";
export type { BlasKernels } from "./api/kernels.js";
export type {
  Blas, Level1Routines, PairRoutine, ReduceRoutine, SaxpyRoutine, SgemmRoutine, SgemvRoutine, SgerRoutine, SscalRoutine,
} from "./api/routines.js";
export { createBlas } from "./api/create-blas.js";
export { jsKernels, refKernels, refBlas, saxpy, sscal, scopy, sswap, sdot, snrm2, sasum, isamax, sgemv, sger, sgemm } from "./api/js-blas.js";
export type { BufferDType, DeviceBuffer, HostArray, View } from "./device/buffer.js";
export type { BinaryOp, DeviceHints, RandomDistribution, ReduceOp, UnaryOp } from "./device/ops.js";
export type { Conv2dGeometry, Pool2dGeometry } from "./device/geometry.js";
export type { Device } from "./device/device.js";
export { applyConvEpilogue, type ConvEpilogue, type CheckedConvEpilogue } from "./device/conv-epilogue.js";
export { registerDevice, getDevice, listDevices, setDefaultDevice } from "./device/registry.js";
export { JsDevice, jsDevice, type JsDeviceOptions } from "./device/js/js-device.js";
export { JsBuffer, type JsPrecision } from "./device/js/js-buffer.js";
export { pcgHash, counterWord, counterUniform, counterNormal, counterFill } from "./device/counter-rng.js";
export { outputSize } from "./device/validate-geometry.js";
export { winogradIncompatibility } from "./device/winograd.js";
export { coalesceDims, type CoalescedDims } from "./device/coalesce.js";
