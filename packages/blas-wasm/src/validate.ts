/**
 * Argument validation: the reference device's checks from `@tessera/blas/validate`, so this device
 * throws exactly the same errors (the BLAS routines are validated by `createBlas` itself).
 * @internal
 */
import { fail } from "@tessera/blas/validate";

export { fail, checkDim, checkInt, checkScalar, checkView, checkPlanes, checkConvGeometry, checkPoolGeometry } from "@tessera/blas/validate";

/** `value` is one of `all`, else `fn: <name> must be one of …; got …`. @internal */
export function checkOneOf<T extends string>(fn: string, name: string, value: T, all: readonly T[]): void {
  if (!all.includes(value)) fail(fn, `${name} must be one of ${all.join(", ")}; got ${JSON.stringify(value)}`);
}
