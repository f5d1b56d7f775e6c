/**
 * Planning of one sgemm on the engine: picks the path (sgemv for a single row or column of C),
 * turns a column-major C into a row-major one (Cᵀ = Bᵀ·Aᵀ), chooses the thread count and the task
 * width, lays out the scratch (job record, tiles, phase counters, packed A and B) and runs the job.
 * Operands are byte addresses of element (0, 0); strides are in elements.
 * @internal
 */
import type { GemmBlocking } from "./blocking.js";
import { J, J_BYTES } from "./layout.generated.js";
import { align64 } from "./scratch-layout.js";
import type { WasmEngine } from "./engine.js";

/** Register tile of the micro-kernel (assembly/gemm/micro.ts). @internal */
export const MR = 4;
/** @internal */
export const NR = 8;

/** Row strides of B that are multiples of this many bytes are never read in place (cache-set aliasing). */
const ALIAS_BYTES = 4096;

/** A strided matrix operand: address of element (0, 0) and its two strides. @internal */
export interface MatrixRef {
  readonly at: number;
  readonly s1: number;
  readonly s2: number;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * The K blocking used for a given K: blocks of at most KC, split evenly (K = 257 runs 129 + 128,
 * not 256 + 1). A function of K and KC only, so every thread count uses the same K order.
 * @internal
 */
export function kBlock(K: number, KC: number): number {
  return Math.ceil(K / Math.ceil(K / KC));
}

/** How one product runs: threads, K block, columns per NC block and per task, phases, B in place. @internal */
export interface GemmPlan {
  readonly active: number;
  readonly kc: number;
  readonly NC: number;
  readonly taskCols: number;
  readonly phases: number;
  readonly direct: 0 | 1;
}

/**
 * Plans a (row-major C) product for at most `threads` threads. Small products stay on one thread;
 * with several, the compute phase is cut into about 4 tasks per thread (MC rows × task columns).
 * @internal
 */
export function planGemm(bl: GemmBlocking, threads: number, M: number, N: number, K: number, B: MatrixRef): GemmPlan {
  const flops = 2 * M * N * K;
  const active = Math.max(1, Math.min(threads, Math.floor(flops / Math.max(1, bl.minFlopsPerThread))));
  const kc = kBlock(K, bl.KC);
  const NC = Math.min(bl.NC, roundUp(N, NR));
  const rowBlocks = Math.ceil(M / bl.MC);
  const colTasks = active === 1 ? 1 : Math.ceil((4 * active) / rowBlocks);
  const taskCols = Math.max(NR, roundUp(Math.ceil(NC / colTasks), NR));
  const phases = 2 * Math.ceil(N / NC) * Math.ceil(K / kc);
  // Rows of B a multiple of 4 KiB apart fall into one L1 set (and few L2 sets): read in place,
  // a micro-panel would thrash the caches (1024² ran at 33 GFLOP/s in place, 58 packed).
  const direct = M <= bl.directBMaxM && B.s2 === 1 && (Math.abs(B.s1) * 4) % ALIAS_BYTES !== 0 ? 1 : 0;
  return { active, kc, NC, taskCols, phases, direct };
}

/**
 * C ← α·A·B + β·C with M, N, K > 0 and α ≠ 0 (the front end's contract); β = 0 never reads C.
 * `threads` caps the threads used (default: the engine's).
 * @internal
 */
export function gemm(e: WasmEngine, M: number, N: number, K: number, alpha: number, A: MatrixRef, B: MatrixRef,
  beta: number, C: MatrixRef, threads = e.threads): void {
  if (M === 1 || N === 1) {
    // y = op·x on the single row (or column) of C.
    if (M === 1) gemv(e, N, K, alpha, B.at, B.s2, B.s1, A.at, A.s2, beta, C.at, C.s2);
    else gemv(e, M, K, alpha, A.at, A.s1, A.s2, B.at, B.s1, beta, C.at, C.s1);
    return;
  }
  if (C.s1 === 1 && C.s2 !== 1) {
    // Column-major C: compute Cᵀ = Bᵀ·Aᵀ so the micro-kernel stores whole rows.
    [M, N, A, B, C] = [N, M, { at: B.at, s1: B.s2, s2: B.s1 }, { at: A.at, s1: A.s2, s2: A.s1 }, { at: C.at, s1: C.s2, s2: C.s1 }];
  }
  const p = planGemm(e.blocking, Math.min(threads, e.threads), M, N, K, B);
  const { active, kc, NC, taskCols, phases, direct } = p;
  const bl = e.blocking;
  // Scratch layout: job | tiles | counters | packed A | packed B.
  const tiles = J_BYTES;
  const counters = tiles + align64(active * 128);
  const packA = counters + align64(phases * 8);
  const packB = packA + align64(roundUp(M, MR) * kc * 4);
  const total = packB + align64(NC * kc * 4);
  const base = e.heap.scratch(total, "sgemm");
  const i32 = e.heap.i32();
  const f32 = e.heap.f32();
  const j = base >>> 2;
  i32.fill(0, (base + counters) >>> 2, (base + packA) >>> 2);
  i32[j + J.M] = M;
  i32[j + J.N] = N;
  i32[j + J.K] = K;
  f32[j + J.ALPHA] = alpha;
  f32[j + J.BETA] = beta;
  i32[j + J.A] = A.at;
  i32[j + J.SA1] = A.s1;
  i32[j + J.SA2] = A.s2;
  i32[j + J.B] = B.at;
  i32[j + J.SB1] = B.s1;
  i32[j + J.SB2] = B.s2;
  i32[j + J.C] = C.at;
  i32[j + J.SC1] = C.s1;
  i32[j + J.SC2] = C.s2;
  i32[j + J.MC] = bl.MC;
  i32[j + J.KC] = kc;
  i32[j + J.NC] = NC;
  i32[j + J.PACK_A] = base + packA;
  i32[j + J.PACK_B] = base + packB;
  i32[j + J.THREADS] = active;
  i32[j + J.DIRECT_B] = direct;
  i32[j + J.TILES] = base + tiles;
  i32[j + J.COUNTERS] = base + counters;
  i32[j + J.TASK_COLS] = taskCols;
  i32[j + J.MAIN_CAN_BLOCK] = e.mainCanBlock ? 1 : 0;
  e.runJob(base, active);
}

/** y ← α·A·x + β·y on the engine (A is m×n; strides in elements, pointers in bytes). @internal */
export function gemv(e: WasmEngine, m: number, n: number, alpha: number, a: number, sa1: number, sa2: number,
  x: number, sx: number, beta: number, y: number, sy: number): void {
  const scratch = e.heap.scratch((Math.max(m, n) + 16) * 4 + 4096, "sgemv");
  e.exports.sgemv(m, n, alpha, a, sa1, sa2, x, sx, beta, y, sy, scratch);
}
