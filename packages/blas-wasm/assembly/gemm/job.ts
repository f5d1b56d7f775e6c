/**
 * The sgemm job: a block of i32/f32 slots in linear memory written by the JS side (src/gemm.ts)
 * and read by every thread; the slots are the J_ constants of layout.generated.ts.
 */

/** Reads an i32 slot. */
// @ts-ignore: decorator
@inline export function slot(job: usize, i: i32): i32 {
  return load<i32>(job + <usize>(i << 2));
}

/** Reads an f32 slot. */
// @ts-ignore: decorator
@inline export function slotF(job: usize, i: i32): f32 {
  return load<f32>(job + <usize>(i << 2));
}
