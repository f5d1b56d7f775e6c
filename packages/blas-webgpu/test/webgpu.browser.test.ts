import { conformanceCases } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "../src/index.js";

// The @tessera/blas/testing battery through navigator.gpu in headless Chromium (SwiftShader when
// the machine has no GPU): about 10 s, so the whole battery rather than a subset.

let dev: WebGpuDevice;
beforeAll(async () => {
  dev = await webgpuDevice();
});
afterAll(() => dev.dispose());

describe("webgpu device in the browser", () => {
  it("uses navigator.gpu", () => {
    expect(dev.info.backend).toBe("navigator.gpu");
  });
  for (const c of conformanceCases()) it(`${c.group}: ${c.name}`, () => c.run(dev));
  it("frees every buffer the battery allocated", () => {
    expect(dev.bytesInUse()).toBe(0);
  });
});
