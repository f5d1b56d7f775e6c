/**
 * Seeded test data and a buffer tracker for the conv battery.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { ConvWorkspace } from "../workspace.js";

/**
 * `n` values uniform in [lo, hi), rounded to float32 so the float64 reference and a float32
 * device see identical inputs.
 *
 * @example
 * ```ts
 * import { seededData } from "@tessera/conv/testing";
 * const x = seededData(16, 1);
 * ```
 */
export function seededData(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/**
 * `n` distinct values `k/1024` (a seeded permutation of integers centred on 0): no ties, and every
 * gap is 2⁻¹⁰, so max-pooling argmaxes are stable under finite-difference steps below 2⁻¹¹.
 *
 * @example
 * ```ts
 * import { distinctData } from "@tessera/conv/testing";
 * new Set(distinctData(100, 1)).size; // 100
 * ```
 */
export function distinctData(n: number, seed: number): Float32Array {
  const perm = new Rng(seed).permutation(n);
  return Float32Array.from(perm, (k) => (k - Math.floor(n / 2)) / 1024);
}

/** Device buffers of one case, freed when it ends. @internal */
export interface Scratch {
  readonly device: Device;
  readonly workspace: ConvWorkspace;
  /** A buffer holding `data` at `offset`, with `offset` junk values before and 3 after. */
  place(data: ArrayLike<number>, offset: number, dtype?: "float32" | "int32"): DeviceBuffer;
  /** Reads `length` values from `offset` as float64. */
  read(b: DeviceBuffer, offset: number, length: number): Promise<Float64Array>;
}

/** Runs `body` with a scratch tracker, then frees every buffer and the workspace. @internal */
export async function withScratch(device: Device, body: (s: Scratch) => Promise<void>): Promise<void> {
  const live: DeviceBuffer[] = [];
  const workspace = new ConvWorkspace(device);
  try {
    await body({
      device, workspace,
      place(data, offset, dtype = "float32") {
        const b = device.alloc(offset + data.length + 3, dtype);
        live.push(b);
        const junk = dtype === "int32" ? new Int32Array(offset + data.length + 3).fill(-7) : new Float32Array(offset + data.length + 3).fill(1e6);
        junk.set(Array.from(data), offset);
        device.write(b, junk);
        return b;
      },
      async read(b, offset, length) {
        return Float64Array.from(await device.read(b, offset, length));
      },
    });
  } finally {
    for (const b of live) device.free(b);
    workspace.dispose();
  }
}

/** Elementwise a − b in float64. @internal */
export function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

/** A lazily computed, memoised value (expected results are shared by every device a case runs on). @internal */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value as T;
  };
}
