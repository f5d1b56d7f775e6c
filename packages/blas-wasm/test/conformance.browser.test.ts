import { conformanceCases, winogradCases } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFeatures, WasmDevice, type WasmDeviceOptions } from "../src/index.js";

const CONFIGS: { label: string; options: WasmDeviceOptions }[] = [
  { label: "1 thread, SIMD (mul+add)", options: { threads: 1, simd: "plain", register: false } },
  { label: "1 thread, relaxed SIMD", options: { threads: 1, simd: "relaxed", register: false } },
  { label: "2 threads (Web Workers), relaxed SIMD", options: { threads: 2, simd: "relaxed", blocking: { MC: 8, KC: 24, NC: 32, minFlopsPerThread: 0, minElementsPerThread: 0 }, register: false } },
];

describe("the browser page", () => {
  it("is cross-origin isolated and supports SIMD, relaxed SIMD and threads", async () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    expect(await detectFeatures()).toMatchObject({ simd: true, relaxedSimd: true, threads: true });
  });
});

for (const { label, options } of CONFIGS) {
  describe(`conformance battery in Chromium: ${label}`, () => {
    let dev: WasmDevice;
    beforeAll(async () => {
      dev = await WasmDevice.create(options);
    });
    afterAll(() => dev.dispose());
    it("runs the configuration it was asked for", () => {
      expect([dev.threads, dev.relaxedSimd]).toEqual([options.threads, options.simd === "relaxed"]);
    });
    for (const c of [...conformanceCases(), ...winogradCases()]) it(`${c.group}: ${c.name}`, () => c.run(dev));
  });
}
