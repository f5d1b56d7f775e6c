/**
 * The GPU side of the device: buffers (pooled), host transfers, and dispatches appended to the
 * command batch. Routines validate their arguments, then call {@link GpuContext.dispatch}.
 * @internal
 */
import type { BufferDType, HostArray } from "@tessera/blas";
import { DeviceContract, fail } from "../validate.js";
import { WebGpuBuffer } from "../webgpu-buffer.js";
import { BufferPool } from "./buffer-pool.js";
import { CommandBatch } from "./command-batch.js";
import { BufferUsage, MAP_READ } from "./gpu-flags.js";
import { GpuErrors } from "./gpu-errors.js";
import type { ParamWriter } from "./params.js";
import { PipelineCache, type Kernel } from "./pipelines.js";

/** @internal */
export class GpuContext {
  readonly batch: CommandBatch;
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly errors: GpuErrors;
  /** Largest buffer in bytes: the smaller of maxBufferSize and maxStorageBufferBindingSize, in 16-byte units. */
  readonly maxBytes: number;
  private liveBytes = 0;
  private disposed = false;
  /** Buffers handed out and not freed, so dispose() can invalidate them. */
  private readonly live = new Set<WebGpuBuffer>();
  /** The shared argument checks of every routine (`@tessera/blas`), over this device's buffers. */
  readonly contract = new DeviceContract<WebGpuBuffer>((fn, name, b, dtype) => this.buffer(fn, name, b, dtype === "any" ? undefined : dtype));

  constructor(readonly device: GPUDevice, poolBytes: number, private readonly owned: boolean) {
    const L = device.limits;
    this.maxBytes = Math.floor(Math.min(L.maxBufferSize, L.maxStorageBufferBindingSize) / 16) * 16;
    this.errors = new GpuErrors(device);
    this.batch = new CommandBatch(device);
    this.pool = new BufferPool(device, poolBytes, this.maxBytes, (b) => {
      this.pipelines.forget(b);
      this.batch.retire(b);
    });
    this.pipelines = new PipelineCache(device, this.batch.arena, this.batch.slotBytes);
  }

  /** Bytes of live buffers (length · 4 each). */
  get bytesInUse(): number {
    return this.liveBytes;
  }

  /** Runs a device call inside error scopes after checking that the device is usable. */
  guard<T>(fn: string, body: () => T): T {
    this.usable(fn);
    return this.errors.guard(fn, body);
  }

  /** Throws when the device was disposed or lost. */
  usable(fn: string): void {
    if (this.disposed) fail(fn, "the device was disposed");
    this.errors.checkAlive(fn);
  }

  /** Checks that `b` is a live buffer of this device with the given dtype. */
  buffer(fn: string, name: string, b: unknown, dtype?: BufferDType): WebGpuBuffer {
    if (!(b instanceof WebGpuBuffer)) fail(fn, `${name} must be a buffer of the 'webgpu' device, got one of '${(b as { device?: string } | undefined)?.device}'`);
    if (b.owner !== this) fail(fn, `${name} belongs to another 'webgpu' device instance`);
    if (!b.live) fail(fn, `${name} was freed`);
    if (dtype && b.dtype !== dtype) fail(fn, `${name} must be a ${dtype} buffer, got ${b.dtype}`);
    return b;
  }

  /** A zero-filled buffer of `length` 4-byte elements. */
  alloc(length: number, dtype: BufferDType): WebGpuBuffer {
    const bytes = Math.max(4, length * 4);
    if (bytes > this.maxBytes) {
      fail("alloc", `length ${length} (${length * 4} bytes) exceeds this GPU's largest storage buffer, ${this.maxBytes} bytes (min of maxBufferSize and maxStorageBufferBindingSize)`);
    }
    const got = this.pool.acquire(bytes, `tessera ${dtype}[${length}]`);
    if (got.reused) this.batch.commandEncoder().clearBuffer(got.buffer, 0, got.size);
    const b = new WebGpuBuffer(length, dtype, got.buffer, got.size, this);
    this.live.add(b);
    this.liveBytes += length * 4;
    return b;
  }

  /** Returns a buffer to the pool. */
  free(b: WebGpuBuffer): void {
    b.live = false;
    this.live.delete(b);
    this.liveBytes -= b.length * 4;
    this.pool.release(b.gpuBuffer, b.size);
  }

  /** Writes host data after every queued command (flushes the batch first). */
  write(b: WebGpuBuffer, data: HostArray | readonly number[], offset: number): void {
    const typed = b.dtype === "int32"
      ? (data instanceof Int32Array ? data : Int32Array.from(data))
      : (data instanceof Float32Array ? data : Float32Array.from(data));
    if (typed.length === 0) return;
    this.batch.flush();
    this.device.queue.writeBuffer(b.gpuBuffer, offset * 4, typed.buffer, typed.byteOffset, typed.byteLength);
  }

