import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { crc32c, maskCrc32c } from "./crc32c.js";
import { frameRecord, readRecords, RECORD_OVERHEAD } from "./record.js";

/** Bitwise CRC-32C, the definition the table-driven one must agree with. */
function crc32cBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe("crc32c", () => {
  it("gives the standard check value and agrees with the bitwise definition", () => {
    expect(crc32c(new TextEncoder().encode("123456789"))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const rng = new Rng(5);
    for (const n of [1, 7, 64, 1000]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.integers(0, 256));
      expect(crc32c(bytes)).toBe(crc32cBitwise(bytes));
      expect(crc32c(bytes, 3 % n, n)).toBe(crc32cBitwise(bytes.subarray(3 % n)));
    }
    expect(() => crc32c(new Uint8Array(4), 2, 9)).toThrow(/crc32c: range \[2, 9\) must lie within the 4 bytes/);
  });

  it("masks as TensorFlow does: rotate right by 15, add 0xa282ead8", () => {
    const crc = 0xe3069283;
    const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
    expect(rotated).toBe(Number((BigInt(crc) >> 15n) | ((BigInt(crc) << 17n) & 0xffffffffn)));
    expect(maskCrc32c(crc)).toBe((rotated + 0xa282ead8) % 2 ** 32);
  });
});

describe("TFRecord framing", () => {
  it("frames length, masked length CRC, data, masked data CRC; reads back views", () => {
    const data = new TextEncoder().encode("hello tensorboard");
    const rec = frameRecord(data);
    expect(rec.length).toBe(data.length + RECORD_OVERHEAD);
    const v = new DataView(rec.buffer);
    expect(v.getUint32(0, true)).toBe(data.length);
    expect(v.getUint32(4, true)).toBe(0);
    expect(v.getUint32(8, true)).toBe(maskCrc32c(crc32cBitwise(rec.subarray(0, 8))));
    expect(v.getUint32(12 + data.length, true)).toBe(maskCrc32c(crc32cBitwise(data)));
    const both = new Uint8Array([...rec, ...frameRecord(new Uint8Array(0))]);
    const got = [...readRecords(both)];
    expect(got.map((r) => [r.index, r.offset, r.data.length])).toEqual([[0, 0, data.length], [1, rec.length, 0]]);
    expect(new TextDecoder().decode(got[0].data)).toBe("hello tensorboard");
  });

  it("detects a flipped bit anywhere in a record, naming the record and its offset", () => {
    const file = new Uint8Array([...frameRecord(new Uint8Array([1, 2, 3])), ...frameRecord(new Uint8Array([4, 5, 6, 7]))]);
    for (let i = 0; i < file.length; i++) {
      const bad = file.slice();
      bad[i] ^= 1 << (i % 8);
      const record = i < 19 ? "record 0 \\(byte offset 0\\)" : "record 1 \\(byte offset 19\\)";
      expect(() => [...readRecords(bad)], `byte ${i}`).toThrow(new RegExp(`readRecords: ${record} has a bad (length|data) CRC|readRecords: ${record} declares`));
    }
  });

  it("rejects truncation and a length beyond the input before reading it", () => {
    const rec = frameRecord(new Uint8Array(10));
    expect(() => [...readRecords(rec.subarray(0, 7))]).toThrow(/record 0 \(byte offset 0\) is truncated: 7 bytes left, a record header needs 12/);
    expect(() => [...readRecords(rec.subarray(0, 20))]).toThrow(/declares 10 data bytes, but only 4 remain/);
    // A huge length with a valid length CRC: refused from the header alone.
    const huge = new Uint8Array(16);
    const v = new DataView(huge.buffer);
    v.setUint32(0, 0xfffffff0, true);
    v.setUint32(4, 7, true);
    v.setUint32(8, maskCrc32c(crc32c(huge, 0, 8)), true);
    expect(() => [...readRecords(huge)]).toThrow(/declares 7 \* 2\^32 \+ 4294967280 data bytes, but only 0 remain/);
  });
});
