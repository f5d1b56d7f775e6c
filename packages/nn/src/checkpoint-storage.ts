/**
 * Training checkpoints in the browser: IndexedDB, OPFS, and Blobs for downloads and uploads, all
 * holding the bytes `checkpointToBytes` makes (those of `tessera train`'s checkpoint.safetensors).
 */
import { rejectUnknownOptions } from "@tessera/optim";
import { readBlobBytes, SAFETENSORS_MIME, weightsByteBound } from "./blob.js";
import { checkpointToBytes, decodeCheckpoint, type CheckpointContents, type CheckpointState, type CheckpointTargets, type DecodedCheckpoint } from "./checkpoint.js";
import { getBytes, putBytes, type IndexedDBOptions } from "./indexeddb-store.js";
import { readOpfsFile, writeOpfsFile } from "./opfs.js";

/**
 * The default size bound of a checkpoint upload: the weights' bound with room for three optimizer
 * tensors per parameter (Adam with amsgrad keeps three).
 */
function checkpointByteBound(targets: CheckpointTargets): number {
  return weightsByteBound(targets.model, 4);
}

/**
 * Options of the checkpoint loads that read a file (`loadCheckpointFromBlob`, `loadCheckpointFromOPFS`).
 *
 * @example
 * ```ts
 * import type { LoadCheckpointFileOptions } from "@tessera/nn";
 * const o: LoadCheckpointFileOptions = { maxBytes: 50_000_000 };
 * ```
 */
export interface LoadCheckpointFileOptions {
  /**
   * A larger file is refused before it is read. Default: 8 + 100 MB (the largest header) + 32
   * bytes per element of the model's state (the weights and three optimizer tensors, 8 bytes each).
   */
  readonly maxBytes?: number;
}

/**
 * Saves a training checkpoint (weights, optimizer, scheduler, run state) in IndexedDB under `key`,
 * replacing an earlier save; resolves once committed. The entry's kind is `checkpoint`.
 *
 * @example
 * ```ts no-run
 * import { Linear, saveCheckpointToIndexedDB, loadCheckpointFromIndexedDB } from "@tessera/nn";
 * import { Adam } from "@tessera/optim";
 * const model = new Linear(784, 10), optimizer = new Adam(model.parameters());
 * await saveCheckpointToIndexedDB({ model, optimizer, state: { epoch: 3 } }, "run-1");
 * const { epoch } = await loadCheckpointFromIndexedDB({ model, optimizer }, "run-1"); // after a reload
 * ```
 */
export async function saveCheckpointToIndexedDB<S extends object>(contents: CheckpointContents<S>, key: string, o: IndexedDBOptions = {}): Promise<void> {
  rejectUnknownOptions("saveCheckpointToIndexedDB", "options", o, ["database"]);
  await putBytes("saveCheckpointToIndexedDB", key, "checkpoint", await checkpointToBytes(contents), o);
}

/**
 * Reads and verifies the checkpoint saved under `key` without loading it (see `decodeCheckpoint`):
 * its run state is there to read before the model is built. A key that holds nothing, or holds
 * weights, is an error naming the key.
 *
 * @example
 * ```ts no-run
 * import { readCheckpointFromIndexedDB } from "@tessera/nn";
 * const saved = await readCheckpointFromIndexedDB<{ model: string }>("run-1");
 * // build the model saved.state.model names, then: await saved.load({ model, optimizer });
 * ```
 */
export async function readCheckpointFromIndexedDB<S extends object = Record<string, unknown>>(key: string, o: IndexedDBOptions = {}): Promise<DecodedCheckpoint<S>> {
  rejectUnknownOptions("readCheckpointFromIndexedDB", "options", o, ["database"]);
  return decodeCheckpoint<S>(await getBytes("readCheckpointFromIndexedDB", key, "checkpoint", o));
}

/**
 * Loads the checkpoint saved under `key` into the model, optimizer and scheduler (all or nothing)
 * and returns its run state.
 *
 * @example
 * ```ts no-run
 * import { Linear, loadCheckpointFromIndexedDB } from "@tessera/nn";
 * import { Adam } from "@tessera/optim";
 * const model = new Linear(784, 10), optimizer = new Adam(model.parameters());
 * const state = await loadCheckpointFromIndexedDB({ model, optimizer }, "run-1");
 * ```
 */
