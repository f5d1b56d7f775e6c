/**
 * Validation of the geometry and views passed to non-BLAS device routines, shared by all devices.
 */
import { checkDim, checkInt, checkView, fail, type Sized } from "../validate.js";
import type { Conv2dGeometry, Pool2dGeometry } from "./geometry.js";

/**
 * The output size formula of the course: floor((I + pads − D·(K−1) − 1)/S) + 1.
 *
 * @example
 * ```ts
 * import { outputSize } from "@tessera/blas";
 * outputSize(227, 11, 4, 0, 0, 1); // 55 (AlexNet conv1)
 * ```
 */
export function outputSize(input: number, kernel: number, stride: number, padBefore: number, padAfter: number, dilation: number): number {
  return Math.floor((input + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

const SIZES = ["H", "W", "KH", "KW", "OH", "OW", "padTop", "padLeft", "padBottom", "padRight"] as const;
const STEPS = ["strideH", "strideW", "dilationH", "dilationW"] as const;

function checkWindow(fn: string, g: Pool2dGeometry | Conv2dGeometry): void {
  if (typeof g !== "object" || g === null) fail(fn, `geometry must be an object, got ${g}`);
  // Messages built only on failure: every convolution and pooling call runs this, between kernels.
  for (const k of SIZES) if (!Number.isInteger(g[k]) || g[k] < 0) checkDim(fn, `geometry.${k}`, g[k]);
  for (const k of STEPS) {
    if (!Number.isInteger(g[k])) checkInt(fn, `geometry.${k}`, g[k]);
    if (g[k] < 1) fail(fn, `geometry.${k} must be >= 1, got ${g[k]}`);
  }
  const oh = outputSize(g.H, g.KH, g.strideH, g.padTop, g.padBottom, g.dilationH);
  const ow = outputSize(g.W, g.KW, g.strideW, g.padLeft, g.padRight, g.dilationW);
  if (g.OH !== oh || g.OW !== ow) {
    fail(fn, `geometry output ${g.OH}×${g.OW} does not match the input ${g.H}×${g.W}, kernel ${g.KH}×${g.KW}, ` +
      `strides ${g.strideH},${g.strideW}, padding ${g.padTop},${g.padBottom},${g.padLeft},${g.padRight} and dilation ${g.dilationH},${g.dilationW}: expected ${oh}×${ow}`);
  }
}

/**
 * Convolution geometry: sizes, strides ≥ 1 and an output size consistent with {@link outputSize}.
 *
 * @example
 * ```ts
 * import { checkConvGeometry } from "@tessera/blas/validate";
 * // checkConvGeometry("im2col", g) throws naming the expected output size when g.OH/g.OW disagree
 * ```
 */
export function checkConvGeometry(fn: string, g: Conv2dGeometry): void {
  checkDim(fn, "geometry.C", g.C);
  checkWindow(fn, g);
}

/**
 * Pooling geometry: as {@link checkConvGeometry} without channels.
 *
 * @example
 * ```ts
 * import { checkPoolGeometry } from "@tessera/blas/validate";
 * // checkPoolGeometry("maxPool2d", g)
 * ```
 */
export function checkPoolGeometry(fn: string, g: Pool2dGeometry): void {
  checkWindow(fn, g);
}

/**
 * `count` contiguous planes of `planeSize` elements from `offset` lie inside the buffer.
 *
 * @example
 * ```ts
 * import { checkPlanes } from "@tessera/blas/validate";
 * checkPlanes("maxPool2d", "x", 3, 16, 0, 48);
 * ```
 */
export function checkPlanes(fn: string, name: string, count: number, planeSize: number, offset: number, buffer: Sized | number): void {
  checkView(fn, name, [count * planeSize], [1], offset, buffer);
}
