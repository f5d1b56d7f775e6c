import { afterEach, describe, expect, it, vi } from "vitest";
import { GROWTH_SCALES, GROWTH_WINDOWS, GrowthWatch } from "./growth-watch.js";
import { WasmDevice } from "./wasm-device.js";

/**
 * A simulated training loop on a device: `params` buffers kept, optimizer state allocated in the
 * first step, then per step `temps` intermediate buffers of varied sizes, freed at the end of the
 * step (what scope() does) except `leak` of them.
 */
function train(dev: WasmDevice, steps: number, temps: number, leak: number): ReturnType<WasmDevice["alloc"]>[] {
  const kept = Array.from({ length: 20 }, (_, i) => dev.alloc(64 + i));
  for (let step = 0; step < steps; step++) {
    if (step === 0) for (let i = 0; i < 20; i++) kept.push(dev.alloc(64 + i));
    const tmp = Array.from({ length: temps }, (_, i) => dev.alloc(16 + ((i * 7) % 50)));
    tmp.slice(leak).forEach((b) => dev.free(b));
    kept.push(...tmp.slice(0, leak));
  }
  return kept;
}

describe("GrowthWatch", () => {
  it("warns once after the given number of grown windows in a row, and not before", () => {
    const warn = vi.fn();
    const w = new GrowthWatch(warn, [10], 3);
    for (let i = 0; i < 29; i++) w.alloc(1);
    expect(warn).not.toHaveBeenCalled();
    w.alloc(1); // the third window of 10 that raised the high-water mark
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(30, 30);
    for (let i = 0; i < 100; i++) w.alloc(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("starts counting again after a window that did not raise the high-water mark", () => {
    const warn = vi.fn();
    const w = new GrowthWatch(warn, [10], 3);
    for (let i = 0; i < 20; i++) w.alloc(1); // two grown windows
    for (let i = 0; i < 10; i++) {
      w.free(1);
      w.alloc(1); // live stays at 20: this window did not grow
    }
    for (let i = 0; i < 20; i++) w.alloc(1); // two more: still fewer than 3 in a row
    expect(warn).not.toHaveBeenCalled();
    for (let i = 0; i < 10; i++) w.alloc(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("catches steps longer than the smallest window at a larger scale", () => {
    // Each step: 30 allocations that rise above the last peak only at its end, then all but one freed.
    const warn = vi.fn();
    const w = new GrowthWatch(warn, [10, 40], 3);
    for (let step = 0; step < 12 && warn.mock.calls.length === 0; step++) {
      for (let i = 0; i < 30; i++) w.alloc(1);
      for (let i = 0; i < 29; i++) w.free(1);
    }
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe("the wasm device's warning about live memory that keeps growing", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stays quiet in a steady training loop (every step's tensors freed)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dev = await WasmDevice.create({ threads: 1, register: false });
    // Enough allocations for the warning's number of windows at the two smaller scales.
    const steps = Math.ceil(((GROWTH_WINDOWS + 2) * GROWTH_SCALES[1]) / 40);
    const kept = train(dev, steps, 40, 0);
    expect(warn).not.toHaveBeenCalled();
    kept.forEach((b) => dev.free(b));
    expect(dev.bytesInUse()).toBe(0);
    dev.dispose();
  });

  it("warns once, naming scope(), when every step keeps one of its tensors", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const dev = await WasmDevice.create({ threads: 1, register: false });
    const kept = train(dev, Math.ceil(((GROWTH_WINDOWS + 2) * GROWTH_SCALES[0]) / 40), 40, 1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/live wasm memory has grown without pause .* Forgot scope\(\) in a training loop\?/);
    kept.forEach((b) => dev.free(b));
    dev.dispose();
  });
});
