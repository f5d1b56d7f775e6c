import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_BLOCKING } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";

/** Shapes whose tasks split M and N many ways (with tiny blocks) and cross several K blocks. */
const SHAPES: [number, number, number][] = [[129, 65, 257], [64, 300, 700], [17, 1000, 33], [250, 250, 250], [33, 7, 1000]];

/** Runs every shape on a device and returns the bits of each C. */
function products(dev: WasmDevice): Uint32Array[] {
  return SHAPES.map(([M, N, K], i) => {
    const a = dev.alloc(M * K), b = dev.alloc(K * N), c = dev.alloc(M * N);
    dev.write(a, testData(M * K, 10 + i));
    dev.write(b, testData(K * N, 20 + i));
    dev.write(c, testData(M * N, 30 + i));
    // A transposed and C column-major too, so every path of the driver is compared.
    dev.sgemm(i % 2 ? "transpose" : "no-transpose", "no-transpose", M, N, K, 1.25, a, i % 2 ? 1 : K, i % 2 ? M : 1, 0, b, N, 1, 0, 0.5, c,
      i % 3 ? N : 1, i % 3 ? 1 : M, 0);
    const out = new Uint32Array((dev.readSync(c) as Float32Array).buffer);
    for (const x of [a, b, c]) dev.free(x);
    return out;
  });
}

for (const simd of ["plain", "relaxed"] as const) {
  for (const blocking of [TINY_BLOCKING, { minFlopsPerThread: 0 }]) {
    describe(`sgemm is bitwise identical for 1, 2 and 3 threads (${simd} SIMD, ${blocking === TINY_BLOCKING ? "tiny" : "default"} blocks)`, () => {
      const devices: WasmDevice[] = [];
      beforeAll(async () => {
        for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, blocking, register: false }));
      });
      afterAll(() => devices.forEach((d) => d.dispose()));

      it("gives every thread count the same bits", () => {
        const [one, two, three] = devices.map(products);
        expect(devices.map((d) => d.threads)).toEqual([1, 2, 3]);
        SHAPES.forEach((s, i) => {
          expect(two[i], `2 threads, shape ${s}`).toEqual(one[i]);
          expect(three[i], `3 threads, shape ${s}`).toEqual(one[i]);
        });
      });

      it("would notice a difference of one bit (the comparison can fail)", () => {
        const [one] = devices.map(products);
        const flipped = one[0].slice();
        flipped[7] ^= 1;
        expect(flipped).not.toEqual(one[0]);
      });
    });
  }
}
