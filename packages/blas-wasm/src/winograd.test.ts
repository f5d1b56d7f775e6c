import { afterAll, describe, it } from "vitest";
import { winogradCases } from "@tessera/blas/testing";
import { CONFIGS } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";

for (const { label, options } of CONFIGS) {
  describe(`Winograd battery, wasm ${label}`, async () => {
    const dev = await WasmDevice.create(options);
    afterAll(() => dev.dispose());
    for (const c of winogradCases()) it(c.name, () => c.run(dev));
  });
}
