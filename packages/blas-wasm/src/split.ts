/**
 * Planning of split jobs (assembly/split.ts): the O(n) routines — elementwise fill, unary and
 * binary (broadcast and strided n-d views included), reductions and argmax, max and average
 * pooling forward and backward, im2col and col2im, unit-stride saxpy and sscal (the optimizers'
 * updates, gradient accumulation) — cut into tasks over the device's threads.
 *
 * A call runs on ⌊elements / `minElementsPerThread`⌋ threads (at most the device's; the threshold
 * is {@link GemmBlocking.minElementsPerThread}, the only one), so small tensors stay on the calling
 * thread and never touch the pool. Tasks (about 4 per thread, taken from an atomic ticket) are
 * whole rows of the walk or, when there are few long rows, column chunks that are multiples of 4,
 * so every element takes the same vector or scalar path as on one thread. A reduction is cut over
 * its kept outputs only: each output is summed whole, in the one-thread order, by one task. So
 * results are bit-identical for every thread count.
 * @internal
 */
import type { Conv2dGeometry, Pool2dGeometry } from "@tessera/blas";
import type { GemmBlocking } from "./blocking.js";
import type { WasmEngine } from "./engine.js";
import { GEO, SJ, SJ_BYTES, SPLIT_ROUTINES } from "./layout.generated.js";
import { descBytes, writeDesc, type Collapsed } from "./nd-desc.js";
import { align64 } from "./scratch-layout.js";

/** Tasks per thread (the ticket evens out a thread that starts late). */
const TASKS_PER_THREAD = 4;

/** Threads a call that touches `elements` elements uses (1: the calling thread alone). @internal */
export function splitThreads(threads: number, bl: GemmBlocking, elements: number): number {
  return Math.max(1, Math.min(threads, Math.floor(elements / Math.max(1, bl.minElementsPerThread))));
}

/** How a walk of `rows` rows of `n` columns is cut for `active` threads. @internal */
export interface SplitPlan {
  readonly active: number;
  readonly tasks: number;
  readonly rowsPerTask: number;
  readonly colChunk: number;
  readonly chunksPerRow: number;
}

/**
 * Cuts `rows` × `n` for `threads` threads: whole rows when there are enough of them, else each row
 * into chunks of a multiple of `quantum` columns (elementwise 4, the vector width: every element
 * then takes its one-thread path; reductions 1; 0 never cuts a row: plane-wise routines).
 * @internal
 */
export function planSplit(threads: number, rows: number, n: number, quantum: number): SplitPlan {
  const want = TASKS_PER_THREAD * threads;
  if (rows >= want || quantum === 0 || n < 2 * quantum) {
    const rowsPerTask = Math.ceil(rows / Math.min(rows, want));
    const tasks = Math.ceil(rows / rowsPerTask);
    return { active: Math.min(threads, tasks), tasks, rowsPerTask, colChunk: n, chunksPerRow: 1 };
  }
  const colChunk = Math.ceil(n / Math.ceil(want / rows) / quantum) * quantum;
  const chunksPerRow = Math.ceil(n / colChunk);
  const tasks = rows * chunksPerRow;
  return { active: Math.min(threads, tasks), tasks, rowsPerTask: 1, colChunk, chunksPerRow };
}

/** A routine of a split job (the names of scripts/layout.mjs's SPLIT_ROUTINES). @internal */
export type SplitRoutine = "fill" | "unary" | "binary" | "reduce" | "argmax" | "maxPool" | "maxPoolBackward" | "avgPool" | "col2im" | "im2col"
  | "saxpy" | "sscal";

/** What one split job runs: the routine, its walk and its arguments (slot names of SJ). @internal */
export interface SplitJob {
  readonly routine: SplitRoutine;
  /** The rows and columns the tasks cut (a plane-wise routine: planes or images, n = 1). */
  readonly rows: number;
  readonly n: number;
  /** The walk's descriptor(s): elementwise one, reductions kept then reduced. */
  readonly descs?: readonly Collapsed[];
  /** Pooling, im2col and col2im: the geometry. */
  readonly geometry?: Conv2dGeometry | Pool2dGeometry;
  readonly op?: number;
  readonly a?: number;
  readonly b?: number;
  readonly c?: number;
  readonly i0?: number;
  readonly i1?: number;
  readonly i2?: number;
  readonly p0?: number;
  readonly p1?: number;
}

