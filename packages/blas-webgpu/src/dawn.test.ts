import { describe, expect, it, vi } from "vitest";
import { loadDawn as nodeLoadDawn } from "./dawn.node.js";

describe("#dawn: Dawn in Node, navigator.gpu only in browsers", () => {
  it("resolves to the Node twin under Node", async () => {
    expect((await import("#dawn")).loadDawn).toBe(nodeLoadDawn);
  });

  it("with the browser twin and no navigator.gpu, webgpuDevice() says that the browser lacks WebGPU", async () => {
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    vi.resetModules();
    vi.doMock("#dawn", () => import("./dawn.browser.js"));
    try {
      const { webgpuDevice } = await import("./index.js");
      await expect(webgpuDevice()).rejects.toThrow("webgpuDevice: WebGPU is unavailable: this browser has no navigator.gpu");
    } finally {
      vi.doUnmock("#dawn");
      vi.resetModules();
    }
  });
});
