/**
 * The non-BLAS routines of the wasm device: validation in the house format, then one call into the
 * module on buffers that already live in wasm memory (nothing is copied).
 * @internal
 */
import type { Conv2dGeometry, DeviceBuffer, Pool2dGeometry, View } from "@tessera/blas";
import type { WasmEngine } from "./engine.js";
import { GEO } from "./layout.generated.js";
import { collapse, descBytes, writeDesc, type Collapsed } from "./nd-desc.js";
import { unwrap, type WasmBuffer } from "./wasm-buffer.js";
import { checkConvGeometry, checkDim, checkInt, checkPlanes, checkPoolGeometry, checkView, fail } from "./validate.js";

/** A view of the device: the buffer checked and the byte address of its element [0, 0, …]. @internal */
export function viewOf(e: WasmEngine, fn: string, name: string, shape: readonly number[], v: View, dtype: "float32" | "int32" | "any" = "float32"): WasmBuffer {
  if (typeof v !== "object" || v === null) fail(fn, `${name} must be a view { buffer, offset, strides }, got ${v}`);
  const b = unwrap(fn, name, v.buffer, e.heap, dtype);
  checkView(fn, name, shape, v.strides, v.offset, b.length);
  return b;
}

/** Byte address of element `offset` of a buffer. @internal */
export function addr(b: WasmBuffer, offset: number): number {
  return b.address + offset * 4;
}

/** Writes descriptors to the scratch region (for routine `fn`); returns their addresses. @internal */
export function descriptors(e: WasmEngine, fn: string, ...ds: Collapsed[]): number[] {
  const sizes = ds.map((d) => descBytes(d.shape.length, d.strides.length));
  const base = e.heap.scratch(sizes.reduce((a, b) => a + b, 0), fn);
  const i32 = e.heap.i32();
  let at = base;
  return ds.map((d, i) => {
    const here = at;
    writeDesc(i32, here, d);
    at += sizes[i];
    return here;
  });
}

/** Checks a reduction's arguments; returns the kept shape. @internal */
export function checkReduce(e: WasmEngine, fn: string, op: string, shape: readonly number[], reduceDims: number, x: View): number[] {
  if (!Array.isArray(shape)) fail(fn, `shape must be an array, got ${shape}`);
  checkInt(fn, "reduceDims", reduceDims);
  if (reduceDims < 0 || reduceDims > shape.length) fail(fn, `reduceDims must be in [0, ${shape.length}] for shape [${shape.join(",")}], got ${reduceDims}`);
  const kept = shape.slice(0, shape.length - reduceDims);
  const emptyReduced = shape.slice(kept.length).some((d) => d === 0) && kept.every((d) => d > 0);
  if (emptyReduced && op !== "sum" && op !== "sumSquares") fail(fn, `cannot take ${op} over an empty dimension of shape [${shape.join(",")}]`);
  viewOf(e, fn, "x", shape, x);
  return kept;
}

/** Kept and reduced descriptors of a reduction. @internal */
export function reduceDescs(e: WasmEngine, fn: string, shape: readonly number[], kept: readonly number[], x: View, y: View): [number, number, number, number] {
  const k = kept.length;
  const ck = collapse(kept, [x.strides.slice(0, k), y.strides]);
  const cr = collapse(shape.slice(k), [x.strides.slice(k)]);
  const [dk, dr] = descriptors(e, fn, ck, cr);
  return [ck.shape.length, dk, cr.shape.length, dr];
}

/** The geometry record's fields in slot order. */
const GEOMETRY_FIELDS = Object.keys(GEO) as (keyof typeof GEO)[];

/** Writes a geometry record (the GEO layout of scripts/layout.mjs) to scratch; returns its address. @internal */
export function geometryRecord(e: WasmEngine, fn: string, g: Conv2dGeometry | Pool2dGeometry): number {
  const at = e.heap.scratch(GEOMETRY_FIELDS.length * 4, fn);
  const i32 = e.heap.i32();
  GEOMETRY_FIELDS.forEach((f) => {
    i32[(at >>> 2) + GEO[f]] = f === "C" ? ((g as Conv2dGeometry).C ?? 0) : g[f];
  });
  return at;
}

