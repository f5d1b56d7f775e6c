/**
 * Local Response Normalization across channels (AlexNet, 2012), PyTorch's definition, composed
 * from device routines: the channel-window sum of squares is an average pooling over each image
 * seen as one plane of C rows and H·W columns with an n×1 window.
 */
import type { Device, DeviceBuffer, Pool2dGeometry, View } from "@tessera/blas";
import { checkWorkspace } from "./lowering.js";
import { checkBuffer, checkFinite, checkNCHW, checkPositive } from "./validate.js";
import type { ConvWorkspace } from "./workspace.js";

/**
 * Options of {@link localResponseNormForward}: PyTorch's `LocalResponseNorm(size, alpha, beta, k)`,
 * `b_c = a_c / (k + α/n · Σ_{c'} a_{c'}²)^β` over the `n = size` channels
 * `c − floor(n/2) … c + floor((n−1)/2)` (clipped to the valid channels; α is divided by n).
 * AlexNet used n = 5, α = 1e-4, β = 0.75, k = 2 (with α not divided by n: pass α·n).
 *
 * @example
 * ```ts
 * import type { LocalResponseNormOptions } from "@tessera/conv";
 * const alexNet: LocalResponseNormOptions = { size: 5, alpha: 5e-4, beta: 0.75, k: 2 };
 * ```
 */
export interface LocalResponseNormOptions {
  /** Channels in the window, n (positive). */ readonly size: number;
  /** Scale α. Default 1e-4. */ readonly alpha?: number;
  /** Exponent β. Default 0.75. */ readonly beta?: number;
  /** Additive constant k. Default 1. */ readonly k?: number;
}

interface Lrn {
  N: number; C: number; HW: number; size: number; alpha: number; beta: number; k: number; pool: Pool2dGeometry;
}

function resolve(fn: string, shape: readonly number[], o: LocalResponseNormOptions): Lrn {
  const [N, C, H, W] = checkNCHW(fn, "shape", shape);
  if (o === null || typeof o !== "object") throw new RangeError(`${fn}: options must be an object with size, got ${String(o)}`);
  checkPositive(fn, "size", o.size);
  const alpha = o.alpha ?? 1e-4;
  const beta = o.beta ?? 0.75;
  const k = o.k ?? 1;
  checkFinite(fn, "alpha", alpha);
  checkFinite(fn, "beta", beta);
  checkFinite(fn, "k", k);
  const n = o.size;
  const pool: Pool2dGeometry = {
    H: C, W: H * W, KH: n, KW: 1, strideH: 1, strideW: 1, padTop: Math.floor(n / 2), padBottom: Math.floor((n - 1) / 2),
    padLeft: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: C, OW: H * W,
  };
  return { N, C, HW: H * W, size: n, alpha, beta, k, pool };
}

const flat = (buffer: DeviceBuffer, offset: number): View => ({ buffer, offset, strides: [1] });

/**
 * LRN forward over an NCHW tensor: `scale = k + α/n · Σ_window x²` (written to `scale`, which the
 * backward pass needs) and `y = x · scale^(−β)`.
 *
 * @param shape - `[N, C, H, W]` of x, y and scale (all contiguous).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, localResponseNormForward } from "@tessera/conv";
 * const x = jsDevice.alloc(2), y = jsDevice.alloc(2), scale = jsDevice.alloc(2);
 * jsDevice.write(x, [1, 2]);
 * localResponseNormForward(jsDevice, [1, 2, 1, 1], { size: 2, alpha: 2, beta: 1, k: 0 }, x, 0, y, 0, scale, 0, new ConvWorkspace(jsDevice));
 * await jsDevice.read(scale); // Float32Array [1, 5]: the window of channel c is c − 1 … c, so channel 0 sees only itself
 * ```
 */
