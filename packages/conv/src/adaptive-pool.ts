/**
 * Adaptive average pooling (PyTorch's `AdaptiveAvgPool2d`, which torchvision models end with) and
 * global average pooling, composed from device routines.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import { checkWorkspace } from "./lowering.js";
import { avgPool2dBackward, avgPool2dForward } from "./pool.js";
import { pool2dGeometry, type ResolvedPool2d } from "./pool-geometry.js";
import { checkBuffer, checkNCHW, positivePair } from "./validate.js";
import type { ConvWorkspace } from "./workspace.js";

/**
 * An adaptive average pooling resolved against its input: output cell (i, j) averages rows
 * `[floor(i·H/OH), ceil((i+1)·H/OH))` and columns `[floor(j·W/OW), ceil((j+1)·W/OW))`.
 * Made by {@link adaptiveAvgPool2dGeometry}.
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2dGeometry } from "@tessera/conv";
 * adaptiveAvgPool2dGeometry([1, 1, 5, 5], 3).rows; // [[0, 2], [1, 4], [3, 5]]
 * ```
 */
export interface ResolvedAdaptivePool2d {
  /** Batch size. */ readonly N: number;
  /** Channels. */ readonly C: number;
  /** Input height. */ readonly H: number;
  /** Input width. */ readonly W: number;
  /** Output height. */ readonly OH: number;
  /** Output width. */ readonly OW: number;
  /** `[start, end)` of the input rows of each output row. */ readonly rows: readonly (readonly [number, number])[];
  /** `[start, end)` of the input columns of each output column. */ readonly cols: readonly (readonly [number, number])[];
  /** When H and W are multiples of OH and OW the windows tile the input: this plain average pooling. */
  readonly uniform: ResolvedPool2d | null;
  /** `[N, C, H, W]`. */ readonly inputShape: readonly number[];
  /** `[N, C, OH, OW]`. */ readonly outputShape: readonly number[];
}

function windows(input: number, output: number): [number, number][] {
  return Array.from({ length: output }, (_, i) => [Math.floor((i * input) / output), Math.ceil(((i + 1) * input) / output)] as [number, number]);
}

/**
 * Resolves an adaptive average pooling of an NCHW input to a fixed output size.
 *
 * @param outputSize - `o` or `[oh, ow]`, positive (larger than the input is allowed: windows repeat).
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2dGeometry } from "@tessera/conv";
 * const a = adaptiveAvgPool2dGeometry([2, 512, 7, 7], 1); // ResNet's global pool
 * a.outputShape; // [2, 512, 1, 1]
 * ```
 */
export function adaptiveAvgPool2dGeometry(inputShape: readonly number[], outputSize: number | readonly [number, number]): ResolvedAdaptivePool2d {
  const fn = "adaptiveAvgPool2d";
  const [N, C, H, W] = checkNCHW(fn, "input shape", inputShape);
  const [OH, OW] = positivePair(fn, "outputSize", outputSize);
  const uniform = H % OH === 0 && W % OW === 0 ? pool2dGeometry([N, C, H, W], { kernelSize: [H / OH, W / OW] }, "avgPool2d") : null;
  return { N, C, H, W, OH, OW, rows: windows(H, OH), cols: windows(W, OW), uniform, inputShape: [N, C, H, W], outputShape: [N, C, OH, OW] };
}

/**
 * Adaptive average pooling on a device. When the windows tile the input it is one average pooling;
 * otherwise one mean reduction over a strided `[N·C, rows, cols]` view per output cell (the Device
 * has no adaptive routine; OH·OW calls, each reading only its window).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, adaptiveAvgPool2dForward, adaptiveAvgPool2dGeometry } from "@tessera/conv";
 * const a = adaptiveAvgPool2dGeometry([1, 1, 3, 1], [2, 1]);
 * const x = jsDevice.alloc(3), y = jsDevice.alloc(2);
 * jsDevice.write(x, [1, 2, 4]);
 * adaptiveAvgPool2dForward(jsDevice, a, x, 0, y, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(y); // Float32Array [1.5, 3]
 * ```
 */
