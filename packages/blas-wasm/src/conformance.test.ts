import { conformanceCases } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIGS } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";

for (const { label, options } of CONFIGS) {
  describe(`conformance battery on the wasm device: ${label}`, () => {
    let dev: WasmDevice;
    beforeAll(async () => {
      dev = await WasmDevice.create(options);
    });
    afterAll(() => dev.dispose());

    it("runs the configuration it was asked for", () => {
      expect(dev.threads).toBe(options.threads);
      expect(dev.relaxedSimd).toBe(options.simd === "relaxed");
    });
    for (const c of conformanceCases()) it(`${c.group}: ${c.name}`, () => c.run(dev));
    it("frees every buffer of the battery", () => expect(dev.bytesInUse()).toBe(0));
  });
}
