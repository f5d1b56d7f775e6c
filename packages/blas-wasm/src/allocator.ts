/**
 * A first-fit free-list allocator over a range of byte addresses (the wasm heap). Blocks are
 * aligned to `align` bytes; freed blocks coalesce with free neighbours, so a freed block is reused
 * by the next request that fits. Pure bookkeeping: it never touches memory.
 * @internal
 */
export class FreeListAllocator {
  /** Free blocks, sorted by start, never adjacent (coalesced). */
  private readonly freeList: { start: number; size: number }[] = [];
  /** Live blocks: start → size. */
  private readonly live = new Map<number, number>();
  private inUse = 0;
  private top: number;
  /** End of the highest block ever handed out: bytes at or above it were never part of a block. */
  private touched: number;

  /** Manages [base, end); `align` is a power of two. */
  constructor(base: number, end: number, readonly align = 64) {
    const start = this.round(base);
    this.top = end;
    this.touched = start;
    if (end > start) this.freeList.push({ start, size: end - start });
  }

  private round(n: number): number {
    return Math.ceil(n / this.align) * this.align;
  }

  /** Bytes held by live blocks (rounded sizes). */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** End of the managed range. */
  get end(): number {
    return this.top;
  }

  /**
   * Every byte at or above this address has never been part of a block (so it still holds what the
   * memory started with: zeros, for a fresh or grown `WebAssembly.Memory`).
   */
  get untouched(): number {
    return this.touched;
  }

  /** Number of live blocks. */
  get liveBlocks(): number {
    return this.live.size;
  }

  /** Rounded size of the live block at `start`, or undefined. */
  sizeOf(start: number): number | undefined {
    return this.live.get(start);
  }

  /** Address of a new block of at least `bytes` (≥ 1) bytes, or undefined if none fits. */
  alloc(bytes: number): number | undefined {
    const size = this.round(Math.max(1, bytes));
    for (let i = 0; i < this.freeList.length; i++) {
      const b = this.freeList[i];
      if (b.size < size) continue;
      const start = b.start;
      if (b.size === size) this.freeList.splice(i, 1);
      else {
        b.start += size;
        b.size -= size;
      }
      this.live.set(start, size);
      this.inUse += size;
      this.touched = Math.max(this.touched, start + size);
      return start;
    }
    return undefined;
  }

  /** Releases the block at `start`; throws if it is not a live block. */
  free(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) throw new RangeError(`free: address ${start} is not a live block (freed twice, or never allocated)`);
    this.live.delete(start);
    this.inUse -= size;
    this.insertFree(start, size);
  }

  /** Adds [end, newEnd) to the managed range (after the memory grew). */
  extend(newEnd: number): void {
    if (newEnd <= this.top) return;
    this.insertFree(this.top, newEnd - this.top);
    this.top = newEnd;
  }

  /** Size of the free block ending at the top of the range (0 if the last block is live). */
  freeAtTop(): number {
    const last = this.freeList[this.freeList.length - 1];
    return last && last.start + last.size === this.top ? last.size : 0;
  }

  private insertFree(start: number, size: number): void {
    const list = this.freeList;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    const prev = list[lo - 1];
    const next = list[lo];
    if (prev && prev.start + prev.size === start) {
      prev.size += size;
      if (next && prev.start + prev.size === next.start) {
        prev.size += next.size;
        list.splice(lo, 1);
      }
    } else if (next && start + size === next.start) {
      next.start = start;
      next.size += size;
    } else {
      list.splice(lo, 0, { start, size });
    }
  }
}
