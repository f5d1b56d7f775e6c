/**
 * Weights as a `Blob`: the download a browser offers and the `File` a user uploads, holding the
 * exact safetensors bytes that `saveWeights` writes in Node.
 */
import { rejectUnknownOptions } from "@tessera/optim";
import type { Module } from "./module.js";
import { MAX_HEADER_BYTES } from "./safetensors-header.js";
import { loadStateDictFromBytes, stateDictToBytes } from "./weights.js";

/**
 * The MIME type of the Blobs this package makes (safetensors has none registered).
 *
 * @example
 * ```ts
 * import { SAFETENSORS_MIME } from "@tessera/nn";
 * SAFETENSORS_MIME; // → "application/octet-stream"
 * ```
 */
export const SAFETENSORS_MIME = "application/octet-stream";

/**
 * The most bytes a safetensors file of `model`'s state can take: the 8-byte length, the largest
 * header the reader accepts, and 8 bytes (F64/I64, the widest dtypes) per element. @internal
 */
export function weightsByteBound(model: Module, copies = 1): number {
  let elements = 0;
  for (const t of model.stateDict().values()) elements += t.size;
  return 8 + MAX_HEADER_BYTES + 8 * elements * copies;
}

/**
 * The bytes of a `Blob` (or `File`), after checking that it is one and that its size is at most
 * `maxBytes`, so an oversized upload is refused before anything is read. @internal
 */
export async function readBlobBytes(fn: string, blob: Blob, maxBytes: number): Promise<Uint8Array> {
  if (typeof Blob === "undefined" || !(blob instanceof Blob)) {
    throw new TypeError(`${fn}: blob must be a Blob or File, got ${blob === null ? "null" : typeof blob === "object" ? (blob as object).constructor?.name ?? "object" : typeof blob}`);
  }
  if (!(Number.isSafeInteger(maxBytes) && maxBytes > 0)) throw new RangeError(`${fn}: maxBytes must be a positive integer, got ${maxBytes}`);
  if (blob.size > maxBytes) {
    const name = typeof File !== "undefined" && blob instanceof File ? ` '${blob.name}'` : "";
    throw new RangeError(`${fn}: the file${name} has ${blob.size} bytes, more than maxBytes (${maxBytes}); pass a larger maxBytes if it is expected`);
  }
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The module's weights as a `Blob` of safetensors bytes, byte-identical to the file
 * `saveWeights` writes in Node for the same module and metadata: offer it as a download, or keep
 * it. Works in browsers, workers and Node.
 *
 * @example
 * ```ts
 * import { Linear, weightsToBlob } from "@tessera/nn";
 * const blob = await weightsToBlob(new Linear(3, 2), { epoch: "5" });
 * blob.size; // → 208
 * // in a page: a.href = URL.createObjectURL(blob); a.download = "linear.safetensors"; a.click();
 * ```
 */
export async function weightsToBlob(model: Module, metadata: Record<string, string> = {}): Promise<Blob> {
  // Fresh bytes on an ArrayBuffer (never shared memory), as a Blob part requires.
  return new Blob([(await stateDictToBytes(model, metadata)) as Uint8Array<ArrayBuffer>], { type: SAFETENSORS_MIME });
}

/**
 * Options of {@link loadWeightsFromBlob}.
 *
 * @example
 * ```ts
 * import type { LoadWeightsFromBlobOptions } from "@tessera/nn";
 * const o: LoadWeightsFromBlobOptions = { strict: false, maxBytes: 10_000_000 };
 * ```
 */
export interface LoadWeightsFromBlobOptions {
  /** Keys must match exactly (default true), as in `loadStateDict`. */
  readonly strict?: boolean;
  /**
   * A larger file is refused before it is read. Default: 8 + 100 MB (the largest header) + 8 bytes
   * per element of the module's state.
   */
  readonly maxBytes?: number;
}

/**
 * Loads a safetensors `Blob` or `File` (an upload, a `fetch()` response's blob) into the module,
 * strict by default. Its size is checked against `maxBytes` before it is read; then the same checks
 * as `loadStateDictFromBytes` run (the whole header, then every dtype and shape against the module)
 * before anything is written, so a truncated, corrupt or foreign file changes nothing and throws an
 * error naming the problem. Returns the file's metadata.
 *
 * @example
 * ```ts
 * import { Linear, loadWeightsFromBlob, weightsToBlob } from "@tessera/nn";
 * const a = new Linear(3, 2), b = new Linear(3, 2);
 * const metadata = await loadWeightsFromBlob(b, await weightsToBlob(a, { epoch: "5" }));
 * metadata.epoch; // → "5"
 * // in a page: await loadWeightsFromBlob(b, input.files[0]);
 * ```
 */
export async function loadWeightsFromBlob(model: Module, blob: Blob, o: LoadWeightsFromBlobOptions = {}): Promise<Record<string, string>> {
  rejectUnknownOptions("loadWeightsFromBlob", "options", o, ["strict", "maxBytes"]);
  const bytes = await readBlobBytes("loadWeightsFromBlob", blob, o.maxBytes ?? weightsByteBound(model));
  return loadStateDictFromBytes(model, bytes, { strict: o.strict });
}
