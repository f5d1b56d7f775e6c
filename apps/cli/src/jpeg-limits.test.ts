/**
 * jpeg-js decodes with its own limits set (the second fence behind the header check): the real
 * decoder runs, observed through a pass-through spy that records the options it was given.
 */
import { describe, expect, it, vi } from "vitest";

const seen: Record<string, unknown>[] = [];
vi.mock("jpeg-js", async (original) => {
  const real = await original<typeof import("jpeg-js")>();
  return {
    ...real,
    decode: (bytes: Uint8Array, opts: Record<string, unknown>) => {
      seen.push(opts);
      return real.decode(bytes, opts as Parameters<typeof real.decode>[1]);
    },
  };
});

const { encode } = await import("jpeg-js");
const { decodeJpeg, JPEG_MAX_MEMORY_MB, MAX_JPEG_PIXELS } = await import("./commands/jpeg-limits.js");

describe("decodeJpeg", () => {
  it("passes jpeg-js its resolution and memory limits, and no tolerance for corrupt data", () => {
    const data = Buffer.alloc(16 * 8 * 4, 200);
    const img = decodeJpeg(new Uint8Array(encode({ width: 16, height: 8, data }, 90).data), "small.jpg");
    expect([img.width, img.height, img.data.length]).toEqual([16, 8, 16 * 8 * 3]);
    expect(seen).toEqual([{ useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: MAX_JPEG_PIXELS / 1e6, maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB }]);
    expect(JPEG_MAX_MEMORY_MB).toBe(384);
  });
});
