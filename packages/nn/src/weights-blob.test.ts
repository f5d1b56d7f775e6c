/**
 * Weights as a Blob, in Node (Blob is global there too): the bytes are those saveWeights writes and
 * those of the committed fixture; an upload is size-checked before it is read and checked like any
 * safetensors file before anything is written. The browser twin is test/persistence.browser.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_METADATA, fixtureModel, values } from "../test/fixture-model.js";
import { Linear, listIndexedDB, loadWeightsFromBlob, loadWeightsFromOPFS, saveWeights, saveWeightsToIndexedDB, weightsToBlob } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "tessera-blob-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = new Uint8Array(readFileSync(new URL("../test/fixtures/weights.safetensors", import.meta.url)));

describe("weightsToBlob", () => {
  it("holds exactly the bytes saveWeights writes, and those of the committed fixture", async () => {
    const model = await fixtureModel();
    const path = join(dir, "w.safetensors");
    await saveWeights(model, path, { ...FIXTURE_METADATA });
    const blob = await weightsToBlob(model, { ...FIXTURE_METADATA });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(readFileSync(path)));
    expect(bytes).toEqual(fixture);
    expect(blob.type).toBe("application/octet-stream");
  });
});

describe("loadWeightsFromBlob", () => {
  it("loads a Blob into a fresh module: equal weights, the file's metadata", async () => {
    const fresh = await fixtureModel(5);
    expect(await values(fresh)).not.toEqual(await values(await fixtureModel()));
    const metadata = await loadWeightsFromBlob(fresh, new Blob([fixture]));
    expect(await values(fresh)).toEqual(await values(await fixtureModel()));
    expect({ ...metadata }).toEqual({ format: "pt", ...FIXTURE_METADATA });
  });

  it("refuses a truncated or corrupt Blob with the safetensors reader's error, changing nothing", async () => {
    const model = await fixtureModel(5);
    const before = await values(model);
    await expect(loadWeightsFromBlob(model, new Blob([fixture.subarray(0, fixture.length - 4)]))).rejects.toThrow(/safetensors: .*truncated\?/);
    await expect(loadWeightsFromBlob(model, new Blob([fixture.subarray(0, 5)]))).rejects.toThrow("safetensors: file has 5 bytes, shorter than the 8-byte header length");
    const garbled = fixture.slice();
    garbled[8] = 0x5b; // '[' instead of '{'
    await expect(loadWeightsFromBlob(model, new Blob([garbled]))).rejects.toThrow(/safetensors: header is not valid UTF-8 JSON/);
    expect(await values(model)).toEqual(before);
  });

  it("refuses weights of another model, naming the keys", async () => {
    await expect(loadWeightsFromBlob(new Linear(3, 4), new Blob([fixture]))).rejects.toThrow(/unexpected|missing/i);
  });

  it("checks the size before reading: an oversized file is refused, whatever it holds", async () => {
    const model = await fixtureModel();
    const big = new File([new Uint8Array(2000)], "huge.safetensors");
    await expect(loadWeightsFromBlob(model, big, { maxBytes: 1000 })).rejects.toThrow("loadWeightsFromBlob: the file 'huge.safetensors' has 2000 bytes, more than maxBytes (1000); pass a larger maxBytes if it is expected");
    await expect(loadWeightsFromBlob(model, new Blob([fixture]), { maxBytes: fixture.length })).resolves.toBeDefined();
  });

  it("rejects what is not a Blob and unknown options", async () => {
    const model = await fixtureModel();
    await expect(loadWeightsFromBlob(model, fixture as unknown as Blob)).rejects.toThrow("loadWeightsFromBlob: blob must be a Blob or File, got Uint8Array");
    await expect(loadWeightsFromBlob(model, new Blob([fixture]), { strickt: true } as never)).rejects.toThrow(/loadWeightsFromBlob: .*strickt/);
    await expect(loadWeightsFromBlob(model, new Blob([fixture]), { maxBytes: -1 })).rejects.toThrow("loadWeightsFromBlob: maxBytes must be a positive integer, got -1");
  });
});

describe("the browser stores, called in Node", () => {
  it("say that IndexedDB and OPFS are not available and what to use instead", async () => {
    const model = new Linear(2, 2);
    await expect(saveWeightsToIndexedDB(model, "k")).rejects.toThrow("saveWeightsToIndexedDB: IndexedDB is not available here (browser pages and workers have it; in Node use saveWeights / loadWeights with a path)");
    await expect(listIndexedDB()).rejects.toThrow("listIndexedDB: IndexedDB is not available here");
    await expect(loadWeightsFromOPFS(model, "w.safetensors")).rejects.toThrow("loadWeightsFromOPFS: the origin private file system (navigator.storage.getDirectory) is not available here");
    await expect(saveWeightsToIndexedDB(model, "")).rejects.toThrow('saveWeightsToIndexedDB: key must be a non-empty string, got ""');
  });
});
