/**
 * Moving tensors between devices: `t.to(device)` (synchronous read of the source) and
 * `t.toAsync(device)` (any source). Same device: the tensor itself, as PyTorch. The copy records a
 * node whose backward moves the gradient back.
 * @internal
 */
import type { Device } from "@tessera/blas";
import { describe } from "./args.js";
import { empty } from "./create.js";
import { record, willRecord } from "./ops/util.js";
import { gather, type Tensor } from "./tensor.js";

function checkDevice(fn: string, device: unknown): asserts device is Device {
  const d = device as Partial<Device> | null;
  if (d === null || typeof d !== "object" || typeof d.name !== "string" || typeof d.alloc !== "function" || typeof d.write !== "function") {
    throw new TypeError(`${fn}: device must be a Device (getDevice("js"), wasmDevice(), …), got ${describe(device)}`);
  }
}

/** Checks done before reading: a live tensor, a device, and a gradient that can come back. */
function check(fn: string, x: Tensor, device: unknown): asserts device is Device {
  checkDevice(fn, device);
  x.assertLive(fn);
  if (device !== x.device && willRecord([x]) && !device.readSync) {
    throw new Error(`${fn}: tensor #${x.id} requires grad, and its gradient would have to be read back synchronously from the '${device.name}' device, which reads only asynchronously; create the tensor on '${device.name}' instead, or move it under noGrad()`);
  }
}

/** A copy of `x` on `device` from the raw contents of its storage, recording the move. */
function copy(x: Tensor, raw: ArrayLike<number>, device: Device): Tensor {
  const out = empty(device, x.shape, x.dtype);
  if (out.size > 0) device.write(out.storage.buffer, gather(x, raw, raw instanceof Float64Array));
  return record(out, "to", [x], () => ({ backward: (g) => [moveTo(g, x.device)] }));
}

/** See {@link Tensor.to}. */
export function moveTo(x: Tensor, device: Device): Tensor {
  check("to", x, device);
  if (device === x.device) return x;
  const read = x.device.readSync;
  if (!read) throw new Error(`to: the '${x.device.name}' device reads asynchronously; use await tensor.toAsync(device)`);
  return copy(x, read.call(x.device, x.storage.buffer), device);
}

/** See {@link Tensor.toAsync}. */
export async function moveToAsync(x: Tensor, device: Device): Promise<Tensor> {
  check("toAsync", x, device);
  if (device === x.device) return x;
  const raw = await x.device.read(x.storage.buffer);
  x.assertLive("toAsync");
  return copy(x, raw, device);
}
