/**
 * Limits on a JPEG before and while it is decoded. Like a PNG, a JPEG's frame header (SOFn)
 * announces its size and a decoder allocates what it announces (a 41-byte file can announce
 * 65535×65535 pixels, 12 GB of RGB), so `predict` reads the frame header first and refuses images
 * beyond {@link MAX_JPEG_PIXELS}; jpeg-js then decodes with `maxResolutionInMP` and
 * `maxMemoryUsageInMB` set (a second fence: its own count of what it allocates, which also covers
 * coefficient tables, Huffman tables and comments).
 */
import { decode } from "jpeg-js";
import type { RgbImage } from "@tessera/models";
import { CliError } from "../zoo.js";
import { MAX_PNG_PIXELS } from "./png-limits.js";

/** The most pixels `predict` decodes from a JPEG: 4096×4096, as for a PNG. */
export const MAX_JPEG_PIXELS = MAX_PNG_PIXELS;

/**
 * jpeg-js's memory bound for one decode, in MB: a 4096×4096 three-channel JPEG needs about 340 MB
 * by its count (DCT coefficients of every block, then the RGB output), so 384 MB decodes every
 * image {@link MAX_JPEG_PIXELS} allows and nothing that would take much more.
 */
export const JPEG_MAX_MEMORY_MB = 384;

/** What the frame header announces. */
export interface JpegHeader {
  readonly width: number;
  readonly height: number;
  readonly components: number;
}

function fail(name: string, problem: string): never {
  throw new CliError(`predict: ${name} ${problem}`);
}

/** Whether a marker byte is a start-of-frame (SOF0–SOF15, less DHT C4, JPG C8 and DAC CC). */
const isSof = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * Reads the frame header of `bytes` (a JPEG named `name` in errors), walking the marker segments
 * up to the first SOFn, and throws a one-line `CliError` unless the image is 1 to
 * {@link MAX_JPEG_PIXELS} pixels. Allocates nothing that the header announces.
 */
export function checkJpeg(bytes: Uint8Array, name: string): JpegHeader {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) fail(name, "is not a JPEG file (it does not start with the JPEG SOI marker)");
  let at = 2;
  for (;;) {
    if (at >= bytes.length) fail(name, "is not a readable JPEG (no frame header before the end of the file)");
    if (bytes[at] !== 0xff) fail(name, `is not a readable JPEG (expected a marker at byte ${at}, found 0x${bytes[at].toString(16)})`);
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes
    if (at >= bytes.length) break;
    const marker = bytes[at++];
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) fail(name, `is not a readable JPEG (${marker === 0xd9 ? "EOI" : "SOS"} before the frame header)`);
    if (at + 2 > bytes.length) break;
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (length < 2 || at + length > bytes.length) fail(name, `is not a readable JPEG (segment 0xff${marker.toString(16)} runs past the end of the file)`);
    if (isSof(marker)) {
      if (length < 8) fail(name, "is not a readable JPEG (its frame header is too short)");
      const height = (bytes[at + 3] << 8) | bytes[at + 4];
      const width = (bytes[at + 5] << 8) | bytes[at + 6];
      const components = bytes[at + 7];
      if (width < 1 || height < 1) fail(name, `is not a readable JPEG (its header says ${width}×${height} pixels)`);
      if (width * height > MAX_JPEG_PIXELS) {
        fail(name, `is ${width}×${height} = ${width * height} pixels, more than the ${MAX_JPEG_PIXELS} (4096×4096, MAX_JPEG_PIXELS) predict decodes: scale it down first`);
      }
      if (![1, 3, 4].includes(components)) fail(name, `is not a readable JPEG (${components} colour components)`);
      return { width, height, components };
    }
    at += length;
  }
  return fail(name, "is not a readable JPEG (it ends inside a marker)");
}

/** Decodes a JPEG to RGB pixels after {@link checkJpeg}, with jpeg-js's limits set and no tolerance for corrupt data. */
export function decodeJpeg(bytes: Uint8Array, name: string): RgbImage {
  checkJpeg(bytes, name);
  try {
    const { width, height, data } = decode(bytes, {
      useTArray: true, formatAsRGBA: false, tolerantDecoding: false,
      maxResolutionInMP: MAX_JPEG_PIXELS / 1e6, maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB,
    });
    return { width, height, data };
  } catch (e) {
    return fail(name, `is not a readable JPEG (${(e as Error).message})`);
  }
}
