/**
 * Training checkpoints persisted in a real browser (headless Chromium): IndexedDB and OPFS round
 * trips into fresh objects, Blob bytes equal to the fixture `tessera train`'s code wrote in Node,
 * clear errors for a missing key, a key of the other kind, and a corrupt upload.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDefaultDevice } from "@tessera/blas";
import {
  checkpointToBlob, dropoutCounters, loadCheckpointFromBlob, loadCheckpointFromIndexedDB, loadCheckpointFromOPFS, loadWeightsFromIndexedDB,
  readCheckpointFromIndexedDB, saveCheckpointToIndexedDB, saveCheckpointToOPFS, listIndexedDB,
} from "../src/index.js";
import { checkpointFixture, values } from "./fixture-model.js";

const database = "tessera-checkpoint-test";
let fixture: Uint8Array;

beforeAll(async () => {
  setDefaultDevice("js");
  const r = await fetch(new URL("./fixtures/checkpoint.safetensors", import.meta.url));
  expect(r.ok).toBe(true);
  fixture = new Uint8Array(await r.arrayBuffer());
});
afterAll(async () => {
  await new Promise((resolve) => { indexedDB.deleteDatabase(database).onsuccess = resolve; });
});

/** Everything a checkpoint restores, to compare two runs. */
async function snapshot(c: Awaited<ReturnType<typeof checkpointFixture>>) {
  return { weights: await values(c.model), optimizer: await c.optimizer.stateDict(), dropout: dropoutCounters(c.model) };
}

describe("checkpoints in IndexedDB", () => {
  it("save → load into fresh objects restores weights, optimizer, Dropout counters and the run state", async () => {
    const saved = await checkpointFixture();
    await saveCheckpointToIndexedDB(saved, "run-1", { database });
    const fresh = await checkpointFixture(5);
    expect(await snapshot(fresh)).not.toEqual(await snapshot(saved));
    const state = await loadCheckpointFromIndexedDB(fresh, "run-1", { database });
    expect(state).toEqual({ ...saved.state, dropout: { "3": 1000 } });
    expect(await snapshot(fresh)).toEqual(await snapshot(saved));
    expect(await listIndexedDB({ database })).toEqual([{ key: "run-1", kind: "checkpoint", byteLength: fixture.length }]);
  });

  it("its run state can be read before the model is built", async () => {
    const saved = await readCheckpointFromIndexedDB<{ options: { model: string } }>("run-1", { database });
    expect(saved.state.options.model).toBe("fixture");
  });

  it("a missing key, or a key holding the other kind, is an error naming the key", async () => {
    const c = await checkpointFixture();
    await expect(loadCheckpointFromIndexedDB(c, "run-2", { database })).rejects.toThrow(
      "loadCheckpointFromIndexedDB: no entry with key 'run-2' in IndexedDB database 'tessera-checkpoint-test'");
    await expect(loadWeightsFromIndexedDB(c.model, "run-1", { database })).rejects.toThrow(
      "loadWeightsFromIndexedDB: the entry 'run-1' in IndexedDB database 'tessera-checkpoint-test' holds a checkpoint, not weights (use loadCheckpointFromIndexedDB)");
  });
});

describe("checkpoints as Blobs and in OPFS", () => {
  it("the Blob holds exactly the bytes of the fixture written in Node", async () => {
    expect(new Uint8Array(await (await checkpointToBlob(await checkpointFixture())).arrayBuffer())).toEqual(fixture);
  });

  it("an uploaded File restores the run; a damaged one is refused and changes nothing", async () => {
    const fresh = await checkpointFixture(5);
    const before = await snapshot(fresh);
    const damaged = fixture.slice();
    damaged[damaged.length - 3] ^= 0x40;
    await expect(loadCheckpointFromBlob(fresh, new File([damaged], "run.safetensors"))).rejects.toThrow(
      "decodeCheckpoint: damaged or not a tessera checkpoint (the SHA-256 of its tensors does not match)");
    await expect(loadCheckpointFromBlob(fresh, new File([fixture.slice(0, 100)], "run.safetensors"))).rejects.toThrow(/truncated\?/);
    expect(await snapshot(fresh)).toEqual(before);
    await loadCheckpointFromBlob(fresh, new File([fixture as Uint8Array<ArrayBuffer>], "run.safetensors"));
    expect(await snapshot(fresh)).toEqual(await snapshot(await checkpointFixture()));
  });

  it("OPFS: save → load restores the run; the file holds the fixture's bytes", async () => {
    await saveCheckpointToOPFS(await checkpointFixture(), "run.safetensors");
    const root = await navigator.storage.getDirectory();
    expect(new Uint8Array(await (await (await root.getFileHandle("run.safetensors")).getFile()).arrayBuffer())).toEqual(fixture);
    const fresh = await checkpointFixture(5);
    expect((await loadCheckpointFromOPFS(fresh, "run.safetensors")).epoch).toBe(1);
    expect(await snapshot(fresh)).toEqual(await snapshot(await checkpointFixture()));
    await root.removeEntry("run.safetensors");
  });
});
