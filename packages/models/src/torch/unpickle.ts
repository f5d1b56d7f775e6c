/**
 * A restricted unpickler for the `data.pkl` of a `torch.save`d state dict (pickle protocols 2–5).
 * Pickle can call any Python function; this one builds only what a state dict holds — None,
 * booleans, numbers, strings, tuples, lists, dicts, `collections.OrderedDict`, and tensors
 * through `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter` over storages named by
 * persistent ids — and refuses every other global by name, before anything is called. Lengths are
 * checked against the bytes left before anything is allocated.
 */

function fail(message: string): never {
  throw new RangeError(`unpickle: ${message}`);
}

/** A Python tuple. @internal */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}
/** A Python dict or `collections.OrderedDict` (string or integer keys), with attributes set by BUILD. @internal */
export class PyDict {
  readonly map = new Map<string | number, PyValue>();
  attrs: PyDict | null = null;
}
/** A global the unpickler allows (a storage class, a rebuild function, a dtype). @internal */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
}
/** A storage named by a persistent id: `('storage', torch.FloatStorage, key, location, numel)`. @internal */
export class StorageRef {
  constructor(readonly storageType: string, readonly key: string, readonly location: string, readonly numel: number) {}
}
/** A tensor over a storage (`_rebuild_tensor_v2`'s arguments). @internal */
export class TensorRef {
  constructor(readonly storage: StorageRef, readonly offset: number, readonly size: readonly number[], readonly stride: readonly number[]) {}
}
/** What the unpickler builds. @internal */
export type PyValue = null | boolean | number | string | PyValue[] | PyTuple | PyDict | PyGlobal | StorageRef | TensorRef;

