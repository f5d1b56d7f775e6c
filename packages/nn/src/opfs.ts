/**
 * Weights in the browser's origin private file system (OPFS, `navigator.storage.getDirectory()`):
 * a file per name, holding the same safetensors bytes `saveWeights` writes in Node.
 */
import { rejectUnknownOptions } from "@tessera/optim";
import { readBlobBytes, weightsByteBound } from "./blob.js";
import type { Module } from "./module.js";
import { loadStateDictFromBytes, stateDictToBytes } from "./weights.js";

function checkName(fn: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0 || name === "." || name === ".." || /[/\\]/.test(name)) {
    throw new TypeError(`${fn}: name must be a file name (non-empty, no '/' or '\\'), got ${JSON.stringify(name)}`);
  }
}

async function root(fn: string): Promise<FileSystemDirectoryHandle> {
  if (typeof navigator === "undefined" || typeof navigator.storage?.getDirectory !== "function") {
    throw new Error(`${fn}: the origin private file system (navigator.storage.getDirectory) is not available here; use IndexedDB (saveWeightsToIndexedDB) or, in Node, saveWeights with a path`);
  }
  return navigator.storage.getDirectory();
}

/** Writes `bytes` to the OPFS file `name`; the file changes only when the write is complete. @internal */
export async function writeOpfsFile(fn: string, name: string, bytes: Uint8Array): Promise<void> {
  checkName(fn, name);
  const handle = await (await root(fn)).getFileHandle(name, { create: true });
  if (typeof handle.createWritable !== "function") {
    throw new Error(`${fn}: this browser cannot write OPFS files from here (no createWritable); use saveWeightsToIndexedDB`);
  }
  // A writable stream writes to a swap file that replaces the file on close(): a page closed in the
  // middle leaves the previous content.
  const w = await handle.createWritable();
  try {
    await w.write(bytes.slice().buffer);
  } catch (e) {
    await w.abort();
    throw e;
  }
  await w.close();
}

/** The OPFS file `name` (at most `maxBytes`); a missing file is an error naming it. @internal */
export async function readOpfsFile(fn: string, name: string, maxBytes: number): Promise<Uint8Array> {
  checkName(fn, name);
  let handle: FileSystemFileHandle;
  try {
    handle = await (await root(fn)).getFileHandle(name);
  } catch (e) {
    if ((e as DOMException).name === "NotFoundError") throw new Error(`${fn}: no file named '${name}' in the origin private file system`);
    throw e;
  }
  return readBlobBytes(fn, await handle.getFile(), maxBytes);
}

/**
 * Saves the module's weights to the OPFS file `name` (replacing it), as the exact safetensors
 * bytes `saveWeights` writes in Node. Browser pages and workers with OPFS (Chromium, Firefox,
 * Safari ≥ 17 in workers); elsewhere use `saveWeightsToIndexedDB`.
 *
 * @example
 * ```ts no-run
 * import { Linear, saveWeightsToOPFS, loadWeightsFromOPFS } from "@tessera/nn";
 * await saveWeightsToOPFS(new Linear(3, 2), "linear.safetensors");
 * await loadWeightsFromOPFS(new Linear(3, 2), "linear.safetensors");
 * ```
 */
export async function saveWeightsToOPFS(model: Module, name: string, metadata: Record<string, string> = {}): Promise<void> {
  checkName("saveWeightsToOPFS", name);
  await writeOpfsFile("saveWeightsToOPFS", name, await stateDictToBytes(model, metadata));
}

/**
 * Loads the OPFS file `name` into the module, strict by default, with the size bound of
 * `loadWeightsFromBlob` and the checks of `loadStateDictFromBytes`. Returns the metadata.
 *
 * @example
 * ```ts no-run
 * import { Linear, loadWeightsFromOPFS } from "@tessera/nn";
 * await loadWeightsFromOPFS(new Linear(3, 2), "linear.safetensors");
 * ```
 */
export async function loadWeightsFromOPFS(model: Module, name: string, o: { readonly strict?: boolean; readonly maxBytes?: number } = {}): Promise<Record<string, string>> {
  rejectUnknownOptions("loadWeightsFromOPFS", "options", o, ["strict", "maxBytes"]);
  const bytes = await readOpfsFile("loadWeightsFromOPFS", name, o.maxBytes ?? weightsByteBound(model));
  return loadStateDictFromBytes(model, bytes, { strict: o.strict });
}
