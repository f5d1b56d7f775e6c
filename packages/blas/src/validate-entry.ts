/**
 * `@tessera/blas/validate`: the argument checks of the BLAS front ends and the reference device,
 * for backends that must throw exactly the same errors.
 *
 * @example
 * ```ts
 * import { checkView, checkDim } from "@tessera/blas/validate";
 * checkDim("myRoutine", "N", 4);
 * checkView("myRoutine", "x", [2, 2], [2, 1], 0, 4);
 * ```
 * @packageDocumentation
 */
export {
  fail, checkDim, checkInt, checkScalar, checkTranspose, checkOrder, checkView, checkVector, checkMatrix, checkInc, blasOffset, checkLd, checkOp,
  type Sized,
} from "./validate.js";
export { checkConvGeometry, checkPoolGeometry, checkPlanes } from "./device/validate-geometry.js";
export { checkSgemm, checkSgemv, type GemmStrides, type GemvShape } from "./validate-routines.js";
export { DeviceContract, type CheckedReduce } from "./device/contract.js";
export { BufferContract, type OwnBuffer, type OwnedBuffer } from "./device/buffer-contract.js";
