/** Host-side tensor ops for shape computations (Shape → Gather → Unsqueeze → Concat → Reshape and the like). */
import type { HostTensor } from "../tensor-data.js";

/** Row-major strides. */
function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= dims[d];
  }
  return s;
}

/** A host tensor of int values. @internal */
export function hostInts(dims: readonly number[], values: readonly number[]): HostTensor {
  return { kind: "int", dims: [...dims], data: Float64Array.from(values) };
}

/** Same data, other dims. @internal */
export function hostReshape(h: HostTensor, dims: readonly number[]): HostTensor {
  return { kind: h.kind, dims: [...dims], data: h.data };
}

/** Elementwise binary op with NumPy broadcasting; integer division truncates (as ONNX for int64). @internal */
export function hostBinary(op: "Add" | "Sub" | "Mul" | "Div", a: HostTensor, b: HostTensor, fail: (m: string) => never): HostTensor {
  if (a.kind !== b.kind) fail(`operands are of different types (${a.kind} and ${b.kind})`);
  const rank = Math.max(a.dims.length, b.dims.length);
  const pa = [...new Array(rank - a.dims.length).fill(1), ...a.dims];
  const pb = [...new Array(rank - b.dims.length).fill(1), ...b.dims];
  const dims = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) fail(`shapes [${a.dims.join(",")}] and [${b.dims.join(",")}] do not broadcast`);
    return d === 1 ? pb[i] : d;
  });
  const sa = strides(pa).map((s, i) => (pa[i] === 1 ? 0 : s));
  const sb = strides(pb).map((s, i) => (pb[i] === 1 ? 0 : s));
  const n = dims.reduce((x, y) => x * y, 1);
  const out = a.kind === "int" ? new Float64Array(n) : new Float32Array(n);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < rank; d++) {
      ia += idx[d] * sa[d];
      ib += idx[d] * sb[d];
    }
    const x = a.data[ia];
    const y = b.data[ib];
    let r = op === "Add" ? x + y : op === "Sub" ? x - y : op === "Mul" ? x * y : x / y;
    if (a.kind === "int" && op === "Div") {
      if (y === 0) fail("integer division by zero");
      r = Math.trunc(r);
    }
    out[i] = r;
    for (let d = rank - 1; d >= 0 && ++idx[d] === dims[d]; d--) idx[d] = 0;
  }
  return { kind: a.kind, dims, data: out };
}

/** Concatenation along an axis. @internal */
export function hostConcat(hs: readonly HostTensor[], axis: number, fail: (m: string) => never): HostTensor {
  const first = hs[0];
  for (const h of hs) {
    if (h.kind !== first.kind) fail("inputs are of different types");
    if (h.dims.length !== first.dims.length || h.dims.some((d, i) => i !== axis && d !== first.dims[i])) fail(`shapes [${first.dims.join(",")}] and [${h.dims.join(",")}] differ outside axis ${axis}`);
  }
  const dims = [...first.dims];
  dims[axis] = hs.reduce((s, h) => s + h.dims[axis], 0);
  const outer = dims.slice(0, axis).reduce((x, y) => x * y, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const h of hs) {
      const block = h.dims.slice(axis).reduce((x, y) => x * y, 1);
      for (let i = 0; i < block; i++) out.push(h.data[o * block + i]);
    }
  }
  return { kind: first.kind, dims, data: first.kind === "int" ? Float64Array.from(out) : Float32Array.from(out) };
}

/** numpy.take along an axis. @internal */
export function hostGather(data: HostTensor, indices: HostTensor, axis: number, fail: (m: string) => never): HostTensor {
  const n = data.dims[axis];
  const outer = data.dims.slice(0, axis).reduce((x, y) => x * y, 1);
  const inner = data.dims.slice(axis + 1).reduce((x, y) => x * y, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const i0 of indices.data) {
      const i = i0 < 0 ? i0 + n : i0;
      if (!Number.isInteger(i) || i < 0 || i >= n) fail(`index ${i0} is out of range for axis ${axis} of size ${n}`);
      for (let j = 0; j < inner; j++) out.push(data.data[(o * n + i) * inner + j]);
    }
  }
  const dims = [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)];
  return { kind: data.kind, dims, data: data.kind === "int" ? Float64Array.from(out) : Float32Array.from(out) };
}

/** Axis permutation (ONNX Transpose). @internal */
export function hostTranspose(h: HostTensor, perm: readonly number[]): HostTensor {
  const dims = perm.map((p) => h.dims[p]);
  const src = strides(h.dims);
  const n = h.data.length;
  const out = h.kind === "int" ? new Float64Array(n) : new Float32Array(n);
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < dims.length; d++) at += idx[d] * src[perm[d]];
    out[i] = h.data[at];
    for (let d = dims.length - 1; d >= 0 && ++idx[d] === dims[d]; d--) idx[d] = 0;
  }
  return { kind: h.kind, dims, data: out };
}

/**
 * ONNX Slice (opset ≥ 10) on the host: per axis, negative starts and ends count from the end, then
 * are clamped to [0, d] (positive step) or start to [0, d − 1] and end to [−1, d − 1] (negative
 * step), so INT64_MIN / INT64_MAX mean "to the end" either way. @internal
 */
export function hostSlice(h: HostTensor, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): HostTensor {
  const picks = h.dims.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((ax, i) => {
    const d = h.dims[ax];
    const step = steps[i];
    let s = starts[i] < 0 ? starts[i] + d : starts[i];
    let e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    const keep: number[] = [];
    for (let k = s; step > 0 ? k < e : k > e; k += step) keep.push(k);
    picks[ax] = keep;
  });
  const dims = picks.map((p) => p.length);
  const src = strides(h.dims);
  const n = dims.reduce((a, b) => a * b, 1);
  const out = h.kind === "int" ? new Float64Array(n) : new Float32Array(n);
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < dims.length; d++) at += picks[d][idx[d]] * src[d];
    out[i] = h.data[at];
    for (let d = dims.length - 1; d >= 0 && ++idx[d] === dims[d]; d--) idx[d] = 0;
  }
  return { kind: h.kind, dims, data: out };
}
