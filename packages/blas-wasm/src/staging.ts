/**
 * Operands of the drop-in BLAS that live outside wasm memory: each one's addressed span is copied
 * into one temporary block of the heap (a memcpy: the packing routines absorb the strides later),
 * and outputs are copied back after the call. Operands already in wasm memory are used in place.
 * @internal
 */
import type { WasmHeap } from "./heap.js";

/** One operand: the array, the element the kernel calls offset 0, its span [lo, hi] and whether it is written. @internal */
export interface StagedOperand {
  readonly data: Float32Array;
  readonly offset: number;
  readonly lo: number;
  readonly hi: number;
  readonly written: boolean;
}

/** Span [lo, hi] of a strided vector (n ≥ 1). @internal */
export function vectorSpan(n: number, stride: number, offset: number): [number, number] {
  const d = (n - 1) * stride;
  return [offset + Math.min(0, d), offset + Math.max(0, d)];
}

/** Span [lo, hi] of a strided rows×cols matrix (rows, cols ≥ 1). @internal */
export function matrixSpan(rows: number, cols: number, s1: number, s2: number, offset: number): [number, number] {
  const d1 = (rows - 1) * s1;
  const d2 = (cols - 1) * s2;
  return [offset + Math.min(0, d1) + Math.min(0, d2), offset + Math.max(0, d1) + Math.max(0, d2)];
}

/**
 * Byte addresses of element `offset` of each operand, staging the external ones; then runs `body`
 * and copies written operands back. The temporary block is freed afterwards; `fn` names the routine
 * in an out-of-memory error.
 * @internal
 */
export function withStaged<R>(heap: WasmHeap, fn: string, ops: readonly StagedOperand[], body: (addresses: number[]) => R): R {
  const external = ops.map((o) => !heap.owns(o.data));
  let bytes = 0;
  const at: number[] = ops.map((o, i) => {
    if (!external[i]) return 0;
    const start = bytes;
    bytes += Math.ceil(((o.hi - o.lo + 1) * 4) / 64) * 64;
    return start;
  });
  // Addresses of in-memory operands are taken before any allocation (a growth would detach them).
  const inPlace = ops.map((o, i) => (external[i] ? 0 : o.data.byteOffset + o.offset * 4));
  if (bytes === 0) return body(inPlace);
  const block = heap.alloc(bytes, fn, `${bytes} bytes to stage host arrays`);
  try {
    const f32 = heap.f32();
    const addresses = ops.map((o, i) => {
      if (!external[i]) return inPlace[i];
      const start = block + at[i];
      f32.set(o.data.subarray(o.lo, o.hi + 1), start >>> 2);
      return start + (o.offset - o.lo) * 4;
    });
    const result = body(addresses);
    const out = heap.f32();
    ops.forEach((o, i) => {
      if (external[i] && o.written) o.data.set(out.subarray((block + at[i]) >>> 2, ((block + at[i]) >>> 2) + o.hi - o.lo + 1), o.lo);
    });
    return result;
  } finally {
    heap.free(block);
  }
}
