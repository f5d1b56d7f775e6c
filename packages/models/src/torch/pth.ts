/**
 * PyTorch checkpoints without Python: `torch.save`d state dicts (`.pth` / `.pt`, the zip format
 * of PyTorch ≥ 1.6) read into name → tensor maps, written as safetensors, or loaded into a zoo model.
 * Runs in browsers too (no `node:` import): pass the file's bytes.
 */
import { encodeSafetensors, type LoadResult, type Module, type SafeTensor } from "@tessera/nn";
import { PyDict, STORAGE_TYPES, TensorRef, unpickle, type PyValue, type StorageRef } from "./unpickle.js";
import { readZip } from "./zip.js";

/**
 * The dtype a tensor had in the checkpoint (its values are converted: floats to float32,
 * integers to int32, range-checked).
 *
 * @example
 * ```ts
 * import type { TorchDType } from "@tessera/models";
 * const d: TorchDType = "int64"; // e.g. a BatchNorm's num_batches_tracked
 * ```
 */
export type TorchDType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/**
 * A tensor read from a PyTorch checkpoint: its dtype there, its shape, and its values (row-major).
 *
 * @example
 * ```ts
 * import type { TorchTensor } from "@tessera/models";
 * const t: TorchTensor = { dtype: "float32", shape: [2], data: new Float32Array([1, 2]) };
 * ```
 */
export interface TorchTensor {
  /** The checkpoint's dtype. */
  readonly dtype: TorchDType;
  /** Dimensions. */
  readonly shape: readonly number[];
  /** Values: float dtypes as Float32Array, integer and bool dtypes as Int32Array. */
  readonly data: Float32Array | Int32Array;
}

/**
 * Options of {@link readTorchStateDict}.
 *
 * @example
 * ```ts
 * import type { ReadTorchOptions } from "@tessera/models";
 * const o: ReadTorchOptions = { key: "state_dict" }; // a training checkpoint { epoch, state_dict, … }
 * ```
 */
export interface ReadTorchOptions {
  /** Read the state dict stored under this key of the saved dict (e.g. `"model"`, `"state_dict"`). */
  readonly key?: string;
}

const DTYPE_OF: ReadonlyMap<string, TorchDType> = new Map<string, TorchDType>([
  ["FloatStorage", "float32"], ["DoubleStorage", "float64"], ["HalfStorage", "float16"], ["BFloat16Storage", "bfloat16"],
  ["LongStorage", "int64"], ["IntStorage", "int32"], ["ShortStorage", "int16"], ["CharStorage", "int8"], ["ByteStorage", "uint8"], ["BoolStorage", "bool"],
]);

function fail(message: string): never {
  throw new RangeError(`readTorchStateDict: ${message}`);
}

