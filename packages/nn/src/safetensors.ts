/**
 * The safetensors format (https://huggingface.co/docs/safetensors), byte-exact to its spec:
 * an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces to a
 * multiple of 8), then the tensors' bytes, little-endian, row-major, contiguous, covering the
 * buffer without gaps or overlaps. Works on ArrayBuffers, so it runs in browsers too.
 */
import { DTYPE_SIZES, readSafetensorsHeader, type SafetensorsEntry } from "./safetensors-header.js";

/**
 * A tensor read from or written to safetensors: shape, dtype and values.
 *
 * @example
 * ```ts
 * import type { SafeTensor } from "@tessera/nn";
 * const t: SafeTensor = { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) };
 * ```
 */
export interface SafeTensor {
  /** Stored dtype (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL). */
  readonly dtype: string;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** Values: float dtypes as Float32Array, integer dtypes as Int32Array (range-checked). */
  readonly data: Float32Array | Int32Array;
}

/**
 * What {@link decodeSafetensors} returns: the tensors by name and the header's `__metadata__`.
 *
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors, type DecodedSafetensors } from "@tessera/nn";
 * const file: DecodedSafetensors = decodeSafetensors(encodeSafetensors(new Map(), { format: "pt" }));
 * file.metadata.format; // "pt"
 * ```
 */
export interface DecodedSafetensors {
  /** The tensors, by name, in header order. */
  tensors: Map<string, SafeTensor>;
  /** The string-to-string `__metadata__` of the header (empty when absent). */
  metadata: Record<string, string>;
}

function fail(message: string): never {
  throw new RangeError(`safetensors: ${message}`);
}

function failEncode(message: string): never {
  throw new RangeError(`encodeSafetensors: ${message}`);
}

function f16(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));

/** Element readers by dtype (a `Map`: only the names it holds are dtypes). */
const READERS: ReadonlyMap<string, (bytes: DataView, i: number) => number | bigint> = new Map<string, (bytes: DataView, i: number) => number | bigint>([
  ["F32", (b, i) => b.getFloat32(i * 4, true)],
  ["F64", (b, i) => b.getFloat64(i * 8, true)],
  ["F16", (b, i) => f16(b.getUint16(i * 2, true))],
  ["BF16", (b, i) => {
    bf16Scratch.setUint32(0, b.getUint16(i * 2, true) << 16, true);
    return bf16Scratch.getFloat32(0, true);
  }],
  ["I64", (b, i) => b.getBigInt64(i * 8, true)],
  ["I32", (b, i) => b.getInt32(i * 4, true)],
  ["I16", (b, i) => b.getInt16(i * 2, true)],
  ["I8", (b, i) => b.getInt8(i)],
  ["U8", (b, i) => b.getUint8(i)],
  ["BOOL", (b, i) => b.getUint8(i)],
]);

function decode(dtype: string, bytes: DataView, count: number, name: string): Float32Array | Int32Array {
  const read = READERS.get(dtype);
  if (read === undefined) fail(`tensor ${JSON.stringify(name)} has dtype ${JSON.stringify(dtype)}, which this reader does not decode`);
  const out = dtype === "F32" || dtype === "F64" || dtype === "F16" || dtype === "BF16" ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = read(bytes, i);
    if (typeof v === "bigint") {
      if (v > 2147483647n || v < -2147483648n) fail(`tensor ${JSON.stringify(name)} element ${i} (${v}) does not fit in int32`);
      out[i] = Number(v);
    } else out[i] = v;
  }
  return out;
}

