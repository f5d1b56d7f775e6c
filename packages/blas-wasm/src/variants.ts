/**
 * The four builds of the wasm module (scripts/build-wasm.mjs) and how to get one compiled. Each is a
 * separate asset, `generated/blas-<variant>.wasm` beside this module, named by
 * `new URL("…", import.meta.url)` with a literal path: Vite and webpack 5 copy each as an asset file
 * and rewrite the URL, and a page fetches only the variant it runs (`#host`'s `compileWasmAsset`:
 * fetch + `WebAssembly.compileStreaming` in browsers, the file from disk in Node).
 * @internal
 */
import { compileWasmAsset } from "#host";

/** `simd`/`relaxed`: unshared memory; `-mt`: shared memory and atomics for the worker pool. @internal */
export type Variant = "simd" | "relaxed" | "simd-mt" | "relaxed-mt";

/** Picks the build for the features in use. @internal */
export function variantFor(relaxed: boolean, threaded: boolean): Variant {
  return `${relaxed ? "relaxed" : "simd"}${threaded ? "-mt" : ""}` as Variant;
}

/** Where a variant's `.wasm` asset is: one literal `new URL` each, so bundlers see every asset. @internal */
export function variantUrl(v: Variant): URL {
  switch (v) {
    case "simd": return new URL("./generated/blas-simd.wasm", import.meta.url);
    case "relaxed": return new URL("./generated/blas-relaxed.wasm", import.meta.url);
    case "simd-mt": return new URL("./generated/blas-simd-mt.wasm", import.meta.url);
    case "relaxed-mt": return new URL("./generated/blas-relaxed-mt.wasm", import.meta.url);
  }
}

const compiled = new Map<Variant, Promise<WebAssembly.Module>>();

/**
 * The compiled module of a variant, loaded and compiled once per process (a failed load is retried
 * by the next call). `fn` names the caller in errors. @internal
 */
export function compileVariant(v: Variant, fn = "wasmDevice"): Promise<WebAssembly.Module> {
  let m = compiled.get(v);
  if (!m) {
    m = compileWasmAsset(fn, variantUrl(v));
    compiled.set(v, m);
    m.catch(() => compiled.delete(v));
  }
  return m;
}
