/**
 * The two building blocks of elementwise ops: `unaryOp` (y = f(x) with scalar parameters) and
 * `binaryOp` (broadcasting). Each op file supplies the device op name and its backward rule.
 * @internal
 */
import type { BinaryOp, UnaryOp } from "@tessera/blas";
import { checkTensor } from "../args.js";
import type { Tensor } from "../tensor.js";
import { alloc, broadcastPair, broadcastView, checkFloat, record, sameDevice } from "./util.js";

/** y = op(x; p0, p1) with `backward(g, x, y)`. */
export function unaryOp(
  name: string, op: UnaryOp, x: Tensor, p0: number, p1: number,
  backward: ((g: Tensor, x: Tensor, y: Tensor) => Tensor) | null,
): Tensor {
  checkTensor(name, "x", x);
  sameDevice(name, x);
  checkFloat(name, "x", x);
  const y = alloc(x, x.shape);
  x.device.unary(op, x.shape, x.view(), y.view(), p0, p1);
  if (!backward) return y;
  return record(y, name, [x], () => ({ backward: (g: Tensor) => [backward(g, x, y)] }));
}

/** out = op(a, b) with broadcasting and `backward(g, a, b, out)` → gradients at the broadcast shape. */
export function binaryOp(
  name: string, op: BinaryOp, a: Tensor, b: Tensor, p0: number,
  backward: ((g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null]) | null,
): Tensor {
  checkTensor(name, "a", a);
  checkTensor(name, "b", b);
  sameDevice(name, a, b);
  checkFloat(name, "a", a);
  checkFloat(name, "b", b);
  const shape = broadcastPair(name, a, b);
  const out = alloc(a, shape);
  a.device.binary(op, shape, broadcastView(name, a, shape), broadcastView(name, b, shape), out.view(), p0);
  if (!backward) return out;
  return record(out, name, [a, b], () => ({ backward: (g: Tensor) => backward(g, a, b, out) }));
}