export function adaptiveAvgPool2dForward(device: Device, a: ResolvedAdaptivePool2d, x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, workspace: ConvWorkspace): void {
  const fn = "adaptiveAvgPool2dForward";
  checkWorkspace(fn, device, workspace);
  const HW = a.H * a.W;
  const P = a.OH * a.OW;
  checkBuffer(fn, device, "x", x, offsetX, a.N * a.C * HW);
  checkBuffer(fn, device, "y", y, offsetY, a.N * a.C * P);
  if (a.N === 0) return;
  if (a.uniform) {
    avgPool2dForward(device, a.uniform, true, x, offsetX, y, offsetY, workspace);
    return;
  }
  for (let i = 0; i < a.OH; i++) {
    const [h0, h1] = a.rows[i];
    for (let j = 0; j < a.OW; j++) {
      const [w0, w1] = a.cols[j];
      device.reduce("mean", [a.N * a.C, h1 - h0, w1 - w0], 2,
        { buffer: x, offset: offsetX + h0 * a.W + w0, strides: [HW, a.W, 1] },
        { buffer: y, offset: offsetY + i * a.OW + j, strides: [P] });
    }
  }
}

/**
 * dx += the adaptive average pooling gradient: dy / window size spread over each window
 * (overlapping windows add up).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, adaptiveAvgPool2dBackward, adaptiveAvgPool2dGeometry } from "@tessera/conv";
 * const a = adaptiveAvgPool2dGeometry([1, 1, 3, 1], [2, 1]);
 * const dy = jsDevice.alloc(2), dx = jsDevice.alloc(3);
 * jsDevice.write(dy, [2, 4]);
 * adaptiveAvgPool2dBackward(jsDevice, a, dy, 0, dx, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(dx); // Float32Array [1, 3, 2]
 * ```
 */
export function adaptiveAvgPool2dBackward(device: Device, a: ResolvedAdaptivePool2d, dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number, workspace: ConvWorkspace): void {
  const fn = "adaptiveAvgPool2dBackward";
  checkWorkspace(fn, device, workspace);
  const HW = a.H * a.W;
  const P = a.OH * a.OW;
  checkBuffer(fn, device, "dy", dy, offsetDy, a.N * a.C * P);
  checkBuffer(fn, device, "dx", dx, offsetDx, a.N * a.C * HW);
  if (a.N === 0) return;
  if (a.uniform) {
    avgPool2dBackward(device, a.uniform, true, dy, offsetDy, dx, offsetDx, workspace);
    return;
  }
  const inverse = new Float64Array(P);
  for (let i = 0; i < a.OH; i++) {
    for (let j = 0; j < a.OW; j++) inverse[i * a.OW + j] = 1 / ((a.rows[i][1] - a.rows[i][0]) * (a.cols[j][1] - a.cols[j][0]));
  }
  const map = workspace.get("scale", P);
  device.write(map, inverse);
  const NC = a.N * a.C;
  const scaled = workspace.get("pool", NC * P);
  device.binary("mul", [NC, P], { buffer: dy, offset: offsetDy, strides: [P, 1] }, { buffer: map, offset: 0, strides: [0, 1] }, { buffer: scaled, offset: 0, strides: [P, 1] });
  for (let i = 0; i < a.OH; i++) {
    const [h0, h1] = a.rows[i];
    for (let j = 0; j < a.OW; j++) {
      const [w0, w1] = a.cols[j];
      const shape = [NC, h1 - h0, w1 - w0];
      const win = { buffer: dx, offset: offsetDx + h0 * a.W + w0, strides: [HW, a.W, 1] };
      device.binary("add", shape, win, { buffer: scaled, offset: i * a.OW + j, strides: [P, 0, 0] }, win);
    }
  }
}
