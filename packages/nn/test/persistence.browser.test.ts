/**
 * Weights persisted in a real browser (headless Chromium): IndexedDB and OPFS round trips into a
 * fresh module, Blob bytes equal to the fixture Node's saveWeights wrote, clear errors for a missing
 * key and a corrupt or truncated upload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import {
  deleteFromIndexedDB, listIndexedDB, loadWeightsFromBlob, loadWeightsFromIndexedDB, loadWeightsFromOPFS, saveWeightsToIndexedDB,
  saveWeightsToOPFS, weightsToBlob,
} from "../src/index.js";
import { FIXTURE_METADATA, fixtureModel, values } from "./fixture-model.js";

/** A database of this file's own, deleted afterwards (test files share the origin). */
const database = "tessera-persistence-test";
let fixture: Uint8Array;

beforeAll(async () => {
  setDefaultDevice("js");
  const r = await fetch(new URL("./fixtures/weights.safetensors", import.meta.url));
  expect(r.ok).toBe(true);
  fixture = new Uint8Array(await r.arrayBuffer());
});
afterAll(async () => {
  await new Promise((resolve) => { indexedDB.deleteDatabase(database).onsuccess = resolve; });
});

describe("weights in IndexedDB", () => {
  it("save → load into a fresh module gives equal weights and the metadata", async () => {
    await saveWeightsToIndexedDB(await fixtureModel(), "model-a", { database, metadata: { ...FIXTURE_METADATA } });
    const fresh = await fixtureModel(5);
    expect(await values(fresh)).not.toEqual(await values(await fixtureModel()));
    const metadata = await loadWeightsFromIndexedDB(fresh, "model-a", { database });
    expect(await values(fresh)).toEqual(await values(await fixtureModel()));
    expect({ ...metadata }).toEqual({ format: "pt", ...FIXTURE_METADATA });
  });

  it("a missing key is an error naming the key and the database", async () => {
    await expect(loadWeightsFromIndexedDB(await fixtureModel(), "no-such-model", { database })).rejects.toThrow(
      "loadWeightsFromIndexedDB: no entry with key 'no-such-model' in IndexedDB database 'tessera-persistence-test'");
  });

  it("lists entries with kind and size, and deletes them", async () => {
    await saveWeightsToIndexedDB(await fixtureModel(), "model-b", { database, metadata: { ...FIXTURE_METADATA } });
    expect(await listIndexedDB({ database })).toEqual([
      { key: "model-a", kind: "weights", byteLength: fixture.length },
      { key: "model-b", kind: "weights", byteLength: fixture.length },
    ]);
    expect(await deleteFromIndexedDB("model-b", { database })).toBe(true);
    expect(await deleteFromIndexedDB("model-b", { database })).toBe(false);
    expect((await listIndexedDB({ database })).map((e) => e.key)).toEqual(["model-a"]);
    await expect(loadWeightsFromIndexedDB(await fixtureModel(), "model-b", { database })).rejects.toThrow(/no entry with key 'model-b'/);
  });

  it("a strict load of weights that do not fit changes nothing", async () => {
    const { Linear } = await import("../src/index.js");
    await saveWeightsToIndexedDB(new Linear(3, 4), "linear", { database });
    const model = await fixtureModel(5);
    const before = await values(model);
    await expect(loadWeightsFromIndexedDB(model, "linear", { database })).rejects.toThrow(/missing|unexpected/i);
    expect(await values(model)).toEqual(before);
  });
});

describe("weights as a Blob (download / upload)", () => {
  it("the Blob holds exactly the bytes Node's saveWeights wrote (the committed fixture)", async () => {
    const blob = await weightsToBlob(await fixtureModel(), { ...FIXTURE_METADATA });
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(fixture);
  });

  it("an uploaded File loads into a fresh module", async () => {
    const fresh = await fixtureModel(5);
    await loadWeightsFromBlob(fresh, new File([fixture as Uint8Array<ArrayBuffer>], "model.safetensors"));
    expect(await values(fresh)).toEqual(await values(await fixtureModel()));
  });

  it("a truncated or corrupt File is a clear error and changes nothing", async () => {
    const model = await fixtureModel(5);
    const before = await values(model);
    await expect(loadWeightsFromBlob(model, new File([fixture.slice(0, 300)], "cut.safetensors"))).rejects.toThrow(/^safetensors: .*truncated\?/);
    const garbled = fixture.slice();
    garbled[9] = 0xff; // not UTF-8
    await expect(loadWeightsFromBlob(model, new File([garbled], "bad.safetensors"))).rejects.toThrow(/safetensors: header is not valid UTF-8/);
    await expect(loadWeightsFromBlob(model, new File([fixture as Uint8Array<ArrayBuffer>], "big.safetensors"), { maxBytes: 100 })).rejects.toThrow(
      `loadWeightsFromBlob: the file 'big.safetensors' has ${fixture.length} bytes, more than maxBytes (100)`);
    expect(await values(model)).toEqual(before);
  });
});

describe("weights in the origin private file system", () => {
  it("save → load gives equal weights; the file holds the fixture's bytes", async () => {
    await saveWeightsToOPFS(await fixtureModel(), "fixture.safetensors", { ...FIXTURE_METADATA });
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle("fixture.safetensors")).getFile();
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(fixture);
    const fresh = await fixtureModel(5);
    await loadWeightsFromOPFS(fresh, "fixture.safetensors");
    expect(await values(fresh)).toEqual(await values(await fixtureModel()));
    await (await navigator.storage.getDirectory()).removeEntry("fixture.safetensors");
  });

  it("a missing file and a bad name are clear errors", async () => {
    await expect(loadWeightsFromOPFS(await fixtureModel(), "absent.safetensors")).rejects.toThrow(
      "loadWeightsFromOPFS: no file named 'absent.safetensors' in the origin private file system");
    await expect(saveWeightsToOPFS(await fixtureModel(), "a/b")).rejects.toThrow(/saveWeightsToOPFS: name must be a file name/);
  });
});

describe("a database of the same name made by other code", () => {
  it("is refused with a clear error, not written into", async () => {
    const name = "tessera-foreign-db";
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore("other");
      r.onsuccess = () => { r.result.close(); resolve(); };
      r.onerror = () => reject(r.error);
    });
    await expect(saveWeightsToIndexedDB(await fixtureModel(), "m", { database: name })).rejects.toThrow(
      "saveWeightsToIndexedDB: the IndexedDB database 'tessera-foreign-db' exists but was not made by @tessera/nn (no 'files' and 'entries' stores); pass another { database }");
    await new Promise((resolve) => { indexedDB.deleteDatabase(name).onsuccess = resolve; });
  });
});
