/**
 * Node-only file helpers, loaded lazily so the package imports cleanly in browsers.
 */
import { gunzip, isGzip, isNode } from "./gzip.js";
import { gunzipIdx } from "./idx-gzip.js";

/** Throws a clear error outside Node. */
function requireNode(fn: string): void {
  if (!isNode()) throw new Error(`${fn}: reads files with node:fs and needs Node; in a browser fetch the files and use the parse functions`);
}

/** Reads a whole file (path or file: URL) as bytes. */
export async function readFileBytes(fn: string, path: string | URL): Promise<Uint8Array> {
  requireNode(fn);
  const fs = await import("node:fs/promises");
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new Error(`${fn}: cannot read ${String(path)} (${(e as Error).message})`);
  }
}

/**
 * Finds the first of `names` that exists in `dir` (or `name + ".gz"` when `gzipped`), reads it
 * and decompresses it if it is gzip data, bounded by `maxBytes`: `"idx"` for an IDX file (the
 * bound its header announces, see {@link gunzipIdx}) or a number of bytes. Returns the bytes and
 * the file's name.
 */
export async function readDataFile(fn: string, dir: string, names: readonly string[], gzipped: boolean, maxBytes: "idx" | number): Promise<{ bytes: Uint8Array; name: string }> {
  requireNode(fn);
  if (typeof dir !== "string" || dir === "") throw new TypeError(`${fn}: dir must be a non-empty path string, got ${JSON.stringify(dir)}`);
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const candidates = names.flatMap((n) => (gzipped ? [n, `${n}.gz`] : [n]));
  for (const name of candidates) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat === undefined || !stat.isFile()) continue;
    const raw = await readFileBytes(fn, file);
    if (!isGzip(raw)) return { bytes: raw, name };
    return { bytes: maxBytes === "idx" ? await gunzipIdx(raw, { name }) : await gunzip(raw, name, { maxOutputLength: maxBytes }), name };
  }
  throw new Error(`${fn}: found none of ${candidates.join(", ")} in ${dir}`);
}

/** `dir` itself when it holds `probe`, else `dir/sub` when that does, else `dir` (for the error). */
export async function resolveDataDir(fn: string, dir: string, probe: string, sub: string): Promise<string> {
  requireNode(fn);
  if (typeof dir !== "string" || dir === "") throw new TypeError(`${fn}: dir must be a non-empty path string, got ${JSON.stringify(dir)}`);
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const has = async (d: string): Promise<boolean> => (await fs.stat(path.join(d, probe)).catch(() => undefined)) !== undefined;
  if (await has(dir)) return dir;
  const nested = path.join(dir, sub);
  return (await has(nested)) ? nested : dir;
}
