import { refBlas } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { describe, expect, it } from "vitest";
import { WasmHeap } from "./heap.js";
import { WasmDevice } from "./wasm-device.js";

const MiB = 2 ** 20;

describe("WasmHeap", () => {
  for (const shared of [false, true]) {
    it(`grows the ${shared ? "shared" : "unshared"} memory on demand without moving live blocks, and refreshes its views`, () => {
      const heap = new WasmHeap({ shared, maxBytes: 64 * MiB }, 1 * MiB);
      const first = heap.alloc(1000);
      heap.f32().set([1, 2, 3], first >> 2);
      const before = heap.f32();
      const size = heap.byteLength;
      const big = heap.alloc(3 * MiB);
      expect(heap.byteLength).toBeGreaterThan(size);
      expect(big + 3 * MiB).toBeLessThanOrEqual(heap.byteLength);
      if (!shared) expect(before.length).toBe(0); // the old ArrayBuffer was detached
      expect(heap.f32() === before).toBe(false);
      expect(Array.from(heap.f32().subarray(first >> 2, (first >> 2) + 3))).toEqual([1, 2, 3]);
      expect(heap.owns(heap.f32())).toBe(true);
      expect(heap.owns(before)).toBe(false);
    });
  }

  it("throws a RangeError naming the caller at its limit", () => {
    const heap = new WasmHeap({ shared: false, maxBytes: 16 * MiB }, 1 * MiB);
    expect(() => heap.alloc(32 * MiB, "alloc")).toThrow(/alloc: out of wasm memory for 33554432 bytes: .* the limit is 16777216 bytes/);
    expect(heap.alloc(4 * MiB)).toBeGreaterThan(0);
  });

  it("zeroes only the part of a new block that earlier blocks used", () => {
    const heap = new WasmHeap({ shared: false, maxBytes: 64 * MiB }, 1 * MiB);
    const zeroed: [number, number][] = [];
    const zero = (at: number, n: number) => {
      zeroed.push([at, n]);
      heap.u8().fill(0, at, at + n);
    };
    const a = heap.allocZeroed(4096, "alloc", zero);
    expect(zeroed).toEqual([]); // fresh memory is zero already
    heap.u8().fill(7, a, a + 4096);
    heap.free(a);
    const b = heap.allocZeroed(8192, "alloc", zero); // reuses a's 4096 bytes, then fresh memory
    expect(b).toBe(a);
    expect(zeroed).toEqual([[a, 4096]]);
    expect(heap.u8().subarray(b, b + 8192).every((v) => v === 0)).toBe(true);
  });

  it("keeps one scratch region and moves it only to grow it", () => {
    const heap = new WasmHeap({ shared: false, maxBytes: 64 * MiB }, 1 * MiB);
    const s = heap.scratch(1000);
    expect(heap.scratch(500)).toBe(s);
    const used = heap.bytesInUse;
    heap.scratch(10 * MiB);
    expect(heap.bytesInUse).toBeGreaterThan(used);
  });
});

describe("memory growth under live device buffers", () => {
  for (const threads of [1, 2]) {
    it(`keeps buffers valid and routines correct after the memory grows (${threads} thread${threads > 1 ? "s" : ""})`, async () => {
      const dev = await WasmDevice.create({ threads, register: false, blocking: { minFlopsPerThread: 0 } });
      const [M, N, K] = [40, 50, 60];
      const A = testData(M * K, 1), B = testData(K * N, 2);
      const a = dev.alloc(M * K), b = dev.alloc(K * N), c = dev.alloc(M * N);
      dev.write(a, A);
      dev.write(b, B);
      const size = dev.memoryBytes;
      const huge = dev.alloc(size); // forces growth: the memory at least doubles
      expect(dev.memoryBytes).toBeGreaterThan(size);
      expect(dev.readSync(a)).toEqual(A);
      dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
      const expected = new Float32Array(M * N);
      refBlas.sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, expected, N);
      const got = dev.readSync(c);
      got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-4));
      // Buffers allocated after the growth (beyond the old end) work on every thread too.
      const a2 = dev.alloc(M * K), b2 = dev.alloc(K * N), c2 = dev.alloc(M * N);
      expect(Math.min(...[a2, b2, c2].map((x) => (x as unknown as { address: number }).address))).toBeGreaterThan(size);
      dev.write(a2, A);
      dev.write(b2, B);
      dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a2, K, 1, 0, b2, N, 1, 0, 0, c2, N, 1, 0);
      expect(dev.readSync(c2)).toEqual(got);
      for (const x of [a, b, c, huge, a2, b2, c2]) dev.free(x);
      expect(dev.bytesInUse()).toBe(0);
      dev.dispose();
    });
  }

  it("stages external arrays even when staging itself grows the memory", async () => {
    const dev = await WasmDevice.create({ threads: 1, register: false });
    const [M, N, K] = [150, 200, 300]; // 540 KiB of operands, more than is left free below
    const A = testData(M * K, 3), B = testData(K * N, 4);
    const C = new Float32Array(M * N), E = new Float32Array(M * N);
    const size = dev.memoryBytes;
    const keep = dev.alloc((size - 2 * 65536) / 4); // fills the heap up to its last 64 KiB
    dev.blas.sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, C, N);
    refBlas.sgemm("row-major", "no-transpose", "no-transpose", M, N, K, 1, A, K, B, N, 0, E, N);
    expect(dev.memoryBytes).toBeGreaterThan(size);
    C.forEach((v, i) => expect(Math.abs(v - E[i])).toBeLessThan(1e-3));
    dev.free(keep);
  });
});

describe("allocUninitialized", () => {
  it("skips the zero fill, counts the buffer like alloc and checks its arguments", async () => {
    const dev = await WasmDevice.create({ threads: 1, register: false });
    const a = dev.alloc(1024);
    dev.write(a, new Float32Array(1024).fill(7));
    const before = dev.bytesInUse();
    dev.free(a);
    const b = dev.allocUninitialized(1024); // the same block, not cleared
    expect(dev.bytesInUse()).toBe(before);
    expect(dev.readSync(b)[0]).toBe(7);
    const z = dev.alloc(16);
    expect([...dev.readSync(z)].every((v) => v === 0)).toBe(true);
    expect(() => dev.allocUninitialized(1.5)).toThrow("allocUninitialized: length must be a non-negative integer, got 1.5");
    expect(() => dev.allocUninitialized(4, "float64" as never)).toThrow("allocUninitialized: dtype must be 'float32' or 'int32'");
    dev.free(b);
    dev.free(z);
    dev.dispose();
  });
});
