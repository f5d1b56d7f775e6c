import { describe, expect, it } from "vitest";
import { scope, tensor } from "@tessera/autograd";
import { getDevice, type Device } from "@tessera/blas";
import { wasmDevice } from "@tessera/blas-wasm";
import { webgpuDevice } from "@tessera/blas-webgpu";
import { lenet5 } from "@tessera/models";
import { Rng } from "@tessera/ndarray";
import { crossEntropy, SGD } from "@tessera/optim";

/** Loss agreement between devices after several steps (float32 rounding differs by kernel order). */
const PARITY_RTOL = 2e-4;

/** The losses of `steps` seeded SGD steps of LeNet-5 on `device`. */
async function losses(device: Device, steps: number): Promise<number[]> {
  const model = lenet5({ seed: 3, device });
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const rng = new Rng(5);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const x = new Float32Array(8 * 784);
    rng.fillNormal(x, 0, 1);
    const y = Int32Array.from({ length: 8 }, () => rng.integers(0, 10));
    const loss = scope(() => {
      opt.zeroGrad();
      const l = crossEntropy(model.forward(tensor(x, { shape: [8, 1, 28, 28], device })), y);
      l.backward();
      opt.step();
      return l;
    });
    out.push((await loss.data())[0]);
    loss.dispose();
  }
  model.dispose();
  return out;
}

describe("training parity across devices (the same seeded LeNet-5 steps)", () => {
  it("js, wasm (1 and 2 threads) and webgpu give the same losses to float32 tolerance", async () => {
    const reference = await losses(getDevice("js"), 5);
    const others: [string, Device & { dispose?(): void }][] = [
      ["wasm 1 thread", await wasmDevice({ threads: 1, register: false })],
      ["wasm 2 threads", await wasmDevice({ threads: 2, register: false })],
      ["webgpu", await webgpuDevice({ register: false })],
    ];
    for (const [name, d] of others) {
      const got = await losses(d, 5);
      got.forEach((v, i) => expect(Math.abs(v - reference[i]) / Math.abs(reference[i]), `${name}, step ${i}: ${v} vs ${reference[i]}`).toBeLessThan(PARITY_RTOL));
      d.dispose?.();
    }
    expect(reference[4]).toBeLessThan(reference[0] * 1.5); // it is training, not diverging
  });
});
