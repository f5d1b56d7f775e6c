/**
 * Entry of the wasm module of `@tessera/blas-wasm`. Every export works on byte addresses in the
 * imported memory (`env.memory`); nothing allocates: the JS side owns the heap.
 */
export { gemmRun } from "./gemm/driver";
export { setAbortFlag } from "./common";
export { saxpy, sscal, scopy, sswap, sdot, snrm2, sasum, isamax } from "./blas1";
export { sgemv, sger } from "./blas2";
export { fill, unary, binary } from "./elementwise";
export { reduce, argmax, softmax } from "./reduce";
export { im2col, col2im } from "./conv";
export { convRun } from "./conv-implicit";
export { convFilterRun, convPadBatch, convTransposeDy } from "./conv-filter";
export { maxPool, maxPoolBackward, avgPool } from "./pool";
export { splitRun } from "./split";
export { fillRandom } from "./random";
export { winogradRun } from "./winograd";
export { winograd4Run } from "./winograd4";

/** Zeroes `bytes` bytes at `ptr` (bulk memory: fast on shared memory too, unlike a JS fill). */
export function zeroBytes(ptr: usize, bytes: usize): void {
  memory.fill(ptr, 0, bytes);
}

/** First byte after the module's static data (math tables): the JS heap starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
