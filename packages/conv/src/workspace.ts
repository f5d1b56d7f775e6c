/**
 * The reusable scratch memory of the convolution and pooling functions.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";

/**
 * Scratch buffers on one device (the im2col column matrix and a few small temporaries), kept
 * between calls so a training step does not reallocate them. Each named slot grows to the largest
 * size asked for and is reused after that; its contents are undefined between calls.
 * `dispose()` frees everything.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace } from "@tessera/conv";
 * const ws = new ConvWorkspace(jsDevice);
 * const col = ws.get("col", 1024);
 * ws.dispose();
 * ```
 */
export class ConvWorkspace {
  /** The device its buffers live on. */
  readonly device: Device;
  readonly #slots = new Map<string, DeviceBuffer>();
  #disposed = false;
  #allocations = 0;

  /**
   * Creates an empty workspace; nothing is allocated until a slot is first used.
   *
   * @example
   * ```ts
   * import { getDevice } from "@tessera/blas";
   * import { ConvWorkspace } from "@tessera/conv";
   * const ws = new ConvWorkspace(getDevice("js"));
   * ```
   */
  constructor(device: Device) {
    this.device = device;
  }

  /**
   * A float32 buffer of at least `length` elements for `slot`, reused when large enough.
   *
   * @example
   * ```ts
   * import { jsDevice } from "@tessera/blas";
   * import { ConvWorkspace } from "@tessera/conv";
   * const ws = new ConvWorkspace(jsDevice);
   * ws.get("col", 100) === ws.get("col", 50); // true: reused
   * ```
   */
  get(slot: string, length: number): DeviceBuffer {
    if (this.#disposed) throw new RangeError(`ConvWorkspace.get: the workspace was disposed (slot '${slot}')`);
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`ConvWorkspace.get: length must be a non-negative integer, got ${length}`);
    const have = this.#slots.get(slot);
    if (have && have.length >= length) return have;
    if (have) this.device.free(have);
    const fresh = this.device.alloc(Math.max(length, 1));
    this.#allocations++;
    this.#slots.set(slot, fresh);
    return fresh;
  }

  /**
   * Bytes held by the workspace.
   *
   * @example
   * ```ts
   * import { jsDevice } from "@tessera/blas";
   * import { ConvWorkspace } from "@tessera/conv";
   * new ConvWorkspace(jsDevice).bytes(); // 0
   * ```
   */
  bytes(): number {
    let n = 0;
    for (const b of this.#slots.values()) n += 4 * b.length;
    return n;
  }

  /**
   * How many buffers the workspace has allocated so far (a steady training step allocates none).
   *
   * @example
   * ```ts
   * import { jsDevice } from "@tessera/blas";
   * import { ConvWorkspace } from "@tessera/conv";
   * const ws = new ConvWorkspace(jsDevice);
   * ws.get("col", 8); ws.get("col", 8);
   * ws.allocations(); // 1
   * ```
   */
  allocations(): number {
    return this.#allocations;
  }

  /**
   * Frees every buffer; the workspace cannot be used afterwards. Disposing twice is harmless.
   *
   * @example
   * ```ts
   * import { jsDevice } from "@tessera/blas";
   * import { ConvWorkspace } from "@tessera/conv";
   * const ws = new ConvWorkspace(jsDevice);
   * ws.dispose();
   * ```
   */
  dispose(): void {
    if (this.#disposed) return;
    for (const b of this.#slots.values()) this.device.free(b);
    this.#slots.clear();
    this.#disposed = true;
  }
}
