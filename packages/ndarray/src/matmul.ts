/**
 * Matrix product with NumPy's `matmul` rules (plain loops; fast GEMM lives in @tessera/blas).
 */
import { broadcastShapesFor, broadcastStrides } from "./broadcast.js";
import { allocate, promote } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { formatShape } from "./shape.js";

/**
 * Matrix product `a @ b`, following NumPy's `matmul`:
 * - 2-D @ 2-D is the matrix product `[m,k] @ [k,n] -> [m,n]`;
 * - more dimensions are stacks of matrices, and the leading (batch) dimensions broadcast;
 * - a 1-D `a` is a row vector `[1,k]` and a 1-D `b` a column vector `[k,1]`; the added axis is
 *   removed from the result (so 1-D @ 1-D is the 0-d dot product).
 *
 * Each output is accumulated in float64, in order of `k`, then stored (rounded once to float32).
 * dtype: float64 if either input is float64, int32 if both are int32, float32 otherwise.
 *
 * @throws Error `matmul: shapes [2,3] and [4,5] are not aligned: 3 (axis -1 of a) != 4 (axis -2 of b)`.
 *
 * @example
 * ```ts
 * const a = fromArray([[1, 2], [3, 4]]);
 * matmul(a, eye(2)).toArray();                    // [[1, 2], [3, 4]]
 * matmul(a, fromArray([1, 1])).toArray();         // [3, 7]
 * matmul(zeros([5, 2, 3]), zeros([3, 4])).shape;  // [5, 2, 4]
 * ```
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  if (!(a instanceof NDArray) || !(b instanceof NDArray)) {
    throw new TypeError("matmul: both arguments must be NDArrays");
  }
  const shapes = `${formatShape(a.shape)} and ${formatShape(b.shape)}`;
  if (a.ndim === 0 || b.ndim === 0) throw new Error(`matmul: 0-d operands are not allowed (shapes ${shapes})`);
  const A = a.ndim === 1 ? a.expandDims(0) : a;
  const B = b.ndim === 1 ? b.expandDims(1) : b;
  const [m, k] = A.shape.slice(-2);
  const [k2, n] = B.shape.slice(-2);
  if (k !== k2) {
    throw new Error(`matmul: shapes ${shapes} are not aligned: ${k} (axis -1 of a) != ${k2} (axis ${b.ndim === 1 ? 0 : -2} of b)`);
  }
  const aBatch = A.shape.slice(0, -2);
  const bBatch = B.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapesFor("matmul", [aBatch, bBatch]);
  } catch {
    throw new Error(`matmul: cannot broadcast the batch dimensions of shapes ${shapes}`);
  }
  const aStrides = broadcastStrides(aBatch, A.strides.slice(0, -2), batch);
  const bStrides = broadcastStrides(bBatch, B.strides.slice(0, -2), batch);
  const [as0, as1] = A.strides.slice(-2);
  const [bs0, bs1] = B.strides.slice(-2);
  const batchSize = batch.reduce((p, d) => p * d, 1);
  const out = allocate(promote(a.dtype, b.dtype, true), batchSize * m * n, "matmul", [...batch, m, n]);
  const acc = new Float64Array(n);
  const ad = A.data;
  const bd = B.data;
  for (let t = 0; t < batchSize; t++) {
    let aOff = A.offset;
    let bOff = B.offset;
    for (let axis = batch.length - 1, rest = t; axis >= 0; axis--) {
      const i = rest % batch[axis];
      rest = (rest - i) / batch[axis];
      aOff += i * aStrides[axis];
      bOff += i * bStrides[axis];
    }
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = ad[aOff + i * as0 + p * as1];
        const row = bOff + p * bs0;
        for (let j = 0; j < n; j++) acc[j] += av * bd[row + j * bs1];
      }
      out.set(acc, (t * m + i) * n);
    }
  }
  const shape = [...batch, m, n];
  if (b.ndim === 1) shape.splice(-1, 1);
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return new NDArray(out, shape);
}
