import { describe, expect, it } from "vitest";
import { FreeListAllocator } from "./allocator.js";

describe("FreeListAllocator", () => {
  it("tracks the end of the highest block ever handed out (untouched memory)", () => {
    const a = new FreeListAllocator(0, 1024);
    expect(a.untouched).toBe(0);
    const x = a.alloc(128)!;
    const y = a.alloc(64)!;
    expect(a.untouched).toBe(192);
    a.free(y);
    a.free(x);
    expect(a.untouched).toBe(192); // freeing never lowers it
    a.alloc(256);
    expect(a.untouched).toBe(256);
    a.extend(2048);
    expect(a.untouched).toBe(256);
  });

  it("aligns blocks and counts the bytes in use", () => {
    const a = new FreeListAllocator(100, 100 + 4096);
    const x = a.alloc(1)!;
    const y = a.alloc(65)!;
    expect(x % 64).toBe(0);
    expect(x).toBeGreaterThanOrEqual(100);
    expect(y - x).toBe(64);
    expect(a.sizeOf(y)).toBe(128);
    expect(a.bytesInUse).toBe(192);
    expect(a.liveBlocks).toBe(2);
  });

  it("reuses a freed block for the next request that fits (first fit)", () => {
    const a = new FreeListAllocator(0, 1024);
    const x = a.alloc(256)!;
    a.alloc(256);
    a.free(x);
    expect(a.alloc(128)).toBe(x);
    expect(a.alloc(128)).toBe(x + 128);
  });

  it("coalesces neighbours so a large block fits again after fragmentation", () => {
    const a = new FreeListAllocator(0, 640);
    const blocks = [0, 1, 2, 3, 4].map(() => a.alloc(128)!);
    expect(a.alloc(64)).toBeUndefined();
    a.free(blocks[1]);
    a.free(blocks[3]);
    expect(a.alloc(256)).toBeUndefined();
    a.free(blocks[2]);
    expect(a.alloc(384)).toBe(blocks[1]);
    a.free(blocks[0]);
    a.free(blocks[4]);
    a.free(blocks[1]);
    expect(a.bytesInUse).toBe(0);
    expect(a.alloc(640)).toBe(0);
  });

  it("returns undefined when nothing fits and grows with extend", () => {
    const a = new FreeListAllocator(0, 256);
    const x = a.alloc(192)!;
    expect(a.alloc(128)).toBeUndefined();
    expect(a.freeAtTop()).toBe(64);
    a.extend(512);
    expect(a.end).toBe(512);
    expect(a.alloc(128)).toBe(x + 192);
    a.free(x);
    expect(a.freeAtTop()).toBe(512 - 320);
  });

  it("throws on a double free or an unknown address", () => {
    const a = new FreeListAllocator(0, 256);
    const x = a.alloc(64)!;
    a.free(x);
    expect(() => a.free(x)).toThrow(/free: address 0 is not a live block/);
    expect(() => a.free(1000)).toThrow(RangeError);
  });

  it("keeps a consistent free list under a seeded random workload", () => {
    const a = new FreeListAllocator(0, 1 << 20);
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const live = new Map<number, number>();
    const overlaps: string[] = [];
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && next() % 3 === 0) {
        const keys = [...live.keys()];
        const k = keys[next() % keys.length];
        a.free(k);
        live.delete(k);
      } else {
        const size = 1 + (next() % 5000);
        const at = a.alloc(size);
        if (at === undefined) continue;
        // A plain check per pair (an expect per pair made this test take seconds on a busy machine).
        for (const [s, n] of live) if (!(at + size <= s || s + n <= at)) overlaps.push(`block ${at}+${size} overlaps ${s}+${n}`);
        live.set(at, size);
      }
    }
    expect(overlaps).toEqual([]);
    for (const k of live.keys()) a.free(k);
    expect(a.bytesInUse).toBe(0);
    expect(a.alloc(1 << 20)).toBe(0);
  });
});
