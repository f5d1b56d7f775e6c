/**
 * Helpers of the wasm device's non-BLAS routines (validated by `@tessera/blas`'s DeviceContract):
 * byte addresses, n-d descriptors and geometry records written to the scratch region.
 * @internal
 */
import type { Conv2dGeometry, Pool2dGeometry, View } from "@tessera/blas";
import type { WasmEngine } from "./engine.js";
import { GEO } from "./layout.generated.js";
import { collapse, descBytes, writeDesc, type Collapsed } from "./nd-desc.js";
import type { WasmBuffer } from "./wasm-buffer.js";

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

/** The kept walk (operands x, y) and the reduced walk (operand x) of a reduction. @internal */
export function reduceWalks(shape: readonly number[], kept: readonly number[], x: View, y: View): [Collapsed, Collapsed] {
  const k = kept.length;
  return [collapse(kept, [x.strides.slice(0, k), y.strides]), collapse(shape.slice(k), [x.strides.slice(k)])];
}

/** Kept and reduced descriptors of a reduction. @internal */
export function reduceDescs(e: WasmEngine, fn: string, [ck, cr]: [Collapsed, Collapsed]): [number, number, number, number] {
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
