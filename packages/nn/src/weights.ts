/**
 * Saving and loading a module's state as safetensors: bytes anywhere, files in Node (written to
 * a temporary file and renamed, so a crash never leaves a half-written checkpoint).
 */
import type { Module } from "./module.js";
import { readSafetensorsHeader } from "./safetensors-header.js";
import { decodeEntry, encodeSafetensors, type SafeTensor } from "./safetensors.js";

/** The stored dtypes that decode to float32 (the others decode to int32). */
const FLOAT_DTYPES: ReadonlySet<string> = new Set(["F64", "F32", "F16", "BF16"]);

/**
 * The module's state dict as safetensors bytes (for a browser download or IndexedDB).
 *
 * @example
 * ```ts
 * import { Linear, stateDictToBytes } from "@tessera/nn";
 * const bytes = await stateDictToBytes(new Linear(3, 2), { epoch: "5" });
 * ```
 */
export async function stateDictToBytes(model: Module, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const map = new Map<string, SafeTensor>();
  for (const [k, t] of model.stateDict()) {
    map.set(k, { dtype: t.dtype === "int32" ? "I64" : "F32", shape: t.shape, data: await t.data() });
  }
  return encodeSafetensors(map, { format: "pt", ...metadata });
}

/**
 * Loads safetensors bytes into the module (strict by default). The file's header is checked
 * completely, and every tensor's dtype and shape against the module, before any tensor is
 * decoded; nothing is written unless everything matches. Returns the file's metadata.
 *
 * @example
 * ```ts
 * import { Linear, stateDictToBytes, loadStateDictFromBytes } from "@tessera/nn";
 * const a = new Linear(3, 2), b = new Linear(3, 2);
 * await loadStateDictFromBytes(b, await stateDictToBytes(a));
 * ```
 */
export async function loadStateDictFromBytes(model: Module, bytes: Uint8Array, o: { readonly strict?: boolean } = {}): Promise<Record<string, string>> {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes);
  const own = model.stateDict();
  // What the header tells is checked against the module before a tensor is decoded. A strict load
  // whose keys differ is left to `loadStateDict`, so its missing/unexpected-keys error comes first.
  const keysDiffer = entries.length !== own.size || entries.some((e) => !own.has(e.name));
  for (const e of (o.strict ?? true) && keysDiffer ? [] : entries) {
    const target = own.get(e.name);
    if (!target) continue;
    const isInt = !FLOAT_DTYPES.has(e.dtype);
    if ((target.dtype === "int32") !== isInt) throw new RangeError(`loadStateDict: '${e.name}' has dtype ${e.dtype}, the module expects ${target.dtype}`);
    if (e.shape.length !== target.shape.length || e.shape.some((d, i) => d !== target.shape[i])) {
      throw new RangeError(`loadStateDict: '${e.name}' has shape [${e.shape.join(",")}], the module expects [${target.shape.join(",")}]`);
    }
  }
  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) tensors.set(e.name, decodeEntry(bytes, dataStart, e));
  await model.loadStateDict(tensors, o);
  return metadata;
}

/**
 * Writes the module's weights to a safetensors file atomically (temp file in the same folder,
 * fsync, rename). Node only.
 *
 * @example
 * ```ts
 * import { Linear, saveWeights } from "@tessera/nn";
 * await saveWeights(new Linear(3, 2), "/tmp/linear.safetensors");
 * ```
 */
export async function saveWeights(model: Module, path: string, metadata: Record<string, string> = {}): Promise<void> {
  const bytes = await stateDictToBytes(model, metadata);
  await writeFileAtomic(path, bytes);
}

/**
 * Reads a safetensors file into the module (nothing changes if the file is invalid or does not
 * match). Node only.
 *
 * @example
 * ```ts
 * import { Linear, loadWeights } from "@tessera/nn";
 * // await loadWeights(new Linear(3, 2), "/tmp/linear.safetensors");
 * ```
 */
export async function loadWeights(model: Module, path: string, o: { readonly strict?: boolean } = {}): Promise<Record<string, string>> {
  const { readFile } = await import("node:fs/promises");
  return loadStateDictFromBytes(model, new Uint8Array(await readFile(path)), o);
}

/**
 * Writes bytes or text to `path` through a temporary file and a rename, so readers see either
 * the old or the new content, never a partial file. Node only.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@tessera/nn";
 * await writeFileAtomic("/tmp/metrics.json", JSON.stringify({ loss: 0.1 }));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const { open, rename, rm } = await import("node:fs/promises");
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