const f64 = new Float64Array(1);
const f64Bits = new Int32Array(f64.buffer);

/**
 * Writes the job record, the geometry, the descriptors and one work area per thread to the scratch
 * region and runs the job on `plan.active` threads (`fn` names it in errors). @internal
 */
export function runSplit(e: WasmEngine, fn: string, plan: SplitPlan, job: SplitJob): void {
  const descs = job.descs ?? [];
  const sizes = descs.map((d) => descBytes(d.shape.length, d.strides.length));
  const descTotal = sizes.reduce((s, b) => s + b, 0);
  // Scratch layout: job | geometry | descriptors | a copy of the descriptors per thread.
  const geo = SJ_BYTES;
  const descAt = geo + align64(Object.keys(GEO).length * 4);
  const work = descAt + align64(descTotal);
  const stride = align64(descTotal);
  const base = e.heap.scratch(work + plan.active * stride, fn);
  const i32 = e.heap.i32();
  const j = base >>> 2;
  if (job.geometry) {
    const g = job.geometry as Conv2dGeometry;
    for (const [f, slot] of Object.entries(GEO)) i32[((base + geo) >>> 2) + slot] = f === "C" ? (g.C ?? 0) : g[f as keyof Conv2dGeometry];
  }
  let at = base + descAt;
  const addresses = descs.map((d, i) => {
    writeDesc(i32, at, d);
    at += sizes[i];
    return at - sizes[i];
  });
  const slots: [number, number][] = [
    [SJ.ROUTINE, SPLIT_ROUTINES.indexOf(job.routine)], [SJ.TICKET, 0], [SJ.TASKS, plan.tasks], [SJ.ROWS, job.rows], [SJ.N, job.n],
    [SJ.ROWS_PER_TASK, plan.rowsPerTask], [SJ.COL_CHUNK, plan.colChunk], [SJ.CHUNKS_PER_ROW, plan.chunksPerRow], [SJ.OP, job.op ?? 0],
    [SJ.ND, descs[0]?.shape.length ?? 0], [SJ.DESC, addresses[0] ?? 0], [SJ.ND2, descs[1]?.shape.length ?? 0], [SJ.DESC2, addresses[1] ?? 0],
    [SJ.DESC_BYTES, descTotal], [SJ.WORK, base + work], [SJ.WORK_STRIDE, stride], [SJ.A, job.a ?? 0], [SJ.B, job.b ?? 0],
    [SJ.C, job.c ?? 0], [SJ.D, job.geometry ? base + geo : 0], [SJ.I0, job.i0 ?? 0], [SJ.I1, job.i1 ?? 0], [SJ.I2, job.i2 ?? 0],
  ];
  for (const [s, v] of slots) i32[j + s] = v;
  for (const [s, v] of [[SJ.P0, job.p0 ?? 0], [SJ.P1, job.p1 ?? 0]] as const) {
    f64[0] = v;
    i32[j + s] = f64Bits[0];
    i32[j + s + 1] = f64Bits[1];
  }
  e.runSplitJob(base, plan.active, fn);
}

/** Elements of a collapsed walk. @internal */
export function walkSize(c: Collapsed): number {
  return c.shape.reduce((p, n) => p * n, 1);
}

/**
 * Runs an n-d routine over `c` split over the threads when it is large enough (`elements` of
 * work); returns false, having done nothing, when it stays on the calling thread. @internal
 */
export function splitNd(e: WasmEngine, fn: string, c: Collapsed, elements: number, job: Omit<SplitJob, "rows" | "n">): boolean {
  const reduction = job.routine === "reduce" || job.routine === "argmax";
  const threads = splitThreads(e.threads, e.blocking, elements);
  if (threads === 1) return false;
  const n = c.shape[c.shape.length - 1];
  const rows = walkSize(c) / n;
  const plan = planSplit(threads, rows, n, reduction ? 1 : 4);
  if (plan.active === 1) return false;
  runSplit(e, fn, plan, { ...job, rows, n });
  return true;
}

