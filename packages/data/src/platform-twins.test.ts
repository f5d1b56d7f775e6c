import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { inflate as browserInflate } from "./inflate.browser.js";
import { inflate as nodeInflate } from "./inflate.node.js";
import { readFileBytes as nodeReadFileBytes } from "./files.node.js";

describe("#inflate and #files: Node twins under Node, browser twins elsewhere", () => {
  it("resolve to the Node twins under Node", async () => {
    expect((await import("#inflate")).inflate).toBe(nodeInflate);
    expect((await import("#files")).readFileBytes).toBe(nodeReadFileBytes);
  });

  it("both inflate twins decompress alike and stop at the output limit with the same error", async () => {
    const plain = new Uint8Array(50_000).map((_, i) => (i * 7) % 11);
    const gz = new Uint8Array(gzipSync(plain));
    for (const inflate of [nodeInflate, browserInflate]) {
      expect(await inflate(gz, "p.gz", undefined)).toEqual(plain);
      await expect(inflate(gz, "p.gz", 1000)).rejects.toThrow("gunzip: p.gz decompresses to more than 1000 bytes (maxOutputLength)");
    }
  });

  it("with the browser file twin, the load functions throw and name what to use instead", async () => {
    vi.resetModules();
    vi.doMock("#files", () => import("./files.browser.js"));
    vi.doMock("#inflate", () => import("./inflate.browser.js"));
    try {
      const data = await import("./index.js");
      await expect(data.loadMnist({ dir: "data/mnist" })).rejects.toThrow("loadMnist(dir) reads files and needs Node; in the browser fetch the four IDX files and use parseMnist");
      await expect(data.loadCifar10("data/cifar")).rejects.toThrow("loadCifar10(dir) reads files and needs Node; in the browser fetch the binary batches");
      await expect(data.loadCifar100("data/cifar")).rejects.toThrow("loadCifar100(dir) reads files and needs Node");
      await expect(data.loadBundledMnist()).rejects.toThrow("loadBundledMnist(file: URL) reads files and needs Node; in the browser give it an http(s) URL");
      // gunzip itself works in the browser (DecompressionStream)
      expect(await data.gunzip(new Uint8Array(gzipSync(new Uint8Array([1, 2, 3]))))).toEqual(new Uint8Array([1, 2, 3]));
    } finally {
      vi.doUnmock("#files");
      vi.doUnmock("#inflate");
      vi.resetModules();
    }
  });
});
