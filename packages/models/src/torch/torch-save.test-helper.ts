/**
 * Test helper: writes files as `torch.save` does (a stored zip with `<archive>/data.pkl`, a pickle
 * of protocol 2 with persistent storage ids, `<archive>/byteorder`, `<archive>/data/<n>` raw
 * storages, records aligned to 64 bytes), so the reader is tested without Python. Also a tiny
 * pickle assembler to write hostile pickles.
 */
import { crc32 } from "./zip.js";

/** Assembles a pickle opcode by opcode. */
export class Pickle {
  readonly bytes: number[] = [];
  /** Memo entries written so far. */
  memo = 0;
  op(...b: number[]): this { this.bytes.push(...b); return this; }
  u32(n: number): this { return this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff); }
  proto(v = 2): this { return this.op(0x80, v); }
  mark(): this { return this.op(0x28); }
  str(s: string): this { const b = new TextEncoder().encode(s); return this.op(0x58).u32(b.length).op(...b); }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 0xff, n >> 8);
    if (n >= -(2 ** 31) && n < 2 ** 31) return this.op(0x4a).u32(n >>> 0);
    let x = BigInt(n); const out: number[] = [];
    while (x !== 0n && x !== -1n) { out.push(Number(x & 0xffn)); x >>= 8n; }
    if ((out[out.length - 1] & 0x80) !== (n < 0 ? 0x80 : 0)) out.push(n < 0 ? 0xff : 0);
    return this.op(0x8a, out.length, ...out);
  }
  global(module: string, name: string): this { return this.op(0x63, ...new TextEncoder().encode(`${module}\n${name}\n`)); }
  /** A tuple of the top n items (1–3), the empty tuple (0), or of the items above the last MARK (-1). */
  tuple(n: number): this { return n < 0 ? this.op(0x74) : n === 0 ? this.op(0x29) : this.op(0x84 + n); }
  put(): this { return this.op(0x71, this.memo++ & 0xff); }
  get(i: number): this { return this.op(0x68, i); }
  reduce(): this { return this.op(0x52); }
  stop(): Uint8Array { this.op(0x2e); return Uint8Array.from(this.bytes); }
}

/** One tensor to save: its storage (type, key, raw bytes) and its view. */
export interface SavedTensor {
  storageType: string;
  key: string;
  raw: Uint8Array;
  numel: number;
  offset?: number;
  size: number[];
  stride?: number[];
  parameter?: boolean;
}

const contiguous = (size: number[]) => size.map((_, i) => size.slice(i + 1).reduce((a, b) => a * b, 1));

/** The data.pkl torch.save writes for an OrderedDict of tensors (with `_metadata` versions when given). */
export function statePickle(entries: [string, SavedTensor][], metadata?: [string, number][]): Uint8Array {
  const p = new Pickle().proto(2).global("collections", "OrderedDict").put().tuple(0).reduce().put().mark();
  let v2 = -1;
  for (const [name, t] of entries) {
    p.str(name).put();
    if (t.parameter) p.global("torch._utils", "_rebuild_parameter").put();
    if (v2 < 0) { v2 = p.memo; p.global("torch._utils", "_rebuild_tensor_v2").put(); } else p.get(v2); // memoised, as pickle does
    p.mark().mark().str("storage").global("torch", t.storageType).str(t.key).str("cpu").int(t.numel).tuple(-1).op(0x51); // BINPERSID
    p.int(t.offset ?? 0);
    p.mark(); for (const d of t.size) p.int(d); p.tuple(-1);
    p.mark(); for (const d of t.stride ?? contiguous(t.size)) p.int(d); p.tuple(-1);
    p.op(0x89).global("collections", "OrderedDict").tuple(0).reduce().tuple(-1).reduce(); // requires_grad False, backward_hooks OrderedDict()
    if (t.parameter) p.op(0x89).global("collections", "OrderedDict").tuple(0).reduce().tuple(3).reduce();
  }
  p.op(0x75); // SETITEMS
  if (metadata) {
    p.op(0x7d).mark().str("_metadata").global("collections", "OrderedDict").tuple(0).reduce().mark();
    for (const [k, v] of metadata) p.str(k).op(0x7d).str("version").int(v).op(0x73);
    p.op(0x75).op(0x75).op(0x62); // SETITEMS (metadata), SETITEMS (state dict of attributes), BUILD
  }
  return p.stop();
}

