/**
 * What the JS host offers: Node or a browser, cores, cross-origin isolation, and Node built-ins
 * loaded lazily through a specifier bundlers leave alone (so browsers never load them).
 * @internal
 */

interface NodeProcess {
  versions?: { node?: string };
}

/** True in Node.js (and Node-compatible runtimes). @internal */
export function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcess }).process;
  return typeof p?.versions?.node === "string";
}

/** Imports a Node built-in by name (e.g. `"node:v8"`), hidden from bundlers' static analysis. @internal */
export async function nodeBuiltin<T>(name: string): Promise<T> {
  const specifier = name;
  return (await import(/* @vite-ignore */ specifier)) as T;
}

/** Cores available to this process (Node: `os.availableParallelism()`; browsers: hardwareConcurrency). @internal */
export async function availableCores(): Promise<number> {
  if (isNode()) {
    const os = await nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("node:os");
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, n ?? 1);
}

/** Whether the current thread may block in `Atomics.wait` (false on a browser's main thread). @internal */
export function canBlockHere(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
