import { JsDevice, type Device, type DeviceBuffer, type View } from "@tessera/blas";
import { assertClose, testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";

// WebGPU forbids binding one buffer as writable and readable in a dispatch; the device copies the
// input first (or swaps through a snapshot). Each case runs on the reference device and on the
// webgpu device with outputs and inputs in the same buffer, and compares the whole buffer.

/** Tolerances: copies and sums of a few terms round like the reference's, up to a few ulps. */
const RTOL = 1e-6;
const ATOL = 1e-6;

const reference = new JsDevice({ reference: true });
let dev: WebGpuDevice;
beforeAll(async () => {
  dev = await webgpuDevice({ register: false });
});
afterAll(() => dev.dispose());

const v = (buffer: DeviceBuffer, strides: number[], offset = 0): View => ({ buffer, strides, offset });

/** Runs `body` on a buffer holding `data` (plus an int32 buffer) on both devices; compares the float buffer. */
function aliasCase(name: string, data: Float32Array, body: (d: Device, b: DeviceBuffer, i: DeviceBuffer) => void): void {
  it(name, async () => {
    const results = [];
    for (const d of [reference, dev] as Device[]) {
      const b = d.alloc(data.length);
      const i = d.alloc(64, "int32");
      d.write(b, data);
      body(d, b, i);
      results.push(await d.read(b));
      d.free(b);
      d.free(i);
    }
    assertClose(name, results[1], results[0], RTOL, ATOL);
  });
}

describe("outputs sharing a buffer with inputs", () => {
  const data = testData(256, 77);
  aliasCase("unary in place (relu)", data, (d, b) => d.unary("relu", [16, 16], v(b, [16, 1]), v(b, [16, 1])));
  aliasCase("unary from one half into the other", data, (d, b) => d.unary("exp", [128], v(b, [1]), v(b, [1], 128)));
  aliasCase("binary out = a = b", data, (d, b) => d.binary("mul", [256], v(b, [1]), v(b, [1]), v(b, [1])));
  aliasCase("binary out = b, a elsewhere in the buffer", data, (d, b) => d.binary("sub", [100], v(b, [1], 150), v(b, [1]), v(b, [1])));
  aliasCase("saxpy with x and y in one buffer", data, (d, b) => d.saxpy(50, -1.5, b, 2, 0, b, 1, 200));
  aliasCase("sswap of two views of one buffer", data, (d, b) => d.sswap(50, b, 1, 0, b, -2, 199));
  aliasCase("sdot writing into its input's buffer", data, (d, b) => d.sdot(100, b, 1, 0, b, 1, 100, b, 255));
  aliasCase("snrm2, sasum writing into their input's buffer", data, (d, b) => {
    d.snrm2(200, b, 1, 0, b, 254);
    d.sasum(200, b, 1, 0, b, 253);
  });
  aliasCase("sgemm with C in the buffer of A and B", data, (d, b) =>
    d.sgemm("no-transpose", "transpose", 6, 5, 7, 1, b, 7, 1, 0, b, 7, 1, 42, 0.5, b, 5, 1, 100));
  aliasCase("sgemv with y in the buffer of A and x", data, (d, b) => d.sgemv("transpose", 9, 8, 2, b, 8, 1, 0, b, 1, 80, 1, b, 1, 120));
  aliasCase("sger with x and y in the buffer of A", data, (d, b) => d.sger(6, 7, 0.5, b, 1, 200, b, 1, 210, b, 7, 1, 0));
  aliasCase("reduce and softmax into their input's buffer", data, (d, b) => {
    d.reduce("sum", [4, 25], 1, v(b, [25, 1]), v(b, [1], 200));
    d.softmax(4, 20, v(b, [20, 1]), v(b, [20, 1], 120), true);
  });
  const g = { C: 2, H: 4, W: 4, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 4, OW: 4 };
  aliasCase("im2col and col2im within one buffer", testData(2 * 16 + 18 * 16 + 8, 78), (d, b) => {
    d.im2col(g, 1, b, 0, 32, b, 40, 16);
    d.col2im(g, 1, b, 40, 16, b, 0, 32);
  });
  const p = { H: 6, W: 6, KH: 2, KW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 3, OW: 3 };
  aliasCase("pooling forward and backward within one buffer", testData(128, 79), (d, b, i) => {
    d.maxPool2d(p, 2, b, 0, b, 80, i, 0);
    d.maxPool2dBackward(p, 2, b, 80, i, 0, b, 0);
    d.avgPool2d(p, 2, true, b, 0, b, 100);
    d.avgPool2dBackward(p, 2, false, b, 100, b, 0);
  });
});

describe("in-place elementwise calls", () => {
  it("bind the shared buffer once instead of copying it", async () => {
    const original = dev.gpu.createCommandEncoder.bind(dev.gpu);
    let copies = 0;
    const spy = vi.spyOn(dev.gpu, "createCommandEncoder").mockImplementation((d?: GPUCommandEncoderDescriptor) => {
      const e = original(d);
      const copy = e.copyBufferToBuffer.bind(e) as (...a: unknown[]) => void;
      e.copyBufferToBuffer = ((...a: unknown[]) => {
        copies++;
        copy(...a);
      }) as GPUCommandEncoder["copyBufferToBuffer"];
      return e;
    });
    const b = dev.alloc(64), g = dev.alloc(64);
    dev.write(b, testData(64, 3));
    dev.write(g, testData(64, 4));
    dev.unary("tanh", [8, 8], v(b, [8, 1]), v(b, [8, 1]));
    dev.binary("add", [64], v(b, [1]), v(g, [1]), v(b, [1])); // a = out
    dev.binary("mul", [64], v(g, [1]), v(b, [1]), v(b, [1])); // b = out
    await dev.sync();
    expect(copies).toBe(0);
    dev.binary("add", [32], v(b, [1]), v(g, [1]), v(b, [1], 32)); // another view of the same buffer: copied first
    await dev.sync();
    expect(copies).toBe(1);
    spy.mockRestore();
    dev.free(b);
    dev.free(g);
  });
});