export async function loadCheckpointFromIndexedDB<S extends object = Record<string, unknown>>(targets: CheckpointTargets, key: string, o: IndexedDBOptions = {}): Promise<CheckpointState<S>> {
  rejectUnknownOptions("loadCheckpointFromIndexedDB", "options", o, ["database"]);
  const saved = decodeCheckpoint<S>(await getBytes("loadCheckpointFromIndexedDB", key, "checkpoint", o));
  await saved.load(targets);
  return saved.state;
}

/**
 * A training checkpoint as a `Blob` (a download): the bytes `tessera train` writes to
 * `checkpoint.safetensors`, so a run saved in a tab resumes in Node and back.
 *
 * @example
 * ```ts
 * import { checkpointToBlob, Linear } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1);
 * const blob = await checkpointToBlob({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), state: { epoch: 1 } });
 * blob.type; // → "application/octet-stream"
 * ```
 */
export async function checkpointToBlob<S extends object>(contents: CheckpointContents<S>): Promise<Blob> {
  return new Blob([(await checkpointToBytes(contents)) as Uint8Array<ArrayBuffer>], { type: SAFETENSORS_MIME });
}

/**
 * Loads a checkpoint `Blob` or `File` (an upload) into the model, optimizer and scheduler and
 * returns its run state. The size is checked before the file is read, then every check of
 * `decodeCheckpoint` and the load's runs; a failure changes nothing.
 *
 * @example
 * ```ts
 * import { checkpointToBlob, loadCheckpointFromBlob, Linear } from "@tessera/nn";
 * import { SGD } from "@tessera/optim";
 * const model = new Linear(2, 1), optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * const blob = await checkpointToBlob({ model, optimizer, state: { epoch: 4 } });
 * (await loadCheckpointFromBlob({ model, optimizer }, blob)).epoch; // → 4
 * ```
 */
export async function loadCheckpointFromBlob<S extends object = Record<string, unknown>>(targets: CheckpointTargets, blob: Blob, o: LoadCheckpointFileOptions = {}): Promise<CheckpointState<S>> {
  rejectUnknownOptions("loadCheckpointFromBlob", "options", o, ["maxBytes"]);
  const bytes = await readBlobBytes("loadCheckpointFromBlob", blob, o.maxBytes ?? checkpointByteBound(targets));
  const saved = decodeCheckpoint<S>(bytes);
  await saved.load(targets);
  return saved.state;
}

/**
 * Saves a training checkpoint to the OPFS file `name` (replaced only once the write completes).
 *
 * @example
 * ```ts no-run
 * import { Linear, saveCheckpointToOPFS } from "@tessera/nn";
 * import { Adam } from "@tessera/optim";
 * const model = new Linear(784, 10), optimizer = new Adam(model.parameters());
 * await saveCheckpointToOPFS({ model, optimizer, state: { epoch: 3 } }, "checkpoint.safetensors");
 * ```
 */
export async function saveCheckpointToOPFS<S extends object>(contents: CheckpointContents<S>, name: string): Promise<void> {
  await writeOpfsFile("saveCheckpointToOPFS", name, await checkpointToBytes(contents));
}

/**
 * Loads the checkpoint in the OPFS file `name` (size-bounded as `loadCheckpointFromBlob`) and
 * returns its run state.
 *
 * @example
 * ```ts no-run
 * import { Linear, loadCheckpointFromOPFS } from "@tessera/nn";
 * import { Adam } from "@tessera/optim";
 * const model = new Linear(784, 10), optimizer = new Adam(model.parameters());
 * const state = await loadCheckpointFromOPFS({ model, optimizer }, "checkpoint.safetensors");
 * ```
 */
export async function loadCheckpointFromOPFS<S extends object = Record<string, unknown>>(targets: CheckpointTargets, name: string, o: LoadCheckpointFileOptions = {}): Promise<CheckpointState<S>> {
  rejectUnknownOptions("loadCheckpointFromOPFS", "options", o, ["maxBytes"]);
  const saved = decodeCheckpoint<S>(await readOpfsFile("loadCheckpointFromOPFS", name, o.maxBytes ?? checkpointByteBound(targets)));
  await saved.load(targets);
  return saved.state;
}
