/**
 * Dimension coalescing for strided loops, shared by every device: drops dimensions of extent 1 and
 * merges neighbours that are contiguous in every operand (outer stride = inner stride · inner
 * extent), so most elementwise views become one long row.
 */

/**
 * An iteration space after {@link coalesceDims}: the merged shape and one stride list per operand.
 *
 * @example
 * ```ts
 * import type { CoalescedDims } from "@tessera/blas";
 * const c: CoalescedDims = { shape: [24], strides: [[1], [0]] };
 * ```
 */
export interface CoalescedDims {
  /** Merged extents. */ shape: number[];
  /** One stride list per operand, aligned with `shape`. */ strides: number[][];
}

/**
 * Coalesces `shape` for operands with `strides` (the row-major order of the walk is preserved).
 * All-ones shapes give `[]`; zero extents are kept as they are.
 *
 * @example
 * ```ts
 * import { coalesceDims } from "@tessera/blas";
 * coalesceDims([2, 3, 4], [[12, 4, 1], [0, 0, 0]]); // { shape: [24], strides: [[1], [0]] }
 * ```
 */
export function coalesceDims(shape: readonly number[], strides: readonly (readonly number[])[]): CoalescedDims {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, v) => outStrides[v][last] === s[d] * n)) {
      outShape[last] *= n;
      strides.forEach((s, v) => (outStrides[v][last] = s[d]));
    } else {
      outShape.push(n);
      strides.forEach((s, v) => outStrides[v].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}
