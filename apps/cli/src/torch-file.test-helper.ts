/**
 * Test helper: writes a state dict as `torch.save` does (a stored zip holding `archive/data.pkl`,
 * a protocol-2 pickle with persistent storage ids, `archive/byteorder` and one raw storage per
 * tensor under `archive/data/`), so `convert` and `predict` are tested on `.pth` files without
 * Python. Byte arrays throughout: a ResNet-18 is 47 MB. Also writes a pickle that calls `os.system`.
 */
import { crc32 } from "node:zlib";

const enc = new TextEncoder();

/** A pickle assembled opcode by opcode. */
class Pickle {
  private readonly parts: number[] = [0x80, 2]; // PROTO 2
  op(...b: number[]): this { this.parts.push(...b); return this; }
  str(s: string): this { const b = enc.encode(s); return this.op(0x58, ...u32(b.length), ...b); } // BINUNICODE
  int(n: number): this { return this.op(0x4a, ...u32(n >>> 0)); } // BININT
  global(module: string, name: string): this { return this.op(0x63, ...enc.encode(`${module}\n${name}\n`)); }
  stop(): Uint8Array { return Uint8Array.from([...this.parts, 0x2e]); }
}

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const MARK = 0x28, TUPLE = 0x74, EMPTY_TUPLE = 0x29, REDUCE = 0x52, BINPERSID = 0x51, NEWFALSE = 0x89, SETITEMS = 0x75;

/** One tensor: float32 values, or int64 ones (stored as Int32Array, as a model's int32 buffers). */
export interface TensorToSave { readonly shape: readonly number[]; readonly data: Float32Array | Int32Array }

/** Appends an `OrderedDict` of contiguous tensors, storage keys "0", "1", … */
function stateDict(p: Pickle, entries: [string, TensorToSave][]): Pickle {
  p.global("collections", "OrderedDict").op(EMPTY_TUPLE, REDUCE, MARK);
  entries.forEach(([name, t], i) => {
    const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    p.str(name).global("torch._utils", "_rebuild_tensor_v2").op(MARK);
    p.op(MARK).str("storage").global("torch", t.data instanceof Float32Array ? "FloatStorage" : "LongStorage").str(String(i)).str("cpu").int(t.data.length).op(TUPLE, BINPERSID);
    p.int(0).op(MARK); for (const d of t.shape) p.int(d);
    p.op(TUPLE, MARK); for (const s of strides) p.int(s);
    p.op(TUPLE, NEWFALSE).global("collections", "OrderedDict").op(EMPTY_TUPLE, REDUCE, TUPLE, REDUCE);
  });
  return p.op(SETITEMS);
}

/** The data.pkl of a state dict. */
const statePickle = (entries: [string, TensorToSave][]): Uint8Array => stateDict(new Pickle(), entries).stop();

/** The data.pkl of a training checkpoint `{ "epoch": 3, "state_dict": state dict }` (save it with `torchSave(entries, pickle)`). */
export function checkpointPickle(entries: [string, TensorToSave][]): Uint8Array {
  const p = new Pickle().op(0x7d, MARK).str("epoch").int(3).str("state_dict"); // EMPTY_DICT
  return stateDict(p, entries).op(SETITEMS).stop();
}

/** A stored (uncompressed) zip of `files`. */
function storedZip(files: [string, Uint8Array][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let size = 0;
  const le = (n: number, k: number) => Array.from({ length: k }, (_, i) => Math.floor(n / 2 ** (8 * i)) & 0xff);
  for (const [name, data] of files) {
    const nb = enc.encode(name);
    const head = [...le(20, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(crc32(data), 4), ...le(data.length, 4), ...le(data.length, 4), ...le(nb.length, 2)];
    const local = Uint8Array.from([...le(0x04034b50, 4), ...head, 0, 0, ...nb]);
    central.push(Uint8Array.from([...le(0x02014b50, 4), ...le(20, 2), ...head, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(size, 4), ...nb]));
    parts.push(local, data);
    size += local.length + data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = Uint8Array.from([...le(0x06054b50, 4), 0, 0, 0, 0, ...le(files.length, 2), ...le(files.length, 2), ...le(cdSize, 4), ...le(size, 4), 0, 0]);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

/** A `torch.save(state_dict, f)` file of `entries`, or of the pickle `pickle` when given. */
export function torchSave(entries: [string, TensorToSave][], pickle?: Uint8Array): Uint8Array {
  const files: [string, Uint8Array][] = [["archive/data.pkl", pickle ?? statePickle(entries)], ["archive/byteorder", enc.encode("little")]];
  entries.forEach(([, t], i) => {
    const raw = t.data instanceof Float32Array ? new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) : new Uint8Array(BigInt64Array.from(t.data, (x) => BigInt(x)).buffer);
    files.push([`archive/data/${i}`, raw]);
  });
  files.push(["archive/version", enc.encode("3\n")]);
  return storedZip(files);
}

/** A pickle that, loaded by Python's unpickler, runs `os.system(command)`. */
export function maliciousPickle(command: string): Uint8Array {
  return new Pickle().global("os", "system").op(MARK).str(command).op(TUPLE, REDUCE).stop();
}
