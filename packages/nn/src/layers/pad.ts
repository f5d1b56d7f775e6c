/**
 * Non-zero padding of NCHW input for {@link Conv2d}'s `paddingMode` (PyTorch's 'reflect',
 * 'replicate', 'circular'), built from autograd's `slice` and `concat` so the gradient flows back
 * through the padded border.
 */
import { concat, slice, type SliceRange, type Tensor } from "@tessera/autograd";

/**
 * How {@link Conv2d} pads its input (PyTorch's `padding_mode`).
 *
 * @example
 * ```ts
 * import { Conv2d, type PaddingMode } from "@tessera/nn";
 * const mode: PaddingMode = "reflect";
 * new Conv2d(3, 8, 3, { padding: 1, paddingMode: mode });
 * ```
 */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** The padding modes, for checks. @internal */
export const PADDING_MODES: readonly PaddingMode[] = ["zeros", "reflect", "replicate", "circular"];

/** `[start, stop, step]` on axis `axis` of a 4-D tensor, everything elsewhere. */
function along(x: Tensor, axis: 2 | 3, range: SliceRange): Tensor {
  const specs: SliceRange[] = [null, null, null, null];
  specs[axis] = range;
  return slice(x, ...specs);
}

/** Pads one spatial axis by `before` and `after` cells. */
function padAxis(fn: string, x: Tensor, axis: 2 | 3, before: number, after: number, mode: Exclude<PaddingMode, "zeros">): Tensor {
  if (before === 0 && after === 0) return x;
  const n = x.shape[axis];
  const dim = axis === 2 ? "height" : "width";
  const limit = mode === "reflect" ? n - 1 : mode === "circular" ? n : Infinity;
  if (Math.max(before, after) > limit) {
    throw new RangeError(`${fn}: '${mode}' padding (${before}, ${after}) must be ${mode === "reflect" ? "<" : "<="} the input ${dim} (${n})`);
  }
  const parts: Tensor[] = [];
  if (before > 0) {
    if (mode === "reflect") parts.push(along(x, axis, [before, 0, -1]));
    else if (mode === "circular") parts.push(along(x, axis, [n - before, n]));
    else for (let i = 0; i < before; i++) parts.push(along(x, axis, [0, 1]));
  }
  parts.push(x);
  if (after > 0) {
    if (mode === "reflect") parts.push(along(x, axis, [n - 2, n - 2 - after >= 0 ? n - 2 - after : null, -1]));
    else if (mode === "circular") parts.push(along(x, axis, [0, after]));
    else for (let i = 0; i < after; i++) parts.push(along(x, axis, [n - 1, n]));
  }
  return concat(parts, axis);
}

/**
 * Pads NCHW input by `[top, bottom, left, right]` with a non-zero mode (as PyTorch's `F.pad`).
 * @internal
 */
export function padNCHW(fn: string, x: Tensor, padding: readonly [number, number, number, number], mode: Exclude<PaddingMode, "zeros">): Tensor {
  const [top, bottom, left, right] = padding;
  return padAxis(fn, padAxis(fn, x, 3, left, right, mode), 2, top, bottom, mode);
}
