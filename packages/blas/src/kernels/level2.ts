/**
 * Plain strided Level 2 kernels. Transposes are already stride swaps; arguments are validated.
 * @internal
 */

/**
 * y ← α·A·x + β·y with A an m×n strided matrix. β = 0 never reads y; α = 0 never reads A or x.
 * @internal
 */
export function sgemvKernel(
  m: number, n: number, alpha: number,
  a: Float32Array, sa1: number, sa2: number, oa: number,
  x: Float32Array, sx: number, ox: number,
  beta: number, y: Float32Array, sy: number, oy: number,
): void {
  for (let i = 0, iy = oy, ia = oa; i < m; i++, iy += sy, ia += sa1) {
    let s = 0;
    if (alpha !== 0) {
      for (let j = 0, ja = ia, jx = ox; j < n; j++, ja += sa2, jx += sx) s += a[ja] * x[jx];
    }
    y[iy] = beta === 0 ? alpha * s : alpha * s + beta * y[iy];
  }
}

/** A ← α·x·yᵀ + A. @internal */
export function sgerKernel(
  m: number, n: number, alpha: number,
  x: Float32Array, sx: number, ox: number,
  y: Float32Array, sy: number, oy: number,
  a: Float32Array, sa1: number, sa2: number, oa: number,
): void {
  if (alpha === 0) return;
  for (let i = 0, ix = ox, ia = oa; i < m; i++, ix += sx, ia += sa1) {
    const t = alpha * x[ix];
    for (let j = 0, jy = oy, ja = ia; j < n; j++, jy += sy, ja += sa2) a[ja] += t * y[jy];
  }
}
