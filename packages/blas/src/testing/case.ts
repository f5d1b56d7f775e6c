import type { Device } from "../device/device.js";

/**
 * One conformance check: runs a routine on a device and throws (with a precise message) when the
 * result differs from the reference beyond the named tolerance.
 *
 * @example
 * ```ts
 * import { conformanceCases } from "@tessera/blas/testing";
 * import { jsDevice } from "@tessera/blas";
 * for (const c of conformanceCases()) await c.run(jsDevice);
 * ```
 */
export interface ConformanceCase {
  /** Routine family: `sgemm`, `level1`, `level2`, `elementwise`, `reduce`, `conv`, `pool`, `random`, `errors`. */
  readonly group: string;
  /** Human-readable, unique description of the arguments. */
  readonly name: string;
  /** Runs the case on a device. */
  run(device: Device): Promise<void>;
}