/**
 * Parses a safetensors file. The whole header is checked first by {@link readSafetensorsHeader}
 * (header length, strict JSON without duplicate keys, `__metadata__` of strings, known dtypes,
 * shapes vs byte ranges, ranges inside the buffer, no overlap, full coverage), so a truncated,
 * corrupt or hostile file throws a `RangeError` naming the problem before any tensor is allocated;
 * only then are the tensors decoded.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, decodeSafetensors } from "@tessera/nn";
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]));
 * decodeSafetensors(bytes).tensors.get("w")!.data; // Float32Array [1, 2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { entries, metadata, dataStart } = readSafetensorsHeader(bytes);
  const tensors = new Map<string, SafeTensor>();
  for (const e of entries) tensors.set(e.name, decodeEntry(bytes, dataStart, e));
  return { tensors, metadata };
}

/**
 * Decodes one tensor of a file whose header {@link readSafetensorsHeader} has checked.
 * @internal
 */
export function decodeEntry(bytes: Uint8Array, dataStart: number, e: SafetensorsEntry): SafeTensor {
  const size = DTYPE_SIZES.get(e.dtype)!;
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
  return { dtype: e.dtype, shape: e.shape, data: decode(e.dtype, view, (e.end - e.begin) / size, e.name) };
}

/**
 * Encodes tensors as safetensors bytes. Float data is written as F32 (or the given dtype F32/F64),
 * integer data as I64 (PyTorch's dtype for counters such as `num_batches_tracked`) unless I32 is
 * asked for. Tensors are laid out in key order.
 *
 * @example
 * ```ts
 * import { encodeSafetensors } from "@tessera/nn";
 * const bytes = encodeSafetensors(new Map([["bias", { dtype: "F32", shape: [3], data: new Float32Array(3) }]]), { format: "pt" });
 * ```
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  // The header is written from [key, value] pairs, so a name such as `__proto__` stays a key.
  const header: [string, unknown][] = [];
  if (metadata === null || typeof metadata !== "object") failEncode(`metadata must be an object of strings, got ${String(metadata)}`);
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") failEncode(`metadata value of ${JSON.stringify(k)} must be a string, got ${typeof v}`);
  }
  if (Object.keys(metadata).length) header.push(["__metadata__", metadata]);
  let offset = 0;
  const parts: [SafeTensor, string, number][] = [];
  for (const [name, t] of tensors) {
    if (name === "__metadata__") failEncode("a tensor cannot be named __metadata__ (the key the format reserves)");
    if (t === null || typeof t !== "object" || !(t.data instanceof Float32Array || t.data instanceof Int32Array) || !Array.isArray(t.shape)) {
      failEncode(`tensor ${JSON.stringify(name)} must be { dtype, shape, data: Float32Array | Int32Array }, got ${t === null ? "null" : typeof t === "object" ? `data ${(t.data as object | undefined)?.constructor?.name ?? String(t.data)}` : typeof t}`);
    }
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) failEncode(`tensor ${JSON.stringify(name)} has shape ${JSON.stringify(t.shape)}, expected non-negative integers`);
    const dtype = t.data instanceof Int32Array ? (t.dtype === "I32" ? "I32" : "I64") : t.dtype === "F64" ? "F64" : "F32";
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) fail(`tensor '${name}': shape [${t.shape.join(",")}] needs ${count} values, got ${t.data.length}`);
    const size = count * DTYPE_SIZES.get(dtype)!;
    header.push([name, { dtype, shape: [...t.shape], data_offsets: [offset, offset + size] }]);
    parts.push([t, dtype, offset]);
    offset += size;
  }
  const text = `{${header.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
  let json = new TextEncoder().encode(text);
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(text + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const base = 8 + json.length;
  for (const [t, dtype, at] of parts) {
    const d = t.data;
    const step = DTYPE_SIZES.get(dtype)!;
    for (let i = 0; i < d.length; i++) {
      const p = base + at + i * step;
      if (dtype === "F32") view.setFloat32(p, d[i], true);
      else if (dtype === "F64") view.setFloat64(p, d[i], true);
      else if (dtype === "I64") view.setBigInt64(p, BigInt(d[i]), true);
      else view.setInt32(p, d[i], true);
    }
  }
  return out;
}