function f16(bits: number): number {
  const s = bits & 0x8000 ? -1 : 1, e = (bits >> 10) & 0x1f, m = bits & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const bf16 = new DataView(new ArrayBuffer(4));

/** Element readers by dtype: (view, byte offset, little-endian) → value. */
const READ: Record<TorchDType, (v: DataView, at: number, le: boolean) => number | bigint> = {
  float32: (v, at, le) => v.getFloat32(at, le),
  float64: (v, at, le) => v.getFloat64(at, le),
  float16: (v, at, le) => f16(v.getUint16(at, le)),
  bfloat16: (v, at, le) => { bf16.setUint32(0, v.getUint16(at, le) << 16); return bf16.getFloat32(0); },
  int64: (v, at, le) => v.getBigInt64(at, le),
  int32: (v, at, le) => v.getInt32(at, le),
  int16: (v, at, le) => v.getInt16(at, le),
  int8: (v, at) => v.getInt8(at),
  uint8: (v, at) => v.getUint8(at),
  bool: (v, at) => v.getUint8(at),
};

/** A checkpoint's tensors and the module versions of its `_metadata` (which PyTorch's loaders read). @internal */
export interface TorchCheckpoint {
  tensors: Map<string, TorchTensor>;
  versions: Map<string, number>;
}

function materialise(name: string, t: TensorRef, records: Map<string, Uint8Array>, prefix: string, le: boolean, reserve: (n: number) => void): TorchTensor {
  const s: StorageRef = t.storage;
  const dtype = DTYPE_OF.get(s.storageType)!;
  const size = STORAGE_TYPES.get(s.storageType)!;
  const rec = records.get(`${prefix}data/${s.key}`);
  if (!rec) fail(`tensor '${name}' needs storage ${s.key} (${prefix}data/${s.key}), which the archive lacks`);
  if (rec.length !== s.numel * size) fail(`storage ${s.key} of tensor '${name}' has ${rec.length} bytes, its header says ${s.numel} × ${size} = ${s.numel * size}: refused`);
  const numel = t.size.reduce((a, b) => a * b, 1);
  // More elements than the storage is fine (torch saves an expand()ed tensor with stride 0): the
  // extent check below keeps every read inside the storage and reserve() bounds the copies.
  if (numel > 0) {
    const last = t.offset + t.size.reduce((a, d, i) => a + (d - 1) * t.stride[i], 0);
    if (last >= s.numel) fail(`tensor '${name}' (offset ${t.offset}, size [${t.size.join(", ")}], stride [${t.stride.join(", ")}]) reads element ${last} of a storage of ${s.numel}: refused`);
  }
  reserve(numel);
  const isFloat = dtype.startsWith("float") || dtype === "bfloat16";
  const data = isFloat ? new Float32Array(numel) : new Int32Array(numel);
  const v = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
  const read = READ[dtype];
  const nd = t.size.length;
  const contiguous = t.size.every((_, d) => t.size[d] === 1 || t.stride[d] === t.size.slice(d + 1).reduce((a, b) => a * b, 1));
  if (dtype === "float32" && le && contiguous) { // the common case: one copy
    data.set(new Float32Array(rec.slice(t.offset * 4, (t.offset + numel) * 4).buffer));
    return { dtype, shape: [...t.size], data };
  }
  const idx = new Array<number>(nd).fill(0);
  let at = t.offset;
  for (let i = 0; i < numel; i++) {
    const x = read(v, at * size, le);
    if (typeof x === "bigint") {
      if (x > 2147483647n || x < -2147483648n) fail(`tensor '${name}' element ${i} (${x}) does not fit in int32`);
      data[i] = Number(x);
    } else data[i] = x;
    for (let d = nd - 1; d >= 0; d--) { // advance the multi-index, row-major
      at += t.stride[d];
      if (++idx[d] < t.size[d]) break;
      at -= t.stride[d] * t.size[d];
      idx[d] = 0;
    }
  }
  return { dtype, shape: [...t.size], data };
}

function checkOptions(fn: string, o: unknown, known: readonly string[]): void {
  if (o === null || typeof o !== "object") throw new TypeError(`${fn}: options must be an object, got ${o === null ? "null" : typeof o}`);
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new TypeError(`${fn}: unknown option '${k}' in options (known: ${known.join(", ")})`);
}

const kind = (x: PyValue): string => x === null ? "None" : Array.isArray(x) ? "a list" : typeof x === "object" ? `a ${x.constructor.name.replace(/^Py/, "").toLowerCase()}` : `a ${typeof x}`;

/** Reads a checkpoint with its module versions. @internal */
export function readTorchCheckpoint(bytes: Uint8Array, o: ReadTorchOptions = {}): TorchCheckpoint {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readTorchStateDict: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  checkOptions("readTorchStateDict", o, ["key"]);
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) fail("this is the legacy torch.save format (PyTorch < 1.6, not a zip archive), which this reader does not read: re-save it with torch.save in PyTorch >= 1.6");
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) fail(`not a torch.save zip archive (first bytes ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")})`);
  const records = readZip(bytes);
  const pkls = [...records.keys()].filter((k) => /^[^/]+\/data\.pkl$/.test(k));
  if (pkls.length !== 1) fail(`expected one <archive>/data.pkl, found ${pkls.length ? pkls.join(", ") : "none"}`);
  const prefix = pkls[0].slice(0, -"data.pkl".length);
  if (records.has(`${prefix}constants.pkl`)) fail("this is a TorchScript archive (torch.jit.save), not a torch.save state dict");
  for (const k of records.keys()) if (!k.startsWith(prefix)) fail(`entry '${k}' lies outside the archive folder '${prefix}'`);
  const order = records.get(`${prefix}byteorder`);
  const byteorder = order ? new TextDecoder().decode(order) : "little";
  if (byteorder !== "little" && byteorder !== "big") fail(`byteorder must be 'little' or 'big', got ${JSON.stringify(byteorder)}`);
  let root = unpickle(records.get(pkls[0])!);
  if (!(root instanceof PyDict)) fail(`the saved object is ${kind(root)}, not a state dict (save model.state_dict(), not the model)`);
  if (o.key !== undefined) {
    const inner = root.map.get(o.key);
    if (!(inner instanceof PyDict)) fail(`key '${o.key}' of the saved dict is ${inner === undefined ? "absent" : kind(inner)}, not a state dict (keys: ${[...root.map.keys()].join(", ")})`);
    root = inner;
  }
  const tensors = new Map<string, TorchTensor>();
  const storages = new Map<string, StorageRef>();
  // Views of one storage (tied weights) are each copied: bound the copies by the file's size.
  const limit = Math.max(bytes.length, 2 ** 20);
  let total = 0;
  for (const [k, t] of root.map) {
    if (typeof k !== "string") fail(`state-dict key ${k} is not a string`);
    if (!(t instanceof TensorRef)) {
      const dicts = [...root.map].filter(([, x]) => x instanceof PyDict).map(([kk]) => `'${kk}'`);
      fail(`entry '${k}' is ${kind(t)}, not a tensor${dicts.length ? `; this looks like a training checkpoint: pass { key: ${dicts.join(" or ")} }` : ""}`);
    }
    const seen = storages.get(t.storage.key);
    if (seen && (seen.storageType !== t.storage.storageType || seen.numel !== t.storage.numel)) fail(`storage ${t.storage.key} is declared twice with different types or sizes`);
    storages.set(t.storage.key, t.storage);
    tensors.set(k, materialise(k, t, records, prefix, byteorder === "little", (n) => {
      total += n;
      if (total > limit) fail(`the tensors up to '${k}' hold ${total} elements, more than the ${limit} a ${bytes.length}-byte file can hold without views repeating its storages: refused`);
    }));
  }
  const versions = new Map<string, number>();
  const meta = root.attrs?.map.get("_metadata");
  if (meta instanceof PyDict) {
    for (const [k, m] of meta.map) {
      const ver = m instanceof PyDict ? m.map.get("version") : undefined;
      if (typeof k === "string" && typeof ver === "number") versions.set(k, ver);
    }
  }
  return { tensors, versions };
}

