/**
 * Transposed convolution on a device, on top of the convolution passes of its adjoint convolution
 * (`ResolvedConvTranspose2d.conv`): forward = that convolution's backward-data, backward-data = its
 * forward, backward-filter = its backward-filter with input and output gradient swapped. Output
 * rows (columns) beyond the kernel's reach (`reach`) hold only the bias; the passes then run on a
 * contiguous copy of the reached part.
 */
import type { Device, DeviceBuffer, View } from "@tessera/blas";
import { biasGradient, conv2dBackwardData, conv2dBackwardFilter } from "./conv-backward.js";
import { conv2dForward } from "./conv-forward.js";
import type { ResolvedConvTranspose2d } from "./conv-transpose-geometry.js";
import { checkWorkspace } from "./lowering.js";
import { checkBuffer } from "./validate.js";
import type { ConvWorkspace } from "./workspace.js";

/** Elements of the input, weight and output. */
function sizes(g: ResolvedConvTranspose2d): { x: number; w: number; y: number } {
  return { x: g.N * g.C * g.H * g.W, w: g.C * (g.OC / g.groups) * g.KH * g.KW, y: g.N * g.OC * g.OH * g.OW };
}

/** True when the kernel reaches the whole output (no copy of the reached part is needed). */
function reachesAll(g: ResolvedConvTranspose2d): boolean {
  return g.reach[0] === g.OH && g.reach[1] === g.OW;
}

/** The reached `[N·OC, rows, columns]` part of an output-shaped tensor, or of its contiguous copy. */
function reachedView(g: ResolvedConvTranspose2d, buffer: DeviceBuffer, offset: number, inFull: boolean): View {
  const [rh, rw] = g.reach;
  return inFull ? { buffer, offset, strides: [g.OH * g.OW, g.OW, 1] } : { buffer, offset, strides: [rh * rw, rw, 1] };
}

/**
 * y = conv_transpose2d(x, w) + bias on a device, all tensors contiguous: x NCHW `[N, C, H, W]` at
 * `offsetX`, w `[C, OC/groups, KH, KW]` at `offsetW`, bias `[OC]` (or null), y `[N, OC, OH, OW]` at
 * `offsetY` (overwritten). Runs `conv2dBackwardData` of the adjoint convolution, so a device's fused
 * backward-data kernel serves it under `algorithm: 'auto'`.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, convTranspose2dForward, convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], { stride: 2 });
 * const x = jsDevice.alloc(4), w = jsDevice.alloc(4), y = jsDevice.alloc(16);
 * jsDevice.write(x, [1, 2, 3, 4]);
 * jsDevice.write(w, [1, 0, 0, 1]);
 * convTranspose2dForward(jsDevice, g, x, 0, w, 0, null, 0, y, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(y); // Float32Array [1, 0, 2, 0, 0, 1, 0, 2, 3, 0, 4, 0, 0, 3, 0, 4]
 * ```
 */
export function convTranspose2dForward(
  device: Device, g: ResolvedConvTranspose2d,
  x: DeviceBuffer, offsetX: number, w: DeviceBuffer, offsetW: number,
  bias: DeviceBuffer | null, offsetBias: number, y: DeviceBuffer, offsetY: number,
  workspace: ConvWorkspace,
): void {
  const fn = "convTranspose2dForward";
  checkWorkspace(fn, device, workspace);
  const n = sizes(g);
  checkBuffer(fn, device, "x", x, offsetX, n.x);
  checkBuffer(fn, device, "w", w, offsetW, n.w);
  checkBuffer(fn, device, "y", y, offsetY, n.y);
  if (bias !== null) checkBuffer(fn, device, "bias", bias, offsetBias, g.OC);
  if (g.N === 0) return;
  device.fill([n.y], 0, { buffer: y, offset: offsetY, strides: [1] });
  if (g.conv !== null) {
    if (reachesAll(g)) {
      conv2dBackwardData(device, g.conv, w, offsetW, x, offsetX, y, offsetY, workspace);
    } else {
      const [rh, rw] = g.reach;
      const part = workspace.get("transposeReach", g.N * g.OC * rh * rw);
      device.fill([g.N * g.OC * rh * rw], 0, { buffer: part, offset: 0, strides: [1] });
      conv2dBackwardData(device, g.conv, w, offsetW, x, offsetX, part, 0, workspace);
      device.unary("copy", [g.N * g.OC, rh, rw], reachedView(g, part, 0, false), reachedView(g, y, offsetY, true));
    }
  }
  if (bias !== null) {
    const P = g.OH * g.OW;
    const yv = { buffer: y, offset: offsetY, strides: [g.OC * P, P, 1] };
    device.binary("add", [g.N, g.OC, P], yv, { buffer: bias, offset: offsetBias, strides: [0, 1, 0] }, yv);
  }
}

/**
 * The output gradient dy restricted to the reached part, contiguous: dy itself when the kernel
 * reaches the whole output, else a copy in the workspace.
 */
