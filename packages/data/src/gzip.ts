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
 * Decompresses gzip data: with `node:zlib` under Node, with the standard `DecompressionStream`
 * in browsers. Corrupt or truncated input gives an error naming `name`.
 *
 * @param bytes - The compressed bytes (must start with the gzip magic `1f 8b`).
 * @param name - Shown in error messages (usually the file name).
 * @throws Error `gunzip: train-images-idx3-ubyte.gz is corrupt or truncated (unexpected end of file)`.
 *
 * @example
 * ```ts
 * const response = await fetch("https://example.org/t10k-labels-idx1-ubyte.gz");
 * const labels = readIdx(await gunzip(new Uint8Array(await response.arrayBuffer())));
 * ```
 */
export async function gunzip(bytes: Uint8Array, name = "data"): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`gunzip: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  }
  if (!isGzip(bytes)) {
    const head = Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new Error(`gunzip: ${name} is not gzip data: starts with ${head || "nothing"}, expected 1f 8b`);
  }
  if (isNode()) {
    const zlib = await import("node:zlib");
    try {
      return new Uint8Array(zlib.gunzipSync(bytes));
    } catch (e) {
      throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
    }
  }
  return gunzipWithStreams(bytes, name);
}

/** The browser path of {@link gunzip}, exported for tests (Node has `DecompressionStream` too). */
export async function gunzipWithStreams(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new Error(`gunzip: cannot decompress ${name}: this runtime has neither node:zlib nor DecompressionStream`);
  }
  const input = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return new Uint8Array(await new Response(input).arrayBuffer());
  } catch (e) {
    throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
  }
}
