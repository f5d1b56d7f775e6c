/**
 * The epilogue of `Device.convForward`: what is applied to each output element after the bias, in
 * one fixed order, while the tile is stored (per-channel scale and shift, a residual added, ReLU),
 * its argument checks, and the same semantics as separate elementwise passes for devices (and
 * geometries) that have no fused kernel.
 */
import { checkInt, checkView, fail } from "../validate.js";
import type { DeviceBuffer } from "./buffer.js";
import type { Device } from "./device.js";

/**
 * The optional epilogue of `Device.convForward`. For output element (n, oc, p), with `acc` the
 * convolution sum: `v = acc + bias[oc]`, then `v = v · scale[oc]`, `v = v + shift[oc]`,
 * `v = v + residual[n, oc, p]`, `v = max(v, 0)` (NaN stays NaN), each step only when its part is
 * given and each rounded to float32 (a BatchNorm in eval mode is scale = γ/√(var+ε),
 * shift = β − μ·scale; a ResNet block's `relu(bn(conv(x)) + identity)` is the whole chain).
 * `scale` and `shift` are `[OC]` vectors at their offsets; `residual` holds images `[OC, OH·OW]` at
 * `offsetResidual + n·strideResidualN` like y. None of them may overlap y. Unknown keys are
 * rejected, so a misspelt part is an error, not a silently skipped step.
 *
 * @example
 * ```ts
 * import type { ConvEpilogue } from "@tessera/blas";
 * // relu(conv(x)·scale + shift + r), r laid out as y: [N, 16, 10·10]
 * const e: ConvEpilogue = { scale, shift, residual: r, strideResidualN: 16 * 100, relu: true };
 * device.convForward?.(g, N, 16, x, 0, 6 * 14 * 14, w, 0, null, 0, y, 0, 16 * 100, e);
 * ```
 */
export interface ConvEpilogue {
  /** `[OC]` per-channel factor (null or absent: 1). */ readonly scale?: DeviceBuffer | null;
  /** Element offset of `scale` (default 0). */ readonly offsetScale?: number;
  /** `[OC]` per-channel addend after the scale (null or absent: 0). */ readonly shift?: DeviceBuffer | null;
  /** Element offset of `shift` (default 0). */ readonly offsetShift?: number;
  /** Images `[OC, OH·OW]` added after the shift, laid out as y (null or absent: none). */ readonly residual?: DeviceBuffer | null;
  /** Element offset of the residual's first image (default 0). */ readonly offsetResidual?: number;
  /** Elements between the residual's images (required with a residual). */ readonly strideResidualN?: number;
  /** Clamp at zero last (default false). */ readonly relu?: boolean;
}

/**
 * A {@link ConvEpilogue} after its checks: the device's own buffers, offsets resolved (what
 * `DeviceContract.convForward` returns for a device's kernel).
 *
 * @example
 * ```ts
 * const [xb, wb, bb, yb, e] = contract.convForward(g, N, OC, x, 0, sxn, w, 0, null, 0, y, 0, syn, { relu: true });
 * e?.relu; // true
 * ```
 */
export interface CheckedConvEpilogue<B> {
  /** Scale buffer or null. */ readonly scale: B | null;
  /** Its offset. */ readonly offsetScale: number;
  /** Shift buffer or null. */ readonly shift: B | null;
  /** Its offset. */ readonly offsetShift: number;
  /** Residual buffer or null. */ readonly residual: B | null;
  /** Its offset. */ readonly offsetResidual: number;
  /** Elements between its images (0 without a residual). */ readonly strideResidualN: number;
  /** Clamp at zero. */ readonly relu: boolean;
}

const EPILOGUE_KEYS = ["scale", "offsetScale", "shift", "offsetShift", "residual", "offsetResidual", "strideResidualN", "relu"];

/** The device's own buffer for an argument (a `DeviceContract`'s lookup). */
type Own<B> = (fn: string, name: string, buffer: DeviceBuffer) => B;

/** Element range [first, last] a view of `rows` rows of `size` elements `stride` apart covers (null when empty). */
function span(offset: number, rows: number, stride: number, size: number): [number, number] | null {
  if (rows === 0 || size === 0) return null;
  return [offset + Math.min(0, (rows - 1) * stride), offset + Math.max(0, (rows - 1) * stride) + size - 1];
}

function overlaps(a: [number, number] | null, b: [number, number] | null): boolean {
  return a !== null && b !== null && a[0] <= b[1] && b[0] <= a[1];
}

/**
 * Checks a convolution epilogue against the call's N, OC, pixels P and y; returns null for an
 * absent (undefined or null) epilogue. Used by `DeviceContract.convForward`.
 * @internal
 */
