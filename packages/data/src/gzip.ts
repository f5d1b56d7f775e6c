/**
 * Gzip decompression for Node (`node:zlib`) and browsers (`DecompressionStream`).
 */

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

/** True under Node (and runtimes that provide its `node:` modules). */
export function isNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
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

function tooLarge(name: string, max: number): Error {
  return new RangeError(`gunzip: ${name} decompresses to more than ${max} bytes (maxOutputLength)`);
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
  if (isNode()) {
    const zlib = await import("node:zlib");
    try {
      return new Uint8Array(zlib.gunzipSync(bytes, max === undefined ? {} : { maxOutputLength: max }));
    } catch (e) {
      if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(name, max!);
      throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
    }
  }
  return gunzipWithStreams(bytes, name, options);
}

/** Compressed bytes fed to `DecompressionStream` at a time: bounds the output produced between checks. */
const FEED = 16 * 1024;

/**
 * Decompresses with `DecompressionStream`, keeping at most `limit` bytes: past it, an error, or
 * (when `cut`) the first `limit` bytes. The input is fed in small slices, so little more than
 * `limit` is ever decompressed. @internal
 */
async function readStream(bytes: Uint8Array, name: string, limit: number, cut: boolean): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new Error(`gunzip: cannot decompress ${name}: this runtime has neither node:zlib nor DecompressionStream`);
  }
  let fed = 0;
  const source = new ReadableStream<BufferSource>({
    pull(controller) {
      if (fed >= bytes.length) controller.close();
      else controller.enqueue(bytes.slice(fed, (fed += FEED)));
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new DecompressionStream("gzip")).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > limit) {
        over = !cut;
        if (cut) parts.push(value.subarray(0, limit - total));
        total = limit;
        break;
      }
      parts.push(value);
      total += value.length;
    }
  } catch (e) {
    throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (over) throw tooLarge(name, limit);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
