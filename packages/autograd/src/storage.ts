import type { Device, DeviceBuffer } from "@tessera/blas";

let live = 0;

/**
 * Device memory shared by a tensor and its views, freed when the last one is disposed.
 * @internal
 */
export class Storage {
  private refs = 1;
  /** Wraps a freshly allocated buffer. */
  constructor(readonly device: Device, readonly buffer: DeviceBuffer) {
    live++;
  }
  /** Adds a reference (a new view). */
  retain(): this {
    if (this.refs <= 0) throw new Error("tensor: storage was already freed");
    this.refs++;
    return this;
  }
  /** Drops a reference; frees the buffer at zero. */
  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      this.device.free(this.buffer);
      live--;
    }
  }
  /** True once freed. */
  get freed(): boolean {
    return this.refs <= 0;
  }
  /** True when exactly one tensor uses it. */
  get exclusive(): boolean {
    return this.refs === 1;
  }
}

/**
 * Number of live tensor storages (device buffers held by tensors), for leak checks.
 *
 * @example
 * ```ts
 * import { liveStorages } from "@tessera/autograd";
 * const before = liveStorages();
 * ```
 */
export function liveStorages(): number {
  return live;
}
