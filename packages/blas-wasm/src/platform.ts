/**
 * What every JS host answers alike. What differs between Node and browsers (cores, engine flags,
 * workers) is in the `#host` twins: host.node.ts and host.browser.ts.
 * @internal
 */

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
