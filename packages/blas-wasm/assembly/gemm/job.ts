/**
 * The sgemm job: a block of i32/f32 slots in linear memory written by the JS side (see
 * src/gemm.ts, which mirrors these offsets) and read by every thread.
 */

/** Slot indices (×4 bytes). Pointers are byte addresses; strides are in elements. */
export const J_M = 0;
export const J_N = 1;
export const J_K = 2;
export const J_ALPHA = 3;
export const J_BETA = 4;
export const J_A = 5;
export const J_SA1 = 6;
export const J_SA2 = 7;
export const J_B = 8;
export const J_SB1 = 9;
export const J_SB2 = 10;
export const J_C = 11;
export const J_SC1 = 12;
export const J_SC2 = 13;
export const J_MC = 14;
export const J_KC = 15;
export const J_NC = 16;
export const J_PACK_A = 17;
export const J_PACK_B = 18;
export const J_THREADS = 19;
/** 1: full NR-column panels of a row-contiguous B are read in place instead of packed. */
export const J_DIRECT_B = 20;
/** Base of the per-thread 128-byte tile scratch. */
export const J_TILES = 21;
/** Base of the phase counters: two i32 per phase (task ticket, barrier arrivals), zeroed. */
export const J_COUNTERS = 22;
/** Columns of C per compute task (a multiple of NR). */
export const J_TASK_COLS = 23;
/** 1 if thread 0 (the caller's thread) may block in `memory.atomic.wait32` (not a browser's main thread). */
export const J_MAIN_CAN_BLOCK = 24;

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
