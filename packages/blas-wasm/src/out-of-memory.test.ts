import { testData } from "@tessera/blas/testing";
import { describe, expect, it } from "vitest";
import { WasmDevice } from "./wasm-device.js";

const MiB = 2 ** 20;

describe("out of wasm memory", () => {
  it("names the buffer asked for, the bytes live, the limit and scope()", async () => {
    const dev = await WasmDevice.create({ threads: 1, register: false, maxMemoryMiB: 16 });
    const big = dev.alloc((12 * MiB) / 4);
    expect(() => dev.alloc(2_000_000, "int32")).toThrow(RangeError);
    let message = "";
    try {
      dev.alloc(2_000_000);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^alloc: out of wasm memory for a float32 buffer of 2000000 elements \(8000000 bytes\): /);
    expect(message).toMatch(/: 1258\d{4} bytes \(12\.\d MiB\) are live in \d+ blocks/);
    expect(message).toMatch(/the limit is 16777216 bytes \(16\.0 MiB; wasmDevice's maxMemoryMiB, at most 4096\)/);
    expect(message).toMatch(/Forgot scope\(\) in a training loop\?/);
    dev.free(big);
    expect(dev.readSync(dev.alloc(2_000_000), 0, 1)).toEqual(new Float32Array(1)); // fits again
    dev.dispose();
  });

  it("names the routine whose scratch space did not fit, and leaves the device consistent", async () => {
    const dev = await WasmDevice.create({ threads: 1, register: false, maxMemoryMiB: 16 });
    const run = (M: number, N: number, K: number) => {
      const [a, b, c] = [dev.alloc(M * K), dev.alloc(K * N), dev.alloc(M * N)];
      dev.write(a, testData(M * K, 1));
      dev.write(b, testData(K * N, 2));
      dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
      const out = dev.readSync(c);
      for (const x of [a, b, c]) dev.free(x);
      return out;
    };
    const small = run(64, 64, 64); // creates the scratch region (64 KiB)
    // Operands of a product whose packed panels (1.2 MB of scratch) do not fit in what is left.
    const [M, N, K] = [600, 600, 256];
    const [a, b, c] = [dev.alloc(M * K), dev.alloc(K * N), dev.alloc(M * N)];
    const end = (c as unknown as { address: number }).address + M * N * 4;
    const big = dev.alloc((16 * MiB - end - 256 * 1024) / 4);
    expect(() => dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0))
      .toThrow(/^sgemm: out of wasm memory for \d+ bytes of scratch space: .*Forgot scope\(\)/);
    for (const x of [a, b, c]) dev.free(x);
    // The scratch region freed on the way must not be handed out again as scratch while a buffer holds it.
    const sentinel = dev.alloc(16384);
    const data = testData(16384, 3);
    dev.write(sentinel, data);
    expect(run(64, 64, 64)).toEqual(small);
    expect(dev.readSync(sentinel)).toEqual(data);
    for (const x of [big, sentinel]) dev.free(x);
    dev.dispose();
  });
});
