import { gzipSync } from "node:zlib";
import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { encodeIdx, readIdx, type IdxArray } from "./index.js";

/** A hand-written IDX file: the reference the encoder and decoder are checked against. */
const TINY_INT16 = new Uint8Array([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe]);

function sample(dtype: IdxArray["dtype"], shape: number[], rng: Rng): IdxArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => rng.integers(-100, 100) + (dtype.startsWith("float") ? 0.25 : 0));
  const data = {
    uint8: () => Uint8Array.from(values, (v) => v + 100),
    int8: () => Int8Array.from(values),
    int16: () => Int16Array.from(values, (v) => v * 300),
    int32: () => Int32Array.from(values, (v) => v * 20_000_000),
    float32: () => Float32Array.from(values),
    float64: () => Float64Array.from(values, (v) => v / 3),
  }[dtype]();
  return { dtype, shape, data };
}

describe("readIdx / encodeIdx", () => {
  it("decodes a hand-written big-endian file", () => {
    const a = readIdx(TINY_INT16);
    expect(a.dtype).toBe("int16");
    expect(a.shape).toEqual([2, 1]);
    expect(Array.from(a.data)).toEqual([0x0102, -2]);
    expect(encodeIdx(a)).toEqual(TINY_INT16);
  });

  it.each(["uint8", "int8", "int16", "int32", "float32", "float64"] as const)("round-trips %s", (dtype) => {
    const rng = new Rng(7);
    for (const shape of [[5], [3, 4], [2, 3, 4], [0, 28, 28]]) {
      const a = sample(dtype, shape, rng);
      const back = readIdx(encodeIdx(a), { dtype, ndim: shape.length });
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(back.data.constructor).toBe(a.data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(a.data));
    }
  });

  it("copies uint8 data instead of aliasing the input", () => {
    const bytes = encodeIdx({ dtype: "uint8", shape: [2], data: new Uint8Array([1, 2]) });
    const a = readIdx(bytes);
    bytes[8] = 99;
    expect(Array.from(a.data)).toEqual([1, 2]);
  });

  it("reads from a subarray with a non-zero byteOffset", () => {
    const file = encodeIdx({ dtype: "int32", shape: [2], data: new Int32Array([-5, 7]) });
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(readIdx(padded.subarray(3)).data)).toEqual([-5, 7]);
  });

  it("names the file and both magic numbers when the type or dimension count is wrong", () => {
    const labels = encodeIdx({ dtype: "uint8", shape: [3], data: new Uint8Array(3) });
    expect(() => readIdx(labels, { name: "train-images-idx3-ubyte", dtype: "uint8", ndim: 3 })).toThrow(
      "readIdx: train-images-idx3-ubyte has magic 0x00000801 (unsigned byte, 1 dimension), expected 0x00000803 (unsigned byte, 3 dimensions)",
    );
    const floats = encodeIdx({ dtype: "float32", shape: [1, 1, 1], data: new Float32Array(1) });
    expect(() => readIdx(floats, { name: "x", dtype: "uint8" })).toThrow("readIdx: x has magic 0x00000D03 (float, 3 dimensions), expected uint8 with any number of dimensions");
  });

  it("rejects truncated files with the expected and found sizes", () => {
    const file = encodeIdx({ dtype: "uint8", shape: [60, 28, 28], data: new Uint8Array(60 * 784) });
    expect(() => readIdx(file.subarray(0, 16 + 1000), { name: "train-images-idx3-ubyte" })).toThrow(
      "readIdx: train-images-idx3-ubyte is truncated: header says 60×28×28 = 47040 bytes of data, found 1000",
    );
    expect(() => readIdx(file.subarray(0, 10), { name: "f" })).toThrow("readIdx: f is truncated: a 3-dimension header needs 16 bytes, found 10");
    expect(() => readIdx(file.subarray(0, 3), { name: "f" })).toThrow("readIdx: f is truncated: 3 bytes, an IDX header needs at least 4");
    const ints = encodeIdx({ dtype: "int32", shape: [4], data: new Int32Array(4) });
    expect(() => readIdx(ints.subarray(0, ints.length - 1))).toThrow("readIdx: IDX data is truncated: header says 4×4 = 16 bytes of data, found 15");
  });

  it("rejects trailing bytes", () => {
    const file = encodeIdx({ dtype: "uint8", shape: [2], data: new Uint8Array(2) });
    const longer = new Uint8Array(file.length + 12);
    longer.set(file);
    expect(() => readIdx(longer, { name: "lbl" })).toThrow("readIdx: lbl has 12 bytes after the data: header says 2 = 2 bytes of data, found 14");
  });

  it("recognises gzip input and unknown type codes", () => {
    const file = encodeIdx({ dtype: "uint8", shape: [2], data: new Uint8Array(2) });
    expect(() => readIdx(new Uint8Array(gzipSync(file)), { name: "a.gz" })).toThrow(/readIdx: a\.gz has magic 0x1F8B.*not an IDX file.*gzip-compressed: decompress it first/);
    expect(() => readIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]))).toThrow("unknown type code 0x0A (known: 0x08 uint8");
    expect(() => readIdx([1, 2] as unknown as Uint8Array)).toThrow("readIdx: bytes must be a Uint8Array, got Array");
    expect(() => encodeIdx(null as unknown as IdxArray)).toThrow("encodeIdx: array must be an object { dtype, shape, data }, got null");
    expect(() => encodeIdx(undefined as unknown as IdxArray)).toThrow("encodeIdx: array must be an object { dtype, shape, data }, got undefined");
  });

  it("encodeIdx validates its input", () => {
    expect(() => encodeIdx({ dtype: "uint8", shape: [2, 3], data: new Uint8Array(5) })).toThrow("encodeIdx: data has 5 elements, shape [2,3] needs 6");
    expect(() => encodeIdx({ dtype: "int32", shape: [1], data: new Float32Array(1) })).toThrow("encodeIdx: dtype int32 needs a Int32Array, got Float32Array");
    expect(() => encodeIdx({ dtype: "uint8", shape: [-1], data: new Uint8Array(0) })).toThrow("encodeIdx: shape must be");
  });
});
