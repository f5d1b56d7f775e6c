/**
 * Argument validation: the reference device's checks from `@tessera/blas/validate` (the BLAS
 * checks, and the DeviceContract that checks every other routine), so this device throws exactly
 * the same errors.
 * @internal
 */
export {
  fail, checkDim, checkInt, checkScalar, checkTranspose, checkView, checkVector, checkSgemm, checkSgemv, DeviceContract,
} from "@tessera/blas/validate";
