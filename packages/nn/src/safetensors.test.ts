/**
 * Hostile safetensors files: every structural problem is found in the header, before any tensor
 * is allocated. The files are crafted so that decoding what they announce would need tens of
 * gigabytes (or 2^40 bytes): were a check to come after the allocation, the test process would run
 * out of memory instead of seeing the error.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "@tessera/ndarray";
import { decodeSafetensors, encodeSafetensors, Linear, loadStateDictFromBytes, readSafetensorsHeader, Sequential } from "./index.js";

/** A safetensors file: the 8-byte length, the header text (unpadded), `dataBytes` zero bytes. */
function file(header: string | object, dataBytes = 0): Uint8Array {
  const h = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  return out;
}

const F32 = (begin: number, end: number, shape = [(end - begin) / 4]) => ({ dtype: "F32", shape, data_offsets: [begin, end] });

describe("safetensors: hostile headers are rejected before any allocation", () => {
  it("rejects many tensors over the same bytes (40 GB if decoded) by their overlap", () => {
    const MB = 1 << 20;
    const count = 10_000; // each U8 tensor of 1 MiB decodes to a 4 MiB Int32Array: 40 GiB in all
    const header: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) header[`t${i}`] = { dtype: "U8", shape: [MB], data_offsets: [0, MB] };
    const bytes = file(header, MB);
    expect(() => decodeSafetensors(bytes)).toThrow('safetensors: tensor "t1" (bytes [0, 1048576)) overlaps tensor "t0" (bytes [0, 1048576))');
    expect(() => readSafetensorsHeader(bytes)).toThrow(/overlaps/);
  });

  it("rejects partial overlaps and gaps, naming both tensors", () => {
    expect(() => decodeSafetensors(file({ a: F32(0, 8), b: F32(4, 12) }, 12))).toThrow('tensor "b" (bytes [4, 12)) overlaps tensor "a" (bytes [0, 8))');
    expect(() => decodeSafetensors(file({ a: F32(0, 4), b: F32(8, 12) }, 12))).toThrow('safetensors: gap of 4 bytes before tensor "b"');
  });

  it("rejects ranges past the data section, even of 2^40 bytes, and sizes that overflow", () => {
    const T = 2 ** 40;
    expect(() => decodeSafetensors(file({ w: { dtype: "U8", shape: [T], data_offsets: [0, T] } }, 16))).toThrow(
      'safetensors: tensor "w": data_offsets [0, 1099511627776] lie outside the 16 data bytes: truncated?',
    );
    // 2^26 · 2^26 · 2^26 elements: the product needs exact (bigint) arithmetic to be compared.
    const D = 2 ** 26;
    expect(() => decodeSafetensors(file({ w: { dtype: "F32", shape: [D, D, D], data_offsets: [0, 8] } }, 8))).toThrow(
      `tensor "w": shape [67108864,67108864,67108864] of F32 needs ${2n ** 80n} bytes, data_offsets [0, 8] span 8`,
    );
    expect(() => decodeSafetensors(file({ w: { dtype: "F32", shape: [2 ** 53], data_offsets: [0, 2 ** 53 + 2] } }))).toThrow(/has shape \[9007199254740992\], expected a list of non-negative integers/);
    expect(() => decodeSafetensors(file({ w: F32(8, 4, [1]) }, 8))).toThrow('tensor "w" has data_offsets [8,4], expected [begin, end] with integers 0 <= begin <= end');
    expect(() => decodeSafetensors(file({ w: F32(-4, 0, [1]) }, 8))).toThrow(/data_offsets \[-4,0\], expected/);
    expect(() => decodeSafetensors(file({ w: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }, 4))).toThrow(/has shape \[1.5\]/);
  });

  it("rejects a header length beyond 100 MB or past the end of the file without reading it", () => {
    const huge = file({});
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeSafetensors(huge)).toThrow("safetensors: header length 1099511627776 exceeds the limit of 100000000 bytes");
    const past = file({});
    new DataView(past.buffer).setBigUint64(0, 99_999_999n, true);
    expect(() => decodeSafetensors(past)).toThrow("safetensors: header length 99999999 runs past the end of the file (10 bytes): truncated?");
    new DataView(past.buffer).setBigUint64(0, 0xffffffffffffffffn, true);
    expect(() => decodeSafetensors(past)).toThrow(/header length 18446744073709551615 exceeds the limit/);
  });

  it("takes dtype names only from its own table: no __proto__, toString or arrays", () => {
    for (const dtype of ["__proto__", "toString", "constructor", "hasOwnProperty", "F8_E4M3", "f32"]) {
      expect(() => decodeSafetensors(file({ w: { dtype, shape: [1], data_offsets: [0, 4] } }, 4))).toThrow(
        `safetensors: tensor "w" has dtype "${dtype}", expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL`,
      );
    }
    // ["F32"] used to pass `dtype in SIZES` and then fail with "dtype.startsWith is not a function".
    expect(() => decodeSafetensors(file({ w: { dtype: ["F32"], shape: [1], data_offsets: [0, 4] } }, 4))).toThrow('tensor "w" has dtype ["F32"], expected one of');
    expect(() => decodeSafetensors(file({ w: { shape: [1], data_offsets: [0, 4] } }, 4))).toThrow('tensor "w" has dtype nothing, expected one of');
  });

  it("rejects entries that are not {dtype, shape, data_offsets} objects (no 'Cannot destructure')", () => {
    for (const info of [null, 3, "F32", [1, 2]]) {
      expect(() => decodeSafetensors(file({ w: info }))).toThrow(`safetensors: tensor "w" must be an object {dtype, shape, data_offsets}, got ${JSON.stringify(info)}`);
    }
    expect(() => decodeSafetensors(file({ w: { ...F32(0, 4), byte_order: "big" } }, 4))).toThrow('tensor "w" has unknown field "byte_order" (expected dtype, shape, data_offsets)');
    expect(() => decodeSafetensors(file({ w: { dtype: "F32", shape: [1] } }, 4))).toThrow('tensor "w" has data_offsets nothing, expected');
  });

  it("rejects duplicate keys in the JSON text (JSON.parse would keep the last silently)", () => {
    const text = `{"w":${JSON.stringify(F32(0, 4))},"w":${JSON.stringify(F32(0, 8))}}`;
    expect(() => decodeSafetensors(file(text, 8))).toThrow(/^safetensors: header is not valid UTF-8 JSON \(header: duplicate key "w" at offset \d+\)$/);
    const nested = `{"w":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}`;
    expect(() => decodeSafetensors(file(nested, 4))).toThrow(/duplicate key "dtype"/);
  });

  it("accepts a __metadata__ of strings only, and keeps __proto__ a plain key", () => {
    expect(() => decodeSafetensors(file({ __metadata__: { epoch: 3 } }))).toThrow('safetensors: __metadata__ value of "epoch" must be a string, got 3');
    expect(() => decodeSafetensors(file({ __metadata__: "pt" }))).toThrow('safetensors: __metadata__ must be an object of strings, got "pt"');
    expect(() => decodeSafetensors(file({ __metadata__: { a: { b: "c" } } }))).toThrow(/__metadata__ value of "a" must be a string/);
    const { metadata } = decodeSafetensors(file('{"__metadata__":{"__proto__":"x","format":"pt"}}'));
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(["__proto__", "format"]);
    expect(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value).toBe("x");
  });

  it("rejects headers that are not strict JSON objects, with the offset of the problem", () => {
    expect(() => decodeSafetensors(file(' {"w":1}'))).toThrow("safetensors: header is not valid UTF-8 JSON: the spec requires it to start with '{', found byte 0x20");
    expect(() => decodeSafetensors(file("{}x"))).toThrow("header: unexpected text after the value at offset 2");
    expect(() => decodeSafetensors(file('{"a":{},}'))).toThrow("header: expected a string key at offset 8");
    expect(() => decodeSafetensors(file('{"a":01}'))).toThrow("header: expected ',' or '}' at offset 6");
    expect(() => decodeSafetensors(file('{"a":"\u0001"}'))).toThrow("control character 0x01 in a string");
    const deep = `{"w":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => decodeSafetensors(file(deep))).toThrow("header: nesting deeper than 32 at offset");
    const notUtf8 = file("{}  ");
    notUtf8[9] = 0xff;
    expect(() => decodeSafetensors(notUtf8)).toThrow(/^safetensors: header is not valid UTF-8 \(/);
    expect(() => decodeSafetensors(file("{ }       "))).not.toThrow(); // trailing padding is allowed
  });

  it("still reads valid files, including empty tensors that share an offset", () => {
    const bytes = file({ e: { dtype: "F32", shape: [0, 3], data_offsets: [4, 4] }, z: { dtype: "I8", shape: [0], data_offsets: [4, 4] }, w: F32(0, 4, []) }, 4);
    new DataView(bytes.buffer).setFloat32(bytes.length - 4, 2.5, true);
    const { tensors } = decodeSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(["e", "z", "w"]);
    expect(tensors.get("e")!.shape).toEqual([0, 3]);
    expect([...tensors.get("w")!.data]).toEqual([2.5]);
    const back = decodeSafetensors(encodeSafetensors(tensors));
    expect([...back.tensors.get("w")!.data]).toEqual([2.5]);
  });

  it("loadStateDictFromBytes checks shapes and dtypes from the header before decoding, changing nothing", async () => {
    const model = new Sequential(new Linear(2, 2, { rng: new Rng(1) }));
    const before = [...(await model.parameters()[0].data())];
    const wrongShape = file({ "0.weight": F32(0, 12, [3]), "0.bias": F32(12, 20, [2]) }, 20);
    await expect(loadStateDictFromBytes(model, wrongShape)).rejects.toThrow("loadStateDict: '0.weight' has shape [3], the module expects [2,2]");
    const wrongDtype = file({ "0.weight": { dtype: "I32", shape: [2, 2], data_offsets: [0, 16] }, "0.bias": F32(16, 24, [2]) }, 24);
    await expect(loadStateDictFromBytes(model, wrongDtype)).rejects.toThrow("loadStateDict: '0.weight' has dtype I32, the module expects float32");
    expect([...(await model.parameters()[0].data())]).toEqual(before);
  });
});

describe("encodeSafetensors: what it writes, its own reader accepts", () => {
  it("keeps __proto__ a tensor name and rejects what the format cannot hold", () => {
    const data = new Float32Array([1, 2]);
    const bytes = encodeSafetensors(new Map([["__proto__", { dtype: "F32", shape: [2], data }], ["toString", { dtype: "F32", shape: [1], data: new Float32Array([3]) }]]));
    const { tensors } = decodeSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(["__proto__", "toString"]);
    expect([...tensors.get("__proto__")!.data]).toEqual([1, 2]);
    expect(() => encodeSafetensors(new Map([["__metadata__", { dtype: "F32", shape: [2], data }]]))).toThrow("encodeSafetensors: a tensor cannot be named __metadata__");
    expect(() => encodeSafetensors(new Map(), { epoch: 3 } as unknown as Record<string, string>)).toThrow('encodeSafetensors: metadata value of "epoch" must be a string, got number');
    expect(() => encodeSafetensors(new Map([["w", null as never]]))).toThrow('encodeSafetensors: tensor "w" must be { dtype, shape, data: Float32Array | Int32Array }, got null');
    expect(() => encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: [1, 2] as never }]]))).toThrow('tensor "w" must be { dtype, shape, data: Float32Array | Int32Array }, got data Array');
    expect(() => encodeSafetensors(new Map([["w", { dtype: "F32", shape: [-2], data }]]))).toThrow('encodeSafetensors: tensor "w" has shape [-2], expected non-negative integers');
  });
});
