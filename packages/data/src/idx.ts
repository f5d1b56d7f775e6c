/**
 * The IDX file format (LeCun's MNIST distribution format): a 4-byte magic number
 * `0x00 0x00 <type code> <number of dimensions>`, one big-endian uint32 per dimension, then the
 * elements in row-major order, big-endian.
 */
import { isGzip } from "./gzip.js";

/**
 * The element types an IDX file can hold (type codes 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E).
 *
 * @example
 * ```ts
 * const t: IdxDType = "uint8"; // MNIST images and labels
 * ```
 */
export type IdxDType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/**
 * The decoded contents of an IDX file: element type, shape and the elements in row-major order.
 *
 * @example
 * ```ts
 * const labels: IdxArray = { dtype: "uint8", shape: [3], data: new Uint8Array([5, 0, 4]) };
 * ```
 */
export interface IdxArray {
  /** Element type. */
  dtype: IdxDType;
  /** Size of each dimension. */
  shape: number[];
  /** The elements in row-major order, in native byte order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Options for {@link readIdx}: a name for error messages and, optionally, the type and number of
 * dimensions the file must have.
 *
 * @example
 * ```ts
 * const opts: ReadIdxOptions = { name: "train-images-idx3-ubyte", dtype: "uint8", ndim: 3 };
 * ```
 */
export interface ReadIdxOptions {
  /** Shown in error messages (usually the file name); `"IDX data"` by default. */
  name?: string;
  /** Required element type; any by default. */
  dtype?: IdxDType;
  /** Required number of dimensions; any by default. */
  ndim?: number;
}

interface TypeInfo {
  code: number;
  size: number;
  words: string;
}

const TYPES: Record<IdxDType, TypeInfo> = {
  uint8: { code: 0x08, size: 1, words: "unsigned byte" },
  int8: { code: 0x09, size: 1, words: "signed byte" },
  int16: { code: 0x0b, size: 2, words: "short" },
  int32: { code: 0x0c, size: 4, words: "int" },
  float32: { code: 0x0d, size: 4, words: "float" },
  float64: { code: 0x0e, size: 8, words: "double" },
};

const KNOWN_CODES = "0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64";

const hex = (n: number, digits: number): string => `0x${n.toString(16).toUpperCase().padStart(digits, "0")}`;

function dtypeOfCode(code: number): IdxDType | undefined {
  return (Object.keys(TYPES) as IdxDType[]).find((d) => TYPES[d].code === code);
}

function describeMagic(dtype: IdxDType, ndim: number): string {
  return `${hex((TYPES[dtype].code << 8) | ndim, 8)} (${TYPES[dtype].words}, ${ndim} dimension${ndim === 1 ? "" : "s"})`;
}

/** The parsed header of an IDX file (internal; used to split concatenated IDX files). */
export interface IdxHeader {
  dtype: IdxDType;
  shape: number[];
  /** Bytes of header: 4 + 4·ndim. */
  headerBytes: number;
  /** Bytes of element data the header announces. */
  dataBytes: number;
}

/**
 * Reads and validates an IDX header at the start of `bytes` (magic number, type code, number
 * of dimensions, expectations from `options`) and, unless `checkData` is false (the header of a
 * file still compressed), checks that the announced data is present. Trailing bytes are not
 * checked here.
 */
export function readIdxHeader(bytes: Uint8Array, options: ReadIdxOptions = {}, checkData = true): IdxHeader {
  const name = options.name ?? "IDX data";
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`readIdx: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  }
  if (bytes.length < 4) {
    throw new Error(`readIdx: ${name} is truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const expected = options.dtype !== undefined && options.ndim !== undefined ? `, expected ${describeMagic(options.dtype, options.ndim)}` : "";
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = isGzip(bytes) ? "; it is gzip-compressed: decompress it first (gunzip)" : "";
    throw new Error(`readIdx: ${name} has magic ${hex(magic, 8)}${expected}; not an IDX file (the first two bytes must be 0)${gz}`);
  }
  const dtype = dtypeOfCode(bytes[2]);
  const ndim = bytes[3];
  if (dtype === undefined) {
    throw new Error(`readIdx: ${name} has magic ${hex(magic, 8)}${expected}; unknown type code ${hex(bytes[2], 2)} (known: ${KNOWN_CODES})`);
  }
  if ((options.dtype !== undefined && options.dtype !== dtype) || (options.ndim !== undefined && options.ndim !== ndim)) {
    const want = options.dtype !== undefined && options.ndim !== undefined ? describeMagic(options.dtype, options.ndim) : `${options.dtype ?? "any type"} with ${options.ndim ?? "any number of"} dimensions`;
    throw new Error(`readIdx: ${name} has magic ${describeMagic(dtype, ndim)}, expected ${want}`);
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new Error(`readIdx: ${name} is truncated: a ${ndim}-dimension header needs ${headerBytes} bytes, found ${bytes.length}`);
  }
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i));
  const dataBytes = shape.reduce((a, b) => a * b, 1) * TYPES[dtype].size;
  if (!Number.isSafeInteger(dataBytes)) {
    throw new Error(`readIdx: ${name} has an impossible shape ${shape.join("×")} (more than 2^53 bytes)`);
  }
  const found = bytes.length - headerBytes;
  if (checkData && found < dataBytes) {
    throw new Error(`readIdx: ${name} is truncated: header says ${sizeText(shape, dtype, dataBytes)} of data, found ${found}`);
  }
  return { dtype, shape, headerBytes, dataBytes };
}

