import { afterAll, describe, expect, it, vi } from "vitest";
import { WasmDevice } from "../src/index.js";

// Runs in its own page (vitest browser mode: one iframe per file), so no variant is compiled yet.
describe("in Chromium the wasm device fetches only the variant it runs, as a .wasm asset", () => {
  const fetched: string[] = [];
  const realFetch = globalThis.fetch;
  const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return realFetch(input, init);
  });
  const streaming = vi.spyOn(WebAssembly, "compileStreaming");
  const devices: WasmDevice[] = [];
  afterAll(() => {
    for (const d of devices) d.dispose();
    fetchSpy.mockRestore();
    streaming.mockRestore();
  });
  const wasmFetches = () => fetched.filter((u) => /\.wasm(\?|$)/.test(u)).map((u) => new URL(u).pathname.split("/").pop());

  it("one thread, plain SIMD: blas-simd.wasm alone, compiled while streaming", async () => {
    devices.push(await WasmDevice.create({ threads: 1, simd: "plain", register: false }));
    expect(wasmFetches()).toEqual(["blas-simd.wasm"]);
    expect(streaming).toHaveBeenCalledTimes(1);
  });

  it("two threads, relaxed SIMD: blas-relaxed-mt.wasm once (the worker gets the compiled module, it does not fetch)", async () => {
    const dev = await WasmDevice.create({ threads: 2, simd: "relaxed", register: false });
    devices.push(dev);
    expect(dev.threads).toBe(2);
    expect(wasmFetches()).toEqual(["blas-simd.wasm", "blas-relaxed-mt.wasm"]);
    // The same variant again: compiled once per page.
    devices.push(await WasmDevice.create({ threads: 2, simd: "relaxed", register: false }));
    expect(wasmFetches()).toEqual(["blas-simd.wasm", "blas-relaxed-mt.wasm"]);
  });

  it("the server sends the asset as application/wasm", async () => {
    const res = await realFetch(new URL("../src/generated/blas-simd.wasm", import.meta.url));
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/wasm"]);
  });
});
