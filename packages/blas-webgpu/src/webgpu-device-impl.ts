import type {
  BinaryOp, BufferDType, Conv2dGeometry, DeviceBuffer, DeviceHints, HostArray, Pool2dGeometry, RandomDistribution, ReduceOp, Transpose, UnaryOp, View,
} from "@tessera/blas";
import { GpuContext } from "./runtime/context.js";
import { col2im, im2col } from "./routines/conv.js";
import { binary, fill, unary } from "./routines/elementwise.js";
import { chooseTiles, type GemmTiles, type SgemmKernel } from "./routines/gemm-plan.js";
import { isamax, sasum, saxpy, scopy, sdot, snrm2, sscal, sswap } from "./routines/level1.js";
import { sger, sgemv } from "./routines/level2.js";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./routines/pool.js";
import { fillRandom } from "./routines/random.js";
import { argmax, reduce, softmax } from "./routines/reduce.js";
import { sgemm } from "./routines/sgemm.js";
import { fail } from "./validate.js";
import { WebGpuBuffer } from "./webgpu-buffer.js";
import type { WebGpuDevice, WebGpuDeviceInfo, WebGpuMemoryStats } from "./webgpu-device.js";

/**
 * The implementation of {@link WebGpuDevice}: validation and encoding live in routines/*.ts, the
 * GPU plumbing in runtime/context.ts; every call runs inside error scopes (runtime/gpu-errors.ts).
 * @internal
 */
export class WebGpuDeviceImpl implements WebGpuDevice {
  /** Always `'webgpu'`. */
  readonly name = "webgpu" as const;
  /** Every GEMM is a dispatch: every convolution pass batches over images (to be measured on a real GPU). */
  readonly hints: DeviceHints = { batchConvPasses: ["forward", "backwardData", "backwardFilter"] };
  /** The tile of the tiled sgemm chosen for this adapter's limits (null: only the small kernel). */
  readonly sgemmTiles: GemmTiles | null;
  private readonly ctx: GpuContext;
  private readonly sgemmKernel: SgemmKernel;

  /** @internal */
  constructor(
    /** The GPUDevice running the kernels. */
    readonly gpu: GPUDevice,
    /** Where the device came from. */
    readonly info: WebGpuDeviceInfo,
    options: { poolBytes: number; sgemmKernel: SgemmKernel; owned: boolean },
  ) {
    this.ctx = new GpuContext(gpu, options.poolBytes, options.owned);
    this.sgemmTiles = chooseTiles(gpu.limits);
    this.sgemmKernel = options.sgemmKernel;
  }

  alloc(length: number, dtype: BufferDType = "float32"): WebGpuBuffer {
    return this.ctx.guard("alloc", () => {
      this.ctx.contract.alloc(length, dtype);
      return this.ctx.alloc(length, dtype);
    });
  }

  free(buffer: DeviceBuffer): void {
    this.ctx.guard("free", () => {
      if (buffer instanceof WebGpuBuffer && buffer.owner === this.ctx && !buffer.live) fail("free", "buffer was already freed");
      this.ctx.free(this.ctx.buffer("free", "buffer", buffer));
    });
  }

  write(buffer: DeviceBuffer, data: HostArray | readonly number[], offset = 0): void {
    this.ctx.guard("write", () => {
      const b = this.ctx.contract.write(buffer, data, offset);
      this.ctx.write(b, data, offset);
    });
  }

  async read(buffer: DeviceBuffer, offset = 0, length?: number): Promise<HostArray> {
    this.ctx.usable("read");
    const n = length ?? this.ctx.contract.buffer("read", "buffer", buffer, "any").length - offset;
    const b = this.ctx.contract.read(buffer, offset, n);
    return this.ctx.read("read", b, offset, n);
  }

  sync(): Promise<void> {
    return this.ctx.sync("sync");
  }

  bytesInUse(): number {
    return this.ctx.bytesInUse;
  }

  /** Live, allocated and pooled bytes. */
  memory(): WebGpuMemoryStats {
    const p = this.ctx.pool;
    return { bytesInUse: this.ctx.bytesInUse, allocatedBytes: p.allocatedBytes, pooledBytes: p.pooledBytes, poolCapBytes: p.capBytes };
  }

  /** Frees every GPU resource. */
  dispose(): void {
    this.ctx.dispose();
  }

  sgemm(transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number, B: DeviceBuffer, sb1: number, sb2: number, ob: number,
    beta: number, C: DeviceBuffer, sc1: number, sc2: number, oc: number): void {
    this.ctx.guard("sgemm", () => sgemm(this.ctx, { mode: this.sgemmKernel, tiles: this.sgemmTiles }, transA, transB, M, N, K, alpha,
      A, sa1, sa2, oa, B, sb1, sb2, ob, beta, C, sc1, sc2, oc));
  }

