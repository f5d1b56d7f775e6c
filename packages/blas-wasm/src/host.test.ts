import { describe, expect, it } from "vitest";
import * as browserHost from "./host.browser.js";
import * as nodeHost from "./host.node.js";
import * as host from "#host";
import { workerSourceFor } from "./worker-main.js";

describe("#host: Node's workers under Node, Web Workers elsewhere", () => {
  it("resolves to the Node twin under Node", () => {
    expect(host.spawnWorkers).toBe(nodeHost.spawnWorkers);
    expect(nodeHost.workersUnavailable()).toBeUndefined();
  });

  it("both twins export the same functions", () => {
    expect(Object.keys(browserHost).sort()).toEqual(Object.keys(nodeHost).sort());
  });

  it("the browser twin refuses threads on a page that is not cross-origin isolated, and sets no engine flag", () => {
    expect((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated).toBeUndefined();
    expect(browserHost.workersUnavailable()).toMatch(/^the page is not cross-origin isolated \(serve it with Cross-Origin-Opener-Policy: same-origin/);
    expect(browserHost.setEngineFlag("--experimental-wasm-relaxed-simd")).toBe(false);
  });

  it("the shared worker body holds nothing Node-specific (the host comes from the twin)", () => {
    const body = workerSourceFor("() => undefined");
    expect(body).not.toMatch(/node:|process/);
    expect(body).toMatch(/host\.onStart\(/);
  });
});
