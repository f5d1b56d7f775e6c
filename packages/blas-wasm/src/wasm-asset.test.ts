import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as nodeHost from "./host.node.js";
import { relaxedSimdAvailable } from "./features.js";
import { fetchWasmModule } from "./wasm-asset.js";
import { compileVariant, variantUrl, type Variant } from "./variants.js";

const VARIANTS: Variant[] = ["simd", "relaxed", "simd-mt", "relaxed-mt"];
const URL_OF = new URL("https://example.test/assets/blas-simd.wasm");
const bytes = () => new Uint8Array(readFileSync(fileURLToPath(variantUrl("simd"))));
/** A fetch that answers every request with `body` and these headers, counting its calls. */
function serve(body: BodyInit | null, init: ResponseInit) {
  return vi.fn(async () => new Response(body, init)) as unknown as typeof fetch & { mock: { calls: unknown[] } };
}
const exportsOf = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);

// The relaxed builds need V8's flag on Node 20, as wasmDevice() sets it before compiling.
beforeAll(async () => expect(await relaxedSimdAvailable()).toBe(true));
afterEach(() => vi.restoreAllMocks());

describe("the wasm module is a separate .wasm asset per variant", () => {
  it("each variant has its own asset beside the module, and compiles to the device's exports", async () => {
    const urls = VARIANTS.map((v) => variantUrl(v).href);
    expect(new Set(urls).size).toBe(4);
    for (const v of VARIANTS) {
      expect(variantUrl(v).pathname.endsWith(`/generated/blas-${v}.wasm`)).toBe(true);
      const m = await compileVariant(v);
      expect(exportsOf(m)).toEqual(expect.arrayContaining(["gemmRun", "convRun", "heapBase", "setAbortFlag"]));
      // The memory comes from the JS side (the device's heap), never from the module.
      const mem = WebAssembly.Module.imports(m).find((i) => i.kind === "memory");
      expect(mem?.name).toBe("memory");
    }
    expect(await compileVariant("simd")).toBe(await compileVariant("simd")); // compiled once
  });

  it("Node reads a file: URL from disk and names the file when it is missing or not wasm", async () => {
    const m = await nodeHost.compileWasmAsset("wasmDevice", variantUrl("relaxed"));
    expect(exportsOf(m)).toContain("gemmRun");
    const missing = new URL("./generated/blas-none.wasm", variantUrl("simd"));
    await expect(nodeHost.compileWasmAsset("wasmDevice", missing)).rejects.toThrow(/^wasmDevice: could not read the wasm module .*blas-none\.wasm: ENOENT/);
    const notWasm = new URL(import.meta.url);
    await expect(nodeHost.compileWasmAsset("wasmDevice", notWasm)).rejects.toThrow(/^wasmDevice: .*wasm-asset\.test\.ts is not a wasm module \(\d+ bytes, no \\0asm header\)$/);
  });
});

describe("fetchWasmModule: compileStreaming when served as application/wasm, else download and compile", () => {
  it("streams a module served as application/wasm, without a warning", async () => {
    const streaming = vi.spyOn(WebAssembly, "compileStreaming");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const f = serve(bytes(), { headers: { "content-type": "application/wasm" } });
    const m = await fetchWasmModule("wasmDevice", URL_OF, f);
    expect(exportsOf(m)).toContain("gemmRun");
    expect(f.mock.calls).toEqual([[URL_OF]]);
    expect(streaming).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it("falls back to download + compile under another MIME type, and says the server should send application/wasm", async () => {
    const streaming = vi.spyOn(WebAssembly, "compileStreaming");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const m = await fetchWasmModule("wasmDevice", URL_OF, serve(bytes(), { headers: { "content-type": "application/octet-stream" } }));
    expect(exportsOf(m)).toContain("gemmRun");
    expect(streaming).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/blas-simd\.wasm was served as 'application\/octet-stream', not 'application\/wasm'.*serve \.wasm files as application\/wasm/);
  });

  it("falls back when the engine refuses to stream (the body is read from a copy)", async () => {
    vi.spyOn(WebAssembly, "compileStreaming").mockRejectedValue(new TypeError("streaming refused"));
    const m = await fetchWasmModule("wasmDevice", URL_OF, serve(bytes(), { headers: { "content-type": "application/wasm" } }));
    expect(exportsOf(m)).toContain("gemmRun");
  });

  it("names the URL and what came instead: an HTML page, an HTTP error, a network error, a corrupt module", async () => {
    const html = serve("<!doctype html><html>index</html>", { headers: { "content-type": "text/html; charset=utf-8" } });
    await expect(fetchWasmModule("wasmDevice", URL_OF, html)).rejects.toThrow(
      /^wasmDevice: https:\/\/example\.test\/assets\/blas-simd\.wasm is not a wasm module: the server sent 'text\/html', 33 bytes starting "<!doctype html><html>ind" \(@tessera\/blas-wasm ships it in dist\/generated\//,
    );
    await expect(fetchWasmModule("wasmDevice", URL_OF, serve("gone", { status: 404, statusText: "Not Found" }))).rejects.toThrow(
      /^wasmDevice: fetching the wasm module https:\/\/example\.test\/assets\/blas-simd\.wasm failed: HTTP 404 Not Found/,
    );
    const offline = vi.fn(async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    await expect(fetchWasmModule("wasmDevice", URL_OF, offline)).rejects.toThrow(/^wasmDevice: could not fetch the wasm module https:\/\/example\.test\/assets\/blas-simd\.wasm: fetch failed/);
    const corrupt = bytes().slice(0, 200);
    await expect(fetchWasmModule("wasmDevice", URL_OF, serve(corrupt, { headers: { "content-type": "application/wasm" } }))).rejects.toThrow(
      /^wasmDevice: the wasm module https:\/\/example\.test\/assets\/blas-simd\.wasm does not compile: /,
    );
  });

  it("bounds what it reads: a declared or actual body past the limit is refused before compiling", async () => {
    const big = new Uint8Array(2048);
    big.set(bytes().subarray(0, 8));
    const compile = vi.spyOn(WebAssembly, "compile");
    await expect(fetchWasmModule("wasmDevice", URL_OF, serve(big, { headers: { "content-type": "application/octet-stream", "content-length": "2048" } }), 1024)).rejects.toThrow(
      /^wasmDevice: https:\/\/example\.test\/assets\/blas-simd\.wasm is 2048 bytes, more than the 1024 of any build/,
    );
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(big.subarray(0, 1000));
        c.enqueue(big.subarray(1000));
        c.close();
      },
    });
    await expect(fetchWasmModule("wasmDevice", URL_OF, serve(stream, { headers: { "content-type": "application/octet-stream" } }), 1024)).rejects.toThrow(
      /^wasmDevice: https:\/\/example\.test\/assets\/blas-simd\.wasm is larger than 1024 bytes/,
    );
    expect(compile).not.toHaveBeenCalled();
  });
});
