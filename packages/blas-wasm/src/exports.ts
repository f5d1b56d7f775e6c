/**
 * The functions the wasm module exports (assembly/index.ts). Pointers are byte addresses in the
 * module's memory; strides and offsets are in elements unless a name says bytes.
 * @internal
 */
export interface WasmExports {
  /** Zeroes `bytes` bytes at `ptr`. */
  zeroBytes(ptr: number, bytes: number): void;
  heapBase(): number;
  /** Where this instance finds the worker pool's abort flag (assembly/common.ts). */
  setAbortFlag(ptr: number): void;
  gemmRun(job: number, tid: number): void;
  convRun(job: number, tid: number): void;
  convFilterRun(job: number, tid: number): void;
  splitRun(job: number, tid: number): void;
  winogradRun(job: number, tid: number): void;
  winograd4Run(job: number, tid: number): void;
  convPadBatch(src: number, sxn: number, N: number, C: number, H: number, W: number, pT: number, pL: number, Hp: number, Wp: number, dst: number): void;
  convTransposeDy(dy: number, syn: number, N: number, OC: number, P: number, dst: number, OCpad: number): void;
  saxpy(n: number, alpha: number, x: number, sx: number, y: number, sy: number): void;
  sscal(n: number, alpha: number, x: number, sx: number): void;
  scopy(n: number, x: number, sx: number, y: number, sy: number): void;
  sswap(n: number, x: number, sx: number, y: number, sy: number): void;
  sdot(n: number, x: number, sx: number, y: number, sy: number): number;
  snrm2(n: number, x: number, sx: number): number;
  sasum(n: number, x: number, sx: number): number;
  isamax(n: number, x: number, sx: number): number;
  sgemv(m: number, n: number, alpha: number, a: number, sa1: number, sa2: number, x: number, sx: number,
    beta: number, y: number, sy: number, scratch: number): void;
  sger(m: number, n: number, alpha: number, x: number, sx: number, y: number, sy: number, a: number, sa1: number, sa2: number): void;
  fill(nd: number, desc: number, y: number, bits: number): void;
  unary(op: number, nd: number, desc: number, x: number, y: number, p0: number, p1: number): void;
  binary(op: number, nd: number, desc: number, a: number, b: number, out: number, p0: number): void;
  reduce(op: number, ndK: number, descK: number, ndR: number, descR: number, x: number, y: number): void;
  argmax(ndK: number, descK: number, ndR: number, descR: number, x: number, y: number): void;
  softmax(rows: number, cols: number, x: number, sx0: number, sx1: number, y: number, sy0: number, sy1: number, log: number): void;
  im2col(g: number, n: number, x: number, sxn: number, col: number, ld: number): void;
  col2im(g: number, n: number, col: number, ld: number, x: number, sxn: number): void;
  maxPool(g: number, planes: number, x: number, y: number, arg: number): void;
  maxPoolBackward(g: number, planes: number, dy: number, arg: number, dx: number): void;
  avgPool(g: number, planes: number, countIncludePad: number, backward: number, a: number, b: number): void;
  fillRandom(dist: number, seed: number, counter: number, n: number, y: number, p0: number, p1: number): void;
}
