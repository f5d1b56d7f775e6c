/**
 * Gzip decompression for Node (`node:zlib`) and browsers (`DecompressionStream`): the platform's
 * decompressor comes from `#inflate` (package.json `imports`: `inflate.node.ts` under Node,
 * `inflate.browser.ts` elsewhere).
 */
import { inflate } from "#inflate";
import { readStream } from "./gzip-stream.js";

/**
 * True when `bytes` starts with the gzip magic number `1f 8b`.
 *
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8, 0])); // true
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Options of {@link gunzip}.
 *
 * @example
 * ```ts
 * const o: GunzipOptions = { maxOutputLength: 7_850_024 };
 * ```
 */
export interface GunzipOptions {
  /**
   * The most bytes the output may have (a positive integer); more is an error, found before more
   * is allocated. No limit by default: give one whenever the input comes from outside.
   */
  maxOutputLength?: number;
}

function checkLimit(fn: string, max: number | undefined): void {
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
    throw new RangeError(`${fn}: maxOutputLength must be a positive integer, got ${String(max)}`);
  }
}

/**
 * Decompresses gzip data: with `node:zlib` under Node, with the standard `DecompressionStream`
 * in browsers. Corrupt or truncated input gives an error naming `name`; output beyond
 * `options.maxOutputLength` stops the decompression with an error (a small file can expand a
 * thousandfold, so bound it whenever the input comes from outside).
 *
 * @param bytes - The compressed bytes (must start with the gzip magic `1f 8b`).
 * @param name - Shown in error messages (usually the file name).
 * @param options - The output limit.
 * @throws Error `gunzip: train-images-idx3-ubyte.gz is corrupt or truncated (unexpected end of file)`.
 * @throws RangeError `gunzip: a.gz decompresses to more than 1000 bytes (maxOutputLength)`.
 *
 * @example
 * ```ts
 * const response = await fetch("https://example.org/t10k-labels-idx1-ubyte.gz");
 * const labels = readIdx(await gunzip(new Uint8Array(await response.arrayBuffer()), "labels", { maxOutputLength: 10_008 }));
 * ```
 */
export async function gunzip(bytes: Uint8Array, name = "data", options: GunzipOptions = {}): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`gunzip: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  }
  const max = options.maxOutputLength;
  checkLimit("gunzip", max);
  if (!isGzip(bytes)) {
    const head = Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(`gunzip: ${name} is not gzip data: starts with ${head || "nothing"}, expected 1f 8b`);
  }
  return inflate(bytes, name, max);
}

/**
 * The browser path of {@link gunzip}, exported for tests (Node has `DecompressionStream` too).
 * Stops reading as soon as the output passes `options.maxOutputLength`.
 */
export async function gunzipWithStreams(bytes: Uint8Array, name: string, options: GunzipOptions = {}): Promise<Uint8Array> {
  checkLimit("gunzip", options.maxOutputLength);
  return readStream(bytes, name, options.maxOutputLength ?? Number.MAX_SAFE_INTEGER, false);
}

/**
 * The first `n` bytes of the decompressed data (fewer when it is shorter), decompressing little
 * more than that: enough to read a file's header before deciding how much of it to accept.
 * A corrupt start throws; corruption later in the stream is not seen.
 */
export async function gunzipHead(bytes: Uint8Array, name: string, n: number): Promise<Uint8Array> {
  if (!isGzip(bytes)) return gunzip(bytes, name); // throws the not-gzip error
  return readStream(bytes, name, n, true);
}
