/**
 * Browser twin of `#files` (package.json `imports`, every condition but `node`): there is no file
 * system to write a path to, so each function throws an error naming the Node-only function and the
 * byte-level function to use instead.
 * @internal
 */

const INSTEAD: Record<string, string> = {
  saveWeights: "saveWeightsToIndexedDB(model, key), saveWeightsToOPFS(model, name) or weightsToBlob(model) for a download",
  loadWeights: "loadWeightsFromIndexedDB(model, key), loadWeightsFromOPFS(model, name) or loadWeightsFromBlob(model, file) for an upload or fetch()",
  writeFileAtomic: "keep the data in the browser (IndexedDB, or a Blob download)",
  ModelCheckpoint: "a callback that calls saveWeightsToIndexedDB(model, key)",
};

/** Throws: files need Node. @internal */
export function needsFiles(fn: string): void {
  throw new Error(`${fn}(path) needs Node's file system; in the browser use ${INSTEAD[fn] ?? "the byte-level functions"}`);
}

/** Throws: files need Node. @internal */
export async function readFileBytes(fn: string, _path: string): Promise<Uint8Array> {
  return needsFiles(fn) as never;
}

/** Throws: files need Node (see the Node twin's documentation). @internal */
export async function writeFileAtomic(_path: string, _data: Uint8Array | string): Promise<void> {
  needsFiles("writeFileAtomic");
}
