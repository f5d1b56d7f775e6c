/**
 * Descriptors of n-d strided views for the wasm odometer (assembly/nd.ts): dimensions of extent 1
 * are dropped and neighbours that are contiguous in every operand are merged, so most views reach
 * the module as one long row; then shape, strides and a work area are written as i32.
 * @internal
 */

/** A collapsed iteration space: `shape` and one stride list per operand. @internal */
export interface Collapsed {
  readonly shape: number[];
  readonly strides: number[][];
}

/** Collapses `shape` for operands with `strides` (row-major order of the walk is preserved). @internal */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const ops = strides.length;
  if (shape.some((n) => n === 0)) return { shape: [0], strides: strides.map(() => [0]) };
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * n)) {
      outShape[last] *= n;
      for (let k = 0; k < ops; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(n);
      for (let k = 0; k < ops; k++) outStrides[k].push(strides[k][d]);
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}

/** Bytes of a descriptor of `nd` dimensions and `ops` operands (with its work area). @internal */
export function descBytes(nd: number, ops: number): number {
  return (nd * (1 + ops) + nd + ops) * 4;
}

/** Writes the descriptor at byte address `at` through `i32` (a view of the memory). @internal */
export function writeDesc(i32: Int32Array, at: number, c: Collapsed): void {
  let i = at >> 2;
  for (const n of c.shape) i32[i++] = n;
  for (const s of c.strides) for (const v of s) i32[i++] = v;
}
