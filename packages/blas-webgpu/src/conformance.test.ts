import { conformanceCases, sgemmCases } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";

// The whole @tessera/blas/testing battery on the 'webgpu' device (Dawn; Mesa llvmpipe on machines
// without a GPU), then the sgemm battery once more with each sgemm kernel forced, so both the tiled
// and the small kernel meet every edge case whatever the size rule picks.

describe("conformance battery on the webgpu device", () => {
  let dev: WebGpuDevice;
  beforeAll(async () => {
    dev = await webgpuDevice();
  });
  afterAll(() => dev.dispose());

  for (const c of conformanceCases()) it(`${c.group}: ${c.name}`, () => c.run(dev));

  it("frees every buffer the battery allocated", () => {
    expect(dev.bytesInUse()).toBe(0);
  });
});

for (const kernel of ["tiled", "small"] as const) {
  describe(`sgemm battery with the ${kernel} kernel forced`, () => {
    let dev: WebGpuDevice;
    beforeAll(async () => {
      dev = await webgpuDevice({ sgemmKernel: kernel, register: false });
    });
    afterAll(() => dev.dispose());

    it("has a tile for this adapter", () => {
      expect(dev.sgemmTiles).not.toBeNull();
    });
    for (const c of sgemmCases()) it(c.name, () => c.run(dev));
  });
}
