/**
 * Finding a GPUDevice everywhere: `navigator.gpu` in browsers (and Deno); in Node, Dawn through
 * the `webgpu` package, trying its default backend (Vulkan/Metal/D3D12 on a machine with a GPU)
 * and then OpenGL ES in compatibility mode (Mesa's llvmpipe on a machine without one, with
 * EGL_PLATFORM=surfaceless). The device is requested with the adapter's own compute limits, since
 * the defaults (much lower in compatibility mode) would refuse the kernels.
 * @internal
 */
import { loadDawn, type WebGpuModule } from "#dawn";

/**
 * A Dawn backend of the `webgpu` package (Node): `'default'` lets Dawn pick the platform's API
 * (Vulkan, Metal, D3D12); `'opengles'` runs on Mesa's llvmpipe on machines without a GPU.
 *
 * @example
 * ```ts
 * import { webgpuDevice, type DawnBackend } from "@tessera/blas-webgpu";
 * const backends: DawnBackend[] = ["opengles"]; // skip the GPU probe on a CPU-only CI machine
 * const dev = await webgpuDevice({ backends });
 * ```
 */
export type DawnBackend = "default" | "opengles" | "opengl" | "vulkan" | "metal" | "d3d12" | "d3d11";

/** What {@link acquireGpuDevice} found. @internal */
export interface Acquired {
  readonly device: GPUDevice;
  readonly adapter: string;
  readonly backend: string;
  readonly featureLevel: string;
}

/** The compute limits requested at the adapter's maximum. @internal */
export const REQUESTED_LIMITS = [
  "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX", "maxComputeWorkgroupSizeY", "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBuffersPerShaderStage",
  "maxStorageBufferBindingSize", "maxBufferSize",
] as const;

/** The apt packages Dawn's OpenGL ES backend needs on Linux without a GPU: libegl1, libegl-mesa0, libgl1-mesa-dri, and libegl-dev for the unversioned libEGL.so that Dawn opens. @internal */
export const APT_PACKAGES = "libegl1 libegl-dev libegl-mesa0 libgl1-mesa-dri";

/** The `create()` results of the `webgpu` package, kept alive for the life of the process: Dawn crashes if one is collected while its devices run. */
const dawnInstances = new Map<DawnBackend, GPU>();

type AdapterOptions = GPURequestAdapterOptions & { featureLevel?: string };
type AdapterWithLevel = GPUAdapter & { featureLevel?: string };

/** The adapter's description, as far as the platform tells. @internal */
export function describeAdapter(a: GPUAdapter): string {
  const i = a.info;
  const parts = [i?.vendor, i?.architecture, i?.device, i?.description].filter((p) => typeof p === "string" && p.length > 0);
  return [...new Set(parts)].join(" ") || "unknown adapter";
}

async function requestDevice(adapter: GPUAdapter, backend: string, featureLevel: string): Promise<Acquired> {
  const requiredLimits: Record<string, number> = {};
  for (const k of REQUESTED_LIMITS) {
    const v = (adapter.limits as unknown as Record<string, number | undefined>)[k];
    if (typeof v === "number") requiredLimits[k] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits, label: "tessera" });
  return { device, adapter: describeAdapter(adapter), backend, featureLevel: (adapter as AdapterWithLevel).featureLevel ?? featureLevel };
}

/** Requests an adapter at `featureLevel`, falling back to compatibility mode. @internal */
async function adapterOf(gpu: GPU, options: AdapterOptions, levels: readonly string[]): Promise<[GPUAdapter, string] | null> {
  for (const featureLevel of levels) {
    const adapter = await gpu.requestAdapter({ ...options, featureLevel } as GPURequestAdapterOptions);
    if (adapter) return [adapter, featureLevel];
  }
  return null;
}

function dawnInstance(mod: WebGpuModule, backend: DawnBackend): GPU {
  let gpu = dawnInstances.get(backend);
  if (!gpu) {
    gpu = mod.create(backend === "default" ? [] : [`backend=${backend}`]);
    dawnInstances.set(backend, gpu);
  }
  return gpu;
}

/** Options of {@link acquireGpuDevice}. @internal */
export interface AcquireOptions {
  readonly gpu?: GPU;
  readonly backends?: readonly DawnBackend[];
  readonly powerPreference?: GPUPowerPreference;
}

/** Finds an adapter and requests a device with its compute limits. @internal */
export async function acquireGpuDevice(o: AcquireOptions): Promise<Acquired> {
  const options: AdapterOptions = o.powerPreference ? { powerPreference: o.powerPreference } : {};
  const navGpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const given = o.gpu ?? navGpu;
  if (given) {
    const found = await adapterOf(given, options, ["core", "compatibility"]);
    if (!found) {
      throw new Error(`webgpuDevice: ${o.gpu ? "the given GPU" : "navigator.gpu"} offers no WebGPU adapter (core or compatibility): ` +
        "enable WebGPU in the browser (Chromium: --enable-unsafe-webgpu where it is not on by default) or use a machine with a supported GPU");
    }
    return requestDevice(found[0], o.gpu ? "given GPU" : "navigator.gpu", found[1]);
  }
  const backends = o.backends ?? ["default", "opengles"];
  if (backends.length === 0) throw new RangeError("webgpuDevice: backends must name at least one Dawn backend");
  const mod = await loadDawn();
  const tried: string[] = [];
  for (const backend of backends) {
    const levels = backend === "opengles" || backend === "opengl" ? ["compatibility"] : ["core"];
    let found: [GPUAdapter, string] | null = null;
    try {
      found = await adapterOf(dawnInstance(mod, backend), options, levels);
      tried.push(`${backend} (${levels.join(", ")})`);
    } catch (e) {
      tried.push(`${backend} (${levels.join(", ")}: ${(e as Error).message})`);
    }
    if (found) return requestDevice(found[0], backend, found[1]);
  }
  throw new Error(`webgpuDevice: no WebGPU adapter found; tried Dawn (the 'webgpu' package) with backends ${tried.join(", ")}. ` +
    `On Linux without a GPU install Mesa's EGL and software rasteriser: apt-get install -y ${APT_PACKAGES} ` +
    "(and create the device on the main thread or in a forked process: EGL_PLATFORM set in a worker thread does not reach Dawn). " +
    "On a machine with a GPU, install its Vulkan (Linux), Metal (macOS) or D3D12 (Windows) driver.");
}
