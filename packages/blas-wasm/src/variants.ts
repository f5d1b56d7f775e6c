/**
 * The four builds of the wasm module (scripts/build-wasm.mjs) and how to get one compiled. Each is
 * embedded as base64 in its own generated module, imported on demand, so a page loads one variant.
 * @internal
 */

/** `simd`/`relaxed`: unshared memory; `-mt`: shared memory and atomics for the worker pool. @internal */
export type Variant = "simd" | "relaxed" | "simd-mt" | "relaxed-mt";

/** Picks the build for the features in use. @internal */
export function variantFor(relaxed: boolean, threaded: boolean): Variant {
  return `${relaxed ? "relaxed" : "simd"}${threaded ? "-mt" : ""}` as Variant;
}

/** Decodes base64 in Node (Buffer) and browsers (atob). @internal */
export function decodeBase64(b64: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(b64, "base64"));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function base64Of(v: Variant): Promise<string> {
  switch (v) {
    case "simd": return (await import("./generated/simd.wasm.js")).base64;
    case "relaxed": return (await import("./generated/relaxed.wasm.js")).base64;
    case "simd-mt": return (await import("./generated/simd-mt.wasm.js")).base64;
    case "relaxed-mt": return (await import("./generated/relaxed-mt.wasm.js")).base64;
  }
}

const compiled = new Map<Variant, Promise<WebAssembly.Module>>();

/** The compiled module of a variant (compiled once per process). @internal */
export function compileVariant(v: Variant): Promise<WebAssembly.Module> {
  let m = compiled.get(v);
  if (!m) {
    m = base64Of(v).then((b64) => WebAssembly.compile(decodeBase64(b64) as BufferSource));
    compiled.set(v, m);
    m.catch(() => compiled.delete(v));
  }
  return m;
}