/** A stored zip, records aligned to 64 bytes with a padding extra field as PyTorch writes them. */
export function writeZip(files: [string, Uint8Array][], o: { crcOf?: (name: string, data: Uint8Array) => number; method?: number; flags?: number; zip64?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const add = (b: Uint8Array | number[]) => { const u = Uint8Array.from(b); parts.push(u); size += u.length; };
  const central: number[] = [];
  const le = (n: number, k: number) => Array.from({ length: k }, (_, i) => Math.floor(n / 2 ** (8 * i)) & 0xff);
  for (const [name, data] of files) {
    const nb = [...new TextEncoder().encode(name)];
    const offset = size;
    const pad = (64 - ((offset + 30 + nb.length + 4) % 64)) % 64;
    const extra = [...le(0x4246, 2), ...le(pad, 2), ...new Array<number>(pad).fill(0x5a)];
    const crc = o.crcOf ? o.crcOf(name, data) : crc32(data);
    const head = [...le(0, 2), ...le(o.flags ?? 0, 2), ...le(o.method ?? 0, 2), ...le(0, 2), ...le(0, 2), ...le(crc, 4)];
    const sizes = o.zip64 ? [...le(0xffffffff, 4), ...le(0xffffffff, 4)] : [...le(data.length, 4), ...le(data.length, 4)];
    add([...le(0x04034b50, 4), ...head, ...le(data.length, 4), ...le(data.length, 4), ...le(nb.length, 2), ...le(extra.length, 2), ...nb, ...extra]);
    add(data);
    // zip64: sizes and offset in the extended-information extra field (uncompressed, compressed, offset)
    const x64 = o.zip64 ? [...le(1, 2), ...le(24, 2), ...le(data.length, 8), ...le(data.length, 8), ...le(offset, 8)] : [];
    central.push(...le(0x02014b50, 4), ...le(20, 2), ...head, ...sizes, ...le(nb.length, 2), ...le(x64.length, 2), ...le(0, 2), ...le(0, 2), ...le(0, 2), ...le(0, 4), ...le(o.zip64 ? 0xffffffff : offset, 4), ...nb, ...x64);
  }
  const cdOffset = size;
  if (o.zip64) {
    const z = cdOffset + central.length;
    add([...central,
      ...le(0x06064b50, 4), ...le(44, 8), ...le(45, 2), ...le(45, 2), ...le(0, 4), ...le(0, 4), ...le(files.length, 8), ...le(files.length, 8), ...le(central.length, 8), ...le(cdOffset, 8),
      ...le(0x07064b50, 4), ...le(0, 4), ...le(z, 8), ...le(1, 4),
      ...le(0x06054b50, 4), ...le(0, 4), ...le(0xffff, 2), ...le(0xffff, 2), ...le(0xffffffff, 4), ...le(0xffffffff, 4), ...le(0, 2)]);
  } else add([...central, ...le(0x06054b50, 4), ...le(0, 4), ...le(files.length, 2), ...le(files.length, 2), ...le(central.length, 4), ...le(cdOffset, 4), ...le(0, 2)]);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A whole torch.save file of the given tensors. */
export function torchSave(entries: [string, SavedTensor][], o: { archive?: string; byteorder?: string; metadata?: [string, number][]; pickle?: Uint8Array } = {}): Uint8Array {
  const a = o.archive ?? "archive";
  const storages = new Map<string, Uint8Array>();
  for (const [, t] of entries) storages.set(t.key, t.raw);
  const files: [string, Uint8Array][] = [[`${a}/data.pkl`, o.pickle ?? statePickle(entries, o.metadata)], [`${a}/byteorder`, new TextEncoder().encode(o.byteorder ?? "little")]];
  for (const k of [...storages.keys()].sort()) files.push([`${a}/data/${k}`, storages.get(k)!]);
  files.push([`${a}/version`, new TextEncoder().encode("3\n")]);
  return writeZip(files);
}

/** A float32 tensor over its own storage. */
export function f32(key: string, size: number[], values: number[], extra: Partial<SavedTensor> = {}): SavedTensor {
  return { storageType: "FloatStorage", key, raw: new Uint8Array(Float32Array.from(values).buffer), numel: values.length, size, ...extra };
}

/** An int64 tensor over its own storage. */
export function i64(key: string, size: number[], values: number[]): SavedTensor {
  return { storageType: "LongStorage", key, raw: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer), numel: values.length, size };
}
