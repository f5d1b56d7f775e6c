/**
 * The sgemm driver: BLIS's loops around the micro-kernel, shared by one or many threads.
 *
 * ```
 * for jc (NC columns of C)
 *   for pc (KC of K)                    same K order for every thread count → bitwise invariance
 *     pack phase:    A[:, pc] (all M rows) and B[pc, jc] into shared buffers, tasks of 16 panels
 *     barrier
 *     compute phase: tasks = (MC rows of C) × (task-cols columns); each task runs
 *                    jr (NR) → ir (MR) → micro-kernel, the B micro-panel staying in L1
 *     barrier
 * ```
 * Threads pull tasks from an atomic ticket per phase, so M and N are split, never K: every C
 * element is accumulated in the same order whatever the thread count.
 */
import { aborted, barrier, fetchAdd, imin } from "../common";
import {
  J_A, J_ALPHA, J_B, J_BETA, J_C, J_COUNTERS, J_DIRECT_B, J_K, J_KC, J_M, J_MC, J_N, J_NC, J_PACK_A, J_PACK_B, J_MAIN_CAN_BLOCK, J_SA1, J_SA2, J_SB1, J_SB2, J_SC1, J_SC2, J_TASK_COLS, J_THREADS, J_TILES,
} from "../layout.generated";
import { slot, slotF } from "./job";
import { microKernel, MODE_ACCUMULATE, MODE_OVERWRITE, MODE_SCALE, MR, NR } from "./micro";
import { packPanelA, packPanelB } from "./pack";

/** Micro-panels per packing task. */
const PACK_PANELS: i32 = 16;

/**
 * Runs thread `tid`'s share of the job at `job` (see job.ts). Every thread of the job calls it;
 * it returns when the whole product is done, or early when the job was aborted (a thread died).
 */
export function gemmRun(job: usize, tid: i32): void {
  const M = slot(job, J_M), N = slot(job, J_N), K = slot(job, J_K);
  const MC = slot(job, J_MC), KC = slot(job, J_KC), NC = slot(job, J_NC);
  const threads = slot(job, J_THREADS);
  const A = <usize>slot(job, J_A), B = <usize>slot(job, J_B);
  const sa1 = slot(job, J_SA1) << 2, sa2 = slot(job, J_SA2) << 2;
  const sb1 = slot(job, J_SB1) << 2, sb2 = slot(job, J_SB2) << 2;
  const packA = <usize>slot(job, J_PACK_A), packB = <usize>slot(job, J_PACK_B);
  const direct = slot(job, J_DIRECT_B) != 0 && sb2 == 4;
  const canBlock = tid > 0 || slot(job, J_MAIN_CAN_BLOCK) != 0;
  let counters = <usize>slot(job, J_COUNTERS);
  const panelsA = (M + MR - 1) / MR;
  const tasksA = (panelsA + PACK_PANELS - 1) / PACK_PANELS;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = imin(NC, N - jc);
    // Columns [0, ncDirect) of this block are read in place; the rest is packed.
    const ncDirect = direct ? (nc / NR) * NR : 0;
    const panelsB = (nc - ncDirect + NR - 1) / NR;
    const tasksB = (panelsB + PACK_PANELS - 1) / PACK_PANELS;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = imin(KC, K - pc);
      const panelBytes = kc << 5;
      for (let t = fetchAdd(counters, 1); t < tasksA + tasksB; t = fetchAdd(counters, 1)) {
        if (t < tasksA) {
          const p1 = imin(panelsA, (t + 1) * PACK_PANELS);
          for (let p = t * PACK_PANELS; p < p1; p++) {
            const i = p * MR;
            packPanelA(A + <usize>(i * sa1 + pc * sa2), sa1, sa2, imin(MR, M - i), kc, packA + <usize>(p * (kc << 4)));
          }
        } else {
          const u = t - tasksA;
          const p1 = imin(panelsB, (u + 1) * PACK_PANELS);
          for (let p = u * PACK_PANELS; p < p1; p++) {
            const j = ncDirect + p * NR;
            packPanelB(B + <usize>(pc * sb1 + (jc + j) * sb2), sb1, sb2, imin(NR, nc - j), kc, packB + <usize>(p * panelBytes));
          }
        }
      }
      barrier(counters + 4, threads, canBlock);
      counters += 8;
      if (aborted()) return;
      computePhase(job, tid, counters, jc, nc, ncDirect, pc, kc);
      barrier(counters + 4, threads, canBlock);
      counters += 8;
      if (aborted()) return;
    }
  }
}

/** The compute phase of one (jc, pc) block: tasks of MC rows × task-cols columns of C. */
function computePhase(job: usize, tid: i32, counters: usize, jc: i32, nc: i32, ncDirect: i32, pc: i32, kc: i32): void {
  const M = slot(job, J_M), MC = slot(job, J_MC), taskCols = slot(job, J_TASK_COLS);
  const alpha = slotF(job, J_ALPHA), beta = slotF(job, J_BETA);
  const B = <usize>slot(job, J_B), C = <usize>slot(job, J_C);
  const sb1 = slot(job, J_SB1) << 2, sb2 = slot(job, J_SB2) << 2;
  const sc1 = slot(job, J_SC1) << 2, sc2 = slot(job, J_SC2) << 2;
  const packA = <usize>slot(job, J_PACK_A), packB = <usize>slot(job, J_PACK_B);
  const tile = <usize>slot(job, J_TILES) + <usize>(tid << 7);
  const mode = pc > 0 || beta == 1 ? MODE_ACCUMULATE : beta == 0 ? MODE_OVERWRITE : MODE_SCALE;
  const rowBlocks = (M + MC - 1) / MC;
  const colTasks = (nc + taskCols - 1) / taskCols;
  const tasks = rowBlocks * colTasks;
  const aPanelBytes = kc << 4;
  for (let t = fetchAdd(counters, 1); t < tasks; t = fetchAdd(counters, 1)) {
    const ic = (t / colTasks) * MC;
    const i1 = imin(M, ic + MC);
    const j0 = (t % colTasks) * taskCols;
    const j1 = imin(nc, j0 + taskCols);
    for (let jr = j0; jr < j1; jr += NR) {
      const nr = imin(NR, nc - jr);
      let b: usize, bStride: i32;
      if (jr < ncDirect) {
        b = B + <usize>(pc * sb1 + (jc + jr) * sb2);
        bStride = sb1;
      } else {
        b = packB + <usize>(((jr - ncDirect) / NR) * (kc << 5));
        bStride = 32;
      }
      let c = C + <usize>(ic * sc1 + (jc + jr) * sc2);
      let a = packA + <usize>((ic / MR) * aPanelBytes);
      for (let ir = ic; ir < i1; ir += MR) {
        microKernel(kc, a, b, bStride, c, sc1, sc2, imin(MR, i1 - ir), nr, alpha, beta, mode, tile);
        a += <usize>aPanelBytes;
        c += <usize>(sc1 << 2);
      }
    }
  }
}
