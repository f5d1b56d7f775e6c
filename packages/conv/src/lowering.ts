/**
 * Shared pieces of the im2col lowering: the per-group GEMM sizes and the images-per-GEMM policy.
 */
import type { Device, View } from "@tessera/blas";
import type { ResolvedConv2d } from "./conv-geometry.js";
import type { ConvWorkspace } from "./workspace.js";
import type { DeviceBuffer } from "@tessera/blas";
import { checkBuffer, fail } from "./validate.js";

/**
 * Column-buffer budget of a batched GEMM, in float32 elements (64 MiB): batching never lowers more
 * images at once than fit in it.
 */
export const BATCHED_COLUMN_BUDGET = 1 << 24;


/**
 * The three passes of a convolution.
 *
 * @example
 * ```ts
 * import type { ConvPass } from "@tessera/conv";
 * const p: ConvPass = "backwardFilter";
 * ```
 */
export type ConvPass = "forward" | "backwardData" | "backwardFilter";

/**
 * How many images one GEMM covers for `pass` on `device` when {@link Conv2dOptions.imagesPerGemm}
 * is not given: 1 unless the device's hints (`Device.hints`: `batchConvPasses`, `batchBelowMacs`,
 * each backend's own measurements) say the pass batches, otherwise as many as fit in
 * {@link BATCHED_COLUMN_BUDGET}. The js device gives no hints (batching did not pay there).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { conv2dGeometry, defaultImagesPerGemm } from "@tessera/conv";
 * defaultImagesPerGemm(jsDevice, conv2dGeometry([64, 6, 14, 14], [16, 6, 5, 5])); // 1
 * ```
 */
export function defaultImagesPerGemm(device: Device, g: ResolvedConv2d, pass: ConvPass = "forward"): number {
  if (!device.hints?.batchConvPasses?.includes(pass)) return 1;
  const { K, P, OCg } = groupDims(g);
  if (OCg * P * K >= (device.hints.batchBelowMacs ?? Infinity)) return 1;
  return Math.max(1, Math.min(g.N, Math.floor(BATCHED_COLUMN_BUDGET / Math.max(1, K * P))));
}

/** Sizes of one channel group's GEMM. @internal */
export interface GroupDims {
  /** Input channels per group. */ Cg: number;
  /** Output channels per group. */ OCg: number;
  /** GEMM depth: Cg·KH·KW. */ K: number;
  /** Output pixels per image: OH·OW. */ P: number;
  /** Input pixels per plane: H·W. */ HW: number;
  /** Elements of one input image: C·H·W. */ CHW: number;
}

/** The group sizes, and `nb` (images per GEMM, default 1) in the same object. @internal */
export function groupDims(g: ResolvedConv2d, nb = 1): GroupDims & { nb: number } {
  const Cg = g.C / g.groups;
  return { Cg, OCg: g.OC / g.groups, K: Cg * g.KH * g.KW, P: g.OH * g.OW, HW: g.H * g.W, CHW: g.C * g.H * g.W, nb };
}

/** Images per GEMM for this call, clamped to [1, N]. @internal */
export function imagesPerGemm(device: Device, g: ResolvedConv2d, pass: ConvPass): number {
  return Math.max(1, Math.min(g.N, g.imagesPerGemm ?? defaultImagesPerGemm(device, g, pass)));
}

/** The workspace must live on the device the call runs on. @internal */
export function checkWorkspace(fn: string, device: Device, workspace: ConvWorkspace): void {
  if (!workspace || typeof workspace.get !== "function") fail(fn, `workspace must be a ConvWorkspace, got ${String(workspace)}`);
  if (workspace.device !== device) fail(fn, `workspace was made for another device instance (named '${workspace.device.name}') than the one this call runs on ('${device.name}')`);
}

/**
 * The `[OCg, m, P]` view of output-channel group `gi` of images `n0 … n0+m−1` inside an NCHW
 * tensor with OC channels (image stride OC·P): the non-affine side of the batched GEMM.
 * @internal
 */
export function imageMajorView(buffer: View["buffer"], offset: number, g: ResolvedConv2d, n0: number, gi: number): View {
  const { OCg, P } = groupDims(g);
  return { buffer, offset: offset + n0 * g.OC * P + gi * OCg * P, strides: [P, g.OC * P, 1] };
}

/** The contiguous `[OCg, m·P]` GEMM side of the same data, seen as `[OCg, m, P]`. @internal */
export function gemmMajorView(buffer: View["buffer"], m: number, P: number): View {
  return { buffer, offset: 0, strides: [m * P, P, 1] };
}

/** Names of the input (N·C·H·W elements), weights (OC·K) and output (N·OC·OH·OW) of a pass, or of their gradients. */
export type ConvOperandNames = readonly [x: string, w: string, y: string];

/**
 * The common start of every convolution pass: checks the workspace and the three operands (named
 * by `names`) against the geometry, and returns the group sizes and how many images each GEMM
 * takes. (Positional operands: no per-call arrays, as this runs between kernels.)
 * @internal
 */
export function prepareConv(fn: string, pass: ConvPass, device: Device, g: ResolvedConv2d, workspace: ConvWorkspace, names: ConvOperandNames,
  x: DeviceBuffer, offsetX: number, w: DeviceBuffer, offsetW: number, y: DeviceBuffer, offsetY: number): GroupDims & { nb: number } {
  checkWorkspace(fn, device, workspace);
  const d = groupDims(g, imagesPerGemm(device, g, pass));
  checkBuffer(fn, device, names[0], x, offsetX, g.N * d.CHW);
  checkBuffer(fn, device, names[1], w, offsetW, g.OC * d.K);
  checkBuffer(fn, device, names[2], y, offsetY, g.N * g.OC * d.P);
  return d;
}

/**
 * Element offsets of image n, channel group gi inside x, y and w (NCHW / OIHW layouts).
 * @internal
 */
export function groupOffsets(g: ResolvedConv2d, d: GroupDims, n: number, gi: number): { x: number; y: number; w: number } {
  return { x: n * d.CHW + gi * d.Cg * d.HW, y: n * g.OC * d.P + gi * d.OCg * d.P, w: gi * d.OCg * d.K };
}

/**
 * Runs a device's fused convolution routine group by group unless `algorithm` is 'im2col', when the device
 * has it (`call` is undefined otherwise): `call(gi, offsets of group gi in image 0)` returns whether
 * the device took the group. A device declines on the first group or never (the geometry is the
 * same for every group). Returns whether the fused routine ran.
 * @internal
 */
export function runFused(fn: string, device: Device, g: ResolvedConv2d, d: GroupDims,
  call: ((gi: number, at: { x: number; y: number; w: number }) => boolean) | undefined): boolean {
  if (g.algorithm === "im2col" || call === undefined) return false;
  for (let gi = 0; gi < g.groups; gi++) {
    if (call(gi, groupOffsets(g, d, 0, gi))) continue;
    if (gi > 0) throw new Error(`${fn}: device '${device.name}' declined group ${gi} after taking group 0`);
    return false;
  }
  return true;
}