/**
 * Runs a plane-wise routine (pooling: `rows` planes; im2col, col2im: `rows` images) split over the
 * threads when it is large enough; returns false, having done nothing, otherwise. @internal
 */
export function splitPlanes(e: WasmEngine, fn: string, rows: number, elements: number, job: Omit<SplitJob, "rows" | "n">): boolean {
  const threads = splitThreads(e.threads, e.blocking, elements);
  if (threads === 1) return false;
  const plan = planSplit(threads, rows, 1, 0);
  if (plan.active === 1) return false;
  runSplit(e, fn, plan, { ...job, rows, n: 1 });
  return true;
}

/**
 * Runs saxpy or sscal on `n` unit-stride elements (one row of `n` columns, chunks of a multiple
 * of 4) split over the threads when it is large enough; returns false, having done nothing,
 * otherwise. @internal
 */
export function splitVector(e: WasmEngine, fn: string, n: number, job: Omit<SplitJob, "rows" | "n">): boolean {
  const threads = splitThreads(e.threads, e.blocking, n);
  if (threads === 1) return false;
  const plan = planSplit(threads, 1, n, 4);
  if (plan.active === 1) return false;
  runSplit(e, fn, plan, { ...job, rows: 1, n });
  return true;
}

/** A byte range [lo, hi) of memory. @internal */
export type Span = readonly [number, number];

/** The bytes operand `k` of a walk touches from byte address `at` (empty for an empty walk). @internal */
export function span(c: Collapsed, k: number, at: number): Span {
  if (c.shape.some((n) => n === 0)) return [at, at];
  let lo = at, hi = at + 4;
  c.shape.forEach((n, d) => {
    const reach = 4 * c.strides[k][d] * (n - 1);
    if (reach < 0) lo += reach;
    else hi += reach;
  });
  return [lo, hi];
}

/**
 * Whether the walk of operand `k` visits each element at most once (sufficient test: each
 * dimension's stride, smallest first, passes the reach of the smaller ones). An output that
 * revisits an element (a zero or overlapping stride) is written in walk order: it must not be
 * split, or the last writer would depend on the threads' timing. @internal
 */
export function injective(c: Collapsed, k: number): boolean {
  const dims = c.shape.map((n, d) => [n, Math.abs(c.strides[k][d])] as const).filter(([n]) => n > 1).sort((a, b) => a[1] - b[1]);
  let reach = 0;
  for (const [n, s] of dims) {
    if (s <= reach) return false;
    reach += s * (n - 1);
  }
  return true;
}

/** Whether every output span misses every input span (empty spans miss everything). @internal */
export function apart(outputs: readonly Span[], inputs: readonly Span[]): boolean {
  return outputs.every(([lo, hi]) => inputs.every(([a, b]) => hi <= a || b <= lo || lo === hi || a === b));
}

/** Whether operands `i` and `o` of a walk are the same view (same address, same strides): elementwise in place. @internal */
export function sameView(c: Collapsed, i: number, at: number, o: number, out: number): boolean {
  return at === out && c.strides[i].every((s, d) => s === c.strides[o][d]);
}

/**
 * Whether an elementwise walk may be split: its output (the last operand) visits each element once
 * and each input is either the output's very view or lies apart from it. Anything else is left to
 * the one-thread walk, whose order defines the result. @internal
 */
export function splittable(c: Collapsed, at: readonly number[]): boolean {
  const o = at.length - 1;
  if (!injective(c, o)) return false;
  const out = span(c, o, at[o]);
  return at.slice(0, o).every((a, i) => sameView(c, i, a, o, at[o]) || apart([out], [span(c, i, a)]));
}

/** A one-operand walk (for spans and injectivity of plain arrays). @internal */
export function walk(shape: number[], strides: number[]): Collapsed {
  return { shape, strides: [strides] };
}
