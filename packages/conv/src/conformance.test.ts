import { afterAll, beforeAll, describe, it } from "vitest";
import { JsDevice, jsDevice, type Device } from "@tessera/blas";
import { WasmDevice } from "@tessera/blas-wasm";
import { webgpuDevice, type WebGpuDevice } from "@tessera/blas-webgpu";
import { convCases } from "./testing.js";

// The battery on every device: the JS devices of this package (the blocked JS sgemm, the
// triple-loop reference sgemm, the float64 JS device, which must meet the same bounds), the wasm
// device with one and two threads, whose fused implicit-GEMM passes run where they pay (cases with
// algorithm 'im2col' lower instead, so both paths meet the same reference), and the WebGPU device
// (Dawn; Mesa's llvmpipe on machines without a GPU), which batches every pass over images.
const jsDevices = [
  ["js (blocked sgemm)", jsDevice],
  ["js reference", new JsDevice({ reference: true })],
  ["js float64", new JsDevice({ precision: "float64" })],
] as const;

for (const [label, device] of jsDevices) {
  describe(`conv battery on ${label}`, () => {
    for (const c of convCases()) it(`${c.group}: ${c.name}`, () => c.run(device));
  });
}

for (const threads of [1, 2]) {
  describe(`conv battery on wasm, ${threads} thread${threads > 1 ? "s" : ""}`, () => {
    let device: WasmDevice;
    beforeAll(async () => {
      // minFlopsPerThread 0: the battery's small cases use every thread too.
      device = await WasmDevice.create({ threads, blocking: { minFlopsPerThread: 0 } });
    });
    afterAll(() => device.dispose());
    for (const c of convCases()) it(`${c.group}: ${c.name}`, () => c.run(device as Device));
  });
}

describe("conv battery on webgpu", () => {
  let device: WebGpuDevice;
  beforeAll(async () => {
    device = await webgpuDevice({ register: false });
  });
  afterAll(() => device.dispose());
  for (const c of convCases()) it(`${c.group}: ${c.name}`, () => c.run(device as Device));
});
