/**
 * The header of a safetensors file, checked completely before any tensor is decoded: a hostile
 * file is rejected after reading at most its header, with memory and time bounded by the header's
 * length, never by what the header announces.
 */
import { parseStrictJson, type JsonValue } from "./strict-json.js";

/** Bytes per element of each dtype this reader decodes (a `Map`, so no key comes from a prototype). */
export const DTYPE_SIZES: ReadonlyMap<string, number> = new Map([
  ["F64", 8], ["F32", 4], ["F16", 2], ["BF16", 2], ["I64", 8], ["I32", 4], ["I16", 2], ["I8", 1], ["U8", 1], ["BOOL", 1],
]);

/** Largest header accepted (the reference implementation's limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * One tensor as the header describes it: name, dtype, shape, and its byte range in the data
 * section (`begin` inclusive, `end` exclusive, relative to the data section's start).
 *
 * @example
 * ```ts
 * import type { SafetensorsEntry } from "@tessera/nn";
 * const e: SafetensorsEntry = { name: "fc.bias", dtype: "F32", shape: [10], begin: 0, end: 40 };
 * ```
 */
export interface SafetensorsEntry {
  /** Tensor name (the state-dict key). */
  readonly name: string;
  /** Stored dtype, one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL. */
  readonly dtype: string;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** First byte, relative to the data section. */
  readonly begin: number;
  /** One past the last byte, relative to the data section. */
  readonly end: number;
}

/**
 * What {@link readSafetensorsHeader} returns: the tensors in header order, the metadata, and where
 * the data section starts in the file.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, readSafetensorsHeader, type SafetensorsHeader } from "@tessera/nn";
 * const h: SafetensorsHeader = readSafetensorsHeader(encodeSafetensors(new Map()));
 * h.entries.length; // 0
 * ```
 */
export interface SafetensorsHeader {
  /** The tensors, in header order. */
  readonly entries: readonly SafetensorsEntry[];
  /** The string-to-string `__metadata__` (empty when absent). */
  readonly metadata: Record<string, string>;
  /** Byte offset of the data section in the file: 8 + the header length. */
  readonly dataStart: number;
}

function fail(message: string): never {
  throw new RangeError(`safetensors: ${message}`);
}

function show(v: JsonValue | undefined): string {
  if (v instanceof Map) return JSON.stringify(Object.fromEntries(v));
  const s = v === undefined ? "nothing" : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isCount(v: JsonValue): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function readMetadata(value: JsonValue): Record<string, string> {
  if (!(value instanceof Map)) fail(`__metadata__ must be an object of strings, got ${show(value)}`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of value) {
    if (typeof v !== "string") fail(`__metadata__ value of ${JSON.stringify(k)} must be a string, got ${show(v)}`);
    out[k] = v;
  }
  return out;
}

function readEntry(name: string, info: JsonValue): SafetensorsEntry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!(info instanceof Map)) fail(`${where} must be an object {dtype, shape, data_offsets}, got ${show(info)}`);
  for (const key of info.keys()) {
    if (key !== "dtype" && key !== "shape" && key !== "data_offsets") fail(`${where} has unknown field ${JSON.stringify(key)} (expected dtype, shape, data_offsets)`);
  }
  const dtype = info.get("dtype");
  const shape = info.get("shape");
  const offsets = info.get("data_offsets");
  if (typeof dtype !== "string" || !DTYPE_SIZES.has(dtype)) {
    fail(`${where} has dtype ${show(dtype)}, expected one of ${[...DTYPE_SIZES.keys()].join(", ")}`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${where} has shape ${show(shape)}, expected a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`${where} has data_offsets ${show(offsets)}, expected [begin, end] with integers 0 <= begin <= end`);
  }
  const [begin, end] = offsets as number[];
  const dims = shape as number[];
  const needed = dims.reduce((a, d) => a * BigInt(d), 1n) * BigInt(DTYPE_SIZES.get(dtype)!);
  if (needed !== BigInt(end - begin)) {
    fail(`${where}: shape [${dims.join(",")}] of ${dtype} needs ${needed} bytes, data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape: dims, begin, end };
}

/**
 * Reads and checks the header of a safetensors file without decoding any tensor: the 8-byte
 * length (at most 100 MB and within the file), strict UTF-8 JSON starting with `{` (no duplicate
 * keys), a `__metadata__` of strings only, for every tensor exactly `dtype` (a known name),
 * `shape` (non-negative integers) and `data_offsets` whose span equals shape × dtype size, and
 * ranges that lie in the data section and cover it exactly, without overlap or gap. Memory and time
 * are bounded by the header's length; any violation throws a `RangeError` naming it.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, readSafetensorsHeader } from "@tessera/nn";
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]));
 * readSafetensorsHeader(bytes).entries[0]; // { name: "w", dtype: "F32", shape: [2], begin: 0, end: 8 }
 * ```
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) fail(`bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length < 8) fail(`file has ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const announced = view.getBigUint64(0, true);
  if (announced > BigInt(MAX_HEADER_BYTES)) fail(`header length ${announced} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(announced);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the file (${bytes.length} bytes): truncated?`);
  if (bytes[8] !== 0x7b) fail(`header is not valid UTF-8 JSON: the spec requires it to start with '{', found ${n === 0 ? "nothing" : `byte 0x${bytes[8].toString(16).padStart(2, "0")}`}`);
  let text: string;
  let header: JsonValue;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch (e) {
    fail(`header is not valid UTF-8 (${(e as Error).message})`);
  }
  try {
    header = parseStrictJson(text, "header");
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!(header instanceof Map)) fail("header must be a JSON object");
  let metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries: SafetensorsEntry[] = [];
  for (const [name, info] of header) {
    if (name === "__metadata__") metadata = readMetadata(info);
    else entries.push(readEntry(name, info));
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  for (const e of entries) {
    if (e.end > dataLength) fail(`tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] lie outside the ${dataLength} data bytes: truncated?`);
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: SafetensorsEntry | undefined;
  for (const e of sorted) {
    if (e.begin < at) {
      fail(`tensor ${JSON.stringify(e.name)} (bytes [${e.begin}, ${e.end})) overlaps tensor ${JSON.stringify(previous!.name)} (bytes [${previous!.begin}, ${previous!.end}))`);
    }
    if (e.begin > at) fail(`gap of ${e.begin - at} bytes before tensor ${JSON.stringify(e.name)}: the spec requires the data to be covered exactly`);
    at = e.end;
    previous = e;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor are not covered by the header`);
  return { entries, metadata: { ...metadata }, dataStart };
}