export function localResponseNormForward(
  device: Device, shape: readonly number[], options: LocalResponseNormOptions,
  x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, scale: DeviceBuffer, offsetScale: number,
  workspace: ConvWorkspace,
): void {
  const fn = "localResponseNormForward";
  checkWorkspace(fn, device, workspace);
  const l = resolve(fn, shape, options);
  const len = l.N * l.C * l.HW;
  checkBuffer(fn, device, "x", x, offsetX, len);
  checkBuffer(fn, device, "y", y, offsetY, len);
  checkBuffer(fn, device, "scale", scale, offsetScale, len);
  if (len === 0) return;
  const tmp = workspace.get("lrn1", len);
  device.unary("square", [len], flat(x, offsetX), flat(tmp, 0));
  device.avgPool2d(l.pool, l.N, true, tmp, 0, scale, offsetScale);
  device.unary("affine", [len], flat(scale, offsetScale), flat(scale, offsetScale), l.alpha, l.k);
  device.unary("pow", [len], flat(scale, offsetScale), flat(tmp, 0), -l.beta);
  device.binary("mul", [len], flat(x, offsetX), flat(tmp, 0), flat(y, offsetY));
}

/**
 * dx += the LRN gradient, from x, y and scale of the forward pass:
 * `dx_j += dy_j·scale_j^(−β) − (2αβ/n)·x_j·Σ_{c: j in window(c)} dy_c·y_c / scale_c`
 * (the window sum is the adjoint of the forward's average pooling).
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { ConvWorkspace, localResponseNormBackward, localResponseNormForward } from "@tessera/conv";
 * const shape = [1, 3, 1, 1], o = { size: 3 };
 * const [x, y, s, dy, dx] = [3, 3, 3, 3, 3].map((n) => jsDevice.alloc(n));
 * jsDevice.write(x, [1, 2, 3]);
 * jsDevice.write(dy, [1, 0, 0]);
 * const ws = new ConvWorkspace(jsDevice);
 * localResponseNormForward(jsDevice, shape, o, x, 0, y, 0, s, 0, ws);
 * localResponseNormBackward(jsDevice, shape, o, x, 0, y, 0, s, 0, dy, 0, dx, 0, ws);
 * ```
 */
export function localResponseNormBackward(
  device: Device, shape: readonly number[], options: LocalResponseNormOptions,
  x: DeviceBuffer, offsetX: number, y: DeviceBuffer, offsetY: number, scale: DeviceBuffer, offsetScale: number,
  dy: DeviceBuffer, offsetDy: number, dx: DeviceBuffer, offsetDx: number, workspace: ConvWorkspace,
): void {
  const fn = "localResponseNormBackward";
  checkWorkspace(fn, device, workspace);
  const l = resolve(fn, shape, options);
  const len = l.N * l.C * l.HW;
  for (const [name, b, o] of [["x", x, offsetX], ["y", y, offsetY], ["scale", scale, offsetScale], ["dy", dy, offsetDy], ["dx", dx, offsetDx]] as const) {
    checkBuffer(fn, device, name, b, o, len);
  }
  if (len === 0) return;
  const t = workspace.get("lrn1", len);
  const u = workspace.get("lrn2", len);
  device.binary("mul", [len], flat(dy, offsetDy), flat(y, offsetY), flat(t, 0));
  device.binary("div", [len], flat(t, 0), flat(scale, offsetScale), flat(t, 0));
  device.fill([len], 0, flat(u, 0));
  device.avgPool2dBackward(l.pool, l.N, true, t, 0, u, 0);
  device.binary("mul", [len], flat(u, 0), flat(x, offsetX), flat(u, 0));
  device.saxpy(len, -2 * l.alpha * l.beta, u, 1, 0, dx, 1, offsetDx);
  device.unary("pow", [len], flat(scale, offsetScale), flat(t, 0), -l.beta);
  device.binary("mul", [len], flat(dy, offsetDy), flat(t, 0), flat(t, 0));
  device.saxpy(len, 1, t, 1, 0, dx, 1, offsetDx);
}