/** `60×28×28 = 47040 bytes` (the data size an IDX header announces). @internal */
export function sizeText(shape: readonly number[], dtype: IdxDType, dataBytes: number): string {
  const size = TYPES[dtype].size;
  const dims = shape.length === 0 ? "1" : shape.join("×");
  return `${size === 1 ? dims : `${dims}×${size}`} = ${dataBytes} bytes`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return (v as { constructor?: { name?: string } }).constructor?.name ?? typeof v;
}

/**
 * Decodes an IDX file from its bytes, validating the magic number (type code and number of
 * dimensions, against `options` when given), the header length and the data length: a truncated
 * file, trailing bytes or gzip-compressed input give an error that names the file. The elements
 * are copied into a new typed array in native byte order (uint8 → Uint8Array, int8 → Int8Array,
 * int16 → Int16Array, int32 → Int32Array, float32 → Float32Array, float64 → Float64Array).
 * Works from bytes, so it runs in browsers too; decompress `.gz` files first with {@link gunzip}.
 *
 * @param bytes - The whole (uncompressed) file.
 * @param options - A name for errors and the expected type and number of dimensions.
 * @throws Error `readIdx: train-images-idx3-ubyte has magic 0x00000801 (unsigned byte, 1 dimension), expected 0x00000803 (unsigned byte, 3 dimensions)`.
 *
 * @example
 * ```ts
 * const bytes = encodeIdx({ dtype: "uint8", shape: [2], data: new Uint8Array([7, 2]) });
 * const { dtype, shape, data } = readIdx(bytes, { dtype: "uint8", ndim: 1 });
 * // "uint8", [2], Uint8Array [7, 2]
 * ```
 */
export function readIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  const header = readIdxHeader(bytes, options);
  const { dtype, shape, headerBytes, dataBytes } = header;
  const extra = bytes.length - headerBytes - dataBytes;
  if (extra > 0) {
    const name = options.name ?? "IDX data";
    throw new Error(`readIdx: ${name} has ${extra} bytes after the data: header says ${sizeText(shape, dtype, dataBytes)} of data, found ${dataBytes + extra}`);
  }
  const count = dataBytes / TYPES[dtype].size;
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerBytes, dataBytes);
  switch (dtype) {
    case "uint8":
      return { dtype, shape, data: bytes.slice(headerBytes, headerBytes + dataBytes) };
    case "int8":
      return { dtype, shape, data: new Int8Array(bytes.slice(headerBytes, headerBytes + dataBytes).buffer) };
    case "int16": {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(2 * i);
      return { dtype, shape, data };
    }
    case "int32": {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i);
      return { dtype, shape, data };
    }
    case "float32": {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i);
      return { dtype, shape, data };
    }
    case "float64": {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i);
      return { dtype, shape, data };
    }
  }
}

const ARRAY_CLASS: Record<IdxDType, new (n: number) => IdxArray["data"]> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/**
 * Encodes an array as an IDX file (the inverse of {@link readIdx}): magic number, big-endian
 * dimensions, big-endian elements. The data's class must match `dtype` and its length the shape.
 *
 * @throws Error `encodeIdx: data has 5 elements, shape [2,3] needs 6`.
 *
 * @example
 * ```ts
 * const labels = encodeIdx({ dtype: "uint8", shape: [3], data: new Uint8Array([5, 0, 4]) });
 * labels.length; // 8 header bytes + 3
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  if (array === null || typeof array !== "object") {
    throw new TypeError(`encodeIdx: array must be an object { dtype, shape, data }, got ${array === null ? "null" : typeof array}`);
  }
  const { dtype, shape, data } = array;
  const info = TYPES[dtype] as TypeInfo | undefined;
  if (info === undefined) throw new TypeError(`encodeIdx: unknown dtype ${JSON.stringify(dtype)} (expected ${Object.keys(TYPES).join(", ")})`);
  if (!Array.isArray(shape) || shape.length > 255 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 0xffffffff)) {
    throw new RangeError(`encodeIdx: shape must be at most 255 integers in [0, 2^32), got ${JSON.stringify(shape)}`);
  }
  if (!(data instanceof ARRAY_CLASS[dtype])) {
    throw new TypeError(`encodeIdx: dtype ${dtype} needs a ${ARRAY_CLASS[dtype].name}, got ${describeValue(data)}`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new RangeError(`encodeIdx: data has ${data.length} elements, shape [${shape.join(",")}] needs ${count}`);
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + count * info.size);
  const view = new DataView(out.buffer);
  view.setUint32(0, (info.code << 8) | shape.length);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const at = headerBytes;
  switch (dtype) {
    case "uint8":
    case "int8":
      out.set(new Uint8Array(data.buffer, data.byteOffset, count), at);
      break;
    case "int16":
      for (let i = 0; i < count; i++) view.setInt16(at + 2 * i, data[i]);
      break;
    case "int32":
      for (let i = 0; i < count; i++) view.setInt32(at + 4 * i, data[i]);
      break;
    case "float32":
      for (let i = 0; i < count; i++) view.setFloat32(at + 4 * i, data[i]);
      break;
    case "float64":
      for (let i = 0; i < count; i++) view.setFloat64(at + 8 * i, data[i]);
      break;
  }
  return out;
}
