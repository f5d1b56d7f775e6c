/**
 * SLOW (memory): the wasm device with its heap above 2 GiB, up to the 4 GiB limit of wasm32.
 *
 * Byte addresses at or above 2^31 are negative as int32: a signed shift of one (`address >> 2`)
 * gave a negative typed-array index, so job records and descriptors were silently not written and
 * `fill(0, negative, …)` zeroed memory counted from the end of the heap (issue 11, item 1). Here two
 * filler buffers push everything else into the last 160 MiB below 4 GiB, one buffer straddles 2^31
 * (routines read and write across it) and the whole conformance battery runs up there, on 1 and 2
 * threads, with sentinels below, between and above that must survive.
 *
 * The fillers are never written: memory the heap never handed out is not zeroed again (it is zero
 * already), so this costs a few tens of MiB of resident memory per device, not 4 GiB.
 */
import { conformanceCases, testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_BLOCKING } from "./test-configs.js";
import type { WasmBuffer } from "./wasm-buffer.js";
import { WasmDevice } from "./wasm-device.js";

const GiB = 2 ** 30;
const SENTINEL = 16384; // elements (64 KiB)
/** Where the battery runs: everything from here to 4 GiB. */
const TOP = 4 * GiB - 160 * 2 ** 20;

const address = (b: unknown) => (b as WasmBuffer).address;

for (const threads of [1, 2]) {
  describe(`wasm device with a heap above 2 GiB, up to 4 GiB (${threads} thread${threads > 1 ? "s" : ""})`, () => {
    let dev: WasmDevice;
    const sentinels: { buffer: ReturnType<WasmDevice["alloc"]>; data: Float32Array }[] = [];
    const fillers: ReturnType<WasmDevice["alloc"]>[] = [];
    let cross: ReturnType<WasmDevice["alloc"]>;
    const sentinel = (seed: number) => {
      const data = testData(SENTINEL, seed);
      const buffer = dev.alloc(SENTINEL);
      dev.write(buffer, data);
      sentinels.push({ buffer, data });
      return buffer;
    };

    beforeAll(async () => {
      dev = await WasmDevice.create({ threads, maxMemoryMiB: 4096, register: false, ...(threads > 1 ? { blocking: TINY_BLOCKING } : {}) });
      const low = sentinel(1);
      // Filler up to 32 KiB below 2^31, so the next buffer (64 KiB) straddles 2^31.
      const straddle = 2 ** 31 - 32768;
      fillers.push(dev.alloc((straddle - (address(low) + SENTINEL * 4)) / 4));
      cross = dev.alloc(SENTINEL);
      expect(address(cross)).toBe(straddle);
      expect(address(sentinel(2))).toBe(straddle + SENTINEL * 4);
      fillers.push(dev.alloc((TOP - (straddle + 2 * SENTINEL * 4)) / 4));
      expect(address(sentinel(3))).toBe(TOP);
    });
    afterAll(() => dev.dispose());

    it("has its memory above 2 GiB", () => {
      expect(dev.memoryBytes).toBeGreaterThan(2 ** 31);
      expect(dev.threads).toBe(threads);
    });

    for (const c of conformanceCases()) it(`above 2 GiB: ${c.group}: ${c.name}`, () => c.run(dev));

    it("multiplies 64×64 matrices of ones exactly, after the battery", () => {
      const [a, b, c] = [dev.alloc(4096), dev.alloc(4096), dev.alloc(4096)];
      for (const x of [a, b]) dev.fill([4096], 1, { buffer: x, offset: 0, strides: [1] });
      dev.sgemm("no-transpose", "no-transpose", 64, 64, 64, 1, a, 64, 1, 0, b, 64, 1, 0, 0, c, 64, 1, 0);
      expect(address(c)).toBeGreaterThan(TOP);
      expect(Array.from(dev.readSync(c))).toEqual(new Array(4096).fill(64));
      for (const x of [a, b, c]) dev.free(x);
    });

    it("computes across 2^31 inside one buffer exactly as elsewhere", () => {
      // A (64×64) spans elements 6144…10239 of `cross`, whose element 8192 is at 2^31.
      const A = testData(4096, 6), B = testData(4096, 7);
      const [a, b, c] = [dev.alloc(4096), dev.alloc(4096), dev.alloc(4096)];
      dev.write(a, A);
      dev.write(b, B);
      dev.write(cross, A, 6144);
      dev.sgemm("no-transpose", "no-transpose", 64, 64, 64, 1, a, 64, 1, 0, b, 64, 1, 0, 0, c, 64, 1, 0);
      dev.sgemm("no-transpose", "no-transpose", 64, 64, 64, 1, cross, 64, 1, 6144, b, 64, 1, 0, 0, cross, 64, 1, 12288);
      expect(dev.readSync(cross, 12288, 4096)).toEqual(dev.readSync(c));
      // Elementwise in place over the whole buffer, and a reduction over it.
      const all = { buffer: cross, offset: 0, strides: [1] };
      dev.unary("neg", [SENTINEL], all, all);
      const negated = dev.readSync(cross);
      expect(negated.subarray(6144, 10240)).toEqual(A.map((v) => -v));
      const sum = dev.alloc(1);
      dev.reduce("sum", [SENTINEL], 1, all, { buffer: sum, offset: 0, strides: [] });
      expect(dev.readSync(sum)[0]).toBe(Math.fround(Array.from(negated).reduce((s, v) => s + v, 0)));
      for (const x of [a, b, c, sum]) dev.free(x);
    });

    it("stages host arrays above 2 GiB (drop-in BLAS)", () => {
      const [M, N, K] = [37, 29, 300];
      const A = testData(M * K, 4), B = testData(K * N, 5);
      const got = new Float32Array(M * N), want = new Float32Array(M * N);
      dev.blas.sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, got, N);
      // The same product on buffers of the device (no staging) gives the same bits.
      const [a, b, c] = [dev.alloc(M * K), dev.alloc(K * N), dev.alloc(M * N)];
      dev.write(a, A);
      dev.write(b, B);
      dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
      want.set(dev.readSync(c));
      expect(got).toEqual(want);
      expect(got.some((v) => v !== 0)).toBe(true);
      for (const x of [a, b, c]) dev.free(x);
    });

    it("left every sentinel intact (low, straddling 2^31, at the top) and freed the battery's buffers", () => {
      for (const s of sentinels) expect(dev.readSync(s.buffer)).toEqual(s.data);
      const held = fillers.reduce((n, f) => n + f.length * 4, 0) + SENTINEL * 4 * (sentinels.length + 1);
      expect(dev.bytesInUse()).toBe(held);
      for (const b of [...fillers, cross, ...sentinels.map((s) => s.buffer)]) dev.free(b);
      expect(dev.bytesInUse()).toBe(0);
    });
  });
}
