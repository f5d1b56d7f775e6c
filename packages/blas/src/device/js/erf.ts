/**
 * erf(x) to double precision: Maclaurin series for |x| < 2.5, Lentz's continued fraction for
 * erfc beyond. Smooth, so finite differences of GELU agree with its analytic derivative.
 * @internal
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (a > 6) return Math.sign(x);
  // erfc(a) = exp(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …)))) by modified Lentz.
  const tiny = 1e-300;
  let f = a;
  let C = a;
  let D = 0;
  for (let i = 1; i < 200; i++) {
    const an = i / 2;
    D = a + an * D;
    D = D === 0 ? 1 / tiny : 1 / D;
    C = a + an / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
