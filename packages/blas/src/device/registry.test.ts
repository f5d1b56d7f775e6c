import { afterEach, describe, expect, it, vi } from "vitest";

/** A fresh copy of the registry module (its warning is once per process, i.e. per module instance). */
async function freshRegistry() {
  vi.resetModules();
  return import("./registry.js");
}

describe("the implicit default device says once how to get the fast one", () => {
  afterEach(() => vi.restoreAllMocks());

  it("warns once when the default 'js' is used without being chosen, naming wasmDevice and how to silence it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const r = await freshRegistry();
    expect(r.getDevice().name).toBe("js");
    r.getDevice();
    expect(warn).toHaveBeenCalledTimes(1);
    const msg = String(warn.mock.calls[0][0]);
    expect(msg).toContain("await wasmDevice(); setDefaultDevice(\"wasm\")");
    expect(msg).toContain("setDefaultDevice(\"js\")");
  });

  it("names a registered device that is not the default", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const r = await freshRegistry();
    const { JsDevice } = await import("./js/js-device.js");
    const other = new JsDevice();
    Object.defineProperty(other, "name", { value: "fast" });
    r.registerDevice(other);
    r.getDevice();
    expect(String(warn.mock.calls[0]?.[0])).toContain("Registered: 'fast'; make one the default with setDefaultDevice('fast')");
  });

  it("is silent after setDefaultDevice (js included) and for a device asked by name", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const r = await freshRegistry();
    r.getDevice("js");
    expect(warn).not.toHaveBeenCalled();
    r.setDefaultDevice("js");
    r.getDevice();
    expect(warn).not.toHaveBeenCalled();
  });
});
