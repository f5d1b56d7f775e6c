/**
 * Arithmetic with broadcasting: add, sub, mul, div, neg, pow (scalar exponent), and the fused
 * scalar form `affine` (a·x + b). A number operand never allocates a tensor.
 */
import { checkNumber, checkTensor, describe, isTensor } from "../args.js";
import type { Tensor } from "../tensor.js";
import { binaryOp, unaryOp } from "./elementwise.js";
import { sumTo } from "./util.js";

/**
 * A tensor or a plain number.
 *
 * @example
 * ```ts
 * import type { Operand } from "@tessera/autograd";
 * const two: Operand = 2;
 * ```
 */
export type Operand = Tensor | number;

/**
 * y = a·x + b for numbers a, b (one pass; the building block of scalar arithmetic).
 *
 * @example
 * ```ts
 * import { affine, tensor } from "@tessera/autograd";
 * affine(tensor([1, 2]), 2, 1); // [3, 5]
 * ```
 */
export function affine(x: Tensor, a: number, b: number): Tensor {
  checkTensor("affine", "x", x);
  checkNumber("affine", "a", a);
  checkNumber("affine", "b", b);
  return unaryOp("affine", "affine", x, a, b, (g) => affine(g, a, 0));
}

/**
 * Elementwise a + b with NumPy broadcasting.
 *
 * @example
 * ```ts
 * import { add, tensor } from "@tessera/autograd";
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])); // [[11, 22], [13, 24]]
 * add(tensor([1, 2]), 1);                          // [2, 3]
 * ```
 */
export function add(a: Operand, b: Operand): Tensor {
  checkOperands("add", a, b);
  if (typeof b === "number") return affine(asTensor("add", a), 1, b);
  if (typeof a === "number") return affine(b, 1, a);
  return binaryOp("add", "add", a, b, 0, (g, x, y) => [sumTo(g, x.shape), sumTo(g, y.shape)]);
}

/**
 * Elementwise a − b with broadcasting.
 *
 * @example
 * ```ts
 * import { sub, tensor } from "@tessera/autograd";
 * sub(tensor([5, 7]), tensor([1, 2])); // [4, 5]
 * ```
 */
export function sub(a: Operand, b: Operand): Tensor {
  checkOperands("sub", a, b);
  if (typeof b === "number") return affine(asTensor("sub", a), 1, -b);
  if (typeof a === "number") return affine(b, -1, a);
  return binaryOp("sub", "sub", a, b, 0, (g, x, y) => [sumTo(g, x.shape), sumTo(neg(g), y.shape)]);
}

/**
 * Elementwise a·b with broadcasting.
 *
 * @example
 * ```ts
 * import { mul, tensor } from "@tessera/autograd";
 * mul(tensor([1, 2]), tensor([3, 4])); // [3, 8]
 * ```
 */
export function mul(a: Operand, b: Operand): Tensor {
  checkOperands("mul", a, b);
  if (typeof b === "number") return affine(asTensor("mul", a), b, 0);
  if (typeof a === "number") return affine(b, a, 0);
  return binaryOp("mul", "mul", a, b, 0, (g, x, y) => [
    x.requiresGrad ? sumTo(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumTo(mul(g, x), y.shape) : null,
  ]);
}

/**
 * Elementwise a / b with broadcasting.
 *
 * @example
 * ```ts
 * import { div, tensor } from "@tessera/autograd";
 * div(tensor([1, 2]), 4); // [0.25, 0.5]
 * ```
 */
export function div(a: Operand, b: Operand): Tensor {
  checkOperands("div", a, b);
  if (typeof b === "number") return affine(asTensor("div", a), 1 / b, 0);
  if (typeof a === "number") return mul(pow(b, -1), a);
  return binaryOp("div", "div", a, b, 0, (g, x, y, out) => [
    x.requiresGrad ? sumTo(div(g, y), x.shape) : null,
    y.requiresGrad ? sumTo(neg(div(mul(g, out), y)), y.shape) : null,
  ]);
}

/**
 * Elementwise −x.
 *
 * @example
 * ```ts
 * import { neg, tensor } from "@tessera/autograd";
 * neg(tensor([1, -2])); // [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  checkTensor("neg", "x", x);
  return affine(x, -1, 0);
}

/**
 * Elementwise x^p for a number p (d/dx = p·x^(p−1)).
 *
 * @example
 * ```ts
 * import { pow, tensor } from "@tessera/autograd";
 * pow(tensor([2, 3]), 2); // [4, 9]
 * ```
 */
export function pow(x: Tensor, p: number): Tensor {
  checkTensor("pow", "x", x);
  if (typeof p !== "number") throw new TypeError(`pow: exponent p must be a number, got ${describe(p)}`);
  return unaryOp("pow", "pow", x, p, 0, (g, xi) => mul(g, affine(pow(xi, p - 1), p, 0)));
}

function asTensor(op: string, v: Operand): Tensor {
  if (typeof v === "number") throw new TypeError(`${op}: at least one operand must be a tensor`);
  return v;
}

function checkOperands(op: string, a: unknown, b: unknown): void {
  for (const [name, v] of [["a", a], ["b", b]] as const) {
    if (typeof v !== "number" && !isTensor(v)) throw new TypeError(`${op}: ${name} must be a Tensor or a number, got ${describe(v)}`);
  }
}
