/**
 * The odometer over n-d strided views. A descriptor in linear memory (written by the JS side, see
 * src/nd-desc.ts) holds, as i32: `shape[nd]`, then `strides[nd]` for each of `ops` operands, then a
 * work area of `nd` indices and `ops` running offsets (in elements). Routines walk the outer
 * `nd − 1` dimensions with {@link ndNext} and run a tight loop over the last one.
 */

// @ts-ignore: decorator
@inline function idxBase(desc: usize, nd: i32, ops: i32): usize {
  return desc + <usize>((nd * (1 + ops)) << 2);
}

/** Extent of dimension `d`. */
// @ts-ignore: decorator
@inline export function ndShape(desc: usize, d: i32): i32 {
  return load<i32>(desc + <usize>(d << 2));
}

/** Stride of operand `k` in dimension `d`. */
// @ts-ignore: decorator
@inline export function ndStride(desc: usize, nd: i32, k: i32, d: i32): i32 {
  return load<i32>(desc + <usize>((nd * (1 + k) + d) << 2));
}

/** Current offset (elements) of operand `k`. */
// @ts-ignore: decorator
@inline export function ndOffset(desc: usize, nd: i32, ops: i32, k: i32): i32 {
  return load<i32>(idxBase(desc, nd, ops) + <usize>((nd + k) << 2));
}

/** Resets the walk; returns the number of rows (product of the outer extents; 0 if any is empty). */
export function ndBegin(desc: usize, nd: i32, ops: i32): i32 {
  const w = idxBase(desc, nd, ops);
  memory.fill(w, 0, <usize>((nd + ops) << 2));
  let rows = 1;
  for (let d = 0; d < nd; d++) {
    const n = ndShape(desc, d);
    if (n == 0) return 0;
    if (d < nd - 1) rows *= n;
  }
  return rows;
}

/** Steps to the next row (odometer over dimensions nd−2 … 0). */
export function ndNext(desc: usize, nd: i32, ops: i32): void {
  const w = idxBase(desc, nd, ops);
  for (let d = nd - 2; d >= 0; d--) {
    const ip = w + <usize>(d << 2);
    const i = load<i32>(ip) + 1;
    const n = ndShape(desc, d);
    const wrap = i >= n;
    store<i32>(ip, wrap ? 0 : i);
    for (let k = 0; k < ops; k++) {
      const op = w + <usize>((nd + k) << 2);
      const s = ndStride(desc, nd, k, d);
      store<i32>(op, load<i32>(op) + (wrap ? s * (1 - n) : s));
    }
    if (!wrap) return;
  }
}

/**
 * Places the walk at row `row` (0 ≤ row < rows), as if {@link ndBegin} and `row` calls of
 * {@link ndNext} had run: a thread of a split job starts its share of the rows here.
 */
export function ndSeek(desc: usize, nd: i32, ops: i32, row: i32): void {
  const w = idxBase(desc, nd, ops);
  memory.fill(w, 0, <usize>((nd + ops) << 2));
  let r = row;
  for (let d = nd - 2; d >= 0 && r > 0; d--) {
    const n = ndShape(desc, d);
    const i = r % n;
    r /= n;
    store<i32>(w + <usize>(d << 2), i);
    for (let k = 0; k < ops; k++) {
      const op = w + <usize>((nd + k) << 2);
      store<i32>(op, load<i32>(op) + i * ndStride(desc, nd, k, d));
    }
  }
}
