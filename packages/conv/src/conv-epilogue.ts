/**
 * The epilogue of {@link conv2dForward} at the tensor level: per-channel scale and shift over all
 * OC channels, a residual laid out as y, ReLU; its checks and its split into per-group device calls.
 */
import type { ConvEpilogue, Device, DeviceBuffer } from "@tessera/blas";
import { checkBuffer, fail } from "./validate.js";

/**
 * What {@link conv2dForward} applies to y after the bias, in this order and each rounded to float32:
 * `y = relu((conv + bias)·scale[oc] + shift[oc] + residual)` (every part optional). It runs while
 * the device's fused kernel stores y when the device has one for the geometry (the wasm implicit
 * GEMM), else as elementwise passes after the lowering (`applyConvEpilogue`), with the same
 * semantics. `residual` is `[N, OC, OH, OW]` contiguous at `offsetResidual`, as y; scale, shift and
 * residual must not overlap y. Unknown keys are rejected.
 *
 * @example
 * ```ts
 * import type { Conv2dEpilogue } from "@tessera/conv";
 * // BatchNorm in eval mode folded to scale and shift, then the ResNet block's residual and ReLU.
 * const e: Conv2dEpilogue = { scale, shift, residual: identity, relu: true };
 * ```
 */
export interface Conv2dEpilogue {
  /** `[OC]` factors (absent or null: 1). */ readonly scale?: DeviceBuffer | null;
  /** Offset of `scale` (default 0). */ readonly offsetScale?: number;
  /** `[OC]` addends after the scale (absent or null: 0). */ readonly shift?: DeviceBuffer | null;
  /** Offset of `shift` (default 0). */ readonly offsetShift?: number;
  /** `[N, OC, OH, OW]` added after the shift (absent or null: none). */ readonly residual?: DeviceBuffer | null;
  /** Offset of `residual` (default 0). */ readonly offsetResidual?: number;
  /** Clamp at zero last (default false). */ readonly relu?: boolean;
}

const KEYS = ["scale", "offsetScale", "shift", "offsetShift", "residual", "offsetResidual", "relu"];
const LABELS = { scale: "epilogue.scale", shift: "epilogue.shift", residual: "epilogue.residual" } as const;

/**
 * Checks an epilogue for y = `[N, OC, P]` at `offsetY` in `y`; returns null when it does nothing.
 * @internal
 */
export function checkEpilogue(fn: string, device: Device, e: Conv2dEpilogue | null | undefined, N: number, OC: number, P: number,
  y: DeviceBuffer, offsetY: number): Conv2dEpilogue | null {
  if (e === undefined || e === null) return null;
  if (typeof e !== "object" || Array.isArray(e)) fail(fn, `epilogue must be an object { scale, shift, residual, relu } or undefined, got ${typeof e}`);
  // No arrays, closures or strings unless failing: this runs between kernels (see fusedConv2d in @tessera/autograd).
  for (const k in e) if (Object.prototype.hasOwnProperty.call(e, k) && !KEYS.includes(k)) fail(fn, `epilogue has an unknown key '${k}' (expected ${KEYS.join(", ")})`);
  if (e.relu !== undefined && typeof e.relu !== "boolean") fail(fn, `epilogue.relu must be a boolean, got ${typeof e.relu}`);
  const Y = N * OC * P;
  checkPart(fn, device, "scale", e.scale, e.offsetScale, OC, y, offsetY, Y);
  checkPart(fn, device, "shift", e.shift, e.offsetShift, OC, y, offsetY, Y);
  checkPart(fn, device, "residual", e.residual, e.offsetResidual, Y, y, offsetY, Y);
  if (!e.scale && !e.shift && !e.residual && !e.relu) return null;
  return e;
}

/** One buffer part of an epilogue (`length` elements at its offset), apart from y's Y elements. */
function checkPart(fn: string, device: Device, name: "scale" | "shift" | "residual", b: DeviceBuffer | null | undefined, offset: number | undefined,
  length: number, y: DeviceBuffer, offsetY: number, Y: number): void {
  if (b === undefined || b === null) {
    if (offset !== undefined) fail(fn, `epilogue.offset${name[0].toUpperCase()}${name.slice(1)} needs an epilogue.${name}`);
    return;
  }
  const o = offset ?? 0;
  checkBuffer(fn, device, LABELS[name], b, o, length);
  if (b === y && length > 0 && Y > 0 && o < offsetY + Y && offsetY < o + length) fail(fn, `epilogue.${name} must not overlap y`);
}

/**
 * The device-level epilogue of channel group `gi` (OCg channels starting at `gi·OCg`), whose y
 * images start `yAt` elements after y's offset with `strideN` elements between them.
 * @internal
 */
export function groupEpilogue(e: Conv2dEpilogue, gi: number, OCg: number, yAt: number, strideN: number): ConvEpilogue {
  // One object of one shape (absent parts null, their offsets undefined), no spreads: it runs between kernels.
  return {
    scale: e.scale ?? null, offsetScale: e.scale ? (e.offsetScale ?? 0) + gi * OCg : undefined,
    shift: e.shift ?? null, offsetShift: e.shift ? (e.offsetShift ?? 0) + gi * OCg : undefined,
    residual: e.residual ?? null, offsetResidual: e.residual ? (e.offsetResidual ?? 0) + yAt : undefined,
    strideResidualN: e.residual ? strideN : undefined,
    relu: e.relu === true,
  };
}
