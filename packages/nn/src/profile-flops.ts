/**
 * What the profiler calls each device routine and how many floating-point operations it counts
 * for it, from the routine's arguments alone (shapes and geometry, never the data).
 *
 * Conventions: a multiply-add is 2 FLOPs (GEMM and convolution: 2·M·N·K); an elementwise op,
 * a reduction and a pooling window cell are 1 per element; softmax 3 per element (max,
 * exp-and-sum, scale); copies, fills, im2col, transfers and random fills are 0. A routine the
 * profiler does not know (one a newer device adds, or a device's own helper) counts `null`: its time
 * is reported, its FLOPs are left out of the totals, and the report names it.
 * @internal
 */
import type { Conv2dGeometry, Pool2dGeometry } from "@tessera/blas";

function sizeOf(shape: unknown): number {
  return Array.isArray(shape) ? shape.reduce((a: number, b: number) => a * b, 1) : 0;
}

function convMacs(g: Conv2dGeometry, N: number, OC: number): number {
  return N * OC * g.OH * g.OW * g.C * g.KH * g.KW;
}

/** A convolution's forward FLOPs: 2 per multiply-add, plus one add per output when there is a bias (argument 8). */
function convForwardFlops(a: readonly unknown[]): number {
  const g = a[0] as Conv2dGeometry;
  const N = Number(a[1]);
  const OC = Number(a[2]);
  return 2 * convMacs(g, N, OC) + (a[8] !== null && a[8] !== undefined ? N * OC * g.OH * g.OW : 0);
}

function poolCells(g: Pool2dGeometry, planes: number): number {
  return planes * g.OH * g.OW * g.KH * g.KW;
}

/** Routines with an op-name first argument are reported per op: `unary:relu`, `binary:add`. */
const BY_OP = new Set(["unary", "binary", "reduce"]);

/**
 * The op-kind label of a device call: the routine's name, with the op for unary, binary and
 * reduce (`binary:add`).
 */
export function routineKind(name: string, args: readonly unknown[]): string {
  return BY_OP.has(name) && typeof args[0] === "string" ? `${name}:${args[0]}` : name;
}

type Counter = (a: readonly unknown[]) => number;
const n = (i: number): Counter => (a) => Number(a[i]);

const COUNTERS: Record<string, Counter> = {
  sgemm: (a) => 2 * Number(a[2]) * Number(a[3]) * Number(a[4]),
  sgemv: (a) => 2 * Number(a[1]) * Number(a[2]),
  sger: (a) => 2 * Number(a[0]) * Number(a[1]),
  saxpy: (a) => 2 * Number(a[0]),
  sscal: n(0),
  sdot: (a) => 2 * Number(a[0]),
  snrm2: (a) => 2 * Number(a[0]),
  sasum: n(0),
  scopy: () => 0,
  sswap: () => 0,
  isamax: n(0),
  fill: () => 0,
  unary: (a) => (a[0] === "copy" ? 0 : sizeOf(a[1])),
  binary: (a) => sizeOf(a[1]),
  reduce: (a) => sizeOf(a[1]),
  argmax: (a) => sizeOf(a[0]),
  softmax: (a) => 3 * Number(a[0]) * Number(a[1]),
  im2col: () => 0,
  col2im: (a) => {
    const g = a[0] as Conv2dGeometry;
    return Number(a[1]) * g.C * g.KH * g.KW * g.OH * g.OW;
  },
  convForward: (a) => convForwardFlops(a),
  convBackwardFilter: (a) => 2 * convMacs(a[0] as Conv2dGeometry, Number(a[1]), Number(a[2])),
  convBackwardData: (a) => 2 * convMacs(a[0] as Conv2dGeometry, Number(a[1]), Number(a[2])),
  // Winograd does fewer multiplies; like cuDNN's and oneDNN's reports, count the direct
  // convolution's FLOPs, so GFLOP/s are comparable across algorithms ("effective" GFLOP/s).
  convForwardWinograd: (a) => convForwardFlops(a),
  convBackwardDataWinograd: (a) => 2 * convMacs(a[0] as Conv2dGeometry, Number(a[1]), Number(a[2])),
  maxPool2d: (a) => poolCells(a[0] as Pool2dGeometry, Number(a[1])),
  maxPool2dBackward: (a) => {
    const g = a[0] as Pool2dGeometry;
    return Number(a[1]) * g.OH * g.OW;
  },
  avgPool2d: (a) => poolCells(a[0] as Pool2dGeometry, Number(a[1])),
  avgPool2dBackward: (a) => poolCells(a[0] as Pool2dGeometry, Number(a[1])),
  fillRandom: () => 0,
  alloc: () => 0,
  allocUninitialized: () => 0,
  free: () => 0,
  write: () => 0,
  readSync: () => 0,
};

/** FLOPs of one call of routine `name` with `args`, or null for a routine the profiler does not know. */
export function routineFlops(name: string, args: readonly unknown[]): number | null {
  const c = COUNTERS[name];
  if (!c) return null;
  const f = c(args);
  return Number.isFinite(f) ? f : null;
}

/**
 * Device methods the profiler does not time: asynchronous ones (their time is not the work's) and
 * bookkeeping that is not work.
 */
export const UNWRAPPED = new Set(["constructor", "read", "sync", "bytesInUse", "dispose", "memory"]);
