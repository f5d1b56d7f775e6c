import { level1Cases, level2Cases, routineCases, sgemmCases } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";

// A GPUDevice requested without raising any limit (what a user may pass in): on a compatibility
// adapter that means 128 invocations per workgroup, so the device must pick the 8×8 sgemm tile
// and size its other workgroups to fit. The battery runs on it with the tiled kernel forced.

/** Dawn instances of this file, kept alive for the process: Dawn for Node crashes when an instance in use is garbage-collected. */
const instances: GPU[] = [];

async function deviceWithDefaultLimits(): Promise<GPUDevice> {
  process.env.EGL_PLATFORM ??= "surfaceless";
  const { create } = (await import("webgpu")) as { create(o: string[]): GPU };
  for (const [flags, featureLevel] of [[[], "core"], [["backend=opengles"], "compatibility"]] as const) {
    const gpu = create([...flags]);
    instances.push(gpu);
    const adapter = await gpu.requestAdapter({ featureLevel } as GPURequestAdapterOptions);
    if (adapter) return adapter.requestDevice();
  }
  throw new Error("no WebGPU adapter");
}

let gpu: GPUDevice;
let dev: WebGpuDevice;
beforeAll(async () => {
  gpu = await deviceWithDefaultLimits();
  dev = await webgpuDevice({ gpuDevice: gpu, sgemmKernel: "tiled", register: false });
});
afterAll(() => {
  dev.dispose();
  gpu.destroy();
});

describe("a GPUDevice with default limits", () => {
  it("gets a tile within its limits", () => {
    const t = dev.sgemmTiles!;
    expect(t.TX * t.TY).toBeLessThanOrEqual(gpu.limits.maxComputeInvocationsPerWorkgroup);
    expect(16 * t.BK * (t.TX + t.TY)).toBeLessThanOrEqual(gpu.limits.maxComputeWorkgroupStorageSize);
  });
  for (const c of [...sgemmCases(), ...level1Cases(), ...level2Cases(), ...routineCases()]) it(`${c.group}: ${c.name}`, () => c.run(dev));
});
