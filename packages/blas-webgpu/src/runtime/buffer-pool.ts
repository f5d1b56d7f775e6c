/**
 * A pool of storage buffers by size class. Freed buffers wait in the pool for a buffer of the
 * same class, up to a cap in bytes; beyond it they are destroyed. Size classes are multiples of
 * 16 bytes (so any buffer can be bound as `array<vec4<f32>>`) spaced at most 25 % apart.
 * @internal
 */
import { BufferUsage } from "./gpu-flags.js";

/** The size class of a request: at least 16 bytes, then powers of two with three steps between. @internal */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (b <= 256) return 2 ** Math.ceil(Math.log2(b));
  const p = 2 ** Math.floor(Math.log2(b));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) if (p * f >= b) return p * f;
  return 2 * p;
}

/** Usage of every pooled buffer: storage, copies both ways. @internal */
export const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** A buffer handed out by the pool. @internal */
export interface PooledBuffer {
  readonly buffer: GPUBuffer;
  /** The buffer's size in bytes (its size class). */
  readonly size: number;
  /** True when it was used before and may hold stale data. */
  readonly reused: boolean;
}

/** @internal */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pooled = 0;
  private created = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Most bytes kept for reuse. */
    readonly capBytes: number,
    /** Largest buffer the device allows (a multiple of 16): size classes stop there. */
    private readonly maxBytes: number,
    /** Destroys a buffer once no queued work uses it. */
    private readonly retire: (buffer: GPUBuffer) => void,
  ) {}

  /** Bytes waiting in the pool. */
  get pooledBytes(): number {
    return this.pooled;
  }

  /** Bytes of every GPU buffer the pool created and has not destroyed (handed out or pooled). */
  get allocatedBytes(): number {
    return this.created;
  }

  /** A buffer of at least `bytes` bytes, reused when one of its class is free. */
  acquire(bytes: number, label: string): PooledBuffer {
    const size = Math.min(sizeClass(bytes), this.maxBytes);
    const list = this.free.get(size);
    const hit = list?.pop();
    if (hit) {
      this.pooled -= size;
      return { buffer: hit, size, reused: true };
    }
    const buffer = this.device.createBuffer({ size, usage: STORAGE_USAGE, label });
    this.created += size;
    return { buffer, size, reused: false };
  }

  /** Takes a buffer back: pooled while under the cap, destroyed otherwise. */
  release(buffer: GPUBuffer, size: number): void {
    if (this.pooled + size <= this.capBytes) {
      let list = this.free.get(size);
      if (!list) this.free.set(size, (list = []));
      list.push(buffer);
      this.pooled += size;
      return;
    }
    this.created -= size;
    this.retire(buffer);
  }

  /** Destroys every pooled buffer (after queued work). */
  drain(): void {
    for (const [size, list] of this.free) {
      for (const b of list) {
        this.created -= size;
        this.retire(b);
      }
    }
    this.free.clear();
    this.pooled = 0;
  }
}
