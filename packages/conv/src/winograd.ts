/**
 * Whether a convolution pass runs by the device's Winograd routines (`algorithm` 'winograd', or
 * 'auto' where the device's hints say Winograd is faster), and the calls themselves.
 */
import type { ConvEpilogue, Device, DeviceBuffer } from "@tessera/blas";
import type { ResolvedConv2d } from "./conv-geometry.js";

/** A pass Winograd can run. */
type WinogradPass = "forward" | "backwardData";

const ROUTINE = { forward: "convForwardWinograd", backwardData: "convBackwardDataWinograd" } as const;

/**
 * True when pass `pass` of `g` runs by Winograd: always for `algorithm: 'winograd'` (whose
 * geometry `conv2dGeometry` has checked; a device without the routine is an error), for 'auto'
 * when the geometry allows it and the device's hints `winogradMinChannels` / `winogradMinPixels`
 * say it pays.
 * @internal
 */
export function useWinograd(fn: string, device: Device, g: ResolvedConv2d, pass: WinogradPass): boolean {
  const has = device[ROUTINE[pass]] !== undefined;
  if (g.algorithm === "winograd") {
    if (!has) throw new Error(`${fn}: algorithm 'winograd' needs Device.${ROUTINE[pass]}, which device '${device.name}' does not have (use 'auto' or 'direct')`);
    return true;
  }
  if (g.algorithm !== "auto" || !has) return false;
  const minChannels = device.hints?.winogradMinChannels;
  if (minChannels === undefined) return false;
  if (g.KH !== 3 || g.KW !== 3 || g.groups !== 1 || g.stride.some((s) => s !== 1) || g.dilation.some((d) => d !== 1) || g.padding.some((p) => p > 2)) return false;
  const pixels = g.N * (pass === "forward" ? g.OH * g.OW : g.H * g.W);
  return Math.min(g.C, g.OC) >= minChannels && pixels >= (device.hints?.winogradMinPixels ?? 0);
}

/**
 * y = conv(x, w) (+ bias, then the epilogue, which the device applies as it stores each tile) by
 * Winograd; contiguous NCHW / OIHW operands as `conv2dForward`. @internal
 */
export function winogradForward(device: Device, g: ResolvedConv2d, x: DeviceBuffer, ox: number, w: DeviceBuffer, ow: number,
  bias: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, epilogue: ConvEpilogue | null): void {
  device.convForwardWinograd!(g.group, g.N, g.OC, x, ox, g.C * g.H * g.W, w, ow, bias, ob, y, oy, g.OC * g.OH * g.OW, epilogue);
}

/** dx += backward-data by Winograd; operands as `conv2dBackwardData`. @internal */
export function winogradBackwardData(device: Device, g: ResolvedConv2d, w: DeviceBuffer, ow: number, dy: DeviceBuffer, oy: number,
  dx: DeviceBuffer, ox: number): void {
  device.convBackwardDataWinograd!(g.group, g.N, g.OC, w, ow, dy, oy, g.OC * g.OH * g.OW, dx, ox, g.C * g.H * g.W);
}
