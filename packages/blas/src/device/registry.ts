import type { Device } from "./device.js";
import { jsDevice } from "./js/js-device.js";

const devices = new Map<string, Device>([["js", jsDevice]]);
let defaultName = "js";

/**
 * Registers a device under its name (replacing one of the same name). The registry is the only
 * global state in Tessera.
 *
 * @example
 * ```ts
 * import { registerDevice, JsDevice } from "@tessera/blas";
 * registerDevice(new JsDevice());
 * ```
 */
export function registerDevice(device: Device): void {
  devices.set(device.name, device);
}

/**
 * Returns a registered device by name, or the default device (`'js'` unless changed).
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * const dev = getDevice(); // the JS reference device
 * ```
 */
export function getDevice(name: string = defaultName): Device {
  const d = devices.get(name);
  if (!d) {
    const known = [...devices.keys()].map((k) => `'${k}'`).join(", ");
    throw new RangeError(`getDevice: no device named '${name}' is registered (registered: ${known}); backends register themselves when created, e.g. await wasmDevice()`);
  }
  return d;
}

/**
 * Names of the registered devices.
 *
 * @example
 * ```ts
 * import { listDevices } from "@tessera/blas";
 * listDevices(); // ["js"]
 * ```
 */
export function listDevices(): string[] {
  return [...devices.keys()];
}

/**
 * Makes a registered device the default of {@link getDevice}.
 *
 * @example
 * ```ts
 * import { setDefaultDevice } from "@tessera/blas";
 * setDefaultDevice("js");
 * ```
 */
export function setDefaultDevice(name: string): void {
  getDevice(name);
  defaultName = name;
}
