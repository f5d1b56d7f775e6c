/**
 * The safetensors format (https://huggingface.co/docs/safetensors), byte-exact to its spec:
 * an 8-byte little-endian header length N, N bytes of JSON header (padded with spaces to a
 * multiple of 8), then the tensors' bytes, little-endian, row-major, contiguous, covering the
 * buffer without gaps or overlaps. Works on ArrayBuffers, so it runs in browsers too.
 */

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

const SIZES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** Largest header we accept (the reference implementation's limit is 100 MB). */
const MAX_HEADER = 100_000_000;

function fail(message: string): never {
  throw new RangeError(`safetensors: ${message}`);
}

function f16(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function decode(dtype: string, bytes: DataView, count: number, name: string): Float32Array | Int32Array {
  const out = dtype.startsWith("F") || dtype === "BF16" ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case "F32": out[i] = bytes.getFloat32(i * 4, true); break;
      case "F64": out[i] = bytes.getFloat64(i * 8, true); break;
      case "F16": out[i] = f16(bytes.getUint16(i * 2, true)); break;
      case "BF16": {
        const f = new DataView(new ArrayBuffer(4));
        f.setUint32(0, bytes.getUint16(i * 2, true) << 16, true);
        out[i] = f.getFloat32(0, true);
        break;
      }
      case "I64": {
        const v = bytes.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) fail(`tensor '${name}' element ${i} (${v}) does not fit in int32`);
        out[i] = Number(v);
        break;
      }
      case "I32": out[i] = bytes.getInt32(i * 4, true); break;
      case "I16": out[i] = bytes.getInt16(i * 2, true); break;
      case "I8": out[i] = bytes.getInt8(i); break;
      case "U8": case "BOOL": out[i] = bytes.getUint8(i); break;
    }
  }
  return out;
}

/**
 * Parses a safetensors file. Every structural rule of the spec is checked (header length, JSON,
 * dtypes, shapes vs byte ranges, ranges inside the buffer, no overlap, full coverage); any
 * violation throws a `RangeError` naming it, so a truncated or corrupt file is never half-read.
 *
 * @example
 * ```ts
 * import { encodeSafetensors, decodeSafetensors } from "@tessera/nn";
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]));
 * decodeSafetensors(bytes).tensors.get("w")!.data; // Float32Array [1, 2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) fail(`file has ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} exceeds the limit of ${MAX_HEADER} bytes`);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the file (${bytes.length} bytes): truncated?`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("header must be a JSON object");
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const entries = Object.entries(header).filter(([k]) => k !== "__metadata__");
  const ranges: [number, number, string][] = [];
  const tensors = new Map<string, SafeTensor>();
  for (const [name, info] of entries) {
    const { dtype, shape, data_offsets: offsets } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in SIZES)) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isInteger)) fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * SIZES[dtype]) fail(`tensor '${name}': shape [${shape.join(",")}] of ${dtype} needs ${count * SIZES[dtype]} bytes, data_offsets span ${end - begin}`);
    if (begin < 0 || end > dataLength) fail(`tensor '${name}': data_offsets [${begin}, ${end}] lie outside the ${dataLength} data bytes: truncated?`);
    ranges.push([begin, end, name]);
    tensors.set(name, { dtype, shape, data: decode(dtype, new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin), count, name) });
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [b, e, name] of ranges) {
    if (b !== at) fail(b < at ? `tensor '${name}' overlaps the previous tensor` : `gap of ${b - at} bytes before tensor '${name}'`);
    at = e;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor are not covered by the header`);
  return { tensors, metadata };
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
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const parts: [SafeTensor, string, number][] = [];
  for (const [name, t] of tensors) {
    const dtype = t.data instanceof Int32Array ? (t.dtype === "I32" ? "I32" : "I64") : t.dtype === "F64" ? "F64" : "F32";
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) fail(`tensor '${name}': shape [${t.shape.join(",")}] needs ${count} values, got ${t.data.length}`);
    const size = count * SIZES[dtype];
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    parts.push([t, dtype, offset]);
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const base = 8 + json.length;
  for (const [t, dtype, at] of parts) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      const p = base + at + i * SIZES[dtype];
      if (dtype === "F32") view.setFloat32(p, d[i], true);
      else if (dtype === "F64") view.setFloat64(p, d[i], true);
      else if (dtype === "I64") view.setBigInt64(p, BigInt(d[i]), true);
      else view.setInt32(p, d[i], true);
    }
  }
  return out;
}