/** The storage classes of `torch` a persistent id may name, with their element sizes. @internal */
export const STORAGE_TYPES: ReadonlyMap<string, number> = new Map([
  ["FloatStorage", 4], ["DoubleStorage", 8], ["HalfStorage", 2], ["BFloat16Storage", 2],
  ["LongStorage", 8], ["IntStorage", 4], ["ShortStorage", 2], ["CharStorage", 1], ["ByteStorage", 1], ["BoolStorage", 1],
]);
const DTYPES = new Set(["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]);
const REBUILDERS = new Set(["_rebuild_tensor_v2", "_rebuild_parameter", "_rebuild_parameter_with_state"]);

function allowGlobal(module: string, name: string): PyGlobal {
  const ok = (module === "collections" && name === "OrderedDict")
    || (module === "torch._utils" && REBUILDERS.has(name))
    || (module === "torch" && (STORAGE_TYPES.has(name) || DTYPES.has(name)));
  if (!ok) fail(`global '${module}.${name}' is not allowed: a state dict holds only tensors, (ordered) dicts, lists, tuples and numbers, so this file is refused (it may run code in Python)`);
  return new PyGlobal(module, name);
}

const MARK = Symbol("mark");
type Slot = PyValue | typeof MARK;

const isInt = (x: PyValue): x is number => typeof x === "number" && Number.isSafeInteger(x);
const describe = (x: PyValue): string => x === null ? "None" : Array.isArray(x) ? "a list" : typeof x === "object" ? `a ${x.constructor.name}` : `${typeof x} ${JSON.stringify(x)}`;

function intTuple(what: string, x: PyValue): number[] {
  if (!(x instanceof PyTuple) || !x.items.every((d) => isInt(d) && d >= 0)) fail(`${what} must be a tuple of non-negative integers, got ${describe(x)}`);
  return x.items as number[];
}

function emptyHooks(what: string, x: PyValue | undefined): void {
  if (x === undefined || x === null) return;
  if (x instanceof PyDict && x.map.size === 0 && !x.attrs) return;
  fail(`${what} must be empty, got ${describe(x)} (tensors with hooks or extra state are not supported)`);
}

/** Calls an allowed global: builds an OrderedDict or a tensor, nothing else. */
function reduce(f: PyValue, args: PyValue): PyValue {
  if (!(f instanceof PyGlobal) || !(args instanceof PyTuple)) fail(`REDUCE needs an allowed global and a tuple, got ${describe(f)} and ${describe(args)}`);
  const a = args.items;
  if (f.name === "OrderedDict") {
    if (a.length !== 0) fail(`collections.OrderedDict must be called with no arguments, got ${a.length}`);
    return new PyDict();
  }
  if (f.name === "_rebuild_tensor_v2") {
    if (a.length !== 6 && a.length !== 7) fail(`_rebuild_tensor_v2 takes 6 or 7 arguments, got ${a.length}`);
    const [storage, offset, size, stride, , hooks, metadata] = a;
    if (!(storage instanceof StorageRef)) fail(`_rebuild_tensor_v2: storage must be a persistent storage, got ${describe(storage)}`);
    if (!isInt(offset) || offset < 0) fail(`_rebuild_tensor_v2: storage_offset must be a non-negative integer, got ${describe(offset)}`);
    const sz = intTuple("_rebuild_tensor_v2: size", size), st = intTuple("_rebuild_tensor_v2: stride", stride);
    if (sz.length !== st.length) fail(`_rebuild_tensor_v2: size [${sz}] and stride [${st}] differ in length`);
    emptyHooks("_rebuild_tensor_v2: backward_hooks", hooks);
    emptyHooks("_rebuild_tensor_v2: metadata", metadata);
    return new TensorRef(storage, offset, sz, st);
  }
  if (f.name === "_rebuild_parameter" || f.name === "_rebuild_parameter_with_state") {
    if (a.length !== (f.name === "_rebuild_parameter" ? 3 : 4)) fail(`${f.name}: wrong number of arguments (${a.length})`);
    if (!(a[0] instanceof TensorRef)) fail(`${f.name}: data must be a tensor, got ${describe(a[0])}`);
    emptyHooks(`${f.name}: backward_hooks`, a[2]);
    emptyHooks(`${f.name}: state`, a[3]);
    return a[0];
  }
  fail(`'${f.module}.${f.name}' cannot be called`);
}

function persistent(pid: PyValue): StorageRef {
  const t = pid instanceof PyTuple ? pid.items : [];
  const [tag, type, key, location, numel] = t;
  if (t.length !== 5 || tag !== "storage" || !(type instanceof PyGlobal) || !STORAGE_TYPES.has(type.name) || typeof key !== "string" || typeof location !== "string" || !isInt(numel) || numel < 0) {
    fail(`persistent id must be ('storage', torch.<Type>Storage, key, location, numel), got ${describe(pid)}`);
  }
  if (!/^[0-9]+$/.test(key)) fail(`storage key ${JSON.stringify(key)} is not a number`);
  return new StorageRef(type.name, key, location, numel);
}

/**
 * Unpickles `bytes` with the restricted rules above.
 * @internal
 */
export function unpickle(bytes: Uint8Array): PyValue {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let p = 0;
  const need = (k: number, what: string) => {
    if (k < 0 || p + k > bytes.length) fail(`${what} at byte ${p} needs ${k} bytes, only ${bytes.length - p} left (truncated or corrupt)`);
  };
  const pop = (): PyValue => {
    if (stack.length === 0 || (marks.length && stack.length <= marks[marks.length - 1] + 1)) fail(`stack underflow at byte ${p}`);
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail(`empty stack at byte ${p}`);
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) fail(`no MARK before byte ${p}`);
    const items = stack.splice(m) as PyValue[];
    return items;
  };
  const str = (n: number) => {
    need(n, "string");
    const s = utf8.decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0 || end - p > 256) fail(`GLOBAL at byte ${p} has no name line`);
    const s = new TextDecoder("latin1").decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const setItems = (d: PyValue, items: PyValue[]) => {
    if (!(d instanceof PyDict)) fail(`SETITEMS on ${describe(d)}`);
    if (items.length % 2) fail("SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i];
      if (typeof k !== "string" && !isInt(k)) fail(`dict key must be a string or an integer, got ${describe(k)}`);
      d.map.set(k, items[i + 1]);
    }
  };
  const memoKey = (k: number): PyValue => {
    if (!memo.has(k)) fail(`memo key ${k} is not set (byte ${p})`);
    return memo.get(k)!;
  };
  while (true) {
    need(1, "opcode");
    const op = bytes[p++];
    switch (op) {
      case 0x80: need(1, "PROTO"); if (bytes[p] < 2 || bytes[p] > 5) fail(`pickle protocol ${bytes[p]} is not 2–5`); p++; break;
      case 0x95: need(8, "FRAME"); { const len = u64(v, p); p += 8; need(len, "FRAME"); } break;
      case 0x2e: if (stack.length !== 1 || marks.length) fail(`STOP with ${stack.length} values on the stack`); return stack[0] as PyValue; // '.'
      case 0x28: marks.push(stack.length); stack.push(MARK); break; // '('
      case 0x7d: stack.push(new PyDict()); break; // '}'
      case 0x5d: stack.push([]); break; // ']'
      case 0x29: stack.push(new PyTuple([])); break; // ')'
      case 0x74: stack.push(new PyTuple(popMark().slice(1))); break; // 't'
      case 0x85: stack.push(new PyTuple([pop()])); break;
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; }
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; }
      case 0x58: need(4, "BINUNICODE"); { const n = v.getUint32(p, true); p += 4; stack.push(str(n)); } break; // 'X'
      case 0x8c: need(1, "SHORT_BINUNICODE"); { const n = bytes[p++]; stack.push(str(n)); } break;
      case 0x8d: need(8, "BINUNICODE8"); { const n = u64(v, p); p += 8; stack.push(str(n)); } break;
      case 0x4a: need(4, "BININT"); stack.push(v.getInt32(p, true)); p += 4; break; // 'J'
      case 0x4b: need(1, "BININT1"); stack.push(bytes[p++]); break; // 'K'
      case 0x4d: need(2, "BININT2"); stack.push(v.getUint16(p, true)); p += 2; break; // 'M'
      case 0x8a: { // LONG1: little-endian two's complement
        need(1, "LONG1");
        const n = bytes[p++];
        need(n, "LONG1");
        let x = 0n;
        for (let i = n - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[p + i]);
        if (n > 0 && bytes[p + n - 1] & 0x80) x -= 1n << BigInt(8 * n);
        p += n;
        if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER)) fail(`integer ${x} is too large`);
        stack.push(Number(x));
        break;
      }
      case 0x47: need(8, "BINFLOAT"); stack.push(v.getFloat64(p, false)); p += 8; break; // 'G', big-endian
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4e: stack.push(null); break; // 'N'
      case 0x63: { const module = line(); stack.push(allowGlobal(module, line())); break; } // 'c'
      case 0x93: { const name = pop(), module = pop(); // STACK_GLOBAL
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(allowGlobal(module, name)); break; }
      case 0x51: stack.push(persistent(pop())); break; // 'Q' BINPERSID
      case 0x52: { const args = pop(), f = pop(); stack.push(reduce(f, args)); break; } // 'R'
      case 0x62: { // 'b' BUILD: only a dict's attributes (an OrderedDict's `_metadata`)
        const state = pop(), obj = top();
        if (!(obj instanceof PyDict) || !(state instanceof PyDict)) fail(`BUILD is allowed only to set a dict's attributes, got ${describe(state)} on ${describe(obj)}`);
        obj.attrs = state;
        break;
      }
      case 0x73: { const val = pop(), key = pop(); setItems(top(), [key, val]); break; } // 's'
      case 0x75: { const items = popMark().slice(1); setItems(top(), items); break; } // 'u'
      case 0x61: { const x = pop(), l = top(); if (!Array.isArray(l)) fail(`APPEND on ${describe(l)}`); l.push(x); break; } // 'a'
      case 0x65: { const items = popMark().slice(1), l = top(); if (!Array.isArray(l)) fail(`APPENDS on ${describe(l)}`); l.push(...items); break; } // 'e'
      case 0x71: need(1, "BINPUT"); memo.set(bytes[p++], top()); break; // 'q'
      case 0x72: need(4, "LONG_BINPUT"); memo.set(v.getUint32(p, true), top()); p += 4; break; // 'r'
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: need(1, "BINGET"); stack.push(memoKey(bytes[p++])); break; // 'h'
      case 0x6a: need(4, "LONG_BINGET"); stack.push(memoKey(v.getUint32(p, true))); p += 4; break; // 'j'
      default: fail(`opcode 0x${op.toString(16).padStart(2, "0")} at byte ${p - 1} is not allowed in a state dict`);
    }
  }
}

function u64(v: DataView, at: number): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${n} at byte ${at} is too large`);
  return Number(n);
}
