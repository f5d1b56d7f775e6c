/**
 * Split jobs: one O(n) routine (elementwise, reduction, pooling, im2col/col2im, unit-stride saxpy
 * and sscal) cut into tasks that
 * the threads of the pool take from an atomic ticket. Task t covers rows [r0, r1) and columns
 * [c0, c1) of the routine's walk: either ROWS_PER_TASK whole rows (COL_CHUNK = N, one chunk per
 * row), or one chunk of COL_CHUNK columns (a multiple of 4) of one row. For pooling, im2col and
 * col2im a row is a plane or an image (N = 1). Every output element is written by exactly one task,
 * computed as the whole routine computes it, so results do not depend on the thread count.
 *
 * The n-d walks keep their position in the descriptor: each thread first copies the descriptors
 * to its own work area (WORK + tid · WORK_STRIDE).
 *
 * Job record (i32 slots, P0 and P1 float64, written by src/split.ts): see the SJ_ constants.
 */
import { saxpy, sscal } from "./blas1";
import { fetchAdd, imin } from "./common";
import { col2im, im2col } from "./conv";
import { binaryPart, fillPart, unaryPart } from "./elementwise";
import {
  SJ_A, SJ_B, SJ_C, SJ_CHUNKS_PER_ROW, SJ_COL_CHUNK, SJ_D, SJ_DESC, SJ_DESC2, SJ_DESC_BYTES, SJ_I0, SJ_I1, SJ_I2, SJ_N, SJ_ND, SJ_ND2,
  SJ_OP, SJ_P0, SJ_P1, SJ_ROUTINE, SJ_ROWS, SJ_ROWS_PER_TASK, SJ_TASKS, SJ_TICKET, SJ_WORK, SJ_WORK_STRIDE, SPLIT_ARGMAX, SPLIT_AVG_POOL,
  SPLIT_BINARY, SPLIT_COL2IM, SPLIT_FILL, SPLIT_IM2COL, SPLIT_MAX_POOL, SPLIT_MAX_POOL_BACKWARD, SPLIT_REDUCE, SPLIT_SAXPY, SPLIT_SSCAL,
  SPLIT_UNARY,
} from "./layout.generated";
import { avgPool, maxPool, maxPoolBackward } from "./pool";
import { argmaxPart, reducePart } from "./reduce";

// @ts-ignore: decorator
@inline function slot(job: usize, i: i32): i32 {
  return load<i32>(job + <usize>(i << 2));
}

// @ts-ignore: decorator
@inline function slotU(job: usize, i: i32): usize {
  return <usize>load<i32>(job + <usize>(i << 2));
}

// @ts-ignore: decorator
@inline function slotF64(job: usize, i: i32): f64 {
  return load<f64>(job + <usize>(i << 2));
}

/** Runs the tasks of split job `job` that this thread (`tid`) takes. */
export function splitRun(job: usize, tid: i32): void {
  const tasks = slot(job, SJ_TASKS), rows = slot(job, SJ_ROWS), n = slot(job, SJ_N);
  const perTask = slot(job, SJ_ROWS_PER_TASK), chunk = slot(job, SJ_COL_CHUNK), chunks = slot(job, SJ_CHUNKS_PER_ROW);
  let desc = slotU(job, SJ_DESC), desc2 = slotU(job, SJ_DESC2);
  const bytes = slot(job, SJ_DESC_BYTES);
  if (bytes > 0) {
    const work = slotU(job, SJ_WORK) + <usize>(tid * slot(job, SJ_WORK_STRIDE));
    memory.copy(work, desc, <usize>bytes);
    desc2 = work + (desc2 - desc);
    desc = work;
  }
  const ticket = job + <usize>(SJ_TICKET << 2);
  for (let t = fetchAdd(ticket, 1); t < tasks; t = fetchAdd(ticket, 1)) {
    const r0 = (t / chunks) * perTask, r1 = imin(rows, r0 + perTask);
    const c0 = (t % chunks) * chunk, c1 = imin(n, c0 + chunk);
    runPart(job, desc, desc2, r0, r1, c0, c1);
  }
}

/** One task: the routine of the job over rows [r0, r1) and columns [c0, c1). */
function runPart(job: usize, desc: usize, desc2: usize, r0: i32, r1: i32, c0: i32, c1: i32): void {
  const routine = slot(job, SJ_ROUTINE), op = slot(job, SJ_OP), nd = slot(job, SJ_ND);
  const a = slotU(job, SJ_A), b = slotU(job, SJ_B), c = slotU(job, SJ_C);
  const i0 = slot(job, SJ_I0), i1 = slot(job, SJ_I1), i2 = slot(job, SJ_I2);
  switch (routine) {
    case SPLIT_FILL: fillPart(nd, desc, a, i0, r0, r1, c0, c1); break;
    case SPLIT_UNARY: unaryPart(op, nd, desc, a, b, slotF64(job, SJ_P0), slotF64(job, SJ_P1), r0, r1, c0, c1); break;
    case SPLIT_BINARY: binaryPart(op, nd, desc, a, b, c, slotF64(job, SJ_P0), r0, r1, c0, c1); break;
    case SPLIT_REDUCE: reducePart(op, nd, desc, slot(job, SJ_ND2), desc2, a, b, r0, r1, c0, c1); break;
    case SPLIT_ARGMAX: argmaxPart(nd, desc, slot(job, SJ_ND2), desc2, a, b, r0, r1, c0, c1); break;
    // Unit-stride vectors: one row, columns [c0, c1).
    case SPLIT_SAXPY: saxpy(c1 - c0, slotF64(job, SJ_P0), a + <usize>(c0 << 2), 1, b + <usize>(c0 << 2), 1); break;
    case SPLIT_SSCAL: sscal(c1 - c0, slotF64(job, SJ_P0), a + <usize>(c0 << 2), 1); break;
    default: {
      // Planes (pooling: I0 input and I1 output elements per plane) or images (im2col, col2im:
      // I0 = ld, I1 = elements between images of x, I2 = OH·OW columns per image).
      const g = slotU(job, SJ_D), count = r1 - r0;
      if (routine == SPLIT_MAX_POOL) {
        maxPool(g, count, a + <usize>(r0 * i0 << 2), b + <usize>(r0 * i1 << 2), c == 0 ? 0 : c + <usize>(r0 * i1 << 2)); // c = 0: no indices
      } else if (routine == SPLIT_MAX_POOL_BACKWARD) {
        maxPoolBackward(g, count, a + <usize>(r0 * i1 << 2), b + <usize>(r0 * i1 << 2), c + <usize>(r0 * i0 << 2));
      } else if (routine == SPLIT_AVG_POOL) {
        // op: backward (a = dy, b = dx) or forward (a = x, b = y); i2: countIncludePad.
        const inA = op ? i1 : i0, inB = op ? i0 : i1;
        avgPool(g, count, i2, op, a + <usize>(r0 * inA << 2), b + <usize>(r0 * inB << 2));
      } else if (routine == SPLIT_COL2IM) {
        col2im(g, count, a + <usize>(r0 * i2 << 2), i0, b + <usize>(r0 * i1 << 2), i1);
      } else if (routine == SPLIT_IM2COL) {
        im2col(g, count, a + <usize>(r0 * i1 << 2), i1, b + <usize>(r0 * i2 << 2), i0);
      }
    }
  }
}
