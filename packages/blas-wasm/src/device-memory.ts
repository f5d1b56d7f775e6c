import type { BufferDType, DeviceBuffer, HostArray } from "@tessera/blas";
import type { GemmBlocking } from "./blocking.js";
import type { WasmEngine } from "./engine.js";
import { GrowthWatch } from "./growth-watch.js";
import { unwrap, WasmBuffer } from "./wasm-buffer.js";
import { DeviceContract, fail } from "@tessera/blas/validate";

/**
 * The memory half of {@link WasmDevice}: buffers as blocks of the engine's `WebAssembly.Memory`,
 * host transfers, and the device's properties. Views of the memory are made per call, never kept.
 * @internal
 */
export abstract class WasmDeviceMemory {
  /** Bytes of live buffers. */
  private bytes = 0;
  /** Number of live buffers. */
  private buffers = 0;
  /** Warns once when live memory keeps growing (a training loop without `scope()`). */
  private readonly growth = new GrowthWatch((live, allocations) =>
    console.warn(
      `@tessera/blas-wasm: live wasm memory has grown without pause for ${allocations} allocations (now ${live} bytes in ` +
        `${this.buffers} buffers). Forgot scope() in a training loop? Tensors that are not disposed stay alive until the ` +
        "device runs out of memory: wrap each step in scope() (@tessera/autograd) or dispose() what is no longer needed.",
    ),
  );

  /** The module, heap and worker pool behind the device. @internal */
  protected readonly engine: WasmEngine;
  /** The shared argument checks of every routine (`@tessera/blas`), over this device's buffers. @internal */
  protected readonly contract = new DeviceContract<WasmBuffer>((fn, name, b, dtype) => unwrap(fn, name, b as DeviceBuffer, this.engine.heap, dtype));

  /** @internal */
  protected constructor(engine: WasmEngine) {
    this.engine = engine;
  }

  /** Threads sgemm may use (the calling thread plus workers). */
  get threads(): number {
    return this.engine.threads;
  }

  /** Whether the micro-kernel uses relaxed SIMD (`f32x4.relaxed_madd`) rather than mul + add. */
  get relaxedSimd(): boolean {
    return this.engine.relaxed;
  }

  /** The sgemm block sizes in use. */
  get blocking(): GemmBlocking {
    return this.engine.blocking;
  }

  /** Current size of the wasm memory in bytes (it grows on demand). */
  get memoryBytes(): number {
    return this.engine.heap.byteLength;
  }

  /**
   * Stops the worker threads; the device must not be used afterwards. Idle workers never keep a
   * Node process alive, so this is only needed to release them early.
   *
   * @example
   * ```ts
   * const dev = await wasmDevice({ threads: 2 });
   * dev.dispose();
   * ```
   */
  dispose(): void {
    this.engine.dispose();
  }

  /** A float32 view of a buffer, valid until the next call that may grow the memory. @internal */
  protected f32(b: WasmBuffer): Float32Array {
    return new Float32Array(this.engine.heap.memory.buffer, b.address, b.length);
  }

  /** A view of a buffer with its own element type. @internal */
  protected data(b: WasmBuffer): Float32Array | Int32Array {
    return b.dtype === "int32" ? new Int32Array(this.engine.heap.memory.buffer, b.address, b.length) : this.f32(b);
  }

  /** Checks a buffer argument. @internal */
  protected buf(fn: string, name: string, b: DeviceBuffer, dtype: BufferDType | "any" = "float32"): WasmBuffer {
    return this.contract.buffer(fn, name, b, dtype);
  }

