/**
 * Scalar definitions of the elementwise ops, in float64 like the reference JS device
 * (packages/blas/src/device/js/scalar-ops.ts), so results differ from it only by the last-bit
 * differences of the math library.
 */
import {
  BINARY_ADD, BINARY_DIV, BINARY_GELU_GRAD, BINARY_LEAKY_RELU_GRAD, BINARY_MAXIMUM, BINARY_MINIMUM, BINARY_MUL, BINARY_POW, BINARY_RELU_GRAD,
  BINARY_SIGMOID_GRAD, BINARY_SUB, BINARY_TANH_GRAD, UNARY_ABS, UNARY_AFFINE, UNARY_CLAMP, UNARY_COPY, UNARY_EXP, UNARY_GELU,
  UNARY_LEAKY_RELU, UNARY_LOG, UNARY_NEG, UNARY_POW, UNARY_RECIPROCAL, UNARY_RELU, UNARY_RSQRT, UNARY_SIGMOID, UNARY_SIGN, UNARY_SQRT,
  UNARY_SQUARE, UNARY_STEP, UNARY_TANH,
} from "./layout.generated";

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

/** A unary op on one value (codes: layout.generated.ts; the last, inRange, is the default). */
export function unaryScalar(op: i32, x: f64, p0: f64, p1: f64): f64 {
  switch (op) {
    case UNARY_COPY: return x;
    case UNARY_NEG: return -x;
    case UNARY_ABS: return Math.abs(x);
    case UNARY_SIGN: return x > 0 ? 1 : x < 0 ? -1 : x;
    case UNARY_EXP: return Math.exp(x);
    case UNARY_LOG: return Math.log(x);
    case UNARY_SQRT: return Math.sqrt(x);
    case UNARY_RSQRT: return 1 / Math.sqrt(x);
    case UNARY_SQUARE: return x * x;
    case UNARY_RECIPROCAL: return 1 / x;
    case UNARY_TANH: return Math.tanh(x);
    case UNARY_SIGMOID: return sigmoid(x);
    case UNARY_RELU: return x > 0 ? x : isNaN(x) ? x : 0;
    case UNARY_STEP: return x > 0 ? 1 : 0;
    case UNARY_GELU: return gelu(x);
    case UNARY_LEAKY_RELU: return x > 0 ? x : p0 * x;
    case UNARY_POW: return Math.pow(x, p0);
    case UNARY_AFFINE: return p0 * x + p1;
    case UNARY_CLAMP: return x < p0 ? p0 : x > p1 ? p1 : x;
    default: return x >= p0 && x <= p1 ? 1 : 0;
  }
}

/** A binary op on one pair (codes: layout.generated.ts; the last, eq, is the default). */
export function binaryScalar(op: i32, a: f64, b: f64, p0: f64): f64 {
  switch (op) {
    case BINARY_ADD: return a + b;
    case BINARY_SUB: return a - b;
    case BINARY_MUL: return a * b;
    case BINARY_DIV: return a / b;
    case BINARY_MAXIMUM: return a > b || isNaN(a) ? a : b;
    case BINARY_MINIMUM: return a < b || isNaN(a) ? a : b;
    case BINARY_POW: return Math.pow(a, b);
    case BINARY_RELU_GRAD: return b > 0 ? a : 0;
    case BINARY_LEAKY_RELU_GRAD: return b > 0 ? a : p0 * a;
    case BINARY_SIGMOID_GRAD: return a * b * (1 - b);
    case BINARY_TANH_GRAD: return a * (1 - b * b);
    case BINARY_GELU_GRAD: return a * geluDerivative(b);
    default: return a == b ? 1 : 0;
  }
}
