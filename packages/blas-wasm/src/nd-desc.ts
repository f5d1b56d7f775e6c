/**
 * Descriptors of n-d strided views for the wasm odometer (assembly/nd.ts): dimensions of extent 1
 * are dropped and neighbours that are contiguous in every operand are merged, so most views reach
 * the module as one long row; then shape, strides and a work area are written as i32.
 * @internal
 */
import { coalesceDims } from "@tessera/blas";

/** A collapsed iteration space: `shape` and one stride list per operand. @internal */
export interface Collapsed {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Collapses `shape` for operands with `strides` with @tessera/blas's `coalesceDims`; the wasm
 * odometer wants `[0]` for an empty walk and `[1]` for a single element. @internal
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  if (shape.some((n) => n === 0)) return { shape: [0], strides: strides.map(() => [0]) };
  const c = coalesceDims(shape, strides);
  return c.shape.length === 0 ? { shape: [1], strides: strides.map(() => [0]) } : c;
}

/** Bytes of a descriptor of `nd` dimensions and `ops` operands (with its work area). @internal */
export function descBytes(nd: number, ops: number): number {
  return (nd * (1 + ops) + nd + ops) * 4;
}

/** Writes the descriptor at byte address `at` through `i32` (a view of the memory). @internal */
export function writeDesc(i32: Int32Array, at: number, c: Collapsed): void {
  let i = at >>> 2;
  for (const n of c.shape) i32[i++] = n;
  for (const s of c.strides) for (const v of s) i32[i++] = v;
}