/**
 * Reads a PyTorch state dict saved with `torch.save(model.state_dict(), f)` (PyTorch ≥ 1.6's zip
 * format) without Python. The pickle inside is read by a restricted unpickler that builds only
 * tensors, (ordered) dicts, lists, tuples and numbers and refuses any other global by name (a
 * pickle can run code); the zip must be stored, CRC-correct and free of path tricks; every
 * length and tensor extent is checked against the file before anything is allocated.
 * Floats become float32, integers int32 (range-checked).
 *
 * @example
 * ```ts
 * import { readTorchStateDict } from "@tessera/models";
 * import { readFileSync } from "node:fs";
 * const sd = readTorchStateDict(readFileSync("resnet18-f37072fd.pth"));
 * sd.get("fc.weight")!.shape; // [1000, 512]
 * ```
 */
export function readTorchStateDict(bytes: Uint8Array, o: ReadTorchOptions = {}): Map<string, TorchTensor> {
  return readTorchCheckpoint(bytes, o).tensors;
}

/**
 * Converts a PyTorch state dict (`.pth` / `.pt`) to safetensors bytes with the same keys (so
 * torchvision's keys stay torchvision's): float tensors as F32, integer tensors as I64, metadata
 * `{ format: "pt" }`.
 *
 * @example
 * ```ts
 * import { torchToSafetensors } from "@tessera/models";
 * import { readFileSync, writeFileSync } from "node:fs";
 * writeFileSync("resnet18.safetensors", torchToSafetensors(readFileSync("resnet18-f37072fd.pth")));
 * ```
 */
