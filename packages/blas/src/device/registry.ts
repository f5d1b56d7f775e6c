import type { Device } from "./device.js";
import { jsDevice } from "./js/js-device.js";

const devices = new Map<string, Device>([["js", jsDevice]]);
let defaultName = "js";
/** True once the user chose a default with setDefaultDevice (then nothing is implicit). */
let defaultChosen = false;
let warned = false;

/**
 * Says once per process, on `console.warn`, that tensors are going to the plain-JS reference
 * device because no device was chosen, and how to get the fast one. Silent once a default was
 * chosen with {@link setDefaultDevice} (`setDefaultDevice("js")` keeps js and silences it).
 */
function warnImplicitJs(): void {
  if (warned || defaultChosen || defaultName !== "js") return;
  warned = true;
  const others = [...devices.keys()].filter((k) => k !== "js");
  console.warn(
    "Tessera: no device was chosen, so tensors go to the plain-JS reference device 'js' (about 25x slower than wasm). " +
      (others.length
        ? `Registered: ${others.map((k) => `'${k}'`).join(", ")}; make one the default with setDefaultDevice('${others[0]}'), or pass { device }. `
        : "For the fast CPU device: import { wasmDevice } from \"@tessera/blas-wasm\"; await wasmDevice(); setDefaultDevice(\"wasm\"); or pass { device }. ") +
      "To keep 'js' and silence this: setDefaultDevice(\"js\").",
  );
}

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
 * Returns a registered device by name, or the default device (`'js'` unless changed). Asked for
 * the default while none was chosen with {@link setDefaultDevice}, it warns once per process that
 * the slow reference device is in use and how to get the fast one (`setDefaultDevice("js")`
 * silences it).
 *
 * @example
 * ```ts
 * import { getDevice } from "@tessera/blas";
 * const dev = getDevice(); // the JS reference device
 * ```
 */
export function getDevice(name?: string): Device {
  if (name === undefined) {
    warnImplicitJs();
    name = defaultName;
  }
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
 * Makes a registered device the default of {@link getDevice} (and silences the one-time warning
 * about the implicit 'js' device: `setDefaultDevice("js")` is an explicit choice of it).
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
  defaultChosen = true;
}
