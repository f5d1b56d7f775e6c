/**
 * NumPy basic slicing: integer indices, whole axes and `[start, stop, step]` ranges.
 */
import type { Layout, LayoutLike } from "./layout.js";
import { formatShape } from "./shape.js";

/**
 * A range along one axis, like Python's `start:stop:step`. Missing or `null` entries take the
 * defaults (`0`/`size` for a positive step, `size-1`/"before 0" for a negative one); negative
 * `start`/`stop` count from the end; out-of-range values are clamped as in NumPy.
 *
 * @example
 * ```ts
 * const everyOther: SliceRange = [null, null, 2];
 * const reversed: SliceRange = [null, null, -1];
 * ```
 */
export type SliceRange = readonly [start?: number | null, stop?: number | null, step?: number | null];

/**
 * What {@link NDArray.slice} takes per axis: a number picks one index and drops the axis, `null`
 * keeps the whole axis, a {@link SliceRange} selects a range.
 *
 * @example
 * ```ts
 * const specs: SliceSpec[] = [1, null, [0, 4, 2]];
 * ```
 */
export type SliceSpec = number | SliceRange | null;


/** Resolves a possibly negative index into `[0, size)`, or throws the numpy-style bounds error. */
export function resolveIndex(op: string, index: number, axis: number, size: number): number {
  if (!Number.isInteger(index)) {
    throw new TypeError(`${op}: index ${index} for axis ${axis} is not an integer`);
  }
  if (index < -size || index >= size) {
    throw new RangeError(`${op}: index ${index} is out of bounds for axis ${axis} with size ${size}`);
  }
  return index < 0 ? index + size : index;
}

function optionalInt(op: string, value: number | null | undefined, what: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value)) throw new TypeError(`${op}: slice ${what} ${value} is not an integer`);
  return value;
}

/** Start, step and length of a range over an axis of `size` elements. */
export function resolveRange(op: string, range: SliceRange, size: number): [number, number, number] {
  const step = optionalInt(op, range[2], "step") ?? 1;
  if (step === 0) throw new Error(`${op}: slice step cannot be zero`);
  let start = optionalInt(op, range[0], "start");
  let stop = optionalInt(op, range[1], "stop");
  const lo = step > 0 ? 0 : -1;
  const hi = step > 0 ? size : size - 1;
  const clamp = (v: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + size : v));
  start = start === undefined ? (step > 0 ? 0 : size - 1) : clamp(start);
  stop = stop === undefined ? (step > 0 ? size : -1) : clamp(stop);
  const length = Math.max(0, Math.ceil((stop - start) / step));
  return [start, step, length];
}

/** The layout of `base` sliced by `specs` (NumPy basic indexing; trailing axes are kept whole). */
export function sliceLayout(op: string, base: LayoutLike, specs: readonly SliceSpec[]): Layout {
  if (specs.length > base.shape.length) {
    throw new RangeError(
      `${op}: too many indices for array of shape ${formatShape(base.shape)}: got ${specs.length}`,
    );
  }
  const out: Layout = { shape: [], strides: [], offset: base.offset };
  base.shape.forEach((size, axis) => {
    const spec = axis < specs.length ? specs[axis] : null;
    const stride = base.strides[axis];
    if (typeof spec === "number") {
      out.offset += resolveIndex(op, spec, axis, size) * stride;
    } else if (spec === null || spec === undefined) {
      out.shape.push(size);
      out.strides.push(stride);
    } else if (Array.isArray(spec)) {
      const [start, step, length] = resolveRange(op, spec as SliceRange, size);
      if (length > 0) out.offset += start * stride;
      out.shape.push(length);
      out.strides.push(stride * step);
    } else {
      throw new TypeError(`${op}: invalid slice for axis ${axis}: ${JSON.stringify(spec)}`);
    }
  });
  return out;
}
