/**
 * `predict` reads a PNG's header before decoding it. The crafted files announce images that would
 * need gigabytes (30000×30000 RGBA is 3.6 GB, 2^32-1 square far more): were the check to come
 * after pngjs's allocation, the test process would run out of memory instead of seeing the error.
 */
import { crc32, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { checkPng, inflatedSize, MAX_PNG_PIXELS } from "./commands/png-limits.js";
import { pngToDigit } from "./commands/predict.js";
import { CliError } from "./zoo.js";

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG with this IHDR and one IDAT of `idat` (already zlib-compressed). */
function png(width: number, height: number, idat: Uint8Array, o: { colorType?: number; interlace?: number } = {}): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, o.colorType ?? 0, 0, 0, o.interlace ?? 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))];
  return new Uint8Array(Buffer.concat(parts));
}

describe("predict: PNG limits are checked before decoding", () => {
  it("refuses a tiny file announcing 30000×30000 pixels, naming the file and the limit", () => {
    const bomb = png(30000, 30000, deflateSync(new Uint8Array(16)));
    expect(bomb.length).toBeLessThan(80);
    expect(() => pngToDigit(bomb, "bomb.png")).toThrow(CliError);
    expect(() => pngToDigit(bomb, "bomb.png")).toThrow(
      `predict: bomb.png is 30000×30000 = 900000000 pixels, more than the ${MAX_PNG_PIXELS} (4096×4096, MAX_PNG_PIXELS) predict decodes: scale it down first`,
    );
    expect(() => pngToDigit(png(0xffffffff, 0xffffffff, new Uint8Array(0)), "huge.png")).toThrow(/huge\.png is 4294967295×4294967295 = \d+ pixels, more than the 16777216/);
    expect(() => pngToDigit(png(MAX_PNG_PIXELS + 1, 1, new Uint8Array(0)), "wide.png")).toThrow(/wide\.png is 16777217×1 = 16777217 pixels/);
  });

  it("bounds the inflation of interlaced images by the size the header implies", () => {
    const h = { width: 8, height: 8, bitDepth: 8, colorType: 0, interlaced: true };
    const need = inflatedSize(h); // 7 passes of filter byte + pixels
    expect(need).toBe(8 * 8 + 15);
    // An 8×8 image whose data inflates to 64 MiB: pngjs inflates interlaced data without a limit.
    const bomb = png(8, 8, deflateSync(new Uint8Array(64 << 20)), { interlace: 1 });
    expect(() => pngToDigit(bomb, "zip.png")).toThrow(`predict: zip.png inflates to more than the ${need} bytes its 8×8 header implies`);
  });

  it("rejects what is not a PNG with one line naming the file", () => {
    expect(() => pngToDigit(new TextEncoder().encode("GIF89a......"), "a.gif")).toThrow("predict: a.gif is not a PNG file (it does not start with the PNG signature)");
    expect(() => pngToDigit(png(0, 5, new Uint8Array(0)), "z.png")).toThrow("predict: z.png is not a readable PNG (its header says 0×5 pixels)");
    expect(() => pngToDigit(png(4, 4, new Uint8Array(0), { colorType: 5 }), "c.png")).toThrow("predict: c.png is not a readable PNG (colour type 5, bit depth 8)");
    expect(() => checkPng(png(4, 4, new Uint8Array(0)).subarray(0, 20), "t.png")).toThrow("predict: t.png is not a readable PNG (it must start with a 13-byte IHDR chunk)");
  });

  it("still decodes ordinary images, interlaced or not", () => {
    const img = new PNG({ width: 56, height: 56 });
    for (let i = 0; i < 56 * 56; i++) img.data.set([255, 255, 255, 255], 4 * i);
    for (let y = 10; y < 46; y++) for (let x = 26; x < 30; x++) img.data.set([0, 0, 0, 255], 4 * (y * 56 + x)); // a dark "1"
    const plain = new Uint8Array(PNG.sync.write(img));
    const digit = pngToDigit(plain, "one.png");
    expect(digit.length).toBe(28 * 28);
    expect(digit[14 * 28 + 14]).toBeGreaterThan(digit[14 * 28 + 2]); // the stroke is bright after inversion
    // The same grey image, interlaced: filter byte 0 on every row of every pass.
    const grey = new Uint8Array(inflatedSize({ width: 56, height: 56, bitDepth: 8, colorType: 0, interlaced: true })).fill(0);
    expect(() => checkPng(png(56, 56, deflateSync(grey), { interlace: 1 }), "i.png")).not.toThrow();
  });
});
