/**
 * One command encoder that routines append to, submitted as a whole when a result is needed
 * (read, sync), before host writes (so a write never overtakes queued work), or when the uniform
 * arena is full. Consecutive dispatches share one compute pass; a copy or clear ends it.
 *
 * Kernel parameters go to a uniform arena: one buffer, one 256-byte slot per dispatch bound with
 * a dynamic offset, written with a single `writeBuffer` just before the submit. Reusing the
 * arena for the next batch is safe because queue operations run in order: the write for batch
 * n+1 lands after batch n has executed.
 * @internal
 */
import { BufferUsage } from "./gpu-flags.js";
import { PARAM_BYTES } from "./params.js";

/** Bytes of the uniform arena: slots for 256 dispatches per submit. @internal */
export const ARENA_BYTES = 64 * 1024;

/** @internal */
export class CommandBatch {
  /** The uniform arena (bound at dynamic offsets). */
  readonly arena: GPUBuffer;
  /** Distance between slots: a parameter struct rounded up to the uniform offset alignment. */
  readonly slotBytes: number;
  private readonly host = new Uint8Array(ARENA_BYTES);
  private used = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private retired: GPUBuffer[] = [];
  /** Submits so far (for tests and statistics). */
  submits = 0;

  constructor(private readonly device: GPUDevice) {
    const align = device.limits.minUniformBufferOffsetAlignment;
    this.slotBytes = Math.ceil(PARAM_BYTES / align) * align;
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: "tessera uniform arena" });
  }

  /** True when commands are waiting to be submitted. */
  get pending(): boolean {
    return this.encoder !== null;
  }

  /** Stores a parameter struct in the next slot and returns its offset (flushing first when full). */
  params(bytes: ArrayBuffer): number {
    if (this.used + this.slotBytes > ARENA_BYTES) this.flush();
    const offset = this.used;
    this.host.set(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, this.slotBytes)), offset);
    this.used += this.slotBytes;
    return offset;
  }

  /** The open compute pass (begun when needed). */
  computePass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.commandEncoder().beginComputePass();
    return this.pass;
  }

  /** The encoder, with no pass open (for copies and clears). */
  commandEncoder(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: "tessera batch" });
    return this.encoder;
  }

  /** Destroys `buffer` once the commands that use it are submitted. */
  retire(buffer: GPUBuffer): void {
    if (this.pending) this.retired.push(buffer);
    else buffer.destroy();
  }

  /** Writes the used slots of the arena and submits the batch (nothing when it is empty). */
  flush(): void {
    if (!this.encoder) {
      this.used = 0;
      return;
    }
    const encoder = this.commandEncoder();
    this.encoder = null;
    if (this.used > 0) this.device.queue.writeBuffer(this.arena, 0, this.host, 0, this.used);
    this.used = 0;
    this.device.queue.submit([encoder.finish()]);
    this.submits++;
    for (const b of this.retired) b.destroy();
    this.retired = [];
  }
}
