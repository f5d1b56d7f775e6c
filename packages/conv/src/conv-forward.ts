/**
 * Convolution forward on a device: im2col + sgemm per image and channel group (DESIGN.md §4),
 * or the batched variant, plus the bias.
 */
import { applyConvEpilogue, type Device, type DeviceBuffer } from "@tessera/blas";
import { checkEpilogue, groupEpilogue, type Conv2dEpilogue } from "./conv-epilogue.js";
import type { ResolvedConv2d } from "./conv-geometry.js";
import { gemmMajorView, groupOffsets, imageMajorView, prepareConv, runFused } from "./lowering.js";
import { checkBuffer } from "./validate.js";
import { useWinograd, winogradForward } from "./winograd.js";
import type { ConvWorkspace } from "./workspace.js";

const NT = "no-transpose";
const FORWARD_NAMES = ["x", "w", "y"] as const;

/**
 * y = conv2d(x, w) + bias on a device, all tensors contiguous: x NCHW `[N, C, H, W]` at `offsetX`,
 * w OIHW `[OC, C/groups, KH, KW]` at `offsetW`, bias `[OC]` (or null), y `[N, OC, OH, OW]` at
 * `offsetY` (overwritten). With `algorithm: 'winograd'`, or 'auto' where the device's hints favour
 * it, a 3×3 stride-1 convolution runs by Winograd (`Device.convForwardWinograd`). Otherwise,
 * unless `algorithm: 'im2col'`, a device that has a fused kernel for the geometry
 * (`Device.convForward`, the wasm device's implicit GEMM) runs it, one call per channel group. Otherwise, per image and channel group: `col = im2col(x)`, `y = W_g · col`;
 * 1×1 stride-1 unpadded kernels multiply x directly. With `imagesPerGemm > 1` the columns of
 * several images form one GEMM whose result is scattered into y (with the bias added on the way).
 * The optional `epilogue` (see {@link Conv2dEpilogue}: per-channel scale and shift, a residual,
 * ReLU) runs inside the device's fused kernel when it takes the geometry, else as elementwise
 * passes after the lowering, with the same result.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, conv2dForward, conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 2, 2]);
 * const x = jsDevice.alloc(9), w = jsDevice.alloc(4), y = jsDevice.alloc(4);
 * jsDevice.write(x, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * jsDevice.write(w, [1, 0, 0, 1]);
 * const ws = new ConvWorkspace(jsDevice);
 * conv2dForward(jsDevice, g, x, 0, w, 0, null, 0, y, 0, ws);
 * await jsDevice.read(y); // Float32Array [6, 8, 12, 14]
 * ```
 */
export function conv2dForward(
  device: Device, g: ResolvedConv2d,
  x: DeviceBuffer, offsetX: number, w: DeviceBuffer, offsetW: number,
  bias: DeviceBuffer | null, offsetBias: number, y: DeviceBuffer, offsetY: number,
  workspace: ConvWorkspace, epilogue?: Conv2dEpilogue | null,
): void {
  const fn = "conv2dForward";
  const d = prepareConv(fn, "forward", device, g, workspace, FORWARD_NAMES, x, offsetX, w, offsetW, y, offsetY);
  const { OCg, P, CHW } = d;
  const { N, OC } = g;
  if (bias !== null) checkBuffer(fn, device, "bias", bias, offsetBias, OC);
  const e = checkEpilogue(fn, device, epilogue, N, OC, P, y, offsetY);
  if (N === 0) return;
  if (useWinograd(fn, device, g, "forward")) {
    winogradForward(device, g, x, offsetX, w, offsetW, bias, offsetBias, y, offsetY, e === null ? null : groupEpilogue(e, 0, OC, 0, OC * P));
    return;
  }
  const fused = device.convForward?.bind(device);
  if (runFused(fn, device, g, d, fused && ((gi, at) => fused(g.group, N, OCg, x, offsetX + at.x, CHW, w, offsetW + at.w,
    bias, offsetBias + gi * OCg, y, offsetY + at.y, OC * P, e === null ? undefined : groupEpilogue(e, gi, OCg, at.y, OC * P))))) return;
  lowered(device, g, d, x, offsetX, w, offsetW, bias, offsetBias, y, offsetY, workspace);
  if (e !== null) applyConvEpilogue(device, N, OC, P, y, offsetY, OC * P, groupEpilogue(e, 0, OC, 0, OC * P));
}

/**
 * One call of {@link conv2dForward} for a fixed device and geometry, from a {@link conv2dForwardPlan}:
 * operands as conv2dForward's, the epilogue `null` when it has no part.
 * @internal
 */