  /**
   * Allocates a zero-filled buffer of `length` elements in wasm memory (growing it if needed). At
   * the memory's limit it throws a RangeError that gives the size asked, the bytes live and the
   * limit. When live memory has grown without pause over many allocations (a training loop that
   * never frees its steps' tensors), it warns once (`console.warn`) and names `scope()`.
   *
   * @example
   * ```ts
   * const labels = dev.alloc(128, "int32");
   * ```
   */
  alloc(length: number, dtype: BufferDType = "float32"): DeviceBuffer {
    this.contract.alloc(length, dtype);
    // Zeroed inside wasm (memory.fill): a JS TypedArray.fill over shared memory was 15× slower.
    const at = this.engine.heap.allocZeroed(length * 4, "alloc", this.engine.exports.zeroBytes, `a ${dtype} buffer of ${length} elements (${length * 4} bytes)`);
    return this.track(length, dtype, at);
  }

  /** Counts a new block at `at` as a live buffer (bytes, buffers, the growth watch) and wraps it. */
  private track(length: number, dtype: BufferDType, at: number): WasmBuffer {
    this.bytes += length * 4;
    this.buffers++;
    this.growth.alloc(length * 4);
    return new WasmBuffer(length, dtype, at, this.engine.heap);
  }

  /**
   * Allocates a buffer of `length` elements without the zero fill (its contents are whatever the
   * block held): for outputs a routine overwrites entirely. Errors and accounting as {@link alloc}.
   *
   * @example
   * ```ts
   * const y = dev.allocUninitialized(1024);
   * dev.fill([1024], 0, { buffer: y, offset: 0, strides: [1] });
   * ```
   */
  allocUninitialized(length: number, dtype: BufferDType = "float32"): DeviceBuffer {
    this.contract.alloc(length, dtype, "allocUninitialized");
    const at = this.engine.heap.alloc(length * 4, "allocUninitialized", `a ${dtype} buffer of ${length} elements (${length * 4} bytes)`);
    return this.track(length, dtype, at);
  }

  /**
   * Releases a buffer; its block is reused by later allocations. Using or freeing it again throws.
   *
   * @example
   * ```ts
   * const b = dev.alloc(16);
   * dev.free(b);
   * ```
   */
  free(buffer: DeviceBuffer): void {
    if (buffer instanceof WasmBuffer && buffer.owner === this.engine.heap && !buffer.live) fail("free", "buffer was already freed");
    const b = this.buf("free", "buffer", buffer, "any");
    this.engine.heap.free(b.address);
    b.live = false;
    this.bytes -= b.length * 4;
    this.buffers--;
    this.growth.free(b.length * 4);
  }

  /**
   * Copies host data into the buffer from element `offset` (converted to the buffer's type).
   *
   * @example
   * ```ts
   * dev.write(b, new Float32Array([1, 2, 3]), 4);
   * ```
   */
  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset = 0): void {
    const b = this.contract.write(buffer, data, offset);
    this.data(b).set(data, offset);
  }

  /**
   * A copy of `length` elements from `offset` (the wasm device never queues work, so this is
   * {@link readSync} in a promise).
   *
   * @example
   * ```ts
   * const values = await dev.read(b);
   * ```
   */
  async read(buffer: DeviceBuffer, offset = 0, length = buffer.length - offset): Promise<Float32Array | Int32Array> {
    return this.readSync(buffer, offset, length);
  }

  /**
   * Synchronous read: a copy of `length` elements from `offset`.
   *
   * @example
   * ```ts
   * dev.readSync(dev.alloc(2)); // Float32Array [0, 0]
   * ```
   */
  readSync(buffer: DeviceBuffer, offset = 0, length = buffer.length - offset): Float32Array | Int32Array {
    const b = this.contract.read(buffer, offset, length);
    return this.data(b).slice(offset, offset + length);
  }

  /**
   * Resolves at once: every routine has finished when it returns.
   *
   * @example
   * ```ts
   * await dev.sync();
   * ```
   */
  async sync(): Promise<void> {}

  /**
   * Bytes held by live buffers (not counting the device's reusable scratch space).
   *
   * @example
   * ```ts
   * dev.bytesInUse(); // 0 on a fresh device
   * ```
   */
  bytesInUse(): number {
    return this.bytes;
  }
}
