/**
 * Max and average pooling on a device, over NCHW tensors (one device call over N·C planes).
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import { checkWorkspace } from "./lowering.js";
import type { ResolvedPool2d } from "./pool-geometry.js";
import { checkBuffer } from "./validate.js";
import type { ConvWorkspace } from "./workspace.js";

function checkPoolBuffers(fn: string, device: Device, p: ResolvedPool2d, xName: string, x: DeviceBuffer, ox: number, yName: string, y: DeviceBuffer, oy: number): void {
  checkBuffer(fn, device, xName, x, ox, p.N * p.C * p.H * p.W);
  checkBuffer(fn, device, yName, y, oy, p.N * p.C * p.OH * p.OW);
}

/**
 * Max pooling: y `[N, C, OH, OW]` and, for the backward pass, argmax (int32, same shape) = the
 * flat index `ih·W + iw` of the maximum within its H×W plane; ties go to the first index in
 * row-major window order, as in PyTorch. Padded cells never win; a window that covers no input
 * cell (possible only with dilation) yields −∞ with argmax −1, which the backward pass skips.
 * `argmax` null: y only (inference; the wasm device is faster without the indices).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { maxPool2dForward, pool2dGeometry } from "@tessera/conv";
 * const p = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2 });
 * const x = jsDevice.alloc(4), y = jsDevice.alloc(1), arg = jsDevice.alloc(1, "int32");
 * jsDevice.write(x, [1, 4, 4, 2]);
 * maxPool2dForward(jsDevice, p, x, 0, y, 0, arg, 0);
 * await jsDevice.read(arg); // Int32Array [1]
 * ```
 */
export function maxPool2dForward(device: Device, p: ResolvedPool2d, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, argmax: DeviceBuffer | null, offsetArgmax: number): void {
  const fn = "maxPool2dForward";
  checkPoolBuffers(fn, device, p, "x", x, offsetX, "y", y, offsetY);
  if (argmax !== null) checkBuffer(fn, device, "argmax", argmax, offsetArgmax, p.N * p.C * p.OH * p.OW, "int32");
  if (p.N === 0) return;
  device.maxPool2d(p.geometry, p.N * p.C, x, offsetX, y, offsetY, argmax, offsetArgmax);
}

/**
 * dx += the max-pooling gradient: each dy cell goes to its argmax (overlapping windows add up).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { maxPool2dBackward, pool2dGeometry } from "@tessera/conv";
 * const p = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2 });
 * const dy = jsDevice.alloc(1), arg = jsDevice.alloc(1, "int32"), dx = jsDevice.alloc(4);
 * jsDevice.write(dy, [5]);
 * jsDevice.write(arg, new Int32Array([1]));
 * maxPool2dBackward(jsDevice, p, dy, 0, arg, 0, dx, 0);
 * await jsDevice.read(dx); // Float32Array [0, 5, 0, 0]
 * ```
 */
export function maxPool2dBackward(device: Device, p: ResolvedPool2d, dy: DeviceBuffer, offsetDy: number, argmax: DeviceBuffer, offsetArgmax: number, dx: DeviceBuffer, offsetDx: number): void {
  const fn = "maxPool2dBackward";
  checkPoolBuffers(fn, device, p, "dx", dx, offsetDx, "dy", dy, offsetDy);
  checkBuffer(fn, device, "argmax", argmax, offsetArgmax, p.N * p.C * p.OH * p.OW, "int32");
  if (p.N === 0) return;
  device.maxPool2dBackward(p.geometry, p.N * p.C, dy, offsetDy, argmax, offsetArgmax, dx, offsetDx);
}

/** Window extent along one dimension clipped at `limit` (PyTorch's `min(start + k, I + pad)`). */
function clipped(start: number, kernel: number, limit: number): number {
  return Math.min(start + kernel, limit) - start;
}

/**
 * Per-output factors that turn the device's divisor into PyTorch's when ceil mode added cells:
 * PyTorch counts padding only up to the user's padding, the device up to padBottom/padRight
 * (which include the ceil-mode cells). Null when no window is affected.
 * @internal
 */
