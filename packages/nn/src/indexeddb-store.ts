/**
 * The IndexedDB store behind `saveWeightsToIndexedDB` and `saveCheckpointToIndexedDB`: one
 * database (default `tessera`) with two object stores written in one transaction, `files` (key →
 * the safetensors bytes) and `entries` (key → what they are and their size, so a listing reads no
 * bytes). Browser pages and workers only.
 * @internal
 */

/** Default database name. */
export const DEFAULT_DATABASE = "tessera";
const FILES = "files";
const ENTRIES = "entries";

/** What a stored entry holds. */
export type StoredKind = "weights" | "checkpoint";

/**
 * One entry of {@link listIndexedDB}: its key, what it holds, and its size in bytes.
 *
 * @example
 * ```ts
 * import type { IndexedDBEntry } from "@tessera/nn";
 * const e: IndexedDBEntry = { key: "lenet", kind: "weights", byteLength: 246_000 };
 * ```
 */
export interface IndexedDBEntry {
  /** The key it was saved under. */
  readonly key: string;
  /** `weights` (a state dict) or `checkpoint` (weights, optimizer and run state). */
  readonly kind: StoredKind;
  /** Size of its safetensors bytes. */
  readonly byteLength: number;
}

/**
 * The database option every IndexedDB function takes.
 *
 * @example
 * ```ts
 * import type { IndexedDBOptions } from "@tessera/nn";
 * const o: IndexedDBOptions = { database: "my-app" };
 * ```
 */
export interface IndexedDBOptions {
  /** IndexedDB database name (default `tessera`). */
  readonly database?: string;
}

function done<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/** Throws a clear error for a bad key. @internal */
export function checkKey(fn: string, key: unknown): asserts key is string {
  if (typeof key !== "string" || key.length === 0) throw new TypeError(`${fn}: key must be a non-empty string, got ${typeof key === "string" ? '""' : String(key)}`);
}

async function open(fn: string, o: IndexedDBOptions): Promise<IDBDatabase> {
  const name = o.database ?? DEFAULT_DATABASE;
  if (typeof name !== "string" || name.length === 0) throw new TypeError(`${fn}: database must be a non-empty string, got ${String(name)}`);
  if (typeof indexedDB === "undefined") {
    throw new Error(`${fn}: IndexedDB is not available here (browser pages and workers have it; in Node use saveWeights / loadWeights with a path)`);
  }
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore(FILES);
    r.result.createObjectStore(ENTRIES);
  };
  r.onblocked = () => undefined;
  let db: IDBDatabase;
  try {
    db = await done(r);
  } catch (e) {
    throw new Error(`${fn}: cannot open IndexedDB database '${name}' (${(e as Error | null)?.message ?? "unknown error"})`);
  }
  if (!db.objectStoreNames.contains(FILES) || !db.objectStoreNames.contains(ENTRIES)) {
    db.close();
    throw new Error(`${fn}: the IndexedDB database '${name}' exists but was not made by @tessera/nn (no '${FILES}' and '${ENTRIES}' stores); pass another { database }`);
  }
  return db;
}

async function withDb<T>(fn: string, o: IndexedDBOptions, body: (db: IDBDatabase) => Promise<T>): Promise<T> {
  const db = await open(fn, o);
  try {
    return await body(db);
  } finally {
    db.close();
  }
}

/** Stores `bytes` under `key` (replacing what was there) and waits until it is committed. @internal */
export async function putBytes(fn: string, key: string, kind: StoredKind, bytes: Uint8Array, o: IndexedDBOptions): Promise<void> {
  checkKey(fn, key);
  await withDb(fn, o, async (db) => {
    const tx = db.transaction([FILES, ENTRIES], "readwrite", { durability: "strict" });
    const copy = bytes.slice().buffer;
    tx.objectStore(FILES).put(copy, key);
    tx.objectStore(ENTRIES).put({ kind, byteLength: bytes.length }, key);
    await committed(tx);
  });
}

/**
 * The bytes stored under `key`, which must hold `kind`: a missing key or one holding the other kind
 * is an error naming the key and the database. @internal
 */
export async function getBytes(fn: string, key: string, kind: StoredKind, o: IndexedDBOptions): Promise<Uint8Array> {
  checkKey(fn, key);
  return withDb(fn, o, async (db) => {
    const tx = db.transaction([FILES, ENTRIES], "readonly");
    const [entry, data] = await Promise.all([done(tx.objectStore(ENTRIES).get(key)), done(tx.objectStore(FILES).get(key))]);
    const where = `IndexedDB database '${o.database ?? DEFAULT_DATABASE}'`;
    if (entry === undefined || data === undefined) throw new Error(`${fn}: no entry with key '${key}' in ${where}`);
    const { kind: stored } = entry as { kind: StoredKind };
    if (stored !== kind) {
      const use = stored === "checkpoint" ? "loadCheckpointFromIndexedDB" : "loadWeightsFromIndexedDB";
      throw new Error(`${fn}: the entry '${key}' in ${where} holds ${stored === "weights" ? "weights" : "a checkpoint"}, not ${kind === "weights" ? "weights" : "a checkpoint"} (use ${use})`);
    }
    if (!(data instanceof ArrayBuffer)) throw new Error(`${fn}: the entry '${key}' in ${where} is not bytes (written by something else?)`);
    return new Uint8Array(data);
  });
}

/**
 * The weights and checkpoints saved in IndexedDB, sorted by key (no bytes are read).
 *
 * @example
 * ```ts no-run
 * import { listIndexedDB } from "@tessera/nn";
 * for (const { key, kind, byteLength } of await listIndexedDB()) console.log(key, kind, byteLength);
 * ```
 */
export async function listIndexedDB(o: IndexedDBOptions = {}): Promise<IndexedDBEntry[]> {
  return withDb("listIndexedDB", o, async (db) => {
    const store = db.transaction(ENTRIES, "readonly").objectStore(ENTRIES);
    const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
    return keys.map((key, i) => ({ key: String(key), ...(values[i] as { kind: StoredKind; byteLength: number }) }));
  });
}

/**
 * Deletes what was saved under `key`; returns whether there was anything.
 *
 * @example
 * ```ts no-run
 * import { deleteFromIndexedDB } from "@tessera/nn";
 * await deleteFromIndexedDB("lenet"); // true, then false
 * ```
 */
export async function deleteFromIndexedDB(key: string, o: IndexedDBOptions = {}): Promise<boolean> {
  checkKey("deleteFromIndexedDB", key);
  return withDb("deleteFromIndexedDB", o, async (db) => {
    const tx = db.transaction([FILES, ENTRIES], "readwrite", { durability: "strict" });
    // All requests are queued before any await (they run in order: the count sees the entry).
    const count = done(tx.objectStore(ENTRIES).count(key));
    tx.objectStore(FILES).delete(key);
    tx.objectStore(ENTRIES).delete(key);
    await committed(tx);
    return (await count) > 0;
  });
}
