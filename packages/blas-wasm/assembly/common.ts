/**
 * Helpers shared by every kernel: the multiply-add of the micro-kernel (fused when the build has
 * relaxed SIMD), and the atomics of the task scheduler (plain loads and stores in builds without
 * threads, where only one thread ever runs).
 */

/** c + a·b on four lanes: `f32x4.relaxed_madd` in relaxed builds, `mul` then `add` otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Atomically adds `v` to the i32 at `ptr` and returns the old value. */
// @ts-ignore: decorator
@inline export function fetchAdd(ptr: usize, v: i32): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(ptr, v);
  const old = load<i32>(ptr);
  store<i32>(ptr, old + v);
  return old;
}

/** Atomic (sequentially consistent) load of the i32 at `ptr`. */
// @ts-ignore: decorator
@inline export function loadShared(ptr: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.load<i32>(ptr);
  return load<i32>(ptr);
}

/**
 * Address of the worker pool's abort flag (an i32 in the pool's control block; 0 until
 * {@link setAbortFlag}). The JS side sets the flag when a thread of the pool has died: a barrier
 * would otherwise wait for it forever. Each instance (each thread) has its own copy of this global.
 */
let abortFlag: usize = 0;

/** Tells this instance where the pool's abort flag is (called once per thread with threads). */
export function setAbortFlag(ptr: usize): void {
  abortFlag = ptr;
}

/** Whether the running job was abandoned because a thread of the pool died (its results are void). */
// @ts-ignore: decorator
@inline export function aborted(): bool {
  return abortFlag != 0 && loadShared(abortFlag) != 0;
}

/**
 * Spins before a thread that may block goes to sleep at a barrier (tens of microseconds): a futex
 * sleep and wake costs about as much on a VM, and phases are usually shorter than that.
 */
const SPINS: i32 = 20000;

/**
 * Waits until `threads` threads have arrived at the barrier whose counter is at `ptr` (zeroed by
 * the caller before the job; each counter is used once per job, so none is reset). A thread spins
 * briefly, then, if `canBlock` (workers; Node's main thread), sleeps in `memory.atomic.wait32`
 * until the last arrival's notify, so oversubscribed cores do not burn time slices spinning. A
 * browser's main thread may not block: it only spins. Returns early, without the others, when the
 * job was {@link aborted} (a thread of the pool died and will never arrive).
 */
export function barrier(ptr: usize, threads: i32, canBlock: bool): void {
  if (threads <= 1) return;
  if (fetchAdd(ptr, 1) + 1 == threads) {
    if (ASC_FEATURE_THREADS) atomic.notify(ptr);
    return;
  }
  let spins = 0;
  for (let v = loadShared(ptr); v < threads; v = loadShared(ptr)) {
    if (aborted()) return;
    if (ASC_FEATURE_THREADS) {
      if (canBlock && ++spins > SPINS) atomic.wait<i32>(ptr, v, 1000000);
    }
  }
}

/** Address `base + delta` where `delta` may be negative (wrap-around arithmetic on 32 bits). */
// @ts-ignore: decorator
@inline export function at(base: usize, delta: i32): usize {
  return base + <usize>delta;
}

/** The smaller of two i32. */
// @ts-ignore: decorator
@inline export function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** The larger of two i32. */
// @ts-ignore: decorator
@inline export function imax(a: i32, b: i32): i32 {
  return a > b ? a : b;
}
