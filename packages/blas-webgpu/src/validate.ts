/**
 * Argument validation: the reference device's checks from `@tessera/blas/validate`, so this
 * device throws exactly the same errors.
 * @internal
 */
export {
  fail, checkDim, checkInt, checkScalar, checkTranspose, checkOp, checkView, checkVector, checkConvGeometry, checkPoolGeometry, checkSgemm, checkSgemv,
} from "@tessera/blas/validate";
