/**
 * Gzip decompression with the standard `DecompressionStream` (browsers, and Node 18+), bounded in
 * output: the browser's `gunzip` and, on every platform, `gunzipHead`.
 * @internal
 */

/** The error for output beyond `maxOutputLength`. @internal */
export function tooLarge(name: string, max: number): Error {
  return new RangeError(`gunzip: ${name} decompresses to more than ${max} bytes (maxOutputLength)`);
}

/** Compressed bytes fed to `DecompressionStream` at a time: bounds the output produced between checks. */
const FEED = 16 * 1024;

/**
 * Decompresses with `DecompressionStream`, keeping at most `limit` bytes: past it, an error, or
 * (when `cut`) the first `limit` bytes. The input is fed in small slices, so little more than
 * `limit` is ever decompressed. @internal
 */
export async function readStream(bytes: Uint8Array, name: string, limit: number, cut: boolean): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new Error(`gunzip: cannot decompress ${name}: this runtime has no DecompressionStream`);
  }
  let fed = 0;
  const source = new ReadableStream<BufferSource>({
    pull(controller) {
      if (fed >= bytes.length) controller.close();
      else controller.enqueue(bytes.slice(fed, (fed += FEED)));
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new DecompressionStream("gzip")).getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.length > limit) {
        over = !cut;
        if (cut) parts.push(value.subarray(0, limit - total));
        total = limit;
        break;
      }
      parts.push(value);
      total += value.length;
    }
  } catch (e) {
    throw new Error(`gunzip: ${name} is corrupt or truncated (${(e as Error).message})`);
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (over) throw tooLarge(name, limit);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
