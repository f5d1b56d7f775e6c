import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { JsDevice, type Device } from "@tessera/blas";
import { liveStorages, matmul, mul, noGrad, slice, sum, tensor, transpose, zeros } from "./index.js";

/** A JS device that, like WebGPU, offers no synchronous read. */
function asyncOnlyDevice(): Device {
  const inner = new JsDevice();
  return new Proxy(inner, {
    get(target, key) {
      if (key === "readSync") return undefined;
      if (key === "name") return "gpu-like";
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as Device;
}

describe("reading values", () => {
  it("item() is a number on devices with readSync, so loss.item().toFixed works", () => {
    const t = tensor([[0.25]]);
    expect(t.item()).toBe(0.25);
    expect(t.item().toFixed(2)).toBe("0.25");
  });

  it("item() reads the element of a view, not the start of its storage", () => {
    const m = tensor([[1, 2], [3, 4]]);
    expect(slice(m, 1, 0).item()).toBe(3);
    expect(slice(transpose(m), 0, 1).item()).toBe(3);
  });

  it("item() rejects tensors of more than one element and disposed tensors", () => {
    expect(() => tensor([1, 2]).item()).toThrow("item: tensor has 2 elements (shape [2]), expected 1");
    const t = tensor([1]);
    t.dispose();
    expect(() => t.item()).toThrow(/item: tensor #\d+ of shape \[1\] was disposed/);
  });

  it("on a device without readSync, item() and dataSync() throw and name the async forms, which work", async () => {
    const t = tensor([7], { device: asyncOnlyDevice() });
    expect(() => t.item()).toThrow("item: the 'gpu-like' device reads asynchronously; use await tensor.itemAsync()");
    expect(() => t.dataSync()).toThrow("dataSync: the 'gpu-like' device reads asynchronously; use await tensor.data()");
    expect(await t.itemAsync()).toBe(7);
    expect([...(await t.data())]).toEqual([7]);
  });
});

describe("to(device)", () => {
  it("returns the tensor itself on its own device (as PyTorch), a copy with the same values elsewhere", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.to(t.device)).toBe(t);
    const other = new JsDevice();
    const c = transpose(t).to(other);
    expect(c.device).toBe(other);
    expect(c.shape).toEqual([3, 2]);
    expect([...c.dataSync()]).toEqual([1, 4, 2, 5, 3, 6]);
    const labels = tensor([3, 1], { dtype: "int32" }).to(other);
    expect(labels.dtype).toBe("int32");
    expect(labels.dataSync()).toEqual(new Int32Array([3, 1]));
  });

  it("is differentiable: the gradient comes back to the source device", () => {
    const other = new JsDevice();
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const moved = w.to(other);
    expect(moved.gradFn?.name).toBe("to");
    sum(mul(moved, moved)).backward();
    expect(w.grad!.device).toBe(w.device);
    expect([...w.grad!.dataSync()]).toEqual([2, 4, 6]);
  });

  it("from a device without readSync: to() points to toAsync(), which copies", async () => {
    const gpu = asyncOnlyDevice();
    const t = tensor([[1, 2], [3, 4]], { device: gpu });
    expect(() => t.to(new JsDevice())).toThrow("to: the 'gpu-like' device reads asynchronously; use await tensor.toAsync(device)");
    const back = await t.toAsync(new JsDevice());
    expect([...back.dataSync()]).toEqual([1, 2, 3, 4]);
    expect(await t.toAsync(gpu)).toBe(t);
  });

  it("refuses to record a move whose gradient could not be read back, and a missing device", () => {
    const w = tensor([1], { requiresGrad: true });
    const before = liveStorages();
    expect(() => w.to(asyncOnlyDevice())).toThrow(/to: tensor #\d+ requires grad, and its gradient would have to be read back synchronously from the 'gpu-like' device/);
    expect(liveStorages()).toBe(before);
    expect(noGrad(() => w.to(asyncOnlyDevice())).requiresGrad).toBe(false);
    expect(() => w.to(undefined as never)).toThrow('to: device must be a Device (getDevice("js"), wasmDevice(), …), got undefined');
  });

  it("ops across devices fail with a message that names .to()", () => {
    const a = tensor([[1]]);
    const b = tensor([[1]], { device: new JsDevice() });
    expect(() => matmul(a, b)).toThrow("matmul: tensors are on different devices ('js' and 'js'); move them with .to()");
  });
});

describe("printing", () => {
  it("util.inspect and String() show values as NDArray prints them, with shape, dtype, device, requiresGrad", () => {
    const t = tensor([[1, 2], [3, 4]]);
    // the description wraps, as NDArray's dtype does, when the last line would pass 75 characters
    const text = "tensor([[1, 2],\n        [3, 4]],\n       shape=[2, 2], dtype=float32, device=js, requiresGrad=false)";
    expect(inspect(t)).toBe(text);
    expect(String(t)).toBe(text);
    expect(inspect({ loss: tensor([0.5], { requiresGrad: true }) })).toContain("loss: tensor([0.5], shape=[1], dtype=float32, device=js, requiresGrad=true)");
  });

  it("elides large tensors as NDArray does and shows no internals", () => {
    const t = zeros([40, 50]);
    const text = inspect(t);
    expect(text).toContain("...");
    expect(text.length).toBeLessThan(1200);
    expect(text).toMatch(/shape=\[40, 50\], dtype=float32, device=js, requiresGrad=false\)$/);
    for (const internal of ["storage", "graphRefs", "strides", "isTensor"]) expect(text).not.toContain(internal);
  });

  it("int32, 0-d, empty, disposed and async-only tensors", () => {
    expect(inspect(tensor([3, 1], { dtype: "int32" }))).toBe("tensor([3, 1], shape=[2], dtype=int32, device=js, requiresGrad=false)");
    expect(inspect(tensor(2.5))).toBe("tensor(2.5, shape=[], dtype=float32, device=js, requiresGrad=false)");
    expect(inspect(zeros([0, 3]))).toBe("tensor([], shape=[0, 3], dtype=float32, device=js, requiresGrad=false)");
    const d = tensor([1]);
    d.dispose();
    expect(inspect(d)).toBe("tensor(<disposed>, shape=[1], dtype=float32, device=js, requiresGrad=false)");
    expect(inspect(tensor([1], { device: asyncOnlyDevice() }))).toBe(
      "tensor(<on the 'gpu-like' device: await tensor.data() to read>,\n       shape=[1], dtype=float32, device=gpu-like, requiresGrad=false)");
  });
});
