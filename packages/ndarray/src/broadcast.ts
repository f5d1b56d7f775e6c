/**
 * NumPy broadcasting: aligning shapes from the right, stretching size-1 axes.
 */
import { formatShape } from "./shape.js";

/** Broadcast shape of `shapes`, with `op` naming the operation in the error. */
export function broadcastShapesFor(op: string, shapes: ReadonlyArray<readonly number[]>): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  const owner = new Array<number>(ndim).fill(-1);
  shapes.forEach((shape, j) => {
    for (let k = 1; k <= shape.length; k++) {
      const d = shape[shape.length - k];
      const axis = ndim - k;
      if (d === 1) continue;
      if (owner[axis] < 0) {
        out[axis] = d;
        owner[axis] = j;
      } else if (out[axis] !== d) {
        const a = formatShape(shapes[owner[axis]]);
        throw new Error(`${op}: cannot broadcast shapes ${a} and ${formatShape(shape)}`);
      }
    }
  });
  return out;
}

/**
 * The shape that arrays of the given shapes broadcast to, by NumPy's rule: align shapes from the
 * right; along each axis the sizes must be equal or 1, and the result takes the larger.
 *
 * @param shapes - Any number of shapes.
 * @returns The broadcast shape (`[]` when called with no shapes or only 0-d shapes).
 * @throws Error `broadcastShapes: cannot broadcast shapes [2,3] and [4]` naming two conflicting inputs.
 *
 * @example
 * ```ts
 * broadcastShapes([2, 1, 3], [4, 1]); // [2, 4, 3]
 * broadcastShapes([2, 3], [4]);       // throws "broadcastShapes: cannot broadcast shapes [2,3] and [4]"
 * ```
 */
export function broadcastShapes(...shapes: Array<readonly number[]>): number[] {
  return broadcastShapesFor("broadcastShapes", shapes);
}

/**
 * Strides that read an array of `shape`/`strides` as `target` (which must be a valid broadcast
 * of it): stretched and prepended axes get stride 0.
 */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : strides[i];
  }
  return out;
}
