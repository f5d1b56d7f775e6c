import { describe, expect, it } from "vitest";
import { BatchNorm2d, Conv2d, decodeSafetensors, Sequential } from "@tessera/nn";
import { lenet5, loadTorchvision, readTorchStateDict, torchToSafetensors } from "../index.js";
import { f32, i64, Pickle, statePickle, torchSave, writeZip, type SavedTensor } from "./torch-save.test-helper.js";
import { crc32 } from "./zip.js";

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 100 + i) * 3));

describe("readTorchStateDict reads torch.save's zip format", () => {
  it("reads float32 and int64 tensors, parameters, strided and offset views of one storage", () => {
    const shared = values(12, 1);
    const entries: [string, SavedTensor][] = [
      ["conv.weight", f32("0", [2, 1, 2, 2], values(8, 2), { parameter: true })],
      ["bn.num_batches_tracked", i64("1", [], [7])],
      ["t.transposed", f32("2", [4, 3], shared, { stride: [1, 4] })], // a 3×4 storage read as its transpose
      ["t.row", f32("2", [4], shared, { offset: 8 })],
      ["big.count", i64("3", [2], [2 ** 31 - 1, -(2 ** 31)])],
    ];
    const sd = readTorchStateDict(torchSave(entries, { archive: "resnet18-f37072fd" }));
    expect([...sd.keys()]).toEqual(["conv.weight", "bn.num_batches_tracked", "t.transposed", "t.row", "big.count"]);
    expect(sd.get("conv.weight")).toEqual({ dtype: "float32", shape: [2, 1, 2, 2], data: Float32Array.from(values(8, 2)) });
    expect(sd.get("bn.num_batches_tracked")).toEqual({ dtype: "int64", shape: [], data: Int32Array.from([7]) });
    const tr = Array.from({ length: 12 }, (_, k) => shared[(k % 3) * 4 + Math.floor(k / 3)]);
    expect(Array.from(sd.get("t.transposed")!.data)).toEqual(tr);
    expect(Array.from(sd.get("t.row")!.data)).toEqual(shared.slice(8, 12));
    expect(Array.from(sd.get("big.count")!.data)).toEqual([2 ** 31 - 1, -(2 ** 31)]);
  });

  it("reads big-endian files, float64 and float16 storages", () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -2.25, false);
    const half: SavedTensor = { storageType: "HalfStorage", key: "1", raw: Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]), numel: 2, size: [2] }; // 1, -2
    const dbl: SavedTensor = { storageType: "DoubleStorage", key: "2", raw: new Uint8Array(Float64Array.from([0.1]).buffer), numel: 1, size: [1] };
    const sd = readTorchStateDict(torchSave([["a", { storageType: "FloatStorage", key: "0", raw: be, numel: 2, size: [2] }]], { byteorder: "big" }));
    expect(Array.from(sd.get("a")!.data)).toEqual([1.5, -2.25]);
    const sd2 = readTorchStateDict(torchSave([["h", half], ["d", dbl]]));
    expect(sd2.get("h")).toMatchObject({ dtype: "float16", data: Float32Array.from([1, -2]) });
    expect(sd2.get("d")).toMatchObject({ dtype: "float64", data: Float32Array.from([0.1]) });
  });

  it("reads a training checkpoint's state dict with { key }, and says so without it", () => {
    const p = new Pickle().proto(2).op(0x7d).mark().str("epoch").int(3).str("state_dict").global("collections", "OrderedDict").tuple(0).reduce().mark();
    p.str("w").global("torch._utils", "_rebuild_tensor_v2").mark().mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").int(2).tuple(-1).op(0x51);
    p.int(0).int(2).tuple(1).int(1).tuple(1).op(0x89).global("collections", "OrderedDict").tuple(0).reduce().tuple(-1).reduce().op(0x75).op(0x75);
    const file = torchSave([["w", f32("0", [2], [1, 2])]], { pickle: p.stop() });
    expect(() => readTorchStateDict(file)).toThrow(/entry 'epoch' is a number, not a tensor; this looks like a training checkpoint: pass \{ key: 'state_dict' \}/);
    expect(Array.from(readTorchStateDict(file, { key: "state_dict" }).get("w")!.data)).toEqual([1, 2]);
  });

  it("converts to safetensors with the same keys (floats F32, integers I64)", () => {
    const bytes = torchToSafetensors(torchSave([["fc.weight", f32("0", [1, 2], [0.5, -1])], ["bn.num_batches_tracked", i64("1", [], [3])]]));
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt" });
    expect(tensors.get("fc.weight")).toEqual({ dtype: "F32", shape: [1, 2], data: Float32Array.from([0.5, -1]) });
    expect(tensors.get("bn.num_batches_tracked")).toEqual({ dtype: "I64", shape: [], data: Int32Array.from([3]) });
  });

  it("crc32 is the zip polynomial", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe("loadTorchvision fills a model strictly", () => {
  const save = async (sd: Map<string, { shape: readonly number[]; data: () => Promise<Float32Array | Int32Array>; dtype: string }>, skip: (k: string) => boolean = () => false, metadata?: [string, number][]) => {
    const entries: [string, SavedTensor][] = [];
    for (const [k, t] of sd) {
      if (skip(k)) continue;
      const d = await t.data();
      entries.push([k, t.dtype === "int32" ? i64(String(entries.length), [...t.shape], Array.from(d)) : f32(String(entries.length), [...t.shape], Array.from(d))]);
    }
    return torchSave(entries, { metadata });
  };

  it("loads a model's own checkpoint back exactly", async () => {
    const a = lenet5({ seed: 1 }), b = lenet5({ seed: 2 });
    const file = await save(a.stateDict());
    await loadTorchvision(b, file);
    for (const [k, t] of b.stateDict()) expect(await t.data(), k).toEqual(await a.stateDict().get(k)!.data());
    a.dispose(); b.dispose();
  });

  it("refuses missing and unexpected keys, and drops ignoreKeys prefixes on request", async () => {
    const a = lenet5({ seed: 1 });
    const file = await save(a.stateDict());
    const small = new Sequential(new Conv2d(1, 6, 5, { padding: 2 }));
    await expect(loadTorchvision(small, file)).rejects.toThrow(/loadStateDict: unexpected keys: /);
    await expect(loadTorchvision(a, file, { ignoreKeys: ["aux1."] })).rejects.toThrow(/ignoreKeys prefix 'aux1.' matches no key/);
    const keys = [...a.stateDict().keys()];
    const first = keys[0].split(".")[0];
    const rest = new Map([...a.stateDict()].filter(([k]) => !k.startsWith(`${first}.`)));
    await expect(loadTorchvision(a, await save(rest))).rejects.toThrow(/missing keys/);
    a.dispose(); small.dispose();
  });

  it("takes a missing num_batches_tracked as 0 only for files older than it (PyTorch's rule)", async () => {
    const make = () => new Sequential(new Conv2d(3, 4, 3, { bias: false }), new BatchNorm2d(4));
    const a = make();
    const old = await save(a.stateDict(), (k) => k.endsWith("num_batches_tracked"));
    const b = make();
    await loadTorchvision(b, old);
    expect(Array.from(await b.stateDict().get("1.num_batches_tracked")!.data())).toEqual([0]);
    const v1 = await save(a.stateDict(), (k) => k.endsWith("num_batches_tracked"), [["", 1], ["1", 1]]);
    await loadTorchvision(b, v1);
    const v2 = await save(a.stateDict(), (k) => k.endsWith("num_batches_tracked"), [["", 1], ["1", 2]]);
    await expect(loadTorchvision(b, v2)).rejects.toThrow(/missing keys: 1.num_batches_tracked/);
    a.dispose(); b.dispose();
  });

  it("refuses a float checkpoint tensor where the model has an integer buffer", async () => {
    const m = new Sequential(new BatchNorm2d(2));
    const entries: [string, SavedTensor][] = [...m.stateDict()].map(([k, t], i) => [k, f32(String(i), [...t.shape], new Array(t.size).fill(1))]);
    await expect(loadTorchvision(m, torchSave(entries))).rejects.toThrow(/'0.num_batches_tracked' is float32 in the checkpoint, the model expects int32/);
    m.dispose();
  });
});

describe("hostile files are refused", () => {
  const call = (module: string, name: string, stackGlobal = false) => {
    const p = new Pickle().proto(stackGlobal ? 4 : 2);
    if (stackGlobal) p.op(0x8c, module.length, ...new TextEncoder().encode(module)).op(0x8c, name.length, ...new TextEncoder().encode(name)).op(0x93);
    else p.global(module, name);
    return torchSave([], { pickle: p.str("echo pwned").tuple(1).reduce().stop() });
  };
  for (const [m, n] of [["os", "system"], ["builtins", "eval"], ["subprocess", "Popen"], ["posix", "system"], ["torchvision.models.resnet", "ResNet"], ["torch", "load"]]) {
    it(`refuses the global ${m}.${n} (GLOBAL and STACK_GLOBAL)`, () => {
      const msg = new RegExp(`unpickle: global '${m.replace(/\./g, "\\.")}\\.${n}' is not allowed`);
      expect(() => readTorchStateDict(call(m, n))).toThrow(msg);
      expect(() => readTorchStateDict(call(m, n, true))).toThrow(msg);
    });
  }

  it("refuses calling an allowed global it does not build (a storage class)", () => {
    const p = new Pickle().proto(2).global("torch", "FloatStorage").int(5).tuple(1).reduce().stop();
    expect(() => readTorchStateDict(torchSave([], { pickle: p }))).toThrow(/unpickle: 'torch.FloatStorage' cannot be called/);
  });

  it("refuses opcodes a state dict does not need (NEWOBJ, INST, OBJ)", () => {
    for (const op of [0x81, 0x69, 0x6f]) {
      const p = new Pickle().proto(2).global("collections", "OrderedDict").tuple(0).op(op).stop();
      expect(() => readTorchStateDict(torchSave([], { pickle: p }))).toThrow(new RegExp(`opcode 0x${op.toString(16)} at byte \\d+ is not allowed`));
    }
  });

  it("bounds lengths before allocating: a 4 GiB string, a huge frame, a huge tensor", () => {
    const str = new Pickle().proto(2).op(0x58).u32(0xfffffff0).stop();
    expect(() => readTorchStateDict(torchSave([], { pickle: str }))).toThrow(/string at byte 7 needs 4294967280 bytes, only 1 left/);
    const frame = new Pickle().proto(4).op(0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00).stop();
    expect(() => readTorchStateDict(torchSave([], { pickle: frame }))).toThrow(/FRAME at byte 11 needs/);
    const huge = f32("0", [2 ** 20, 2 ** 20], [1, 2, 3, 4], { stride: [0, 0] });
    expect(() => readTorchStateDict(torchSave([["w", huge]]))).toThrow(/the tensors up to 'w' hold 1099511627776 elements, more than the 1048576 a \d+-byte file can hold/);
  });

  it("refuses a storage shorter than the tensor needs, or than its header says", () => {
    const past = f32("0", [2, 2], [1, 2, 3, 4], { offset: 1 });
    expect(() => readTorchStateDict(torchSave([["w", past]]))).toThrow(/tensor 'w' \(offset 1, size \[2, 2\], stride \[2, 1\]\) reads element 4 of a storage of 4/);
    const lying: SavedTensor = { ...f32("0", [4], [1, 2, 3, 4]), numel: 8, size: [8] };
    expect(() => readTorchStateDict(torchSave([["w", lying]]))).toThrow(/storage 0 of tensor 'w' has 16 bytes, its header says 8 × 4 = 32/);
    const noRecord = torchSave([["w", f32("0", [1], [1])]], { pickle: statePickle([["w", f32("7", [1], [1])]]) });
    expect(() => readTorchStateDict(noRecord)).toThrow(/needs storage 7 \(archive\/data\/7\), which the archive lacks/);
  });

  it("refuses path traversal, absolute names and duplicate entries in the zip", () => {
    const pkl = statePickle([]);
    for (const bad of ["archive/../../etc/passwd", "/archive/data.pkl", "..\\x", "C:/x"]) {
      expect(() => readTorchStateDict(writeZip([["archive/data.pkl", pkl], [bad, new Uint8Array(1)]]))).toThrow(/readZip: entry name .* is not a plain relative path/);
    }
    expect(() => readTorchStateDict(writeZip([["archive/data.pkl", pkl], ["archive/data.pkl", pkl]]))).toThrow(/appears twice/);
    expect(() => readTorchStateDict(writeZip([["archive/data.pkl", pkl], ["other/x", pkl]]))).toThrow(/entry 'other\/x' lies outside the archive folder 'archive\/'/);
  });

  it("refuses corrupt data (CRC), truncated files, legacy and non-torch files with clear errors", () => {
    const good = torchSave([["w", f32("0", [2], [1, 2])]]);
    const corrupt = writeZip([["archive/data.pkl", statePickle([["w", f32("0", [2], [1, 2])]])], ["archive/data/0", new Uint8Array(8)]], { crcOf: (n, d) => n.endsWith("/0") ? crc32(d) ^ 1 : crc32(d) });
    expect(() => readTorchStateDict(corrupt)).toThrow(/entry "archive\/data\/0" fails its CRC-32 check/);
    expect(() => readTorchStateDict(Uint8Array.from([0x80, 0x02, 0x8a, 0x0a]))).toThrow(/legacy torch.save format/);
    expect(() => readTorchStateDict(new TextEncoder().encode("hello"))).toThrow(/not a torch.save zip archive/);
    // every truncation is a RangeError naming the reader, never a crash or a wrong result
    for (let n = 4; n < good.length; n += 7) expect(() => readTorchStateDict(good.subarray(0, n)), `truncated to ${n}`).toThrow(RangeError);
  });

  it("refuses a whole pickled model instead of a state dict", () => {
    const p = new Pickle().proto(2).op(0x5d).stop(); // a list
    expect(() => readTorchStateDict(torchSave([], { pickle: p }))).toThrow(/the saved object is a list, not a state dict/);
  });
});

describe("memory is bounded by the file", () => {
  it("refuses many views repeating one storage (more elements than the file can hold)", () => {
    const big = f32("0", [1 << 16], new Array(1 << 16).fill(1)); // 256 KiB
    const entries: [string, SavedTensor][] = Array.from({ length: 40 }, (_, i) => [`t${i}`, big]);
    expect(() => readTorchStateDict(torchSave(entries))).toThrow(/readTorchStateDict: the tensors up to 't\d+' hold \d+ elements, more than the \d+ a \d+-byte file can hold/);
    // tied weights (two views of one storage) are fine
    expect(readTorchStateDict(torchSave([["a", big], ["b", big]])).size).toBe(2);
  });

  it("names unknown options", async () => {
    expect(() => readTorchStateDict(torchSave([]), { strict: true } as never)).toThrow(/readTorchStateDict: unknown option 'strict' in options \(known: key\)/);
    await expect(loadTorchvision(lenet5(), torchSave([]), { strict: false } as never)).rejects.toThrow(/loadTorchvision: unknown option 'strict' in options \(known: key, ignoreKeys\)/);
  });
});
