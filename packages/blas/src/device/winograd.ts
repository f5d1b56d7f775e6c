/**
 * Where Winograd F(2×2, 3×3) applies, shared by the devices that implement it and `@tessera/conv`
 * that chooses it.
 */
import type { Conv2dGeometry } from "./geometry.js";

/**
 * Why the Winograd routines (`Device.convForwardWinograd`, `Device.convBackwardDataWinograd`)
 * cannot compute a convolution, or null when they can: the kernel must be 3×3 with stride 1 and
 * dilation 1, and no side may be padded by more than 2 (backward-data runs as a forward
 * convolution padded by 2 − padding, which must not be negative). Channel groups are the caller's
 * business (the routines see one group).
 *
 * @example
 * ```ts
 * import { winogradIncompatibility, type Conv2dGeometry } from "@tessera/blas";
 * const g: Conv2dGeometry = { C: 64, H: 56, W: 56, KH: 3, KW: 3, strideH: 2, strideW: 2,
 *   padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 28, OW: 28 };
 * winogradIncompatibility(g); // "stride must be 1, got 2,2"
 * ```
 */
export function winogradIncompatibility(g: Conv2dGeometry): string | null {
  if (g.KH !== 3 || g.KW !== 3) return `the kernel must be 3×3, got ${g.KH}×${g.KW}`;
  if (g.strideH !== 1 || g.strideW !== 1) return `stride must be 1, got ${g.strideH},${g.strideW}`;
  if (g.dilationH !== 1 || g.dilationW !== 1) return `dilation must be 1, got ${g.dilationH},${g.dilationW}`;
  const pads = [g.padTop, g.padBottom, g.padLeft, g.padRight];
  if (pads.some((p) => p > 2)) return `padding must be at most 2 on every side, got ${pads.join(",")} (top, bottom, left, right)`;
  return null;
}

/**
 * The forward convolution whose output is backward-data of the stride-1 3×3 convolution `g` with
 * `OC` output channels: it reads dy (OC channels of OH×OW) padded by 2 − padding on each side
 * and writes H×W planes of g.C channels, with the weights transposed and flipped.
 * @internal
 */
export function winogradBackwardGeometry(g: Conv2dGeometry, OC: number): Conv2dGeometry {
  return {
    C: OC, H: g.OH, W: g.OW, KH: 3, KW: 3, strideH: 1, strideW: 1,
    padTop: 2 - g.padTop, padBottom: 2 - g.padBottom, padLeft: 2 - g.padLeft, padRight: 2 - g.padRight,
    dilationH: 1, dilationW: 1, OH: g.H, OW: g.W,
  };
}
