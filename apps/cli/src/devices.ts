import { getDevice, type Device } from "@tessera/blas";
import { CliError } from "./zoo.js";

/**
 * The device named on the command line. Backends are optional packages loaded on demand, so a
 * CPU-only install never loads WebGPU code.
 */
export async function pickDevice(name: string, threads?: number): Promise<Device> {
  if (name === "js") return getDevice("js");
  const pkg = name === "wasm" ? "@tessera/blas-wasm" : name === "webgpu" ? "@tessera/blas-webgpu" : null;
  if (!pkg) throw new CliError(`unknown device '${name}' (devices: js, wasm, webgpu)`);
  let mod: Record<string, (o?: object) => Promise<Device>>;
  try {
    mod = await import(pkg);
  } catch (e) {
    throw new CliError(`device '${name}' needs the package ${pkg}, which could not be loaded: ${(e as Error).message}`);
  }
  const factory = name === "wasm" ? mod.wasmDevice : mod.webgpuDevice;
  return factory(threads ? { threads } : {});
}
