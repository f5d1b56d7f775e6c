/**
 * Iteration over n-d strided views. Walks all index tuples of `shape` in row-major order with an
 * odometer over the outer dimensions and a tight loop over the last one.
 * @internal
 */

/**
 * Calls `inner(n, offsets)` once per row of the last dimension, with the starting offset of each
 * view; the callee steps each view by its last stride. Returns without calling for empty shapes.
 * @internal
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  inner: (n: number, offsets: number[], lastStrides: number[]) => void,
): void {
  const nd = shape.length;
  for (const d of shape) if (d === 0) return;
  const k = strides.length;
  const cur = offsets.slice();
  const last = strides.map((s) => (nd === 0 ? 0 : s[nd - 1]));
  const n = nd === 0 ? 1 : shape[nd - 1];
  const outer = nd <= 1 ? 0 : nd - 1;
  const idx = new Array<number>(outer).fill(0);
  for (;;) {
    inner(n, cur, last);
    let d = outer - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let v = 0; v < k; v++) cur[v] += strides[v][d];
      if (idx[d] < shape[d]) break;
      for (let v = 0; v < k; v++) cur[v] -= strides[v][d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
