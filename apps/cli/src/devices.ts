import { getDevice, type Device } from "@tessera/blas";
import { CliError } from "./zoo.js";

const created: { dispose?(): void }[] = [];

/**
 * The device named on the command line. Backends are loaded on demand, so a run on the `js`
 * device never loads WebAssembly or WebGPU code.
 */
export async function pickDevice(name: string, threads?: number): Promise<Device> {
  if (name === "js") return getDevice("js");
  let device: Device & { dispose?(): void };
  try {
    if (name === "wasm") device = await (await import("@tessera/blas-wasm")).wasmDevice(threads ? { threads } : {});
    else if (name === "webgpu") device = await (await import("@tessera/blas-webgpu")).webgpuDevice();
    else throw new CliError(`unknown device '${name}' (devices: js, wasm, webgpu)`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`could not start the '${name}' device: ${(e as Error).message}`);
  }
  created.push(device);
  return device;
}

/** Releases the devices this process started (worker threads, GPU devices), so it can exit. */
export function disposeDevices(): void {
  for (const d of created.splice(0)) d.dispose?.();
}
