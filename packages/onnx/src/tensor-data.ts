/**
 * TensorProto ↔ host arrays. Decoding checks the shape against the limits and the payload length
 * against dims × element size before copying anything; external data is refused.
 */
import { create } from "@bufbuild/protobuf";
import { checkDims, type ResolvedLimits } from "./limits.js";
import { TensorProto_DataLocation, TensorProto_DataType as DT, TensorProtoSchema, type TensorProto } from "./proto/onnx_pb.js";

/**
 * A tensor value held on the host: float data (float32 values) or integer data (int64/int32 values,
 * exact as numbers up to 2^53). Shapes, axes and other static inputs live here.
 * @internal
 */
export interface HostTensor {
  readonly kind: "float" | "int";
  readonly dims: readonly number[];
  readonly data: Float32Array | Float64Array;
}

const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(DT).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k]));

/** The name of an ONNX data type, for messages. @internal */
export function dtypeName(t: number): string {
  return NAMES[t] ?? `unknown data type ${t}`;
}

/** Element sizes of the types Tessera reads. */
const SIZE: Partial<Record<number, number>> = { [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.INT64]: 8, [DT.INT32]: 4, [DT.FLOAT16]: 2, [DT.BOOL]: 1 };

/**
 * Decodes a TensorProto (an initializer or a Constant's value) into a host tensor.
 * @internal
 */
export function decodeTensor(what: string, t: TensorProto, limits: ResolvedLimits): HostTensor {
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL || t.externalData.length > 0) {
    const loc = t.externalData.find((e) => e.key === "location")?.value;
    throw new Error(`importOnnx: ${what} stores its data in an external file${loc ? ` ('${loc}')` : ""}; external data is not supported (save the model with its weights inside the .onnx file)`);
  }
  if (t.segment.length > 0) throw new Error(`importOnnx: ${what} is a segment of a chunked tensor; chunked tensors are not supported`);
  const size = SIZE[t.dataType];
  if (size === undefined) throw new TypeError(`importOnnx: ${what} has data type ${dtypeName(t.dataType)}; supported: FLOAT, DOUBLE, FLOAT16, INT64, INT32, BOOL`);
  const dims = checkDims(what, t.dims, limits);
  const n = dims.reduce((a, b) => a * b, 1);
  const kind = t.dataType === DT.INT64 || t.dataType === DT.INT32 || t.dataType === DT.BOOL ? "int" : "float";
  const typed: readonly { name: string; length: number }[] = [
    { name: "float_data", length: t.floatData.length }, { name: "int32_data", length: t.int32Data.length },
    { name: "int64_data", length: t.int64Data.length }, { name: "double_data", length: t.doubleData.length },
    { name: "uint64_data", length: t.uint64Data.length }, { name: "string_data", length: t.stringData.length },
  ].filter((f) => f.length > 0);
  if (t.rawData.length > 0) {
    if (typed.length) throw new Error(`importOnnx: ${what} has both raw_data and ${typed[0].name}`);
    if (t.rawData.length !== n * size) {
      throw new RangeError(`importOnnx: ${what} of shape [${dims.join(",")}] and type ${dtypeName(t.dataType)} needs ${n * size} bytes of raw_data, got ${t.rawData.length}`);
    }
    // float32 on a little-endian host: one aligned copy of the bytes.
    if (t.dataType === DT.FLOAT && LITTLE_ENDIAN) return { kind, dims, data: new Float32Array(t.rawData.slice().buffer) };
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const out = kind === "int" ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * size;
      switch (t.dataType) {
        case DT.FLOAT: out[i] = view.getFloat32(o, true); break;
        case DT.DOUBLE: out[i] = view.getFloat64(o, true); break;
        case DT.FLOAT16: out[i] = half(view.getUint16(o, true)); break;
        case DT.INT32: out[i] = view.getInt32(o, true); break;
        case DT.BOOL: out[i] = view.getUint8(o) ? 1 : 0; break;
        default: out[i] = exactInt(view.getBigInt64(o, true));
      }
    }
    return { kind, dims, data: out };
  }
  const field = t.dataType === DT.FLOAT ? "float_data" : t.dataType === DT.DOUBLE ? "double_data" : t.dataType === DT.INT64 ? "int64_data" : "int32_data";
  const wrong = typed.find((f) => f.name !== field);
  if (wrong) throw new TypeError(`importOnnx: ${what} has type ${dtypeName(t.dataType)} but stores its values in ${wrong.name} (expected ${field} or raw_data)`);
  const src: ArrayLike<number | bigint> = t.dataType === DT.FLOAT ? t.floatData : t.dataType === DT.DOUBLE ? t.doubleData : t.dataType === DT.INT64 ? t.int64Data : t.int32Data;
  if (src.length !== n) throw new RangeError(`importOnnx: ${what} of shape [${dims.join(",")}] needs ${n} values in ${field}, got ${src.length}`);
  const out = kind === "int" ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    out[i] = typeof v === "bigint" ? exactInt(v) : t.dataType === DT.FLOAT16 ? half(v) : v;
  }
  return { kind, dims, data: out };
}

/** An int64 as a number; beyond ±2^53 (INT64_MAX / INT64_MIN, Slice's "to the end") it saturates. */
function exactInt(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (v < -BigInt(Number.MAX_SAFE_INTEGER)) return -Number.MAX_SAFE_INTEGER;
  return Number(v);
}

/** IEEE half → number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** A float32 TensorProto with raw little-endian data. @internal */
export function floatTensorProto(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  let raw: Uint8Array;
  if (LITTLE_ENDIAN) raw = new Uint8Array(Float32Array.from(data).buffer);
  else {
    raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  }
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.FLOAT, rawData: raw });
}

/** An int64 TensorProto. @internal */
export function int64TensorProto(name: string, dims: readonly number[], data: readonly number[]): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.INT64, int64Data: data.map((v) => BigInt(v)) });
}
