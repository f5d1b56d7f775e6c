/**
 * View layouts: the shape/strides/offset arithmetic behind the NDArray view methods.
 */
import type { TypedArray } from "./dtype.js";
import { checkShape, formatShape, normalizeAxis, sizeOf } from "./shape.js";

/** Shape, strides and offset of a view. */
export interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

/** The read-only view of a layout that NDArray exposes. */
export interface LayoutLike {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Checks that every element the layout can address lies inside `data`. */
export function checkLayout(data: TypedArray, layout: LayoutLike): void {
  const { shape, strides, offset } = layout;
  if (strides.length !== shape.length || !strides.every(Number.isInteger)) {
    throw new Error(`NDArray: strides ${formatShape(strides)} do not fit shape ${formatShape(shape)}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`NDArray: offset ${offset} must be a non-negative integer`);
  }
  if (sizeOf(shape) === 0) return;
  let lo = offset;
  let hi = offset;
  shape.forEach((d, i) => {
    const span = (d - 1) * strides[i];
    if (span < 0) lo += span;
    else hi += span;
  });
  if (lo < 0 || hi >= data.length) {
    throw new RangeError(
      `NDArray: shape ${formatShape(shape)} with strides ${formatShape(strides)} and offset ${offset} ` +
        `addresses elements ${lo}..${hi}, outside data of length ${data.length}`,
    );
  }
}

/** Axes reordered so that result axis `i` is input axis `axes[i]`. */
export function permuteLayout(base: LayoutLike, axes: readonly number[]): Layout {
  const ndim = base.shape.length;
  const resolved = Array.isArray(axes) ? axes.map((a) => normalizeAxis("permute", a, ndim)) : [];
  if (resolved.length !== ndim || new Set(resolved).size !== ndim) {
    throw new Error(
      `permute: axes ${formatShape(axes)} are not a permutation of the ${ndim} axes of shape ${formatShape(base.shape)}`,
    );
  }
  return {
    shape: resolved.map((a) => base.shape[a]),
    strides: resolved.map((a) => base.strides[a]),
    offset: base.offset,
  };
}

/** The layout broadcast to `shape` (stretched and new leading axes get stride 0). */
export function broadcastToLayout(base: LayoutLike, shape: readonly number[]): Layout {
  const target = checkShape("broadcastTo", shape);
  const fail = (): never => {
    throw new Error(`broadcastTo: cannot broadcast shape ${formatShape(base.shape)} to ${formatShape(target)}`);
  };
  const lead = target.length - base.shape.length;
  if (lead < 0) fail();
  const strides = target.map((d, i) => {
    if (i < lead) return 0;
    const own = base.shape[i - lead];
    if (own === d) return base.strides[i - lead];
    return own === 1 ? 0 : fail();
  });
  return { shape: target, strides, offset: base.offset };
}

/** The layout without size-1 axes (all of them, or only `axis`, which must have size 1). */
export function squeezeLayout(base: LayoutLike, axis?: number): Layout {
  const ndim = base.shape.length;
  let keep = (i: number): boolean => base.shape[i] !== 1;
  if (axis !== undefined) {
    const ax = normalizeAxis("squeeze", axis, ndim);
    if (base.shape[ax] !== 1) {
      throw new Error(`squeeze: cannot squeeze axis ${axis} of shape ${formatShape(base.shape)}: size is not 1`);
    }
    keep = (i) => i !== ax;
  }
  const axes = base.shape.map((_, i) => i).filter(keep);
  return { shape: axes.map((i) => base.shape[i]), strides: axes.map((i) => base.strides[i]), offset: base.offset };
}

/** The layout with a size-1 axis inserted at `axis` (in `[-ndim-1, ndim]`). */
export function expandDimsLayout(base: LayoutLike, axis: number): Layout {
  const ndim = base.shape.length;
  const ax = normalizeAxis("expandDims", axis, ndim + 1);
  const shape = base.shape.slice();
  const strides = base.strides.slice();
  shape.splice(ax, 0, 1);
  strides.splice(ax, 0, ax < ndim ? base.strides[ax] * base.shape[ax] : 1);
  return { shape, strides, offset: base.offset };
}
