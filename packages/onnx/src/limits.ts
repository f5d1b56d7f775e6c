/**
 * Bounds applied to every ONNX file before anything is allocated: a file from outside is hostile
 * until checked. Each bound can be raised through {@link OnnxLimits} in the options of `importOnnx`.
 */

/**
 * Limits on what an imported ONNX file may ask for. Defaults suit models up to a few hundred
 * million parameters.
 *
 * @example
 * ```ts
 * import type { OnnxLimits } from "@tessera/onnx";
 * const limits: OnnxLimits = { maxTensorElements: 1 << 20 };
 * ```
 */
export interface OnnxLimits {
  /** Largest file accepted, in bytes (default 2 GiB − 1, protobuf's own limit). */
  readonly maxBytes?: number;
  /** Most elements in one tensor: an initializer, a Constant, a graph input's declared shape or a Pad's output (default 2^28). */
  readonly maxTensorElements?: number;
  /** Most elements over all initializers (default 2^29). */
  readonly maxTotalElements?: number;
  /** Most dimensions of a tensor (default 8). */
  readonly maxRank?: number;
  /** Most nodes in the graph (default 100,000). */
  readonly maxNodes?: number;
}

/** The limits with every default filled in. @internal */
export interface ResolvedLimits {
  readonly maxBytes: number;
  readonly maxTensorElements: number;
  readonly maxTotalElements: number;
  readonly maxRank: number;
  readonly maxNodes: number;
}

/** Fills in the defaults and checks the given values. @internal */
export function resolveLimits(o: OnnxLimits = {}): ResolvedLimits {
  const r: ResolvedLimits = {
    maxBytes: o.maxBytes ?? 2 ** 31 - 1,
    maxTensorElements: o.maxTensorElements ?? 2 ** 28,
    maxTotalElements: o.maxTotalElements ?? 2 ** 29,
    maxRank: o.maxRank ?? 8,
    maxNodes: o.maxNodes ?? 100_000,
  };
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`importOnnx: limits.${k} must be a positive integer, got ${v}`);
  }
  return r;
}

/**
 * Checks dims (int64 from the file) one by one before multiplying, so a huge or negative dimension is
 * refused before any allocation; returns them as numbers.
 * @internal
 */
export function checkDims(what: string, dims: readonly (bigint | number)[], limits: ResolvedLimits): number[] {
  if (dims.length > limits.maxRank) throw new RangeError(`importOnnx: ${what} has ${dims.length} dimensions, more than the limit of ${limits.maxRank}`);
  const out: number[] = [];
  let n = 1;
  for (const d of dims) {
    const v = typeof d === "bigint" ? d : BigInt(d);
    if (v < 0n) throw new RangeError(`importOnnx: ${what} has a negative dimension ${v} in [${dims.join(",")}]`);
    if (v > BigInt(limits.maxTensorElements)) {
      throw new RangeError(`importOnnx: ${what} has dimension ${v} in [${dims.join(",")}], more than the limit of ${limits.maxTensorElements} elements`);
    }
    n *= Number(v);
    if (n > limits.maxTensorElements) {
      throw new RangeError(`importOnnx: ${what} of shape [${dims.join(",")}] has more than ${limits.maxTensorElements} elements (the limit)`);
    }
    out.push(Number(v));
  }
  return out;
}
