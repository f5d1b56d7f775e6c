/**
 * The specification of sgemm: the obviously correct triple loop. C ← α·A·B + β·C where A is M×K,
 * B is K×N and C is M×N, each addressed by two strides and an offset (transposes are stride swaps).
 * Sums are accumulated in float64 and rounded once when stored. β = 0 never reads C; α = 0 never
 * reads A or B.
 * @internal
 */
export function sgemmRef(
  M: number, N: number, K: number, alpha: number,
  A: Float32Array, sa1: number, sa2: number, oa: number,
  B: Float32Array, sb1: number, sb2: number, ob: number,
  beta: number, C: Float32Array, sc1: number, sc2: number, oc: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      if (alpha !== 0) for (let k = 0; k < K; k++) s += A[oa + i * sa1 + k * sa2] * B[ob + k * sb1 + j * sb2];
      const c = oc + i * sc1 + j * sc2;
      C[c] = beta === 0 ? alpha * s : alpha * s + beta * C[c];
    }
  }
}
