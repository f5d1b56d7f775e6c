import { noGrad, randn, scope, type Tensor } from "@tessera/autograd";
import { JsDevice, type Device } from "@tessera/blas";
import { WasmDevice } from "@tessera/blas-wasm";
import { Rng } from "@tessera/ndarray";
import { BatchNorm2d, FusedConv2d, fuse, Identity, type Module } from "@tessera/nn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicConv2d, FusedResidualBlock, resnet18, resnet20, resnet50, type CifarResNet, type ResNet } from "./index.js";

/** Random running statistics and affine parameters for every BatchNorm2d (a fresh model's are 0 / 1, which would hide a wrong fold). */
async function randomiseBatchNorms(m: Module, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const values = new Map<string, { shape: number[]; data: number[] }>();
  for (const [name, mod] of m.namedModules()) {
    if (!(mod instanceof BatchNorm2d)) continue;
    const C = mod.numFeatures;
    const draw = (lo: number, hi: number) => ({ shape: [C], data: Array.from({ length: C }, () => rng.uniform(lo, hi)) });
    values.set(`${name}.running_mean`, draw(-0.2, 0.2));
    values.set(`${name}.running_var`, draw(0.5, 2));
    values.set(`${name}.weight`, draw(0.5, 1.5));
    values.set(`${name}.bias`, draw(-0.2, 0.2));
  }
  await m.loadStateDict(values, { strict: false });
}

function forward(m: Module, x: Tensor): Float32Array {
  return noGrad(() => scope(() => Float32Array.from(m.forward(x).dataSync())));
}

/** Largest |a − b| over the largest |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let err = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/** Copies of every state-dict entry. */
async function values(m: Module): Promise<Map<string, Float32Array | Int32Array>> {
  const out = new Map<string, Float32Array | Int32Array>();
  for (const [k, t] of m.stateDict()) out.set(k, (await t.data()).slice());
  return out;
}

/** The keys whose values differ (bit for bit) between two snapshots, with a plain loop (11 M values). */
function changedKeys(a: Map<string, Float32Array | Int32Array>, b: Map<string, Float32Array | Int32Array>): string[] {
  const out = [...a.keys()].filter((k) => !b.has(k));
  for (const [k, v] of b) {
    const u = a.get(k);
    if (!u || u.length !== v.length) { out.push(k); continue; }
    const [x, y] = [new Int32Array(u.buffer, u.byteOffset, u.length), new Int32Array(v.buffer, v.byteOffset, v.length)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) { out.push(k); break; }
  }
  return out;
}

describe("fuse() on the ResNets: every conv + bn (+ residual) + ReLU one fused convolution", () => {
  const devices: [string, Device][] = [];
  beforeAll(async () => {
    devices.push(["js", new JsDevice()], ["wasm", await WasmDevice.create({ threads: 2, blocking: { minFlopsPerThread: 0 }, register: false })]);
  });
  afterAll(() => (devices[1][1] as WasmDevice).dispose());

  it("fuse(resnet18) in eval equals resnet18 in eval on js and wasm, leaving the original's state dict as it was", async () => {
    for (const [name, device] of devices) {
      const net = resnet18({ numClasses: 10, seed: 1, device });
      await randomiseBatchNorms(net, 2);
      net.eval();
      const before = await values(net);
      const fused = (await fuse(net)) as ResNet;
      expect(fused.conv1).toBeInstanceOf(FusedConv2d);
      expect(fused.bn1).toBeInstanceOf(Identity);
      expect(fused.layer2.layers[0]).toBeInstanceOf(FusedResidualBlock);
      expect(fused.fc).toBe(net.fc);
      const x = randn([2, 3, 40, 40], new Rng(3), { device });
      // float32 through 18 layers: each fused layer rounds differently from conv → bn → add → relu.
      expect(`${name}: ${relativeError(forward(fused, x), forward(net, x)) < 2e-5}`).toBe(`${name}: true`);
      expect(changedKeys(before, await values(net))).toEqual([]);
      expect(net.conv1.weight.device).toBe(device);
    }
  });

  it("fuse(resnet50) (Bottleneck blocks) equals resnet50 on wasm", async () => {
    const device = devices[1][1];
    const net = resnet50({ numClasses: 7, seed: 4, device });
    await randomiseBatchNorms(net, 5);
    net.eval();
    const fused = await fuse(net);
    const x = randn([1, 3, 48, 48], new Rng(6), { device });
    expect(relativeError(forward(fused, x), forward(net, x))).toBeLessThan(2e-5);
  });

  it("fuse(resnet20) (CIFAR, option-A shortcuts) equals resnet20 on js and wasm", async () => {
    for (const [name, device] of devices) {
      const net = resnet20({ seed: 10, device });
      await randomiseBatchNorms(net, 11);
      net.eval();
      const fused = await fuse(net);
      expect((fused as CifarResNet).layer2.layers[0]).toBeInstanceOf(FusedResidualBlock);
      const x = randn([2, 3, 16, 16], new Rng(12), { device });
      expect(`${name}: ${relativeError(forward(fused, x), forward(net, x)) < 2e-5}`).toBe(`${name}: true`);
    }
  });

  it("fuses GoogLeNet's and Inception's BasicConv2d (conv, bn with eps 0.001, ReLU)", async () => {
    const block = new BasicConv2d(4, 6, [1, 3], { padding: [0, 1] }, 0.3, { rng: new Rng(7) });
    await randomiseBatchNorms(block, 8);
    block.eval();
    const fused = await fuse(block);
    expect(fused).toBeInstanceOf(FusedConv2d);
    const x = randn([2, 4, 5, 5], new Rng(9));
    expect(relativeError(forward(fused, x), forward(block, x))).toBeLessThan(2e-6);
  });

  it("rejects a model left in training mode", async () => {
    await expect(fuse(resnet18({ numClasses: 2 }))).rejects.toThrow("fuse: the module (ResNet) is in training mode; call eval() first");
  });
});
