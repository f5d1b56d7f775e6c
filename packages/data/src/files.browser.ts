/**
 * Browser twin of `#files` (package.json `imports`, every condition but `node`): there is no file
 * system, so each function throws an error naming the Node-only function and what to use instead.
 * @internal
 */

const INSTEAD: Record<string, string> = {
  loadMnist: "fetch the four IDX files and use parseMnist",
  loadCifar10: "fetch the binary batches and use parseCifar10",
  loadCifar100: "fetch train.bin and test.bin and use parseCifar100",
  loadBundledMnist: "give it an http(s) URL (the default BUNDLED_MNIST_URL, once your bundler copies the asset)",
};

function needsNode(fn: string, what: string): never {
  throw new Error(`${fn}(${what}) reads files and needs Node; in the browser ${INSTEAD[fn] ?? "fetch the bytes and use the parse functions"}`);
}

/** Throws: files need Node. @internal */
export async function readFileBytes(fn: string, path: string | URL): Promise<Uint8Array> {
  return needsNode(fn, path instanceof URL ? "file: URL" : "path");
}

/** Throws: files need Node. @internal */
export async function readDataFile(fn: string, _dir: string, _names: readonly string[], _gzipped: boolean, _maxBytes: "idx" | number): Promise<{ bytes: Uint8Array; name: string }> {
  return needsNode(fn, "dir");
}

/** Throws: files need Node. @internal */
export async function resolveDataDir(fn: string, _dir: string, _probe: string, _sub: string): Promise<string> {
  return needsNode(fn, "dir");
}
