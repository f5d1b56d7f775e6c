/**
 * Limits checked on a PNG before it is decoded: a PNG's header announces its size, and a decoder
 * allocates what it announces (a 69-byte file announcing 30000×30000 pixels costs 10 GB), so
 * `predict` reads the IHDR chunk first and refuses images beyond {@link MAX_PNG_PIXELS}, and bounds
 * the decompression of interlaced images (which pngjs inflates without a limit) by the size the
 * header implies.
 */
import { inflateSync } from "node:zlib";
import { CliError } from "../zoo.js";

/** The most pixels `predict` decodes: 4096×4096 (the input is averaged down to 28×28 anyway). */
export const MAX_PNG_PIXELS = 4096 * 4096;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Samples per pixel of each PNG colour type. */
const CHANNELS = new Map([[0, 1], [2, 3], [3, 1], [4, 2], [6, 4]]);

/** What the IHDR chunk announces. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
}

function fail(name: string, problem: string): never {
  throw new CliError(`predict: ${name} ${problem}`);
}

/** Bytes of filtered scanlines an image of this header inflates to (each pass of Adam7 when interlaced). */
export function inflatedSize(h: PngHeader): number {
  const bits = CHANNELS.get(h.colorType)! * h.bitDepth;
  const rows = (w: number, n: number): number => (w > 0 && n > 0 ? n * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (!h.interlaced) return rows(h.width, h.height);
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) total += rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy));
  return total;
}

/**
 * Reads the IHDR chunk of `bytes` (a PNG named `name` in errors) and throws a one-line
 * `CliError` unless the image is at most {@link MAX_PNG_PIXELS} pixels; for an interlaced image it
 * also inflates the image data with a bound of the size the header implies. Allocates nothing
 * that the header announces.
 */
export function checkPng(bytes: Uint8Array, name: string): PngHeader {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) fail(name, "is not a PNG file (it does not start with the PNG signature)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number): string => String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  if (bytes.length < 33 || view.getUint32(8) !== 13 || type(8) !== "IHDR") fail(name, "is not a readable PNG (it must start with a 13-byte IHDR chunk)");
  const h: PngHeader = {
    width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24], colorType: bytes[25], interlaced: bytes[28] === 1,
  };
  if (h.width < 1 || h.height < 1) fail(name, `is not a readable PNG (its header says ${h.width}×${h.height} pixels)`);
  if (h.width * h.height > MAX_PNG_PIXELS) {
    fail(name, `is ${h.width}×${h.height} = ${h.width * h.height} pixels, more than the ${MAX_PNG_PIXELS} (4096×4096, MAX_PNG_PIXELS) predict decodes: scale it down first`);
  }
  if (!CHANNELS.has(h.colorType) || ![1, 2, 4, 8, 16].includes(h.bitDepth)) {
    fail(name, `is not a readable PNG (colour type ${h.colorType}, bit depth ${h.bitDepth})`);
  }
  if (h.interlaced) {
    const idat: Uint8Array[] = [];
    for (let at = 8; at + 12 <= bytes.length;) {
      const length = view.getUint32(at);
      if (at + 12 + length > bytes.length) fail(name, `is not a readable PNG (chunk ${JSON.stringify(type(at))} runs past the end of the file)`);
      if (type(at) === "IDAT") idat.push(bytes.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    const bound = inflatedSize(h);
    try {
      inflateSync(Buffer.concat(idat), { maxOutputLength: bound });
    } catch (e) {
      const why = (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? `inflates to more than the ${bound} bytes its ${h.width}×${h.height} header implies` : `has corrupt image data (${(e as Error).message})`;
      fail(name, why);
    }
  }
  return h;
}
