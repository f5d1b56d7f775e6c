/**
 * Weights in the browser's IndexedDB: the same safetensors bytes `saveWeights` writes in Node,
 * kept under a key.
 */
import { rejectUnknownOptions } from "@tessera/optim";
import { getBytes, putBytes, type IndexedDBOptions } from "./indexeddb-store.js";
import type { Module } from "./module.js";
import { loadStateDictFromBytes, stateDictToBytes } from "./weights.js";

/**
 * Options of {@link saveWeightsToIndexedDB}.
 *
 * @example
 * ```ts
 * import type { SaveWeightsToIndexedDBOptions } from "@tessera/nn";
 * const o: SaveWeightsToIndexedDBOptions = { metadata: { epoch: "5" }, database: "my-app" };
 * ```
 */
export interface SaveWeightsToIndexedDBOptions extends IndexedDBOptions {
  /** Strings stored in the file's `__metadata__` (beside `format: "pt"`). */
  readonly metadata?: Record<string, string>;
}

/**
 * Options of {@link loadWeightsFromIndexedDB}.
 *
 * @example
 * ```ts
 * import type { LoadWeightsFromIndexedDBOptions } from "@tessera/nn";
 * const o: LoadWeightsFromIndexedDBOptions = { strict: false };
 * ```
 */
export interface LoadWeightsFromIndexedDBOptions extends IndexedDBOptions {
  /** Keys must match exactly (default true), as in `loadStateDict`. */
  readonly strict?: boolean;
}

/**
 * Saves the module's weights in IndexedDB under `key` (replacing an earlier save), as the exact
 * safetensors bytes `saveWeights` writes in Node. Resolves once the transaction is committed
 * (durability `strict`). Browser pages and workers.
 *
 * @example
 * ```ts no-run
 * import { Linear, saveWeightsToIndexedDB, loadWeightsFromIndexedDB } from "@tessera/nn";
 * await saveWeightsToIndexedDB(new Linear(3, 2), "linear", { metadata: { epoch: "5" } });
 * await loadWeightsFromIndexedDB(new Linear(3, 2), "linear"); // { format: "pt", epoch: "5" }
 * ```
 */
export async function saveWeightsToIndexedDB(model: Module, key: string, o: SaveWeightsToIndexedDBOptions = {}): Promise<void> {
  rejectUnknownOptions("saveWeightsToIndexedDB", "options", o, ["metadata", "database"]);
  await putBytes("saveWeightsToIndexedDB", key, "weights", await stateDictToBytes(model, o.metadata), o);
}

/**
 * Loads the weights saved under `key` into the module, strict by default, with the checks of
 * `loadStateDictFromBytes` (nothing is written unless every key, dtype and shape matches). A key
 * that holds nothing, or holds a checkpoint, is an error naming the key. Returns the metadata.
 *
 * @example
 * ```ts no-run
 * import { Linear, loadWeightsFromIndexedDB } from "@tessera/nn";
 * await loadWeightsFromIndexedDB(new Linear(3, 2), "linear");
 * ```
 */
export async function loadWeightsFromIndexedDB(model: Module, key: string, o: LoadWeightsFromIndexedDBOptions = {}): Promise<Record<string, string>> {
  rejectUnknownOptions("loadWeightsFromIndexedDB", "options", o, ["strict", "database"]);
  const bytes = await getBytes("loadWeightsFromIndexedDB", key, "weights", o);
  return loadStateDictFromBytes(model, bytes, { strict: o.strict });
}
