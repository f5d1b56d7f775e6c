/**
 * The scalar definitions of the elementwise ops: the specification every device matches.
 * @internal
 */
import type { BinaryOp, UnaryOp } from "../ops.js";
import { erf } from "./erf.js";

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** σ(x), stable for large |x|. @internal */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** GELU(x) = x·Φ(x), exact (erf) form. @internal */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x * SQRT1_2));
}

/** d GELU / dx = Φ(x) + x·φ(x). @internal */
export function geluDerivative(x: number): number {
  return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Returns the scalar function of a unary op with its parameters bound. @internal */
export function unaryFn(op: UnaryOp, p0: number, p1: number): (x: number) => number {
  switch (op) {
    case "copy": return (x) => x;
    case "neg": return (x) => -x;
    case "abs": return Math.abs;
    case "sign": return (x) => (x > 0 ? 1 : x < 0 ? -1 : x);
    case "exp": return Math.exp;
    case "log": return Math.log;
    case "sqrt": return Math.sqrt;
    case "rsqrt": return (x) => 1 / Math.sqrt(x);
    case "square": return (x) => x * x;
    case "reciprocal": return (x) => 1 / x;
    case "tanh": return Math.tanh;
    case "sigmoid": return sigmoid;
    case "relu": return (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0);
    case "step": return (x) => (x > 0 ? 1 : 0);
    case "gelu": return gelu;
    case "leakyRelu": return (x) => (x > 0 ? x : p0 * x);
    case "pow": return (x) => Math.pow(x, p0);
    case "affine": return (x) => p0 * x + p1;
    case "clamp": return (x) => (x < p0 ? p0 : x > p1 ? p1 : x);
    case "inRange": return (x) => (x >= p0 && x <= p1 ? 1 : 0);
  }
}

/** Returns the scalar function of a binary op with its parameter bound. @internal */
export function binaryFn(op: BinaryOp, p0: number): (a: number, b: number) => number {
  switch (op) {
    case "add": return (a, b) => a + b;
    case "sub": return (a, b) => a - b;
    case "mul": return (a, b) => a * b;
    case "div": return (a, b) => a / b;
    case "maximum": return (a, b) => (a > b || Number.isNaN(a) ? a : b);
    case "minimum": return (a, b) => (a < b || Number.isNaN(a) ? a : b);
    case "pow": return Math.pow;
    case "eq": return (a, b) => (a === b ? 1 : 0);
    case "reluGrad": return (g, x) => (x > 0 ? g : 0);
    case "leakyReluGrad": return (g, x) => (x > 0 ? g : p0 * g);
    case "sigmoidGrad": return (g, y) => g * y * (1 - y);
    case "tanhGrad": return (g, y) => g * (1 - y * y);
    case "geluGrad": return (g, x) => g * geluDerivative(x);
  }
}
