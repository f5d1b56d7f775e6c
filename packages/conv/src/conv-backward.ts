/**
 * Convolution backward on a device (DESIGN.md §4): data = sgemm + col2im (accumulating), filter =
 * im2col + sgemm with a transposed operand, bias = a reduction. All three accumulate (`+=`), so a
 * tensor used twice just works; zero the gradients first for plain assignment.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import type { ResolvedConv2d } from "./conv-geometry.js";
import { checkWorkspace, gemmMajorView, groupOffsets, imageMajorView, prepareConv, runFused } from "./lowering.js";
import { checkBuffer } from "./validate.js";
import { useWinograd, winogradBackwardData } from "./winograd.js";
import type { ConvWorkspace } from "./workspace.js";

const NT = "no-transpose";
const T = "transpose";
const BACKWARD_DATA_NAMES = ["dx", "w", "dy"] as const;
const BACKWARD_FILTER_NAMES = ["x", "dw", "dy"] as const;

/**
 * dx += ∂L/∂x of a convolution, given dy = ∂L/∂y `[N, OC, OH, OW]` and the weight: by Winograd
 * (`Device.convBackwardDataWinograd`) with `algorithm: 'winograd'`, or 'auto' where the device's
 * hints favour it; else, unless `algorithm: 'im2col'`, the device's fused kernel when it has one for the geometry
 * (`Device.convBackwardData`, the wasm device's implicit GEMM for stride 1), one call per channel
 * group; otherwise per image and group `dcol = W_gᵀ · dy`, `dx += col2im(dcol)` (1×1 stride-1
 * unpadded kernels: `dx += W_gᵀ · dy`).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, conv2dBackwardData, conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 2, 2]);
 * const w = jsDevice.alloc(4), dy = jsDevice.alloc(4), dx = jsDevice.alloc(9);
 * jsDevice.write(w, [1, 0, 0, 1]);
 * jsDevice.write(dy, [1, 1, 1, 1]);
 * conv2dBackwardData(jsDevice, g, w, 0, dy, 0, dx, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dx); // Float32Array [1, 1, 0, 1, 2, 1, 0, 1, 1]
 * ```
 */
export function conv2dBackwardData(
  device: Device, g: ResolvedConv2d,
  w: DeviceBuffer, offsetW: number, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number,
  workspace: ConvWorkspace,
): void {
  const d = prepareConv("conv2dBackwardData", "backwardData", device, g, workspace, BACKWARD_DATA_NAMES, dx, offsetDx, w, offsetW, dy, offsetDy);
  const { OCg, K, P, HW, CHW, nb } = d;
  const { N, groups } = g;
  if (N === 0) return;
  if (useWinograd("conv2dBackwardData", device, g, "backwardData")) return winogradBackwardData(device, g, w, offsetW, dy, offsetDy, dx, offsetDx);
  const fused = device.convBackwardData?.bind(device);
  if (runFused("conv2dBackwardData", device, g, d, fused && ((_gi, at) => fused(g.group, N, OCg, w, offsetW + at.w, dy, offsetDy + at.y, g.OC * P,
    dx, offsetDx + at.x, CHW)))) return;
  if (nb === 1) {
    const col = g.direct ? null : workspace.get("col", K * P);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < groups; gi++) {
        const at = groupOffsets(g, d, n, gi);
        const wo = offsetW + at.w;
        const dyo = offsetDy + at.y;
        const dxo = offsetDx + at.x;
        if (col === null) {
          device.sgemm(T, NT, K, P, OCg, 1, w, K, 1, wo, dy, P, 1, dyo, 1, dx, HW, 1, dxo);
        } else {
          device.sgemm(T, NT, K, P, OCg, 1, w, K, 1, wo, dy, P, 1, dyo, 0, col, P, 1, 0);
          device.col2im(g.group, 1, col, 0, P, dx, dxo, CHW);
        }
      }
    }
    return;
  }
  const col = workspace.get("col", K * nb * P);
  const tmp = workspace.get("gemm", OCg * nb * P);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    for (let gi = 0; gi < groups; gi++) {
      const at = groupOffsets(g, d, n0, gi);
      device.unary("copy", [OCg, m, P], imageMajorView(dy, offsetDy, g, n0, gi), gemmMajorView(tmp, m, P));
      device.sgemm(T, NT, K, m * P, OCg, 1, w, K, 1, offsetW + at.w, tmp, m * P, 1, 0, 0, col, m * P, 1, 0);
      device.col2im(g.group, m, col, 0, m * P, dx, offsetDx + at.x, CHW);
    }
  }
}

/**
 * dw += ∂L/∂w of a convolution, given the input x and dy: unless `algorithm: 'im2col'`,
 * the device's fused kernel when it has one for the geometry (`Device.convBackwardFilter`, the wasm
 * device's implicit GEMM up to 64 MiB of scratch), one call per channel group; otherwise per image and group
 * `dW_g += dy · im2col(x)ᵀ` (an sgemm with a transposed operand, β = 1).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, conv2dBackwardFilter, conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 2, 2]);
 * const x = jsDevice.alloc(9), dy = jsDevice.alloc(4), dw = jsDevice.alloc(4);
 * jsDevice.write(x, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * jsDevice.write(dy, [1, 0, 0, 0]);
 * conv2dBackwardFilter(jsDevice, g, x, 0, dy, 0, dw, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dw); // Float32Array [1, 2, 4, 5]
 * ```
 */
