/**
 * The products M[p] = U[p]·V[p] of the Winograd convolutions (F(2×2) and F(4×4): 16 or 36
 * positions) on the sgemm micro-kernel (assembly/gemm/micro.ts), U in panels of MR = 4 output
 * channels and V in panels of NR = 8 tiles, as the transforms write them: the task of phase G
 * (and of the blocks) on the shared U, and the products of an output-channel panel task (phase 5)
 * on its own U. Both sum each element over K in KC blocks in the same order: the same bits.
 */
import { imin } from "./common";
import { slot } from "./gemm/job";
import { microKernel, MODE_ACCUMULATE, MODE_OVERWRITE, MR, NR } from "./gemm/micro";
import { WJ_C, WJ_KC, WJ_MC, WJ_OC, WJ_TASK_COLS, WJ_U, WJ_UP, WJ_V, WJ_VP } from "./layout.generated";

/**
 * Phase G, task `task`: M[p] rows [i0, i0 + MC) × tiles [j0, j0 + TASK_COLS) of the chunk's
 * product U[p]·V[p] (T tiles), over all of K = C in KC blocks, in this fixed order.
 */
export function productTask(job: usize, V0: usize, VP: usize, M0: usize, MP: usize, T: i32, task: i32, tile: usize): void {
  const cout = slot(job, WJ_OC), cin = slot(job, WJ_C), MC = slot(job, WJ_MC), KC = slot(job, WJ_KC), taskCols = slot(job, WJ_TASK_COLS);
  const rowBlocks = (cout + MC - 1) / MC, colTasks = (T + taskCols - 1) / taskCols;
  const p = task / (rowBlocks * colTasks), rest = task - p * rowBlocks * colTasks;
  const i0 = (rest / colTasks) * MC, j0 = (rest % colTasks) * taskCols;
  const i1 = imin(cout, i0 + MC), j1 = imin(T, j0 + taskCols);
  const U = <usize>slot(job, WJ_U) + <usize>p * <usize>slot(job, WJ_UP);
  const V = V0 + <usize>p * VP;
  const Mp = M0 + <usize>p * MP;
  const sc1 = T << 2;
  for (let pc = 0; pc < cin; pc += KC) {
    const kc = imin(KC, cin - pc);
    const mode = pc > 0 ? MODE_ACCUMULATE : MODE_OVERWRITE;
    for (let jr = j0; jr < j1; jr += NR) {
      const b = V + (<usize>(jr / NR) * <usize>cin << 5) + (<usize>pc << 5);
      const nr = imin(NR, j1 - jr);
      let a = U + (<usize>(i0 / MR) * <usize>cin << 4) + (<usize>pc << 4);
      let c = Mp + (<usize>(i0 * T + jr) << 2);
      for (let ir = i0; ir < i1; ir += MR) {
        microKernel(kc, a, b, 32, c, sc1, 4, imin(MR, i1 - ir), nr, 1, 0, mode, tile);
        a += <usize>cin << 4;
        c += <usize>sc1 << 2;
      }
    }
  }
}

/**
 * The products of a phase-5 task, output channels [o0, o1) (whole panels from o0): for each of
 * the P positions, M[p] = U[p]·V[p] over all of K in KC blocks and every tile, with U[p] (this
 * task's panels, `cin`·16 bytes apart) at U0 + p·uPlane and M[p] (rows of T floats, row o − o0)
 * at M0 + p·mPlane: per output element the operations of {@link productTask}, in its order.
 */
export function panelProducts(job: usize, P: i32, o0: i32, o1: i32, T: i32, U0: usize, uPlane: usize, M0: usize, mPlane: usize, tile: usize): void {
  const cin = slot(job, WJ_C), KC = slot(job, WJ_KC);
  const V0 = <usize>slot(job, WJ_V), VP = <usize>slot(job, WJ_VP);
  const sc1 = T << 2;
  for (let p = 0; p < P; p++) {
    const U = U0 + <usize>p * uPlane, V = V0 + <usize>p * VP, Mp = M0 + <usize>p * mPlane;
    for (let pc = 0; pc < cin; pc += KC) {
      const kc = imin(KC, cin - pc);
      const mode = pc > 0 ? MODE_ACCUMULATE : MODE_OVERWRITE;
      for (let jr = 0; jr < T; jr += NR) {
        const b = V + (<usize>(jr / NR) * <usize>cin << 5) + (<usize>pc << 5);
        const nr = imin(NR, T - jr);
        let a = U + (<usize>pc << 4);
        let c = Mp + (<usize>jr << 2);
        for (let ir = o0; ir < o1; ir += MR) {
          microKernel(kc, a, b, 32, c, sc1, 4, imin(MR, o1 - ir), nr, 1, 0, mode, tile);
          a += <usize>cin << 4;
          c += <usize>sc1 << 2;
        }
      }
    }
  }
}