export function torchToSafetensors(bytes: Uint8Array, o: ReadTorchOptions = {}): Uint8Array {
  const out = new Map<string, SafeTensor>();
  for (const [k, t] of readTorchStateDict(bytes, o)) out.set(k, { dtype: t.data instanceof Float32Array ? "F32" : "I64", shape: t.shape, data: t.data });
  return encodeSafetensors(out, { format: "pt" });
}

/**
 * Options of {@link loadTorchvision}.
 *
 * @example
 * ```ts
 * import type { LoadTorchvisionOptions } from "@tessera/models";
 * const o: LoadTorchvisionOptions = { ignoreKeys: ["aux1.", "aux2."] }; // googlenet({ auxLogits: false })
 * ```
 */
export interface LoadTorchvisionOptions extends ReadTorchOptions {
  /** Prefixes of checkpoint keys to drop before loading (each must match a key), e.g. the auxiliary classifiers torchvision's GoogLeNet file holds. */
  readonly ignoreKeys?: readonly string[];
}

/**
 * Fills a zoo model from a PyTorch checkpoint's bytes, strictly: every key of the model must be
 * in the file and every key of the file in the model (after `ignoreKeys`), with the same shapes
 * and kinds (float or integer); nothing is written unless all match. As PyTorch's BatchNorm, a
 * `num_batches_tracked` missing from a file saved before it existed (module version < 2 or no
 * version) is taken as 0.
 *
 * @example
 * ```ts
 * import { loadTorchvision, resnet18 } from "@tessera/models";
 * import { readFileSync } from "node:fs";
 * const net = resnet18();
 * await loadTorchvision(net, readFileSync("resnet18-f37072fd.pth"));
 * ```
 */
export async function loadTorchvision(model: Module, bytes: Uint8Array, o: LoadTorchvisionOptions = {}): Promise<LoadResult> {
  checkOptions("loadTorchvision", o, ["key", "ignoreKeys"]);
  const { ignoreKeys, ...read } = o;
  const { tensors, versions } = readTorchCheckpoint(bytes, read);
  for (const prefix of ignoreKeys ?? []) {
    const hits = [...tensors.keys()].filter((k) => k.startsWith(prefix));
    if (hits.length === 0) throw new RangeError(`loadTorchvision: ignoreKeys prefix '${prefix}' matches no key of the checkpoint`);
    for (const k of hits) tensors.delete(k);
  }
  const own = model.stateDict();
  for (const [k, target] of own) {
    if (!k.endsWith("num_batches_tracked") || tensors.has(k)) continue;
    const mod = k.slice(0, -"num_batches_tracked".length).replace(/\.$/, "");
    const version = versions.get(mod);
    const dot = mod ? `${mod}.` : "";
    if ((version === undefined || version < 2) && tensors.has(`${dot}running_mean`)) tensors.set(k, { dtype: "int64", shape: [...target.shape], data: new Int32Array(target.size) });
  }
  for (const [k, t] of tensors) {
    const target = own.get(k);
    if (target && (target.dtype === "int32") !== (t.data instanceof Int32Array)) throw new RangeError(`loadTorchvision: '${k}' is ${t.dtype} in the checkpoint, the model expects ${target.dtype}`);
  }
  return model.loadStateDict(tensors);
}