  /** Copies `length` elements from `offset` to the host after all queued work. */
  async read(fn: string, b: WebGpuBuffer, offset: number, length: number): Promise<HostArray> {
    if (length === 0) {
      await this.sync(fn);
      return b.dtype === "int32" ? new Int32Array(0) : new Float32Array(0);
    }
    const staging = this.guard(fn, () => {
      const s = this.device.createBuffer({ size: length * 4, usage: MAP_READ | BufferUsage.COPY_DST, label: "tessera read" });
      this.batch.commandEncoder().copyBufferToBuffer(b.gpuBuffer, offset * 4, s, 0, length * 4);
      this.batch.flush();
      return s;
    });
    try {
      try {
        await this.errors.race(staging.mapAsync(MAP_READ));
      } catch (e) {
        await this.errors.check(fn);
        throw e;
      }
      const bytes = staging.getMappedRange().slice(0);
      staging.unmap();
      await this.errors.check(fn);
      return b.dtype === "int32" ? new Int32Array(bytes) : new Float32Array(bytes);
    } finally {
      staging.destroy();
    }
  }

  /** Submits the batch and waits for the GPU to finish it. */
  async sync(fn = "sync"): Promise<void> {
    this.guard(fn, () => this.batch.flush());
    await this.errors.race(this.device.queue.onSubmittedWorkDone());
    await this.errors.check(fn);
  }

  /**
   * Appends one dispatch: `buffers` are bound at 1…n with the kernel's access modes. An input
   * that shares its GPUBuffer with an output is first copied to a temporary buffer (WebGPU
   * forbids binding a buffer writable and readable in one dispatch).
   */
  dispatch(kernel: Kernel, params: ParamWriter, buffers: readonly WebGpuBuffer[], groups: readonly [number, number, number]): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const writes = buffers.filter((_, i) => kernel.bindings[i] === "write").map((b) => b.gpuBuffer);
    if (new Set(writes).size !== writes.length) throw new Error(`dispatch: two outputs of ${kernelLabel(kernel)} share a buffer`);
    const temps: { buffer: GPUBuffer; size: number }[] = [];
    const bound = buffers.map((b, i) => {
      if (kernel.bindings[i] !== "read" || !writes.includes(b.gpuBuffer)) return b.gpuBuffer;
      const t = this.pool.acquire(b.size, "tessera alias copy");
      this.batch.commandEncoder().copyBufferToBuffer(b.gpuBuffer, 0, t.buffer, 0, b.size);
      temps.push(t);
      return t.buffer;
    });
    const compiled = this.pipelines.get(kernel);
    const offset = this.batch.params(params.bytes);
    const pass = this.batch.computePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, this.pipelines.bindGroup(compiled, bound), [offset]);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    for (const t of temps) this.pool.release(t.buffer, t.size);
  }

  /** A temporary copy of `b`'s whole GPU buffer (after queued work), for {@link releaseSnapshot}. */
  snapshot(b: WebGpuBuffer): WebGpuBuffer {
    const t = this.pool.acquire(b.size, "tessera snapshot");
    this.batch.commandEncoder().copyBufferToBuffer(b.gpuBuffer, 0, t.buffer, 0, b.size);
    return new WebGpuBuffer(b.length, b.dtype, t.buffer, t.size, this);
  }

  /** Returns a snapshot's buffer to the pool (safe right after encoding its last use). */
  releaseSnapshot(t: WebGpuBuffer): void {
    t.live = false;
    this.pool.release(t.gpuBuffer, t.size);
  }

  /** Workgroup counts for `count` items, `perGroup` items per workgroup, folded into 2-D. */
  grid(fn: string, count: number, perGroup: number): [number, number, number] {
    const groups = Math.ceil(count / perGroup);
    const max = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= max) return [groups, 1, 1];
    const y = Math.ceil(groups / max);
    if (y > max || count > 0xffffffff) fail(fn, `${count} work items exceed this GPU's dispatch limit (${max}² workgroups of ${perGroup})`);
    return [max, y, 1];
  }

  /** Frees everything: live buffers become invalid; the GPUDevice is destroyed if this context created it. */
  dispose(): void {
    if (this.disposed) return;
    try {
      this.batch.flush();
    } catch {
      // a lost device cannot submit; the buffers go away with it
    }
    for (const b of this.live) {
      b.live = false;
      this.pool.release(b.gpuBuffer, b.size);
    }
    this.live.clear();
    this.liveBytes = 0;
    this.pool.drain();
    this.disposed = true;
    this.batch.arena.destroy();
    if (this.owned) this.device.destroy();
  }
}

function kernelLabel(k: Kernel): string {
  return k.sources[k.sources.length - 1];
}