function reachedGradient(device: Device, g: ResolvedConvTranspose2d, dy: DeviceBuffer, offsetDy: number, workspace: ConvWorkspace): [DeviceBuffer, number] {
  if (reachesAll(g)) return [dy, offsetDy];
  const [rh, rw] = g.reach;
  const part = workspace.get("transposeReach", g.N * g.OC * rh * rw);
  device.unary("copy", [g.N * g.OC, rh, rw], reachedView(g, dy, offsetDy, true), reachedView(g, part, 0, false));
  return [part, 0];
}

/**
 * dx += ∂L/∂x of a transposed convolution, given dy = ∂L/∂y `[N, OC, OH, OW]` and the weight: the
 * forward pass of the adjoint convolution on dy (into the workspace, then added to dx).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, convTranspose2dBackwardData, convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], { stride: 2 });
 * const w = jsDevice.alloc(4), dy = jsDevice.alloc(16), dx = jsDevice.alloc(4);
 * jsDevice.write(w, [1, 0, 0, 1]);
 * jsDevice.write(dy, Array.from({ length: 16 }, (_, i) => i));
 * convTranspose2dBackwardData(jsDevice, g, w, 0, dy, 0, dx, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dx); // Float32Array [5, 9, 21, 25]
 * ```
 */
export function convTranspose2dBackwardData(
  device: Device, g: ResolvedConvTranspose2d,
  w: DeviceBuffer, offsetW: number, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number,
  workspace: ConvWorkspace,
): void {
  const fn = "convTranspose2dBackwardData";
  checkWorkspace(fn, device, workspace);
  const n = sizes(g);
  checkBuffer(fn, device, "w", w, offsetW, n.w);
  checkBuffer(fn, device, "dy", dy, offsetDy, n.y);
  checkBuffer(fn, device, "dx", dx, offsetDx, n.x);
  if (g.N === 0 || g.conv === null) return;
  const [src, offsetSrc] = reachedGradient(device, g, dy, offsetDy, workspace);
  const grad = workspace.get("transposeGrad", n.x);
  conv2dForward(device, g.conv, src, offsetSrc, w, offsetW, null, 0, grad, 0, workspace);
  device.saxpy(n.x, 1, grad, 1, 0, dx, 1, offsetDx);
}

/**
 * dw += ∂L/∂w of a transposed convolution, given the input x and dy: the backward-filter pass of
 * the adjoint convolution with dy as its input and x as its output gradient.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, convTranspose2dBackwardFilter, convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], { stride: 2 });
 * const x = jsDevice.alloc(4), dy = jsDevice.alloc(16), dw = jsDevice.alloc(4);
 * jsDevice.write(x, [1, 0, 0, 0]);
 * jsDevice.write(dy, Array.from({ length: 16 }, (_, i) => i));
 * convTranspose2dBackwardFilter(jsDevice, g, x, 0, dy, 0, dw, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dw); // Float32Array [0, 1, 4, 5]
 * ```
 */
export function convTranspose2dBackwardFilter(
  device: Device, g: ResolvedConvTranspose2d,
  x: DeviceBuffer, offsetX: number, dy: DeviceBuffer, offsetDy: number, dw: DeviceBuffer, offsetDw: number,
  workspace: ConvWorkspace,
): void {
  const fn = "convTranspose2dBackwardFilter";
  checkWorkspace(fn, device, workspace);
  const n = sizes(g);
  checkBuffer(fn, device, "x", x, offsetX, n.x);
  checkBuffer(fn, device, "dy", dy, offsetDy, n.y);
  checkBuffer(fn, device, "dw", dw, offsetDw, n.w);
  if (g.N === 0 || g.conv === null) return;
  const [src, offsetSrc] = reachedGradient(device, g, dy, offsetDy, workspace);
  conv2dBackwardFilter(device, g.conv, src, offsetSrc, x, offsetX, dw, offsetDw, workspace);
}

/**
 * db += ∂L/∂bias of a transposed convolution: the sum of dy over the batch and every output pixel
 * (the ones beyond the kernel's reach included).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, convTranspose2dBackwardBias, convTranspose2dGeometry } from "@tessera/conv";
 * const g = convTranspose2dGeometry([1, 1, 1, 1], [1, 1, 2, 2]);
 * const dy = jsDevice.alloc(4), db = jsDevice.alloc(1);
 * jsDevice.write(dy, [1, 2, 3, 4]);
 * convTranspose2dBackwardBias(jsDevice, g, dy, 0, db, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(db); // Float32Array [10]
 * ```
 */
export function convTranspose2dBackwardBias(
  device: Device, g: ResolvedConvTranspose2d, dy: DeviceBuffer, offsetDy: number, db: DeviceBuffer, offsetDb: number,
  workspace: ConvWorkspace,
): void {
  biasGradient("convTranspose2dBackwardBias", device, g.N, g.OC, g.OH * g.OW, dy, offsetDy, db, offsetDb, workspace);
}
