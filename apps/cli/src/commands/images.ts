/**
 * The colour images `predict` classifies with ImageNet models: PNG (pngjs) or JPEG (jpeg-js),
 * told apart by their first bytes, each checked against its size limits before it is decoded.
 */
import { PNG } from "pngjs";
import type { RgbImage } from "@tessera/models";
import { CliError } from "../zoo.js";
import { decodeJpeg } from "./jpeg-limits.js";
import { checkPng } from "./png-limits.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** Decodes a PNG or JPEG file's bytes (named `name` in errors) to RGB or RGBA pixels. */
export function decodeImage(bytes: Uint8Array, name: string): RgbImage {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xd8) return decodeJpeg(bytes, name);
  if (!PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw new CliError(`predict: ${name} is neither a PNG nor a JPEG file (judged by its first bytes)`);
  checkPng(bytes, name);
  try {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
  } catch (e) {
    throw new CliError(`predict: ${name} is not a readable PNG (${(e as Error).message})`);
  }
}
