/**
 * Plain strided Level 1 kernels over Float32Array. Callers have validated every argument.
 * These are both the reference and the JS device's implementation: a loop is already optimal here.
 * @internal
 */

/** y ← αx + y. @internal */
export function saxpyKernel(n: number, alpha: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number): void {
  if (alpha === 0) return;
  for (let i = 0, ix = ox, iy = oy; i < n; i++, ix += sx, iy += sy) y[iy] += alpha * x[ix];
}

/** x ← αx (α = 0 writes zeros without reading x, so a NaN in x does not survive). @internal */
export function sscalKernel(n: number, alpha: number, x: Float32Array, sx: number, ox: number): void {
  if (alpha === 0) {
    for (let i = 0, ix = ox; i < n; i++, ix += sx) x[ix] = 0;
    return;
  }
  for (let i = 0, ix = ox; i < n; i++, ix += sx) x[ix] *= alpha;
}

/** y ← x. @internal */
export function scopyKernel(n: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number): void {
  for (let i = 0, ix = ox, iy = oy; i < n; i++, ix += sx, iy += sy) y[iy] = x[ix];
}

/** x ↔ y. @internal */
export function sswapKernel(n: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number): void {
  for (let i = 0, ix = ox, iy = oy; i < n; i++, ix += sx, iy += sy) {
    const t = x[ix];
    x[ix] = y[iy];
    y[iy] = t;
  }
}

/** xᵀy, accumulated in float64 and rounded once to float32. @internal */
export function sdotKernel(n: number, x: Float32Array, sx: number, ox: number, y: Float32Array, sy: number, oy: number): number {
  let s = 0;
  for (let i = 0, ix = ox, iy = oy; i < n; i++, ix += sx, iy += sy) s += x[ix] * y[iy];
  return Math.fround(s);
}

/** Euclidean norm, scaled so it neither overflows nor underflows (as reference BLAS does). @internal */
export function snrm2Kernel(n: number, x: Float32Array, sx: number, ox: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = 0, ix = ox; i < n; i++, ix += sx) {
    const v = x[ix];
    if (Number.isNaN(v)) return NaN;
    if (v === 0) continue;
    const a = Math.abs(v);
    if (scale < a) {
      ssq = 1 + ssq * (scale / a) * (scale / a);
      scale = a;
    } else {
      ssq += (a / scale) * (a / scale);
    }
  }
  return Math.fround(scale * Math.sqrt(ssq));
}

/** Σ|xᵢ|. @internal */
export function sasumKernel(n: number, x: Float32Array, sx: number, ox: number): number {
  let s = 0;
  for (let i = 0, ix = ox; i < n; i++, ix += sx) s += Math.abs(x[ix]);
  return Math.fround(s);
}

/**
 * Index (0-based, in vector positions) of the first element of largest |xᵢ|; −1 when n = 0.
 * A NaN is taken as the largest value, at its first position (as OpenBLAS and LAPACK's i*amax do not
 * agree on NaN, we choose the rule that never hides a NaN).
 * @internal
 */
export function isamaxKernel(n: number, x: Float32Array, sx: number, ox: number): number {
  if (n <= 0) return -1;
  let best = 0;
  let max = -1;
  for (let i = 0, ix = ox; i < n; i++, ix += sx) {
    const a = Math.abs(x[ix]);
    if (Number.isNaN(a)) return i;
    if (a > max) {
      max = a;
      best = i;
    }
  }
  return best;
}
