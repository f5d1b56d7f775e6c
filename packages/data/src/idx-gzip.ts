/**
 * Gzipped IDX files (`train-images-idx3-ubyte.gz`): decompressed with a bound taken from the IDX
 * header itself, so a small hostile file cannot expand without limit.
 */
import { gunzip, gunzipHead } from "./gzip.js";
import { readIdxHeader, sizeText, type ReadIdxOptions } from "./idx.js";

/**
 * The most a deflate stream expands: a 258-byte match coded in 2 bits is 1032:1. A header that
 * announces more than this times the compressed size cannot be honest.
 */
const MAX_DEFLATE_RATIO = 1032;

/** The longest IDX header: magic + 255 dimensions. */
const MAX_IDX_HEADER = 4 + 4 * 255;

/**
 * Decompresses a gzipped IDX file, bounded by the size its header announces: the header is read
 * from the first decompressed bytes and validated like {@link readIdx} does (magic, type, number
 * of dimensions, `options`); a header announcing more data than the compressed bytes can possibly
 * hold is refused before decompressing further, and the decompression stops with an error as
 * soon as the output passes header + data. Pass the result to {@link readIdx}.
 *
 * @param bytes - The gzip-compressed IDX file.
 * @param options - A name for errors and the expected type and number of dimensions.
 * @throws Error `readIdx: a.gz announces 60000×28×28 = 47040000 bytes of data, more than its 2000 compressed bytes can hold (deflate expands at most 1032:1): corrupt?`.
 *
 * @example
 * ```ts
 * const response = await fetch("https://example.org/t10k-labels-idx1-ubyte.gz");
 * const bytes = await gunzipIdx(new Uint8Array(await response.arrayBuffer()), { name: "t10k-labels-idx1-ubyte.gz" });
 * const labels = readIdx(bytes, { dtype: "uint8", ndim: 1 });
 * ```
 */
export async function gunzipIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): Promise<Uint8Array> {
  const name = options.name ?? "IDX data";
  const head = await gunzipHead(bytes, name, MAX_IDX_HEADER);
  const { shape, dtype, headerBytes, dataBytes } = readIdxHeader(head, options, false);
  const total = headerBytes + dataBytes;
  if (total > MAX_DEFLATE_RATIO * bytes.length) {
    throw new Error(
      `readIdx: ${name} announces ${sizeText(shape, dtype, dataBytes)} of data, more than its ${bytes.length} compressed bytes can hold ` +
        `(deflate expands at most ${MAX_DEFLATE_RATIO}:1): corrupt?`,
    );
  }
  return gunzip(bytes, name, { maxOutputLength: total });
}
