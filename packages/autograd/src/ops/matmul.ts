/**
 * matmul (batched, NumPy broadcasting over leading dimensions) and linear (x·Wᵀ + b), both on
 * sgemm with strided operands: transposed views cost nothing.
 */
import { broadcastShapes } from "@tessera/ndarray";
import { checkTensor } from "../args.js";
import { sizeOf, type Tensor } from "../tensor.js";
import { reshape, transpose } from "./shape.js";
import { alloc, checkFloat, checkOptionalTensor, materialise, record, sameDevice, stridesFor, sumTo } from "./util.js";

/** C[b] = A[b]·B[b] for every batch index, A: [..., M, K], B: [..., K, N] already 2-D or more. */
function batchedGemm(op: string, a: Tensor, b: Tensor): Tensor {
  const M = a.shape[a.ndim - 2];
  const K = a.shape[a.ndim - 1];
  const N = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== K) {
    throw new RangeError(`${op}: inner dimensions differ: [${a.shape.join(",")}] @ [${b.shape.join(",")}]`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new RangeError(`${op}: batch dimensions do not broadcast: [${a.shape.join(",")}] @ [${b.shape.join(",")}]`);
  }
  const out = alloc(a, [...batch, M, N]);
  const sa = stridesFor(op, a.shape.slice(0, -2), a.strides.slice(0, -2), batch);
  const sb = stridesFor(op, b.shape.slice(0, -2), b.strides.slice(0, -2), batch);
  const [a1, a2] = a.strides.slice(-2);
  const [b1, b2] = b.strides.slice(-2);
  const count = sizeOf(batch);
  const idx = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let oa = a.offset;
    let ob = b.offset;
    idx.forEach((v, d) => {
      oa += v * sa[d];
      ob += v * sb[d];
    });
    a.device.sgemm("no-transpose", "no-transpose", M, N, K, 1, a.storage.buffer, a1, a2, oa, b.storage.buffer, b1, b2, ob,
      0, out.storage.buffer, N, 1, i * M * N);
    for (let d = batch.length - 1; d >= 0 && ++idx[d] === batch[d]; d--) idx[d] = 0;
  }
  return out;
}

/**
 * Matrix product with NumPy's rules: 2-D @ 2-D, batched over broadcast leading dimensions, and
 * 1-D operands promoted (and the added dimension removed from the result).
 *
 * @example
 * ```ts
 * import { matmul, tensor } from "@tessera/autograd";
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])); // [[17], [39]]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor("matmul", "a", a);
  checkTensor("matmul", "b", b);
  sameDevice("matmul", a, b);
  checkFloat("matmul", "a", a);
  checkFloat("matmul", "b", b);
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError(`matmul: operands must have at least 1 dimension, got [${a.shape.join(",")}] @ [${b.shape.join(",")}]`);
  if (a.ndim === 1) {
    const a2 = reshape(a, [1, a.shape[0]]);
    const r = matmul(a2, b);
    return reshape(r, [...r.shape.slice(0, -2), r.shape[r.ndim - 1]]);
  }
  if (b.ndim === 1) {
    const b2 = reshape(b, [b.shape[0], 1]);
    const r = matmul(a, b2);
    return reshape(r, r.shape.slice(0, -1));
  }
  const out = batchedGemm("matmul", a, b);
  return record(out, "matmul", [a, b], () => ({
    backward: (g) => [
      a.requiresGrad ? sumTo(batchedGemm("matmul", g, transpose(b)), a.shape) : null,
      b.requiresGrad ? sumTo(batchedGemm("matmul", transpose(a), g), b.shape) : null,
    ],
  }));
}

/**
 * A fully connected layer: y = x·Wᵀ + b with W of shape [out, in] (PyTorch order), x of shape
 * [..., in]. One sgemm (β = 1 over the broadcast bias).
 *
 * @example
 * ```ts
 * import { linear, tensor } from "@tessera/autograd";
 * linear(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), tensor([0, 0, 10])); // [[1, 2, 13]]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("linear", "x", x);
  checkTensor("linear", "weight", weight);
  checkOptionalTensor("linear", "bias", bias);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  sameDevice("linear", ...inputs);
  inputs.forEach((t, i) => checkFloat("linear", ["x", "weight", "bias"][i], t));
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be [out, in], got [${weight.shape.join(",")}]`);
  const [O, I] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== I) {
    throw new RangeError(`linear: input features differ: x [${x.shape.join(",")}] with weight [${weight.shape.join(",")}] (expects ${I} features)`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) throw new RangeError(`linear: bias must be [${O}], got [${bias.shape.join(",")}]`);
  const rows = x.size / I;
  const x2 = x.isContiguous ? x : materialise(x);
  const out = alloc(x, [...x.shape.slice(0, -1), O]);
  const d = x.device;
  if (bias) d.unary("copy", [rows, O], { buffer: bias.storage.buffer, offset: bias.offset, strides: [0, bias.strides[0]] }, { buffer: out.storage.buffer, offset: 0, strides: [O, 1] });
  d.sgemm("no-transpose", "transpose", rows, O, I, 1, x2.storage.buffer, I, 1, x2.offset, weight.storage.buffer, weight.strides[0], weight.strides[1], weight.offset,
    bias ? 1 : 0, out.storage.buffer, O, 1, 0);
  if (x2 !== x) x2.dispose();
  return record(out, "linear", inputs, () => ({
    backward: (g) => {
      const g2 = g.isContiguous ? g : materialise(g);
      let gx = null;
      let gw = null;
      let gb = null;
      if (x.requiresGrad) {
        gx = alloc(x, x.shape);
        d.sgemm("no-transpose", "no-transpose", rows, I, O, 1, g2.storage.buffer, O, 1, g2.offset, weight.storage.buffer, weight.strides[0], weight.strides[1], weight.offset,
          0, gx.storage.buffer, I, 1, 0);
      }
      if (weight.requiresGrad) {
        const xc = x.isContiguous ? x : materialise(x);
        gw = alloc(weight, [O, I]);
        d.sgemm("transpose", "no-transpose", O, I, rows, 1, g2.storage.buffer, O, 1, g2.offset, xc.storage.buffer, I, 1, xc.offset, 0, gw.storage.buffer, I, 1, 0);
      }
      if (bias?.requiresGrad) {
        gb = alloc(bias, [O]);
        d.reduce("sum", [O, rows], 1, { buffer: g2.storage.buffer, offset: g2.offset, strides: [1, O] }, { buffer: gb.storage.buffer, offset: 0, strides: [1] });
      }
      return bias ? [gx, gw, gb] : [gx, gw];
    },
  }));
}
