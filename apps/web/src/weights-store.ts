/**
 * The site's one place that touches IndexedDB: the latest weights (safetensors bytes, exactly as
 * `stateDictToBytes` wrote them) under one key, shared by the training and drawing pages.
 * Kept small so it can give way to `@tessera/nn`'s browser persistence.
 */

const DB = "tessera-web";
const STORE = "weights";
/** The key of the most recently trained or uploaded model. */
export const LATEST = "latest";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`weights-store: cannot open IndexedDB "${DB}" (${req.error?.message ?? "unknown error"})`));
  });
}

async function run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(new Error(`weights-store: IndexedDB ${mode} failed (${tx.error?.message ?? "aborted"})`));
    });
  } finally {
    db.close();
  }
}

/** Stores `bytes` (a copy) under `key`. */
export async function saveBytes(key: string, bytes: Uint8Array): Promise<void> {
  await run("readwrite", (s) => s.put(bytes.slice(), key));
}

/** The bytes stored under `key`, or undefined. */
export async function loadBytes(key: string): Promise<Uint8Array | undefined> {
  const v = await run<unknown>("readonly", (s) => s.get(key));
  if (v === undefined) return undefined;
  if (!(v instanceof Uint8Array)) throw new TypeError(`weights-store: the value under "${key}" is not bytes`);
  return v;
}

/** Offers `bytes` as a file download named `name`. */
export function downloadBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
