/**
 * The wasm heap: one `WebAssembly.Memory` (shared when threads are used), the free-list allocator
 * over it, and typed-array views that are re-created whenever the memory has grown (growing an
 * unshared memory detaches its old ArrayBuffer; a shared one gets a longer buffer), so no view is
 * ever cached across a call that may grow. Buffers are addresses, which growth never moves.
 * @internal
 */
import { FreeListAllocator } from "./allocator.js";

const PAGE = 65536;
/** `n` bytes in MiB, for messages. */
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
/** The JS heap starts at 64 KiB (or above the module's static data, if larger). */
const HEAP_START = 65536;

/** @internal */
export interface HeapOptions {
  /** A shared memory (for the worker pool). */
  readonly shared: boolean;
  /** Upper bound of the memory in bytes (≤ 4 GiB). */
  readonly maxBytes: number;
}

/** @internal */
export class WasmHeap {
  /** The linear memory every instance imports as `env.memory`. */
  readonly memory: WebAssembly.Memory;
  /** Maximum number of pages. */
  readonly maxPages: number;
  private allocator: FreeListAllocator;
  private viewBuffer: ArrayBufferLike | undefined;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);
  private scratchAt = 0;
  private scratchSize = 0;

  /** Creates a memory of `initialBytes` (rounded up to pages); the heap starts at 64 KiB. */
  constructor(options: HeapOptions, initialBytes = 4 << 20) {
    let maxPages = Math.min(65536, Math.floor(options.maxBytes / PAGE));
    const initial = Math.min(maxPages, Math.ceil(initialBytes / PAGE));
    let memory: WebAssembly.Memory | undefined;
    // A shared memory reserves its maximum up front: halve it until the engine agrees.
    while (!memory) {
      try {
        memory = new WebAssembly.Memory({ initial, maximum: maxPages, shared: options.shared } as WebAssembly.MemoryDescriptor);
      } catch (e) {
        if (maxPages <= Math.max(initial, 4096)) throw e;
        maxPages = Math.max(initial, maxPages >> 1);
      }
    }
    this.memory = memory;
    this.maxPages = maxPages;
    this.allocator = new FreeListAllocator(HEAP_START, memory.buffer.byteLength);
  }

  /** Moves the start of the heap above `heapBase` (the module's static data); call before any alloc. */
  reserveBelow(heapBase: number): void {
    if (heapBase > HEAP_START) this.allocator = new FreeListAllocator(heapBase, this.memory.buffer.byteLength);
  }

  /**
   * Allocates `bytes` (64-byte aligned), growing the memory if needed. At the limit it throws a
   * RangeError that names `fn`, says what was asked (`what`), what is live and the limit, and
   * points at the usual cause (tensors kept alive by a training loop without `scope()`).
   */
  alloc(bytes: number, fn = "alloc", what = `${bytes} bytes`): number {
    const got = this.allocator.alloc(bytes);
    if (got !== undefined) return got;
    const pages = this.memory.buffer.byteLength / PAGE;
    const need = Math.ceil((Math.max(1, bytes) + this.allocator.align - this.allocator.freeAtTop()) / PAGE);
    const grow = Math.min(this.maxPages - pages, Math.max(need, Math.ceil(pages / 4)));
    if (grow < need) throw new RangeError(this.outOfMemory(fn, what));
    this.memory.grow(grow);
    this.allocator.extend(this.memory.buffer.byteLength);
    const again = this.allocator.alloc(bytes);
    if (again === undefined) throw new RangeError(`${fn}: out of wasm memory after growing (internal error)`);
    return again;
  }

  private outOfMemory(fn: string, what: string): string {
    const live = this.allocator.bytesInUse;
    const limit = this.maxPages * PAGE;
    return (
      `${fn}: out of wasm memory for ${what}: ${live} bytes (${mib(live)}) are live in ` +
      `${this.allocator.liveBlocks} blocks (${this.scratchSize} bytes of them the device's scratch space), and the limit is ` +
      `${limit} bytes (${mib(limit)}; wasmDevice's maxMemoryMiB, at most 4096). Forgot scope() in a training loop? Tensors ` +
      "that are not disposed stay alive: wrap each step in scope() (@tessera/autograd) or dispose() what is no longer needed."
    );
  }

  /**
   * {@link alloc}, returning a zero-filled block: `zero(at, n)` clears the part of it that earlier
   * blocks used. Memory never handed out (fresh or grown) is zero already and is not written, so a
   * large buffer costs no resident memory until it is used.
   */
  allocZeroed(bytes: number, fn: string, zero: (at: number, bytes: number) => void, what?: string): number {
    const fresh = this.allocator.untouched;
    const at = this.alloc(bytes, fn, what);
    const dirty = Math.min(at + bytes, fresh) - at;
    if (dirty > 0) zero(at, dirty);
    return at;
  }

  /** Frees a block returned by {@link alloc}. */
  free(address: number): void {
    this.allocator.free(address);
  }

  /** Bytes of live blocks (including the scratch region). */
  get bytesInUse(): number {
    return this.allocator.bytesInUse;
  }

  /** Current size of the memory in bytes. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * The start of a reusable scratch region of at least `bytes`, kept between calls. It may move
   * when it has to grow, so callers take it before computing any other address into it.
   */
  scratch(bytes: number, fn = "scratch"): number {
    if (bytes > this.scratchSize) {
      const size = Math.max(bytes, Math.ceil(this.scratchSize * 1.5), 1 << 16);
      // Forgotten before allocating: if that throws, no later call may use the freed block.
      if (this.scratchSize > 0) this.free(this.scratchAt);
      this.scratchSize = 0;
      this.scratchAt = this.alloc(size, fn, `${size} bytes of scratch space`);
      this.scratchSize = size;
    }
    return this.scratchAt;
  }

  private refresh(): void {
    const b = this.memory.buffer;
    if (b === this.viewBuffer && this.f32View.byteLength === b.byteLength) return;
    this.viewBuffer = b;
    this.f32View = new Float32Array(b);
    this.i32View = new Int32Array(b);
    this.u8View = new Uint8Array(b);
  }

  /** A float32 view of the whole memory, valid until the next call that may grow it. */
  f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  /** An int32 view of the whole memory (same validity as {@link f32}). */
  i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  /** A byte view of the whole memory (same validity as {@link f32}). */
  u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }

  /** Whether `a` is a view into this memory (its current buffer). */
  owns(a: ArrayBufferView): boolean {
    return a.buffer === this.memory.buffer;
  }
}
