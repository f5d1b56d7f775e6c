import { getDevice, jsDevice, type Device, type View } from "@tessera/blas";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";
import { GpuErrors } from "./runtime/gpu-errors.js";

// The device as an object: registration, memory, host transfers, ordering, batching, errors
// (argument errors identical to the reference device's, GPU errors and device loss as exceptions).

let dev: WebGpuDevice;
beforeAll(async () => {
  dev = await webgpuDevice();
});
afterAll(() => dev.dispose());

const v = (buffer: ReturnType<Device["alloc"]>, strides: number[], offset = 0): View => ({ buffer, strides, offset });

describe("webgpuDevice", () => {
  it("registers itself as 'webgpu' and describes its adapter", () => {
    expect(getDevice("webgpu")).toBe(dev);
    expect(dev.name).toBe("webgpu");
    expect(dev.info.adapter.length).toBeGreaterThan(0);
    expect(dev.info.backend.length).toBeGreaterThan(0);
    expect((dev as Device).readSync).toBeUndefined();
  });

  it("runs on a GPUDevice you pass, without destroying it on dispose", async () => {
    const shared = await webgpuDevice({ gpuDevice: dev.gpu, register: false });
    expect(shared.info.backend).toBe("external");
    const b = shared.alloc(2);
    shared.write(b, [1, 2]);
    expect([...(await shared.read(b))]).toEqual([1, 2]);
    shared.dispose();
    expect(() => shared.alloc(1)).toThrow(/alloc: the device was disposed/);
    const mine = dev.alloc(1);
    expect([...(await dev.read(mine))]).toEqual([0]);
    dev.free(mine);
  });

  it("names what is missing when the GPU offers no adapter", async () => {
    const none = { requestAdapter: async () => null } as unknown as GPU;
    await expect(webgpuDevice({ gpu: none, register: false })).rejects.toThrow(/webgpuDevice: the given GPU offers no WebGPU adapter/);
    await expect(webgpuDevice({ backends: [], register: false })).rejects.toThrow(/backends must name at least one Dawn backend/);
    const foreign = process.platform === "darwin" ? "d3d12" : "metal"; // a backend this platform lacks
    await expect(webgpuDevice({ backends: [foreign], register: false })).rejects.toThrow(
      new RegExp(`no WebGPU adapter found; tried Dawn .* ${foreign} .*apt-get install -y libegl1 libegl-dev libegl-mesa0 libgl1-mesa-dri`));
    await expect(webgpuDevice({ poolBytes: -1 })).rejects.toThrow(/poolBytes must be a non-negative number, got -1/);
  });
});

describe("buffers", () => {
  it("allocates zero-filled buffers, also when the pool reuses one", async () => {
    const a = dev.alloc(300);
    dev.write(a, new Float32Array(300).fill(7));
    dev.free(a);
    const b = dev.alloc(300);
    expect(b.gpuBuffer).toBe(a.gpuBuffer); // same size class: reused
    expect((await dev.read(b)).every((x) => x === 0)).toBe(true);
    dev.free(b);
  });

  it("counts the bytes of live buffers and pools freed ones up to the cap", async () => {
    const small = await webgpuDevice({ poolBytes: 4096, register: false });
    const a = small.alloc(1000);
    const b = small.alloc(1000, "int32");
    expect(small.bytesInUse()).toBe(8000);
    small.free(a);
    expect(small.bytesInUse()).toBe(4000);
    expect(small.memory().pooledBytes).toBe(4096);
    small.free(b); // the pool is full: destroyed
    expect(small.memory()).toEqual({ bytesInUse: 0, allocatedBytes: 4096, pooledBytes: 4096, poolCapBytes: 4096 });
    small.dispose();
  });

  it("writes and reads with offsets, converting number arrays and other typed arrays", async () => {
    const f = dev.alloc(6);
    dev.write(f, [1, 2, 3]);
    dev.write(f, new Float64Array([0.1, 0.2]), 4);
    expect([...(await dev.read(f, 1, 4))]).toEqual([2, 3, 0, Math.fround(0.1)]);
    expect(await dev.read(f, 6, 0)).toEqual(new Float32Array(0));
    const i = dev.alloc(3, "int32");
    dev.write(i, [2.7, -2.5, 5]);
    const got = await dev.read(i);
    expect(got).toBeInstanceOf(Int32Array);
    expect([...got]).toEqual([2, -2, 5]);
    dev.fill([3], 4.9, v(i, [1]));
    expect([...(await dev.read(i))]).toEqual([4, 4, 4]);
    dev.free(f);
    dev.free(i);
  });

  it("runs reads concurrently", async () => {
    const bufs = [1, 2, 3].map((k) => {
      const b = dev.alloc(4);
      dev.fill([4], k, v(b, [1]));
      return b;
    });
    const got = await Promise.all(bufs.map((b) => dev.read(b)));
    expect(got.map((g) => g[3])).toEqual([1, 2, 3]);
    for (const b of bufs) dev.free(b);
  });
});

