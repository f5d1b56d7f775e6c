/**
 * Scalar definitions of the elementwise ops, in float64 like the reference JS device
 * (packages/blas/src/device/js/scalar-ops.ts), so results differ from it only by the last-bit
 * differences of the math library.
 */

const SQRT1_2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;

/**
 * erf(x) to double precision: its Maclaurin series while |x| < 2.5; beyond, erfc from the
 * continued fraction erfc(a) = e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))) evaluated
 * by Lentz's method; ±1 past |x| = 6.
 */
export function erf(x: f64): f64 {
  const a = Math.abs(x);
  if (isNaN(x)) return x;
  if (a < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (a > 6) return x > 0 ? 1 : -1;
  const tiny: f64 = 1e-300;
  let f = a, c = a, d: f64 = 0;
  for (let i = 1; i < 200; i++) {
    const an = <f64>i * 0.5;
    d = a + an * d;
    d = d == 0 ? 1 / tiny : 1 / d;
    c = a + an / c;
    if (c == 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** σ(x), stable for large |x|. */
export function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** GELU, exact (erf) form. */
export function gelu(x: f64): f64 {
  return 0.5 * x * (1 + erf(x * SQRT1_2));
}

/** d GELU / dx = Φ(x) + x·φ(x). */
export function geluDerivative(x: f64): f64 {
  return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Unary op codes, in the order of the JS side's table (src/op-codes.ts). */
export function unaryScalar(op: i32, x: f64, p0: f64, p1: f64): f64 {
  switch (op) {
    case 0: return x;
    case 1: return -x;
    case 2: return Math.abs(x);
    case 3: return x > 0 ? 1 : x < 0 ? -1 : x;
    case 4: return Math.exp(x);
    case 5: return Math.log(x);
    case 6: return Math.sqrt(x);
    case 7: return 1 / Math.sqrt(x);
    case 8: return x * x;
    case 9: return 1 / x;
    case 10: return Math.tanh(x);
    case 11: return sigmoid(x);
    case 12: return x > 0 ? x : isNaN(x) ? x : 0;
    case 13: return x > 0 ? 1 : 0;
    case 14: return gelu(x);
    case 15: return x > 0 ? x : p0 * x;
    case 16: return Math.pow(x, p0);
    case 17: return p0 * x + p1;
    case 18: return x < p0 ? p0 : x > p1 ? p1 : x;
    default: return x >= p0 && x <= p1 ? 1 : 0;
  }
}

/** Binary op codes, in the order of the JS side's table (src/op-codes.ts). */
export function binaryScalar(op: i32, a: f64, b: f64, p0: f64): f64 {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return a > b || isNaN(a) ? a : b;
    case 5: return a < b || isNaN(a) ? a : b;
    case 6: return Math.pow(a, b);
    case 7: return b > 0 ? a : 0;
    case 8: return b > 0 ? a : p0 * a;
    case 9: return a * b * (1 - b);
    case 10: return a * (1 - b * b);
    case 11: return a * geluDerivative(b);
    default: return a == b ? 1 : 0;
  }
}
