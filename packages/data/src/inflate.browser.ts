/**
 * Browser twin of `#inflate` (package.json `imports`, every condition but `node`): `gunzip` with
 * the standard `DecompressionStream`, fed in slices so the output limit is checked as it grows.
 * @internal
 */
import { readStream } from "./gzip-stream.js";

/** Decompresses checked gzip `bytes`, at most `max` bytes of output. @internal */
export async function inflate(bytes: Uint8Array, name: string, max: number | undefined): Promise<Uint8Array> {
  return readStream(bytes, name, max ?? Number.MAX_SAFE_INTEGER, false);
}
