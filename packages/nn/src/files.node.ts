/**
 * Node twin of `#files` (package.json `imports`, condition `node`): the file access of
 * `saveWeights`, `loadWeights` and `writeFileAtomic`. Its browser twin (`files.browser.ts`) has the
 * same exports and throws an error that says what to use instead.
 * @internal
 */
/// <reference types="node" />
import { open, readFile, rename, rm } from "node:fs/promises";

/** Throws when files cannot be used here (never under Node). @internal */
export function needsFiles(_fn: string): void {}

/** The whole file at `path`. @internal */
export async function readFileBytes(_fn: string, path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Writes bytes or text to `path` through a temporary file and a rename, so readers see either
 * the old or the new content, never a partial file. Node only (in a browser it throws: keep the
 * bytes in IndexedDB or offer them as a download).
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@tessera/nn";
 * await writeFileAtomic("/tmp/metrics.json", JSON.stringify({ loss: 0.1 }));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