/** Validates im2col/col2im arguments; returns [x, col] buffers. @internal */
export function checkColumns(e: WasmEngine, fn: string, g: Conv2dGeometry, N: number, x: DeviceBuffer, ox: number, sxn: number,
  col: DeviceBuffer, oc: number, ld: number): [WasmBuffer, WasmBuffer] {
  checkConvGeometry(fn, g);
  checkDim(fn, "N", N);
  const xb = unwrap(fn, "x", x, e.heap);
  const cb = unwrap(fn, "col", col, e.heap);
  checkView(fn, "x", [N, g.C * g.H * g.W], [sxn, 1], ox, xb.length);
  const P = g.OH * g.OW;
  checkInt(fn, "ldCol", ld);
  if (ld < N * P) fail(fn, `ldCol (${ld}) must be >= N·OH·OW = ${N * P}`);
  checkView(fn, "col", [g.C * g.KH * g.KW, N * P], [ld, 1], oc, cb.length);
  return [xb, cb];
}

/**
 * Validates convForward arguments (and backward-data's, whose x and y are named dx and dy);
 * returns the x, w, bias (or null) and y buffers. @internal
 */
export function checkConvForward(e: WasmEngine, fn: string, g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number,
  w: DeviceBuffer, ow: number, bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, syn: number,
  [xName, yName]: readonly [string, string] = ["x", "y"],
): [WasmBuffer, WasmBuffer, WasmBuffer | null, WasmBuffer] {
  checkConvGeometry(fn, g);
  checkDim(fn, "N", N);
  checkDim(fn, "OC", OC);
  const xb = unwrap(fn, xName, x, e.heap);
  const wb = unwrap(fn, "w", w, e.heap);
  const bb = bias === null ? null : unwrap(fn, "bias", bias, e.heap);
  const yb = unwrap(fn, yName, y, e.heap);
  const K = g.C * g.KH * g.KW;
  checkView(fn, xName, [N, g.C * g.H * g.W], [sxn, 1], ox, xb.length);
  checkView(fn, "w", [OC, K], [K, 1], ow, wb.length);
  if (bb !== null) checkView(fn, "bias", [OC], [1], ob, bb.length);
  checkView(fn, yName, [N, OC * g.OH * g.OW], [syn, 1], oy, yb.length);
  return [xb, wb, bb, yb];
}

/** Validates convBackwardFilter arguments; returns the x, dy and dw buffers. @internal */
export function checkConvBackwardFilter(e: WasmEngine, fn: string, g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, ox: number, sxn: number,
  dy: DeviceBuffer, oy: number, syn: number, dw: DeviceBuffer, ow: number,
): [WasmBuffer, WasmBuffer, WasmBuffer] {
  checkConvGeometry(fn, g);
  checkDim(fn, "N", N);
  checkDim(fn, "OC", OC);
  const xb = unwrap(fn, "x", x, e.heap);
  const yb = unwrap(fn, "dy", dy, e.heap);
  const wb = unwrap(fn, "dw", dw, e.heap);
  checkView(fn, "x", [N, g.C * g.H * g.W], [sxn, 1], ox, xb.length);
  checkView(fn, "dy", [N, OC * g.OH * g.OW], [syn, 1], oy, yb.length);
  const K = g.C * g.KH * g.KW;
  checkView(fn, "dw", [OC, K], [K, 1], ow, wb.length);
  return [xb, yb, wb];
}

/** Validates pooling arguments; returns [x or dx, y or dy] buffers. @internal */
export function checkPool(e: WasmEngine, fn: string, g: Pool2dGeometry, planes: number, x: DeviceBuffer, ox: number, y: DeviceBuffer, oy: number): [WasmBuffer, WasmBuffer] {
  checkPoolGeometry(fn, g);
  checkDim(fn, "planes", planes);
  const back = fn.endsWith("Backward");
  const xb = unwrap(fn, back ? "dx" : "x", x, e.heap);
  const yb = unwrap(fn, back ? "dy" : "y", y, e.heap);
  checkPlanes(fn, back ? "dx" : "x", planes, g.H * g.W, ox, xb.length);
  checkPlanes(fn, back ? "dy" : "y", planes, g.OH * g.OW, oy, yb.length);
  return [xb, yb];
}

/** The argmax buffer of pooling (int32, one per output cell). @internal */
export function checkArgmax(e: WasmEngine, fn: string, g: Pool2dGeometry, planes: number, argmax: DeviceBuffer, oa: number): WasmBuffer {
  const ab = unwrap(fn, "argmax", argmax, e.heap, "int32");
  checkPlanes(fn, "argmax", planes, g.OH * g.OW, oa, ab.length);
  return ab;
}
