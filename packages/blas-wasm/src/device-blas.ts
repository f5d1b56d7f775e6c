import { createBlas, type Blas, type BufferDType, type DeviceBuffer, type Transpose } from "@tessera/blas";
import type { WasmEngine } from "./engine.js";
import { WasmDeviceMemory } from "./device-memory.js";
import { wasmKernels } from "./wasm-kernels.js";

/**
 * The BLAS half of {@link WasmDevice}: each routine validates through `@tessera/blas`'s
 * `createBlas` (identical checks and messages) over views of the device's buffers, which the
 * kernels recognise as wasm memory and use in place.
 * @internal
 */
export abstract class WasmDeviceBlas extends WasmDeviceMemory {
  /** The drop-in BLAS (both forms of every routine) on this device's engine; accepts any Float32Array. */
  readonly blas: Blas;

  /** @internal */
  protected constructor(engine: WasmEngine) {
    super(engine);
    this.blas = createBlas(wasmKernels(engine));
  }

  private v(fn: string, name: string, b: DeviceBuffer): Float32Array {
    return this.f32(this.buf(fn, name, b));
  }

  /**
   * C ← α·op(A)·op(B) + β·C, packed and register-blocked, on the device's threads. β = 0 never reads C.
   *
   * @example
   * ```ts
   * dev.sgemm("no-transpose", "transpose", M, N, K, 1, a, K, 1, 0, b, K, 1, 0, 0, c, N, 1, 0);
   * ```
   */
  sgemm(transA: Transpose, transB: Transpose, M: number, N: number, K: number, alpha: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number, B: DeviceBuffer, sb1: number, sb2: number, ob: number,
    beta: number, C: DeviceBuffer, sc1: number, sc2: number, oc: number): void {
    const [a, b, c] = [this.v("sgemm", "A", A), this.v("sgemm", "B", B), this.v("sgemm", "C", C)];
    this.blas.sgemm.ndarray(transA, transB, M, N, K, alpha, a, sa1, sa2, oa, b, sb1, sb2, ob, beta, c, sc1, sc2, oc);
  }

  /**
   * y ← α·op(A)·x + β·y, A is M×N.
   *
   * @example
   * ```ts
   * dev.sgemv("no-transpose", M, N, 1, a, N, 1, 0, x, 1, 0, 0, y, 1, 0);
   * ```
   */
  sgemv(trans: Transpose, M: number, N: number, alpha: number, A: DeviceBuffer, sa1: number, sa2: number, oa: number,
    x: DeviceBuffer, sx: number, ox: number, beta: number, y: DeviceBuffer, sy: number, oy: number): void {
    const [a, xv, yv] = [this.v("sgemv", "A", A), this.v("sgemv", "x", x), this.v("sgemv", "y", y)];
    this.blas.sgemv.ndarray(trans, M, N, alpha, a, sa1, sa2, oa, xv, sx, ox, beta, yv, sy, oy);
  }

  /**
   * A ← α·x·yᵀ + A.
   *
   * @example
   * ```ts
   * dev.sger(M, N, 1, x, 1, 0, y, 1, 0, a, N, 1, 0);
   * ```
   */
  sger(M: number, N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number,
    A: DeviceBuffer, sa1: number, sa2: number, oa: number): void {
    const [xv, yv, a] = [this.v("sger", "x", x), this.v("sger", "y", y), this.v("sger", "A", A)];
    this.blas.sger.ndarray(M, N, alpha, xv, sx, ox, yv, sy, oy, a, sa1, sa2, oa);
  }

  /**
   * y ← α·x + y.
   *
   * @example
   * ```ts
   * dev.saxpy(n, -0.01, grad, 1, 0, weights, 1, 0);
   * ```
   */
  saxpy(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.saxpy.ndarray(N, alpha, this.v("saxpy", "x", x), sx, ox, this.v("saxpy", "y", y), sy, oy);
  }

  /**
   * x ← α·x (α = 0 writes zeros).
   *
   * @example
   * ```ts
   * dev.sscal(n, 0.5, x, 1, 0);
   * ```
   */
  sscal(N: number, alpha: number, x: DeviceBuffer, sx: number, ox: number): void {
    this.blas.sscal.ndarray(N, alpha, this.v("sscal", "x", x), sx, ox);
  }

  /**
   * y ← x.
   *
   * @example
   * ```ts
   * dev.scopy(n, x, 1, 0, y, 1, 0);
   * ```
   */
  scopy(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.scopy.ndarray(N, this.v("scopy", "x", x), sx, ox, this.v("scopy", "y", y), sy, oy);
  }

  /**
   * x ↔ y.
   *
   * @example
   * ```ts
   * dev.sswap(n, x, 1, 0, y, 1, 0);
   * ```
   */
  sswap(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number): void {
    this.blas.sswap.ndarray(N, this.v("sswap", "x", x), sx, ox, this.v("sswap", "y", y), sy, oy);
  }

  private scalarOut(fn: string, out: DeviceBuffer, oo: number, dtype: BufferDType, value: () => number): void {
    const o = this.contract.scalarOut(fn, out, oo, dtype);
    const v = value();
    this.data(o)[oo] = v;
  }

  /**
   * out[offsetOut] ← xᵀy, accumulated in float64.
   *
   * @example
   * ```ts
   * dev.sdot(n, x, 1, 0, y, 1, 0, out, 0);
   * ```
   */
  sdot(N: number, x: DeviceBuffer, sx: number, ox: number, y: DeviceBuffer, sy: number, oy: number, out: DeviceBuffer, oo: number): void {
    this.scalarOut("sdot", out, oo, "float32", () => this.blas.sdot.ndarray(N, this.v("sdot", "x", x), sx, ox, this.v("sdot", "y", y), sy, oy));
  }

  /**
   * out[offsetOut] ← ‖x‖₂.
   *
   * @example
   * ```ts
   * dev.snrm2(n, x, 1, 0, out, 0);
   * ```
   */
  snrm2(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.scalarOut("snrm2", out, oo, "float32", () => this.blas.snrm2.ndarray(N, this.v("snrm2", "x", x), sx, ox));
  }

  /**
   * out[offsetOut] ← Σ|xᵢ|.
   *
   * @example
   * ```ts
   * dev.sasum(n, x, 1, 0, out, 0);
   * ```
   */
  sasum(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.scalarOut("sasum", out, oo, "float32", () => this.blas.sasum.ndarray(N, this.v("sasum", "x", x), sx, ox));
  }

  /**
   * out[offsetOut] (int32) ← index of the first largest |xᵢ| (−1 for N = 0).
   *
   * @example
   * ```ts
   * dev.isamax(n, x, 1, 0, dev.alloc(1, "int32"), 0);
   * ```
   */
  isamax(N: number, x: DeviceBuffer, sx: number, ox: number, out: DeviceBuffer, oo: number): void {
    this.scalarOut("isamax", out, oo, "int32", () => this.blas.isamax.ndarray(N, this.v("isamax", "x", x), sx, ox));
  }
}
