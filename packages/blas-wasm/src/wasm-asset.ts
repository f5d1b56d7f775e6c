/**
 * Fetching and compiling a `.wasm` asset over HTTP(S) (browsers; Node for non-`file:` URLs):
 * `WebAssembly.compileStreaming` when the server sends `application/wasm`, else download then
 * `WebAssembly.compile`, with errors that say what the server sent instead of a wasm module.
 * @internal
 */

/** The wasm magic and version 1: `\0asm` 01 00 00 00. */
const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** No build of the device comes near this (each is about 40 KB); a bigger answer is not ours. @internal */
export const MAX_WASM_BYTES = 16 * 2 ** 20;

/** Whether `bytes` starts with the wasm magic and version 1. @internal */
export function isWasmModule(bytes: Uint8Array): boolean {
  return bytes.length >= WASM_HEADER.length && WASM_HEADER.every((b, i) => bytes[i] === b);
}

/** A short, printable view of what came instead of a wasm module. */
function preview(bytes: Uint8Array): string {
  const text = Array.from(bytes.subarray(0, 24), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
  return JSON.stringify(text);
}

/** Reads a response body, failing once it passes `max` bytes (whatever Content-Length claimed). */
async function readCapped(fn: string, url: string, res: Response, max: number): Promise<Uint8Array> {
  if (res.body === null) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new Error(`${fn}: ${url} is larger than ${max} bytes, which no build of the wasm device is: not the wasm module`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Fetches and compiles the wasm module at `url`. With `Content-Type: application/wasm` it compiles
 * while downloading (`WebAssembly.compileStreaming`); with another type (a server that does not know
 * `.wasm`), or when streaming compilation fails, it downloads the bytes and compiles them, warning
 * once that the server should send `application/wasm`. Throws an error naming `fn` and the URL when
 * the request fails or what came back is not a wasm module (an HTML page for a missing file, say).
 * @internal
 */
export async function fetchWasmModule(fn: string, url: URL, fetchImpl: typeof fetch = globalThis.fetch, max = MAX_WASM_BYTES): Promise<WebAssembly.Module> {
  const where = url.href.startsWith("data:") ? `${url.href.slice(0, 40)}…` : url.href;
  const hint = "@tessera/blas-wasm ships it in dist/generated/; Vite and webpack 5 copy it as an asset, with esbuild or another bundler copy dist/generated/*.wasm into a generated/ folder beside the bundle";
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new Error(`${fn}: could not fetch the wasm module ${where}: ${(e as Error).message} (${hint})`, { cause: e });
  }
  if (!res.ok) throw new Error(`${fn}: fetching the wasm module ${where} failed: HTTP ${res.status} ${res.statusText} (${hint})`);
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (length > max) throw new Error(`${fn}: ${where} is ${length} bytes, more than the ${max} of any build of the wasm device: not the wasm module`);
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  let streamFailure: unknown;
  if (type === "application/wasm" && typeof WebAssembly.compileStreaming === "function") {
    // A copy of the body for the fallback, should the engine refuse to stream (read only then).
    const copy = res.clone();
    try {
      return await WebAssembly.compileStreaming(res);
    } catch (e) {
      streamFailure = e;
      res = copy;
    }
  }
  const bytes = await readCapped(fn, where, res, max);
  if (!isWasmModule(bytes)) {
    throw new Error(`${fn}: ${where} is not a wasm module: the server sent ${type === "" ? "no Content-Type" : `'${type}'`}, ${bytes.length} bytes starting ${preview(bytes)} (${hint})`);
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (e) {
    throw new Error(`${fn}: the wasm module ${where} does not compile: ${(e as Error).message}`, { cause: e });
  }
  if (streamFailure === undefined) {
    console.warn(`@tessera/blas-wasm: ${where} was served as ${type === "" ? "no Content-Type" : `'${type}'`}, not 'application/wasm', so it was downloaded before compiling instead of compiled while streaming; serve .wasm files as application/wasm.`);
  }
  return module;
}
