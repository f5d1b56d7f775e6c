/**
 * Whether a convolution's backward-filter runs by the device's Winograd routine
 * (`Device.convBackwardFilterWinograd`): `algorithm` 'winograd', or 'auto' where the device's
 * hints say it is faster; and the call itself.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import type { ResolvedConv2d } from "./conv-geometry.js";

/**
 * True when the backward-filter of `g` runs by Winograd: always for `algorithm: 'winograd'`
 * (whose geometry `conv2dGeometry` has checked; a device without the routine is an error), for
 * 'auto' when the geometry allows it and min(C, OC) reaches the device's hint
 * `winogradFilterMinChannels`.
 * @internal
 */
export function useWinogradFilter(fn: string, device: Device, g: ResolvedConv2d): boolean {
  const has = device.convBackwardFilterWinograd !== undefined;
  if (g.algorithm === "winograd") {
    if (!has) {
      throw new Error(`${fn}: algorithm 'winograd' needs Device.convBackwardFilterWinograd, which device '${device.name}' does not have (use 'auto' or 'direct')`);
    }
    return true;
  }
  if (g.algorithm !== "auto" || !has) return false;
  const minChannels = device.hints?.winogradFilterMinChannels;
  if (minChannels === undefined) return false;
  if (g.KH !== 3 || g.KW !== 3 || g.groups !== 1 || g.stride.some((s) => s !== 1) || g.dilation.some((d) => d !== 1) || g.padding.some((p) => p > 2)) return false;
  return Math.min(g.C, g.OC) >= minChannels;
}

/** dw += backward-filter by Winograd; operands as `conv2dBackwardFilter`. @internal */
export function winogradBackwardFilter(device: Device, g: ResolvedConv2d, x: DeviceBuffer, ox: number, dy: DeviceBuffer, oy: number,
  dw: DeviceBuffer, ow: number): void {
  device.convBackwardFilterWinograd!(g.group, g.N, g.OC, x, ox, g.C * g.H * g.W, dy, oy, g.OC * g.OH * g.OW, dw, ow);
}
