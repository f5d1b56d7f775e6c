/**
 * The wasm device's own check, buffer ownership, in the house format (`@tessera/blas`'s
 * DeviceContract does every other argument check, so this device throws the reference's errors).
 * @internal
 */
export { fail } from "@tessera/blas/validate";
