import { describe, expect, it } from "vitest";
import { statePickle, writeZip, f32 } from "./torch-save.test-helper.js";
import { readZip } from "./zip.js";
import { readTorchStateDict } from "../index.js";

const files = (): [string, Uint8Array][] => [["archive/data.pkl", statePickle([["w", f32("0", [2], [1, 2])]])], ["archive/data/0", new Uint8Array(Float32Array.from([1, 2]).buffer)]];

describe("readZip", () => {
  it("reads stored entries as views, past PyTorch's 64-byte alignment padding", () => {
    const z = readZip(writeZip([["a/x", Uint8Array.from([1, 2, 3])], ["a/y", new Uint8Array(0)]]));
    expect([...z.keys()]).toEqual(["a/x", "a/y"]);
    expect(Array.from(z.get("a/x")!)).toEqual([1, 2, 3]);
    expect(z.get("a/y")!.length).toBe(0);
  });

  it("reads zip64 records (sizes and offsets in the extended-information field)", () => {
    expect(Array.from(readTorchStateDict(writeZip(files(), { zip64: true })).get("w")!.data)).toEqual([1, 2]);
  });

  it("refuses compressed and encrypted entries", () => {
    expect(() => readZip(writeZip(files(), { method: 8 }))).toThrow(/entry "archive\/data.pkl" is compressed \(method 8\); torch.save writes stored/);
    expect(() => readZip(writeZip(files(), { flags: 1 }))).toThrow(/entry "archive\/data.pkl" is encrypted/);
  });

  it("refuses a central directory or an entry that claims more bytes than the file has", () => {
    const bytes = writeZip(files());
    const v = new DataView(bytes.buffer);
    const eocd = bytes.length - 22;
    const bigDir = bytes.slice();
    new DataView(bigDir.buffer).setUint32(eocd + 12, 0x7fffffff, true);
    expect(() => readZip(bigDir)).toThrow(/the central directory .* lies outside the \d+-byte file/);
    const bigEntry = bytes.slice();
    const cd = v.getUint32(eocd + 16, true);
    new DataView(bigEntry.buffer).setUint32(cd + 20, 0xfffffff0, true);
    new DataView(bigEntry.buffer).setUint32(cd + 24, 0xfffffff0, true);
    expect(() => readZip(bigEntry)).toThrow(/entry "archive\/data.pkl" \(bytes \d+\.\.\d+\) runs past the end/);
    const manyEntries = bytes.slice();
    new DataView(manyEntries.buffer).setUint16(eocd + 10, 60000, true);
    expect(() => readZip(manyEntries)).toThrow(/central directory entry 2 at byte \d+ is malformed/);
  });
});