export function checkConvEpilogue<B extends { readonly length: number }>(fn: string, own: Own<B>, e: ConvEpilogue | null | undefined,
  N: number, OC: number, P: number, y: DeviceBuffer, offsetY: number, strideYN: number): CheckedConvEpilogue<B> | null {
  if (e === undefined || e === null) return null;
  if (typeof e !== "object" || Array.isArray(e)) fail(fn, `epilogue must be an object { scale, shift, residual, relu, … } or undefined, got ${typeof e}`);
  // No closures, and messages built only on failure: every fused convolution call runs this, between kernels.
  for (const k in e) {
    if (Object.prototype.hasOwnProperty.call(e, k) && !EPILOGUE_KEYS.includes(k)) fail(fn, `epilogue has an unknown key '${k}' (expected ${EPILOGUE_KEYS.join(", ")})`);
  }
  const ySpan = span(offsetY, N, strideYN, OC * P);
  const offsetScale = epilogueOffset(fn, "offsetScale", e.offsetScale), offsetShift = epilogueOffset(fn, "offsetShift", e.offsetShift);
  const offsetResidual = epilogueOffset(fn, "offsetResidual", e.offsetResidual);
  const scale = epilogueVector(fn, own, "epilogue.scale", e.scale, offsetScale, OC, y, ySpan);
  const shift = epilogueVector(fn, own, "epilogue.shift", e.shift, offsetShift, OC, y, ySpan);
  let residual: B | null = null, strideResidualN = 0;
  if (e.residual !== undefined && e.residual !== null) {
    if (e.strideResidualN === undefined) fail(fn, "epilogue.strideResidualN is required with a residual");
    checkInt(fn, "epilogue.strideResidualN", e.strideResidualN);
    strideResidualN = e.strideResidualN;
    residual = own(fn, "epilogue.residual", e.residual);
    checkView(fn, "epilogue.residual", [N, OC * P], [strideResidualN, 1], offsetResidual, residual.length);
    if (e.residual === y && overlaps(span(offsetResidual, N, strideResidualN, OC * P), ySpan)) fail(fn, "epilogue.residual must not overlap y");
  } else if (e.strideResidualN !== undefined || e.offsetResidual !== undefined) {
    fail(fn, "epilogue.strideResidualN and epilogue.offsetResidual need an epilogue.residual");
  }
  if (e.offsetScale !== undefined && scale === null) fail(fn, "epilogue.offsetScale needs an epilogue.scale");
  if (e.offsetShift !== undefined && shift === null) fail(fn, "epilogue.offsetShift needs an epilogue.shift");
  if (e.relu !== undefined && typeof e.relu !== "boolean") fail(fn, `epilogue.relu must be a boolean, got ${typeof e.relu}`);
  return { scale, offsetScale, shift, offsetShift, residual, offsetResidual, strideResidualN, relu: e.relu === true };
}

/** An epilogue offset: 0 when absent, else an integer. */
function epilogueOffset(fn: string, name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v)) checkInt(fn, `epilogue.${name}`, v);
  return v;
}

/** The device's buffer of an `[OC]` epilogue vector at offset `o` (null when absent), apart from y. */
function epilogueVector<B extends { readonly length: number }>(fn: string, own: Own<B>, label: string, b: DeviceBuffer | null | undefined, o: number,
  OC: number, y: DeviceBuffer, ySpan: [number, number] | null): B | null {
  if (b === undefined || b === null) return null;
  const own1 = own(fn, label, b);
  checkView(fn, label, [OC], [1], o, own1.length);
  if (b === y && overlaps(span(o, 1, 0, OC), ySpan)) fail(fn, `${label} must not overlap y`);
  return own1;
}

/**
 * Applies a convolution epilogue to y (N images `[OC, P]` at `offsetY + n·strideYN`, already
 * holding conv + bias) with the device's elementwise routines, one pass per part in the order of
 * {@link ConvEpilogue}: the semantics every fused kernel must match, and what `@tessera/conv` runs
 * when the device has no fused kernel for the geometry. The epilogue must have passed the device's
 * `convForward` checks (or be checked by the elementwise routines' own).
 *
 * @example
 * ```ts
 * import { applyConvEpilogue, jsDevice } from "@tessera/blas";
 * const y = jsDevice.alloc(4), s = jsDevice.alloc(1);
 * jsDevice.write(y, [-1, 2, -3, 4]);
 * jsDevice.write(s, [2]);
 * applyConvEpilogue(jsDevice, 1, 1, 4, y, 0, 4, { scale: s, relu: true });
 * await jsDevice.read(y); // Float32Array [0, 4, 0, 8]
 * ```
 */
export function applyConvEpilogue(device: Device, N: number, OC: number, P: number, y: DeviceBuffer, offsetY: number, strideYN: number, e: ConvEpilogue): void {
  const shape = [N, OC, P];
  const yv = { buffer: y, offset: offsetY, strides: [strideYN, P, 1] };
  const channel = (b: DeviceBuffer, offset: number | undefined) => ({ buffer: b, offset: offset ?? 0, strides: [0, 1, 0] });
  if (e.scale) device.binary("mul", shape, yv, channel(e.scale, e.offsetScale), yv);
  if (e.shift) device.binary("add", shape, yv, channel(e.shift, e.offsetShift), yv);
  if (e.residual) {
    if (e.strideResidualN === undefined) fail("applyConvEpilogue", "epilogue.strideResidualN is required with a residual");
    device.binary("add", shape, yv, { buffer: e.residual, offset: e.offsetResidual ?? 0, strides: [e.strideResidualN, P, 1] }, yv);
  }
  if (e.relu) device.unary("relu", shape, yv, yv);
}