export type Conv2dForwardRun = (x: DeviceBuffer, offsetX: number, w: DeviceBuffer, offsetW: number, bias: DeviceBuffer | null, offsetBias: number,
  y: DeviceBuffer, offsetY: number, workspace: ConvWorkspace, epilogue: Conv2dEpilogue | null) => void;

/**
 * {@link conv2dForward} for one device and geometry with its route chosen once: the device's
 * Winograd routine, its fused kernel (one channel group; the lowering when it declines), or
 * conv2dForward itself. The runner skips conv2dForward's checks of the buffers and the epilogue,
 * which the device routine repeats: its caller (autograd's `FusedConv2dPlan`) has run the same
 * operands' shapes through conv2dForward once and passes tensors of those shapes, a fresh `y`
 * and an epilogue without overlaps. Results are conv2dForward's, bit for bit.
 * @internal
 */
export function conv2dForwardPlan(device: Device, g: ResolvedConv2d): Conv2dForwardRun {
  const { N, OC } = g;
  const P = g.OH * g.OW, sxn = g.C * g.H * g.W, syn = OC * P;
  const general: Conv2dForwardRun = (x, ox, w, ow, b, ob, y, oy, ws, e) => conv2dForward(device, g, x, ox, w, ow, b, ob, y, oy, ws, e);
  if (N === 0) return general;
  if (useWinograd("conv2dForward", device, g, "forward")) {
    return (x, ox, w, ow, b, ob, y, oy, _ws, e) => winogradForward(device, g, x, ox, w, ow, b, ob, y, oy, e === null ? null : groupEpilogue(e, 0, OC, 0, syn));
  }
  if (g.algorithm === "im2col" || g.groups !== 1 || device.convForward === undefined) return general;
  return (x, ox, w, ow, b, ob, y, oy, ws, e) => {
    if (device.convForward!(g.group, N, OC, x, ox, sxn, w, ow, b, ob, y, oy, syn, e === null ? undefined : groupEpilogue(e, 0, OC, 0, syn))) return;
    general(x, ox, w, ow, b, ob, y, oy, ws, e);
  };
}

/** conv + bias by im2col + sgemm (one image per GEMM, or several with the result scattered). */
function lowered(device: Device, g: ResolvedConv2d, d: ReturnType<typeof prepareConv>, x: DeviceBuffer, offsetX: number, w: DeviceBuffer, offsetW: number,
  bias: DeviceBuffer | null, offsetBias: number, y: DeviceBuffer, offsetY: number, workspace: ConvWorkspace): void {
  const { OCg, K, P, HW, CHW, nb } = d;
  const { N, OC, groups } = g;
  if (nb === 1) {
    const col = g.direct ? null : workspace.get("col", K * P);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < groups; gi++) {
        const at = groupOffsets(g, d, n, gi);
        const xo = offsetX + at.x;
        const yo = offsetY + at.y;
        if (col === null) {
          device.sgemm(NT, NT, OCg, P, K, 1, w, K, 1, offsetW + at.w, x, HW, 1, xo, 0, y, P, 1, yo);
        } else {
          device.im2col(g.group, 1, x, xo, CHW, col, 0, P);
          device.sgemm(NT, NT, OCg, P, K, 1, w, K, 1, offsetW + at.w, col, P, 1, 0, 0, y, P, 1, yo);
        }
      }
    }
    if (bias !== null) {
      const yv = { buffer: y, offset: offsetY, strides: [OC * P, P, 1] };
      device.binary("add", [N, OC, P], yv, { buffer: bias, offset: offsetBias, strides: [0, 1, 0] }, yv);
    }
    return;
  }
  const col = workspace.get("col", K * nb * P);
  const tmp = workspace.get("gemm", OCg * nb * P);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    for (let gi = 0; gi < groups; gi++) {
      const at = groupOffsets(g, d, n0, gi);
      device.im2col(g.group, m, x, offsetX + at.x, CHW, col, 0, m * P);
      device.sgemm(NT, NT, OCg, m * P, K, 1, w, K, 1, offsetW + at.w, col, m * P, 1, 0, 0, tmp, m * P, 1, 0);
      const src = gemmMajorView(tmp, m, P);
      const dst = imageMajorView(y, offsetY, g, n0, gi);
      if (bias === null) device.unary("copy", [OCg, m, P], src, dst);
      else device.binary("add", [OCg, m, P], src, { buffer: bias, offset: offsetBias + gi * OCg, strides: [1, 0, 0] }, dst);
    }
  }
}

