/**
 * Node twin of `#inflate` (package.json `imports`, condition `node`): `gunzip` with `node:zlib`,
 * whose `maxOutputLength` stops the decompression at the limit.
 * @internal
 */
/// <reference types="node" />
import { gunzipSync } from "node:zlib";
import { tooLarge } from "./gzip-stream.js";

/** Decompresses checked gzip `bytes`, at most `max` bytes of output. @internal */
export async function inflate(bytes: Uint8Array, name: string, max: number | undefined): Promise<Uint8Array> {
  try {
    return new Uint8Array(gunzipSync(bytes, max === undefined ? {} : { maxOutputLength: max }));
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(name, max!);
    throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
  }
}