export function conv2dBackwardFilter(
  device: Device, g: ResolvedConv2d,
  x: DeviceBuffer, offsetX: number, dy: DeviceBuffer, offsetDy: number, dw: DeviceBuffer, offsetDw: number,
  workspace: ConvWorkspace,
): void {
  const d = prepareConv("conv2dBackwardFilter", "backwardFilter", device, g, workspace, BACKWARD_FILTER_NAMES, x, offsetX, dw, offsetDw, dy, offsetDy);
  const { OCg, K, P, HW, CHW, nb } = d;
  const { N, groups } = g;
  if (N === 0) return;
  const fused = device.convBackwardFilter?.bind(device);
  if (runFused("conv2dBackwardFilter", device, g, d, fused && ((_gi, at) => fused(g.group, N, OCg, x, offsetX + at.x, CHW, dy, offsetDy + at.y,
    g.OC * P, dw, offsetDw + at.w)))) return;
  if (nb === 1) {
    const col = g.direct ? null : workspace.get("col", K * P);
    for (let n = 0; n < N; n++) {
      for (let gi = 0; gi < groups; gi++) {
        const at = groupOffsets(g, d, n, gi);
        const xo = offsetX + at.x;
        const dyo = offsetDy + at.y;
        const dwo = offsetDw + at.w;
        if (col === null) {
          device.sgemm(NT, T, OCg, K, P, 1, dy, P, 1, dyo, x, HW, 1, xo, 1, dw, K, 1, dwo);
        } else {
          device.im2col(g.group, 1, x, xo, CHW, col, 0, P);
          device.sgemm(NT, T, OCg, K, P, 1, dy, P, 1, dyo, col, P, 1, 0, 1, dw, K, 1, dwo);
        }
      }
    }
    return;
  }
  const col = workspace.get("col", K * nb * P);
  const tmp = workspace.get("gemm", OCg * nb * P);
  for (let n0 = 0; n0 < N; n0 += nb) {
    const m = Math.min(nb, N - n0);
    for (let gi = 0; gi < groups; gi++) {
      const at = groupOffsets(g, d, n0, gi);
      device.unary("copy", [OCg, m, P], imageMajorView(dy, offsetDy, g, n0, gi), gemmMajorView(tmp, m, P));
      device.im2col(g.group, m, x, offsetX + at.x, CHW, col, 0, m * P);
      device.sgemm(NT, T, OCg, K, m * P, 1, tmp, m * P, 1, 0, col, m * P, 1, 0, 1, dw, K, 1, offsetDw + at.w);
    }
  }
}

/**
 * db += ∂L/∂bias: the sum of dy over the batch and the output pixels (dy viewed as
 * `[OC, N, OH·OW]` with strides `[P, OC·P, 1]`, reduced over its last two dimensions).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, conv2dBackwardBias, conv2dGeometry } from "@tessera/conv";
 * const g = conv2dGeometry([2, 1, 2, 2], [1, 1, 1, 1]);
 * const dy = jsDevice.alloc(8), db = jsDevice.alloc(1);
 * jsDevice.write(dy, [1, 2, 3, 4, 5, 6, 7, 8]);
 * conv2dBackwardBias(jsDevice, g, dy, 0, db, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(db); // Float32Array [36]
 * ```
 */
export function conv2dBackwardBias(
  device: Device, g: ResolvedConv2d, dy: DeviceBuffer, offsetDy: number, db: DeviceBuffer, offsetDb: number,
  workspace: ConvWorkspace,
): void {
  biasGradient("conv2dBackwardBias", device, g.N, g.OC, g.OH * g.OW, dy, offsetDy, db, offsetDb, workspace);
}

/**
 * db += Σ over images and output cells of dy, per output channel (dy is [N, OC, P]): the bias
 * gradient of conv2d and convTranspose2d alike. @internal
 */
export function biasGradient(
  fn: string, device: Device, N: number, OC: number, P: number, dy: DeviceBuffer, offsetDy: number, db: DeviceBuffer, offsetDb: number,
  workspace: ConvWorkspace,
): void {
  checkWorkspace(fn, device, workspace);
  checkBuffer(fn, device, "dy", dy, offsetDy, N * OC * P);
  checkBuffer(fn, device, "db", db, offsetDb, OC);
  if (N === 0) return;
  const sums = workspace.get("small", OC);
  device.reduce("sum", [OC, N, P], 2, { buffer: dy, offset: offsetDy, strides: [P, OC * P, 1] }, { buffer: sums, offset: 0, strides: [1] });
  device.saxpy(OC, 1, sums, 1, 0, db, 1, offsetDb);
}