describe("ordering and batching", () => {
  it("never lets a host write overtake queued work", async () => {
    const a = dev.alloc(4);
    const b = dev.alloc(4);
    dev.write(a, [1, 2, 3, 4]);
    dev.unary("copy", [4], v(a, [1]), v(b, [1]));
    dev.write(a, [9, 9, 9, 9]);
    dev.binary("add", [4], v(a, [1]), v(b, [1]), v(b, [1]));
    expect([...(await dev.read(b))]).toEqual([10, 11, 12, 13]);
    dev.free(a);
    dev.free(b);
  });

  it("submits nothing during a step of routines, once on read", async () => {
    const x = dev.alloc(64 * 32), w = dev.alloc(32 * 16), y = dev.alloc(64 * 16), loss = dev.alloc(1);
    dev.fillRandom("normal", 1, 0, 64 * 32, x, 0, 0, 1);
    dev.fillRandom("uniform", 2, 0, 32 * 16, w, 0, -0.1, 0.1);
    await dev.sync();
    const submit = vi.spyOn(dev.gpu.queue, "submit");
    dev.sgemm("no-transpose", "no-transpose", 64, 16, 32, 1, x, 32, 1, 0, w, 16, 1, 0, 0, y, 16, 1, 0);
    dev.unary("relu", [64, 16], v(y, [16, 1]), v(y, [16, 1]));
    dev.softmax(64, 16, v(y, [16, 1]), v(y, [16, 1]), true);
    dev.reduce("mean", [64 * 16], 1, v(y, [1]), v(loss, []));
    expect(submit).not.toHaveBeenCalled();
    const [value] = await dev.read(loss);
    expect(submit).toHaveBeenCalledTimes(1);
    submit.mockRestore();
    expect(value).toBeLessThan(0); // a mean of log-probabilities
    for (const b of [x, w, y, loss]) dev.free(b);
  });
});

