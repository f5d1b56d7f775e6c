import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import * as nodeFiles from "./files.node.js";

describe("#files: Node twin under Node, browser twin elsewhere", () => {
  it("resolves to the Node twin in Node: saveWeights then loadWeights round-trip through a file", async () => {
    const files = await import("#files");
    expect(files.writeFileAtomic).toBe(nodeFiles.writeFileAtomic);
    const { Linear, saveWeights, loadWeights, stateDictToBytes } = await import("./index.js");
    const a = new Linear(3, 2);
    const path = join(mkdtempSync(join(tmpdir(), "nn-files-")), "a.safetensors");
    await saveWeights(a, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(await stateDictToBytes(a));
    expect(await loadWeights(new Linear(3, 2), path)).toEqual({ format: "pt" });
  });

  it("with the browser twin, every file function throws at once and names what to use instead", async () => {
    vi.resetModules();
    vi.doMock("#files", () => import("./files.browser.js"));
    try {
      const { Linear, saveWeights, loadWeights, writeFileAtomic, ModelCheckpoint } = await import("./index.js");
      const m = new Linear(2, 2);
      await expect(saveWeights(m, "w.safetensors")).rejects.toThrow("saveWeights(path) needs Node's file system; in the browser use saveWeightsToIndexedDB(model, key), saveWeightsToOPFS(model, name) or weightsToBlob(model) for a download");
      await expect(loadWeights(m, "w.safetensors")).rejects.toThrow("loadWeights(path) needs Node's file system; in the browser use loadWeightsFromIndexedDB(model, key), loadWeightsFromOPFS(model, name) or loadWeightsFromBlob(model, file)");
      await expect(writeFileAtomic("a.json", "{}")).rejects.toThrow("writeFileAtomic(path) needs Node's file system");
      expect(() => new ModelCheckpoint("w-{epoch}.safetensors")).toThrow("ModelCheckpoint(path) needs Node's file system");
    } finally {
      vi.doUnmock("#files");
      vi.resetModules();
    }
  });
});
