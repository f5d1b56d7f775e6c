import { counterUniform } from "../device/counter-rng.js";
import type { Device } from "../device/device.js";
import type { DeviceBuffer, HostArray } from "../device/buffer.js";

/**
 * Seeded test data in [−1, 1) (counter-based, so every run and device sees the same values).
 *
 * @example
 * ```ts
 * import { testData } from "@tessera/blas/testing";
 * const a = testData(16, 1);
 * ```
 */
export function testData(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = 2 * counterUniform(seed, i) - 1;
  return out;
}

/** Buffers of one case, freed together when the case ends (pass or fail). @internal */
export interface CaseBuffers {
  /** Allocates a device buffer holding a copy of `data`. */
  up(data: HostArray): DeviceBuffer;
  /** Allocates a zeroed buffer. */
  alloc(length: number, dtype?: "float32" | "int32"): DeviceBuffer;
  /** Reads a whole buffer back. */
  read(b: DeviceBuffer): Promise<HostArray>;
}

/** Runs `body` with a buffer tracker, then frees every buffer it allocated. @internal */
export async function withBuffers(device: Device, body: (b: CaseBuffers) => Promise<void>): Promise<void> {
  const live: DeviceBuffer[] = [];
  const alloc = (length: number, dtype: "float32" | "int32" = "float32") => {
    const b = device.alloc(length, dtype);
    live.push(b);
    return b;
  };
  try {
    await body({
      up(data) {
        const b = alloc(data.length, data instanceof Int32Array ? "int32" : "float32");
        device.write(b, data);
        return b;
      },
      alloc,
      read: (b) => device.read(b),
    });
  } finally {
    for (const b of live) device.free(b);
  }
}
