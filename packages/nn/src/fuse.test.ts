import { noGrad, randn, reshape, scope, type Tensor } from "@tessera/autograd";
import { JsDevice, type Device } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { BatchNorm2d, Conv2d, FusedConv2d, fuse, Identity, Linear, MaxPool2d, Module, ReLU, Sequential, type StateDict } from "./index.js";

/** Gives every BatchNorm2d of `m` random running statistics and affine parameters (as after training). */
async function randomiseBatchNorms(m: Module, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const values = new Map<string, { shape: number[]; data: number[] }>();
  for (const [name, mod] of m.namedModules()) {
    if (!(mod instanceof BatchNorm2d)) continue;
    const C = mod.numFeatures;
    const p = name === "" ? "" : `${name}.`;
    const draw = (f: () => number) => ({ shape: [C], data: Array.from({ length: C }, f) });
    values.set(`${p}running_mean`, draw(() => rng.uniform(-0.5, 0.5)));
    values.set(`${p}running_var`, draw(() => rng.uniform(0.2, 2)));
    if (mod.weight) values.set(`${p}weight`, draw(() => rng.uniform(0.5, 1.5)));
    if (mod.bias) values.set(`${p}bias`, draw(() => rng.uniform(-0.5, 0.5)));
  }
  await m.loadStateDict(values, { strict: false });
}

async function snapshot(sd: StateDict): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [k, t] of sd) out.set(k, Array.from(await t.data()));
  return out;
}

/** Largest |a − b| relative to the largest |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(a.length).toBe(b.length);
  return err / scale;
}

/** A small Conv-BN-ReLU stack with every pattern fuse() knows, and layers it leaves alone. */
function stack(device: Device, rng: Rng): Sequential {
  return new Sequential(
    new Conv2d(3, 8, 3, { padding: 1, bias: false, rng, device }), new BatchNorm2d(8, { device }), new ReLU(), // conv bn relu
    new Conv2d(8, 12, 3, { stride: 2, padding: 1, rng, device }), new BatchNorm2d(12, { device }),             // conv (bias) bn
    new MaxPool2d(2),
    new Conv2d(12, 12, 3, { padding: 1, groups: 3, paddingMode: "reflect", rng, device }), new ReLU(),       // conv relu, grouped, reflect
    new Conv2d(12, 6, 1, { rng, device }), new BatchNorm2d(6, { device, affine: false }), new ReLU(),        // bn without affine
  );
}

function forward(m: Module, x: Tensor): Float64Array {
  return noGrad(() => scope(() => Float64Array.from(m.forward(x).dataSync())));
}

describe("fuse(): Conv2d + BatchNorm2d (+ ReLU) folded into one FusedConv2d", () => {
  it("keeps the original's values and structure: Identity placeholders, untouched layers shared, state dict unchanged", async () => {
    const device = new JsDevice();
    const net = stack(device, new Rng(1));
    await randomiseBatchNorms(net, 2);
    net.eval();
    const before = await snapshot(net.stateDict());
    const fused = (await fuse(net)) as Sequential;
    expect(fused.layers.map((m) => m.constructor.name)).toEqual([
      "FusedConv2d", "Identity", "Identity", "FusedConv2d", "Identity", "MaxPool2d", "FusedConv2d", "Identity", "FusedConv2d", "Identity", "Identity",
    ]);
    expect(fused.layers[5]).toBe(net.layers[5]);
    expect([...fused.stateDict().keys()]).toEqual(["0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias", "8.weight", "8.bias"]);
    expect(fused.parameters()).toEqual([]);
    const x = randn([3, 3, 10, 9], new Rng(3), { device });
    const want = forward(net, x), got = forward(fused, x);
    // float32: the folded weights are rounded once; BatchNorm's own steps round several times.
    expect(relativeError(got, want)).toBeLessThan(2e-6);
    expect(await snapshot(net.stateDict())).toEqual(before);
    expect(net.layers[1]).toBeInstanceOf(BatchNorm2d);
  });

  it("folds exactly in float64 (the js device's double-precision storage)", async () => {
    const device = new JsDevice({ precision: "float64" });
    const net = stack(device, new Rng(4));
    await randomiseBatchNorms(net, 5);
    net.eval();
    const fused = await fuse(net);
    const x = randn([2, 3, 11, 8], new Rng(6), { device });
    expect(relativeError(forward(fused, x), forward(net, x))).toBeLessThan(1e-13);
  });

  it("rejects a module in training mode, naming the submodule, and a fused layer refuses to train", async () => {
    const net = stack(new JsDevice(), new Rng(7)).eval();
    net.layers[4].train();
    await expect(fuse(net)).rejects.toThrow("fuse: submodule '4' (BatchNorm2d) is in training mode; call eval() first");
    await expect(fuse(new Sequential(new Conv2d(1, 1, 1), new ReLU()))).rejects.toThrow("fuse: the module (Sequential) is in training mode");
    net.eval();
    const fused = await fuse(net);
    fused.train();
    expect(() => fused.forward(randn([1, 3, 4, 4], new Rng(8)))).toThrow("FusedConv2d: inference only; it cannot run in training mode");
    await expect(FusedConv2d.fold(new Conv2d(1, 2, 1), null, { relu: true })).rejects.toThrow("FusedConv2d.fold: conv is in training mode");
    await expect(FusedConv2d.fold(new Conv2d(1, 2, 1).eval(), new BatchNorm2d(3).eval(), { relu: true })).rejects.toThrow("FusedConv2d.fold: bn has 3 channels but conv has 2 outputs");
  });

  it("walks nested modules, copies a container whose children changed, and leaves the rest alone", async () => {
    class Net extends Module {
      body = new Sequential(new Conv2d(2, 4, 3, { rng: new Rng(9) }), new BatchNorm2d(4), new ReLU());
      head = new Linear(4, 3, { rng: new Rng(10) });
      forward(x: Tensor): Tensor {
        return this.head.forward(reshape(this.body.forward(x), [x.shape[0], 4]));
      }
    }
    const net = new Net();
    await randomiseBatchNorms(net, 11);
    net.eval();
    const fused = (await fuse(net)) as Net;
    expect(fused).toBeInstanceOf(Net);
    expect(fused).not.toBe(net);
    expect(fused.head).toBe(net.head);
    expect(fused.body.layers[0]).toBeInstanceOf(FusedConv2d);
    expect(net.body.layers[0]).toBeInstanceOf(Conv2d);
    const x = randn([2, 2, 3, 3], new Rng(12));
    expect(relativeError(forward(fused, x), forward(net, x))).toBeLessThan(2e-6);
    const plain = new Sequential(new Linear(2, 2), new Identity()).eval();
    expect(await fuse(plain)).not.toBe(plain);
  });
});
