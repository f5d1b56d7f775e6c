/**
 * Plumbing of the NDArray-level functions: upload, run on a CPU device, read back synchronously.
 */
import { jsDevice, type Device, type DeviceBuffer } from "@tessera/blas";
import { NDArray } from "@tessera/ndarray";
import { fail, fmt } from "./validate.js";
import { ConvWorkspace } from "./workspace.js";

/**
 * A device whose buffers can be read back synchronously (the `js` device, and any CPU backend that
 * offers `readSync`): what the NDArray-level functions run on, so they can return arrays directly.
 * A float64 JS device computes in double precision; results are returned as float32 arrays.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import type { HostDevice } from "@tessera/conv";
 * const d: HostDevice = jsDevice;
 * ```
 */
export type HostDevice = Device & Required<Pick<Device, "readSync">>;

/**
 * The device option of the NDArray-level functions.
 *
 * @example
 * ```ts
 * import { JsDevice } from "@tessera/blas";
 * import type { OnDevice } from "@tessera/conv";
 * const o: OnDevice = { device: new JsDevice({ reference: true }) };
 * ```
 */
export interface OnDevice {
  /** Where to compute; default the `js` device. */
  readonly device?: HostDevice;
}

/** Buffers and a workspace of one NDArray-level call, freed when it ends. @internal */
export interface Session {
  readonly device: HostDevice;
  readonly workspace: ConvWorkspace;
  /** Uploads an array as float32 (any dtype, any strides). */
  upload(a: NDArray): DeviceBuffer;
  /** A zeroed buffer. */
  zeros(length: number, dtype?: "float32" | "int32"): DeviceBuffer;
  /** Reads a buffer into a new float32 array of `shape`. */
  download(b: DeviceBuffer, shape: readonly number[]): NDArray<"float32">;
  /** Reads an int32 buffer into a new int32 array of `shape`. */
  downloadInt(b: DeviceBuffer, shape: readonly number[]): NDArray<"int32">;
}

/** Runs `body` on the option's device (default `js`), freeing everything afterwards. @internal */
export function withSession<T>(fn: string, options: OnDevice | undefined, body: (s: Session) => T): T {
  const device = options?.device ?? jsDevice;
  if (typeof device?.readSync !== "function") {
    fail(fn, `device '${device?.name}' cannot be read synchronously; the NDArray functions need a CPU device (e.g. jsDevice), use the device-level functions elsewhere`);
  }
  const live: DeviceBuffer[] = [];
  const workspace = new ConvWorkspace(device);
  const zeros = (length: number, dtype: "float32" | "int32" = "float32") => {
    const b = device.alloc(length, dtype);
    live.push(b);
    return b;
  };
  try {
    return body({
      device, workspace, zeros,
      upload(a) {
        const b = zeros(a.size);
        const data = a.dtype === "float32" && a.isContiguous && a.offset === 0 && a.data.length === a.size ? a.data : a.astype("float32").data;
        if (a.size > 0) device.write(b, data);
        return b;
      },
      download(b, shape) {
        const data = device.readSync(b);
        return new NDArray(data instanceof Float32Array ? data : Float32Array.from(data), shape);
      },
      downloadInt: (b, shape) => new NDArray(device.readSync(b) as Int32Array, shape),
    });
  } finally {
    for (const b of live) device.free(b);
    workspace.dispose();
  }
}

/** Checks that an argument is an NDArray. @internal */
export function checkArray(fn: string, name: string, a: NDArray): void {
  if (!(a instanceof NDArray)) fail(fn, `${name} must be an NDArray, got ${a === null ? "null" : typeof a}`);
}

/** Checks that an array has exactly `expected` shape. @internal */
export function checkShape(fn: string, name: string, a: NDArray, expected: readonly number[]): void {
  checkArray(fn, name, a);
  if (a.shape.length !== expected.length || a.shape.some((d, i) => d !== expected[i])) {
    fail(fn, `${name} must have shape ${fmt(expected)}, got ${fmt(a.shape)}`);
  }
}
