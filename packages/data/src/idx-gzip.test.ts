/**
 * Gzip bombs and lying IDX headers. The crafted files are small, but what they announce (or
 * inflate to) would need gigabytes: each test would run out of memory were the bound checked after
 * the allocation instead of before.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gunzipWithStreams } from "./gzip.js";
import { encodeIdx, gunzip, gunzipIdx, loadMnist, MNIST_FILES, readIdx } from "./index.js";

/** An IDX header for uint8 data of `shape` (and nothing after it). */
function idxHeader(shape: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, (0x08 << 8) | shape.length);
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  return out;
}

function join2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** 64 MiB of zeros, gzipped to about 64 KB. */
const ZEROS = new Uint8Array(64 << 20);
const MEMBER = new Uint8Array(gzipSync(ZEROS));

/** `first` followed by 31 gzip members of 64 MiB of zeros: a 2 MB file that inflates to 2 GiB. */
function bomb(first: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([first, ...Array.from({ length: 31 }, () => MEMBER)]));
}

describe("gunzip: maxOutputLength", () => {
  it("stops a gzip bomb at the limit, with node:zlib and with DecompressionStream alike", async () => {
    const big = bomb(MEMBER);
    expect(big.length).toBeLessThan(3_000_000);
    await expect(gunzip(big, "bomb.gz", { maxOutputLength: 1000 })).rejects.toThrow("gunzip: bomb.gz decompresses to more than 1000 bytes (maxOutputLength)");
    await expect(gunzipWithStreams(big, "bomb.gz", { maxOutputLength: 1000 })).rejects.toThrow("gunzip: bomb.gz decompresses to more than 1000 bytes (maxOutputLength)");
    const small = new Uint8Array(gzipSync(new Uint8Array([1, 2, 3])));
    expect(await gunzip(small, "s", { maxOutputLength: 3 })).toEqual(new Uint8Array([1, 2, 3]));
    expect(await gunzipWithStreams(small, "s", { maxOutputLength: 3 })).toEqual(new Uint8Array([1, 2, 3]));
    await expect(gunzip(small, "s", { maxOutputLength: 0 })).rejects.toThrow("gunzip: maxOutputLength must be a positive integer, got 0");
  });
});

describe("gunzipIdx: the IDX header bounds the decompression", () => {
  it("refuses a header announcing 4 GiB in a file of a few dozen bytes, before decompressing it", async () => {
    const liar = new Uint8Array(gzipSync(idxHeader([65536, 65536])));
    await expect(gunzipIdx(liar, { name: "liar.gz" })).rejects.toThrow(
      `readIdx: liar.gz announces 65536×65536 = 4294967296 bytes of data, more than its ${liar.length} compressed bytes can hold (deflate expands at most 1032:1): corrupt?`,
    );
  });

  it("stops an honest header followed by a bomb at header + data", async () => {
    const file = bomb(new Uint8Array(gzipSync(join2(encodeIdx({ dtype: "uint8", shape: [4], data: new Uint8Array([1, 2, 3, 4]) }), ZEROS))));
    await expect(gunzipIdx(file, { name: "labels.gz" })).rejects.toThrow("gunzip: labels.gz decompresses to more than 12 bytes (maxOutputLength)");
  });

  it("checks the header like readIdx, and decompresses honest files", async () => {
    const labels = encodeIdx({ dtype: "uint8", shape: [3], data: new Uint8Array([5, 0, 4]) });
    const back = await gunzipIdx(new Uint8Array(gzipSync(labels)), { name: "l.gz", dtype: "uint8", ndim: 1 });
    expect(Array.from(readIdx(back).data)).toEqual([5, 0, 4]);
    await expect(gunzipIdx(new Uint8Array(gzipSync(labels)), { name: "l.gz", ndim: 3 })).rejects.toThrow("readIdx: l.gz has magic 0x00000801 (unsigned byte, 1 dimension), expected any type with 3 dimensions");
    await expect(gunzipIdx(new Uint8Array(gzipSync(new Uint8Array([0, 0]))), { name: "t.gz" })).rejects.toThrow("readIdx: t.gz is truncated: 2 bytes, an IDX header needs at least 4");
    await expect(gunzipIdx(labels, { name: "plain" })).rejects.toThrow("gunzip: plain is not gzip data: starts with 00 00, expected 1f 8b");
  });

  it("loadMnist reads .gz files through the bound", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-bomb-"));
    writeFileSync(join(dir, MNIST_FILES.trainImages), encodeIdx({ dtype: "uint8", shape: [1, 2, 2], data: new Uint8Array(4) }));
    writeFileSync(join(dir, MNIST_FILES.trainLabels), encodeIdx({ dtype: "uint8", shape: [1], data: new Uint8Array(1) }));
    writeFileSync(join(dir, MNIST_FILES.testImages), encodeIdx({ dtype: "uint8", shape: [1, 2, 2], data: new Uint8Array(4) }));
    writeFileSync(join(dir, `${MNIST_FILES.testLabels}.gz`), gzipSync(idxHeader([2 ** 31])));
    await expect(loadMnist({ dir })).rejects.toThrow(/^readIdx: t10k-labels-idx1-ubyte\.gz announces 2147483648 = 2147483648 bytes of data, more than its \d+ compressed bytes can hold/);
  });
});
