/**
 * Padding modes of convolution and pooling, resolved to explicit [top, bottom, left, right].
 */
import { fail } from "./validate.js";

/**
 * Zero padding of a 2-D window operation:
 * - `p`: p on every side (PyTorch's `padding=p`);
 * - `[ph, pw]`: ph above and below, pw left and right (PyTorch's `padding=(ph, pw)`);
 * - `[top, bottom, left, right]`: explicit, possibly asymmetric;
 * - `'valid'`: no padding;
 * - `'same'`: TensorFlow's rule, `out = ceil(in / stride)`, see {@link samePadding}.
 *
 * @example
 * ```ts
 * import type { Padding2d } from "@tessera/conv";
 * const p: Padding2d = [0, 1, 0, 1]; // one row below, one column on the right
 * ```
 */
export type Padding2d = number | readonly [number, number] | readonly [number, number, number, number] | "valid" | "same";

/**
 * TensorFlow's 'same' padding along one dimension: the output has `ceil(input / stride)` cells, the
 * total padding is `max((out − 1)·stride + dilation·(kernel − 1) + 1 − input, 0)`, and the odd cell
 * goes after (below / right): `before = floor(total / 2)`, `after = total − before`.
 *
 * @returns `[before, after]`.
 *
 * @example
 * ```ts
 * import { samePadding } from "@tessera/conv";
 * samePadding(5, 3, 1, 1); // [1, 1]
 * samePadding(4, 3, 2, 1); // [0, 1]: asymmetric, as TensorFlow pads
 * ```
 */
export function samePadding(input: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Resolves a {@link Padding2d} to `[top, bottom, left, right]` for an input of `H×W`.
 * @internal
 */
export function resolvePadding(
  fn: string, padding: Padding2d, H: number, W: number, kernel: readonly [number, number],
  stride: readonly [number, number], dilation: readonly [number, number],
): [number, number, number, number] {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") {
    const [t, b] = samePadding(H, kernel[0], stride[0], dilation[0]);
    const [l, r] = samePadding(W, kernel[1], stride[1], dilation[1]);
    return [t, b, l, r];
  }
  const list = typeof padding === "number" ? [padding] : Array.isArray(padding) ? [...padding] : null;
  if (list === null || ![1, 2, 4].includes(list.length) || list.some((p) => typeof p !== "number" || !Number.isInteger(p) || p < 0)) {
    fail(fn, `padding must be a non-negative integer, [h, w], [top, bottom, left, right], 'valid' or 'same', got ${JSON.stringify(padding)}`);
  }
  if (list.length === 1) return [list[0], list[0], list[0], list[0]];
  if (list.length === 2) return [list[0], list[0], list[1], list[1]];
  return [list[0], list[1], list[2], list[3]];
}