  sgemv(trans: Transpose, M: number, N: number, alpha: number, A: DeviceBuffer, sa1: number, sa2: number, oa: number,
    x: DeviceBuffer, sx: number, ox: number, beta: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.ctx.guard("sgemv", () => sgemv(this.ctx, trans, M, N, alpha, A, sa1, sa2, oa, x, sx, ox, beta, y, sy, oy));
  }

  sger(M: number, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number): void {
    this.ctx.guard("sger", () => sger(this.ctx, M, N, alpha, x, sx, ox, y, sy, oy, A, sa1, sa2, oa));
  }

  saxpy(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.ctx.guard("saxpy", () => saxpy(this.ctx, N, alpha, x, sx, ox, y, sy, oy));
  }

  sscal(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number): void {
    this.ctx.guard("sscal", () => sscal(this.ctx, N, alpha, x, sx, ox));
  }

  scopy(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.ctx.guard("scopy", () => scopy(this.ctx, N, x, sx, ox, y, sy, oy));
  }

  sswap(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.ctx.guard("sswap", () => sswap(this.ctx, N, x, sx, ox, y, sy, oy));
  }

  sdot(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number, out: DeviceBuffer, oo: number): void {
    this.ctx.guard("sdot", () => sdot(this.ctx, N, x, sx, ox, y, sy, oy, out, oo));
  }

  snrm2(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.ctx.guard("snrm2", () => snrm2(this.ctx, N, x, sx, ox, out, oo));
  }

  sasum(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.ctx.guard("sasum", () => sasum(this.ctx, N, x, sx, ox, out, oo));
  }

  isamax(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.ctx.guard("isamax", () => isamax(this.ctx, N, x, sx, ox, out, oo));
  }

  fill(shape: readonly number[], value: number, y: View): void {
    this.ctx.guard("fill", () => fill(this.ctx, shape, value, y));
  }

  unary(op: UnaryOp, shape: readonly number[], x: View, y: View, p0 = 0, p1 = 0): void {
    this.ctx.guard("unary", () => unary(this.ctx, op, shape, x, y, p0, p1));
  }

  binary(op: BinaryOp, shape: readonly number[], a: View, b: View, out: View, p0 = 0): void {
    this.ctx.guard("binary", () => binary(this.ctx, op, shape, a, b, out, p0));
  }

  reduce(op: ReduceOp, shape: readonly number[], reduceDims: number, x: View, y: View): void {
    this.ctx.guard("reduce", () => reduce(this.ctx, op, shape, reduceDims, x, y));
  }

  argmax(shape: readonly number[], reduceDims: number, x: View, y: View): void {
    this.ctx.guard("argmax", () => argmax(this.ctx, shape, reduceDims, x, y));
  }

  softmax(rows: number, cols: number, x: View, y: View, log: boolean): void {
    this.ctx.guard("softmax", () => softmax(this.ctx, rows, cols, x, y, log));
  }

  im2col(g: Conv2dGeometry, N: number, x: DeviceBuffer, offsetX: number, strideXN: number, col: DeviceBuffer, offsetCol: number, ldCol: number): void {
    this.ctx.guard("im2col", () => im2col(this.ctx, g, N, x, offsetX, strideXN, col, offsetCol, ldCol));
  }

  col2im(g: Conv2dGeometry, N: number, col: DeviceBuffer, offsetCol: number, ldCol: number, x: DeviceBuffer, offsetX: number, strideXN: number): void {
    this.ctx.guard("col2im", () => col2im(this.ctx, g, N, col, offsetCol, ldCol, x, offsetX, strideXN));
  }

  maxPool2d(g: Pool2dGeometry, planes: number, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, argmax: DeviceBuffer | null, offsetArgmax: number): void {
    this.ctx.guard("maxPool2d", () => maxPool2d(this.ctx, g, planes, x, offsetX, y, offsetY, argmax, offsetArgmax));
  }

  maxPool2dBackward(g: Pool2dGeometry, planes: number, dy: DeviceBuffer, offsetDy: number, argmax: DeviceBuffer, offsetArgmax: number, dx: DeviceBuffer, offsetDx: number): void {
    this.ctx.guard("maxPool2dBackward", () => maxPool2dBackward(this.ctx, g, planes, dy, offsetDy, argmax, offsetArgmax, dx, offsetDx));
  }

  avgPool2d(g: Pool2dGeometry, planes: number, countIncludePad: boolean, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number): void {
    this.ctx.guard("avgPool2d", () => avgPool2d(this.ctx, g, planes, countIncludePad, x, offsetX, y, offsetY));
  }

  avgPool2dBackward(g: Pool2dGeometry, planes: number, countIncludePad: boolean, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number): void {
    this.ctx.guard("avgPool2dBackward", () => avgPool2dBackward(this.ctx, g, planes, countIncludePad, dy, offsetDy, dx, offsetDx));
  }

  fillRandom(dist: RandomDistribution, seed: number, counter: number, N: number, y: DeviceBuffer, offsetY: number, p0: number, p1: number): void {
    this.ctx.guard("fillRandom", () => fillRandom(this.ctx, dist, seed, counter, N, y, offsetY, p0, p1));
  }
}
