import { gzipSync } from "node:zlib";
import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { gunzipWithStreams } from "./gzip.js";
import { gunzip, isGzip } from "./index.js";

function payload(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const rng = new Rng(3);
  for (let i = 0; i < n; i++) out[i] = rng.integers(0, 8); // compressible but not trivial
  return out;
}

describe("gunzip", () => {
  const plain = payload(100_000);
  const gz = new Uint8Array(gzipSync(plain));

  it("detects gzip by its magic number", () => {
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(plain)).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });

  it("decompresses with node:zlib and with DecompressionStream (the browser path) alike", async () => {
    expect(await gunzip(gz)).toEqual(plain);
    expect(await gunzipWithStreams(gz, "x")).toEqual(plain);
  });

  it("names the input when it is not gzip or is truncated", async () => {
    await expect(gunzip(plain.subarray(0, 10), "a.bin")).rejects.toThrow(/^gunzip: a\.bin is not gzip data: starts with [0-9a-f]{2} [0-9a-f]{2}, expected 1f 8b$/);
    await expect(gunzip(gz.subarray(0, gz.length >> 1), "b.gz")).rejects.toThrow(/^gunzip: b\.gz is corrupt or truncated \(/);
    await expect(gunzipWithStreams(gz.subarray(0, gz.length >> 1), "c.gz")).rejects.toThrow(/^gunzip: c\.gz is corrupt or truncated \(/);
  });
});