/** The message a call throws (or "no error"). */
function thrown(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

describe("argument errors", () => {
  it("match the reference device's messages", () => {
    const calls: ((d: Device, b: (n: number, t?: "int32") => ReturnType<Device["alloc"]>) => void)[] = [
      (d, b) => d.sgemm("no-transpose", "no-transpose", 2, 2, 2, 1, b(4), 2, 1, 0, b(4), 2, 1, 0, 0, b(3), 2, 1, 0),
      (d, b) => d.sgemm("sideways" as "transpose", "no-transpose", 1, 1, 1, 1, b(1), 1, 1, 0, b(1), 1, 1, 0, 0, b(1), 1, 1, 0),
      (d, b) => d.saxpy(-1, 1, b(1), 1, 0, b(1), 1, 0),
      (d, b) => d.sdot(3, b(3), 1, 0, b(3), 2, 0, b(1), 0),
      (d, b) => d.isamax(2, b(2), 1, 0, b(1), 0),
      (d, b) => d.sgemv("no-transpose", 2, 3, 1, b(6), 3, 1, 0, b(2), 1, 0, 0, b(2), 1, 0),
      (d, b) => d.unary("cube" as "abs", [2], v(b(2), [1]), v(b(2), [1])),
      (d, b) => d.binary("add", [2, 2], v(b(4), [2, 1]), v(b(4), [2]), v(b(4), [2, 1])),
      (d, b) => d.reduce("max", [2, 0], 1, v(b(1), [0, 1]), v(b(2), [1])),
      (d, b) => d.reduce("sum", [2, 3], 3, v(b(6), [3, 1]), v(b(1), [])),
      (d, b) => d.fill([3], 1, v(b(2), [1], 0)),
      (d, b) => d.im2col({ C: 1, H: 3, W: 3, KH: 2, KW: 2, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 2, OW: 2 }, 1, b(9), 0, 9, b(16), 0, 3),
      (d, b) => d.maxPool2d({ H: 4, W: 4, KH: 2, KW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 3, OW: 2 }, 1, b(16), 0, b(4), 0, b(4, "int32"), 0),
      (d, b) => d.avgPool2d({ H: 5, W: 5, KH: 2, KW: 2, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 2, dilationW: 2, OH: 3, OW: 3 }, 1, false, b(25), 0, b(9), 0),
      (d, b) => d.fillRandom("cauchy" as "normal", 1, 0, 2, b(2), 0, 0, 1),
      (d, b) => d.fillRandom("normal", 1.5, 0, 2, b(2), 0, 0, 1),
      (d, b) => d.argmax([2, 2], 1, v(b(4), [2, 1]), v(b(2), [1])),
    ];
    for (const call of calls) {
      const messages = [jsDevice, dev].map((d) => {
        const live: ReturnType<Device["alloc"]>[] = [];
        const m = thrown(() => call(d, (n, t) => {
          const buf = d.alloc(n, t);
          live.push(buf);
          return buf;
        }));
        for (const buf of live) d.free(buf);
        return m;
      });
      expect(messages[1]).not.toBe("no error");
      expect(messages[1]).toBe(messages[0].replace(/'js'/g, "'webgpu'"));
    }
  });

  it("rejects buffers of other devices, freed buffers and double frees", () => {
    const js = jsDevice.alloc(2);
    expect(() => dev.scopy(2, js, 1, 0, dev.alloc(2), 1, 0)).toThrow("scopy: x must be a buffer of the 'webgpu' device, got one of 'js'");
    const b = dev.alloc(2);
    dev.free(b);
    expect(() => dev.sscal(2, 1, b, 1, 0)).toThrow("sscal: x was freed");
    expect(() => dev.free(b)).toThrow("free: buffer was already freed");
    jsDevice.free(js);
  });

  it("rejects buffers larger than the GPU allows, naming the limit", () => {
    const limit = Math.min(dev.gpu.limits.maxBufferSize, dev.gpu.limits.maxStorageBufferBindingSize);
    expect(() => dev.alloc(limit / 4 + 1)).toThrow(/alloc: length \d+ \(\d+ bytes\) exceeds this GPU's largest storage buffer/);
  });
});

describe("GPU errors and device loss", () => {
  it("reports errors of earlier GPU work at the next check, naming the call", async () => {
    const errors = new GpuErrors(dev.gpu);
    errors.guard("demo", () => dev.gpu.createBuffer({ size: 16, usage: 0 }));
    await expect(errors.check("read")).rejects.toThrow(/read: earlier GPU work failed: demo: WebGPU validation error/);
    await expect(errors.check("read")).resolves.toBeUndefined();
  });

  it("turns a lost device into exceptions instead of hangs", async () => {
    const doomed = await webgpuDevice({ register: false });
    const b = doomed.alloc(4);
    doomed.fill([4], 1, v(b, [1]));
    doomed.gpu.destroy();
    await expect(doomed.read(b)).rejects.toThrow();
    await doomed.gpu.lost;
    expect(() => doomed.alloc(1)).toThrow(/alloc: the WebGPU device was lost \(reason: destroyed/);
    await expect(doomed.sync()).rejects.toThrow(/sync: the WebGPU device was lost/);
  });
});
