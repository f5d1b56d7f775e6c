/** Creates the device a worker computes on: wasm (1 or 2 threads), the reference js device, or WebGPU. */
import { getDevice, type Device } from "@tessera/blas";
import { wasmDevice } from "@tessera/blas-wasm";
import { isIsolated } from "./dom.js";
import type { DeviceChoice } from "./protocol.js";

/** A created device and how it describes itself to the page. */
export interface CreatedDevice {
  readonly device: Device;
  readonly label: string;
  readonly threads: number;
}


/**
 * Creates `choice` with `threads` wasm threads; more than one thread without cross-origin
 * isolation is an error rather than a silent fallback.
 */
export async function createDevice(choice: DeviceChoice, threads: number): Promise<CreatedDevice> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`createDevice: threads must be a positive integer, got ${threads}`);
  if (choice === "wasm") {
    if (threads > 1 && !isIsolated()) {
      throw new Error(`createDevice: ${threads} wasm threads need a cross-origin isolated page (COOP/COEP headers); this one is not`);
    }
    const device = await wasmDevice({ threads, register: false });
    return { device, label: `wasm (${device.threads} thread${device.threads === 1 ? "" : "s"})`, threads: device.threads };
  }
  if (choice === "js") return { device: getDevice("js"), label: "js", threads: 1 };
  if (choice === "webgpu") {
    // Loaded on demand: pages without WebGPU never fetch it.
    const { webgpuDevice } = await import("@tessera/blas-webgpu");
    const device = await webgpuDevice();
    return { device, label: "webgpu", threads: 1 };
  }
  throw new TypeError(`createDevice: device must be "wasm", "js" or "webgpu", got ${JSON.stringify(choice)}`);
}

/** Resolves once the worker's event loop has run, so messages (pause) are seen between steps. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}