export function ceilDivisorFactors(p: ResolvedPool2d, countIncludePad: boolean): Float64Array | null {
  const g = p.geometry;
  if (!countIncludePad || (g.padBottom === p.padding[1] && g.padRight === p.padding[3])) return null;
  const factors = (out: number, stride: number, before: number, kernel: number, input: number, deviceAfter: number, userAfter: number) =>
    Array.from({ length: out }, (_, o) => {
      const start = o * stride - before;
      return clipped(start, kernel, input + deviceAfter) / clipped(start, kernel, input + userAfter);
    });
  const rows = factors(p.OH, g.strideH, g.padTop, g.KH, p.H, g.padBottom, p.padding[1]);
  const cols = factors(p.OW, g.strideW, g.padLeft, g.KW, p.W, g.padRight, p.padding[3]);
  if (rows.every((r) => r === 1) && cols.every((c) => c === 1)) return null;
  const map = new Float64Array(p.OH * p.OW);
  for (let i = 0; i < p.OH; i++) for (let j = 0; j < p.OW; j++) map[i * p.OW + j] = rows[i] * cols[j];
  return map;
}

/**
 * Average pooling with PyTorch's divisor: with `countIncludePad` the window's cells inside the
 * padded input (the user's padding, not the cells ceil mode adds), otherwise only the cells inside
 * the input.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, avgPool2dForward, pool2dGeometry } from "@tessera/conv";
 * const p = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2 });
 * const x = jsDevice.alloc(4), y = jsDevice.alloc(1);
 * jsDevice.write(x, [1, 2, 3, 4]);
 * avgPool2dForward(jsDevice, p, true, x, 0, y, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(y); // Float32Array [2.5]
 * ```
 */
export function avgPool2dForward(device: Device, p: ResolvedPool2d, countIncludePad: boolean, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, workspace: ConvWorkspace): void {
  const fn = "avgPool2dForward";
  checkWorkspace(fn, device, workspace);
  checkPoolBuffers(fn, device, p, "x", x, offsetX, "y", y, offsetY);
  if (p.N === 0) return;
  device.avgPool2d(p.geometry, p.N * p.C, countIncludePad, x, offsetX, y, offsetY);
  const factors = ceilDivisorFactors(p, countIncludePad);
  if (factors === null) return;
  const P = p.OH * p.OW;
  const map = workspace.get("scale", P);
  device.write(map, factors);
  const yv = { buffer: y, offset: offsetY, strides: [P, 1] };
  device.binary("mul", [p.N * p.C, P], yv, { buffer: map, offset: 0, strides: [0, 1] }, yv);
}

/**
 * dx += the average-pooling gradient (the adjoint of {@link avgPool2dForward}).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, avgPool2dBackward, pool2dGeometry } from "@tessera/conv";
 * const p = pool2dGeometry([1, 1, 2, 2], { kernelSize: 2 });
 * const dy = jsDevice.alloc(1), dx = jsDevice.alloc(4);
 * jsDevice.write(dy, [4]);
 * avgPool2dBackward(jsDevice, p, true, dy, 0, dx, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dx); // Float32Array [1, 1, 1, 1]
 * ```
 */
export function avgPool2dBackward(device: Device, p: ResolvedPool2d, countIncludePad: boolean, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number, workspace: ConvWorkspace): void {
  const fn = "avgPool2dBackward";
  checkWorkspace(fn, device, workspace);
  checkPoolBuffers(fn, device, p, "dx", dx, offsetDx, "dy", dy, offsetDy);
  if (p.N === 0) return;
  const factors = ceilDivisorFactors(p, countIncludePad);
  if (factors === null) {
    device.avgPool2dBackward(p.geometry, p.N * p.C, countIncludePad, dy, offsetDy, dx, offsetDx);
    return;
  }
  const P = p.OH * p.OW;
  const map = workspace.get("scale", P);
  device.write(map, factors);
  const scaled = workspace.get("pool", p.N * p.C * P);
  device.binary("mul", [p.N * p.C, P], { buffer: dy, offset: offsetDy, strides: [P, 1] }, { buffer: map, offset: 0, strides: [0, 1] }, { buffer: scaled, offset: 0, strides: [P, 1] });
  device.avgPool2dBackward(p.geometry, p.N * p.C, countIncludePad, scaled, 0, dx, offsetDx);
}
