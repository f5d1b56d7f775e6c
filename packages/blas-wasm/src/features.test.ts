import { describe, expect, it, vi } from "vitest";
import { detectFeatures, RELAXED_PROBE, SIMD_PROBE } from "./features.js";
import { WasmDevice } from "./wasm-device.js";

describe("feature detection", () => {
  it("validates the SIMD probe and, on Node, enables relaxed SIMD when V8 needs the flag", async () => {
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(true);
    const f = await detectFeatures();
    expect(f.simd).toBe(true);
    expect(f.relaxedSimd).toBe(true);
    expect(WebAssembly.validate(RELAXED_PROBE)).toBe(true);
    expect(f.threads).toBe(true);
    expect(f.threadsUnavailableReason).toBeUndefined();
  });

  it("the probes are real tests: a corrupted relaxed opcode does not validate", () => {
    const bad = RELAXED_PROBE.slice();
    bad[bad.length - 3] = 0xff;
    bad[bad.length - 2] = 0x7f;
    expect(WebAssembly.validate(bad)).toBe(false);
  });

  it("uses the build that was asked for: plain mul+add or relaxed madd", async () => {
    const plain = await WasmDevice.create({ threads: 1, simd: "plain" });
    const relaxed = await WasmDevice.create({ threads: 1, simd: "relaxed" });
    const auto = await WasmDevice.create({ threads: 1 });
    expect([plain.relaxedSimd, relaxed.relaxedSimd, auto.relaxedSimd]).toEqual([false, true, true]);
  });

  it("rejects bad options, naming them", async () => {
    await expect(WasmDevice.create({ threads: 0 })).rejects.toThrow(/wasmDevice: threads must be a positive integer, got 0/);
    await expect(WasmDevice.create({ simd: "fast" as "auto" })).rejects.toThrow(/simd must be 'auto', 'relaxed' or 'plain', got "fast"/);
    await expect(WasmDevice.create({ blocking: { MC: 6 } })).rejects.toThrow(/blocking.MC must be a positive multiple of 4, got 6/);
    await expect(WasmDevice.create({ blocking: { winogradPanelTiles: -1 } })).rejects.toThrow(/blocking.winogradPanelTiles must be a non-negative integer, got -1/);
    await expect(WasmDevice.create({ blocking: { winogradPanelsPerTask: 0 } })).rejects.toThrow(/blocking.winogradPanelsPerTask must be a positive integer, got 0/);
    await expect(WasmDevice.create({ maxMemoryMiB: 8 })).rejects.toThrow(/maxMemoryMiB must be in \[16, 4096\], got 8/);
  });

  it("defaults to the available cores", async () => {
    const os = await import("node:os");
    const dev = await WasmDevice.create();
    expect(dev.threads).toBe(os.availableParallelism());
    dev.dispose();
  });

  it("falls back to one thread, saying so once, where shared memory is unavailable", async () => {
    const g = globalThis as { SharedArrayBuffer?: unknown };
    const sab = g.SharedArrayBuffer;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      delete g.SharedArrayBuffer;
      const a = await WasmDevice.create({ threads: 2 });
      const b = await WasmDevice.create({ threads: 2 });
      expect([a.threads, b.threads]).toEqual([1, 1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/running on 1 thread instead of 2: SharedArrayBuffer is not available/);
    } finally {
      g.SharedArrayBuffer = sab;
      warn.mockRestore();
    }
  });
});
