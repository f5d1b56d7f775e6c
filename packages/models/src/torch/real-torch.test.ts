// Files written by a real PyTorch (1.13.1, see test/fixtures/torch/generate.py), not by our own
// writer: the reader must agree with torch on keys, shapes, dtypes and values, and a zoo model
// loaded from them must give torch's logits.
import { readFileSync } from "node:fs";
import { tensor, type Tensor } from "@tessera/autograd";
import { BatchNorm2d, Conv2d, ReLU, Sequential } from "@tessera/nn";
import { describe, expect, it } from "vitest";
import { lenet5, loadTorchvision, mnistMlp, readTorchStateDict } from "../index.js";
import type { TorchTensor } from "./pth.js";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../test/fixtures/torch/${name}`, import.meta.url)));

interface Summary { dtype: string; shape: number[]; sum: number; first: number[] }
interface Net { tensors: Record<string, Summary>; input: string; inputShape: number[]; logits: number[] }
const expected = JSON.parse(new TextDecoder().decode(fixture("expected.json"))) as {
  lenet5: Net; mlp: Net; convBn: Net; dtypes: Record<string, { dtype: string; shape: number[]; values: number[] }>;
};

/** The case's input (base64 float32 little-endian) as a tensor. */
function input(c: Net): Tensor {
  const bytes = Uint8Array.from(atob(c.input), (ch) => ch.charCodeAt(0));
  const v = new DataView(bytes.buffer);
  return tensor(Float32Array.from({ length: bytes.length / 4 }, (_, i) => v.getFloat32(i * 4, true)), { shape: c.inputShape });
}

/** Checks every tensor against torch's summary: same keys in the same order, dtype, shape, first values exactly, sum to float64 rounding. */
function expectTensors(sd: Map<string, TorchTensor>, want: Record<string, Summary>): void {
  expect([...sd.keys()]).toEqual(Object.keys(want));
  for (const [k, w] of Object.entries(want)) {
    const t = sd.get(k)!;
    expect({ key: k, dtype: t.dtype, shape: t.shape }).toEqual({ key: k, dtype: w.dtype, shape: w.shape });
    expect(Array.from(t.data.subarray(0, 4)), k).toEqual(w.first);
    let sum = 0, abs = 0;
    for (const x of t.data) { sum += x; abs += Math.abs(x); }
    expect(Math.abs(sum - w.sum), k).toBeLessThanOrEqual(1e-12 * (abs + 1));
  }
}

/** max |a − b| / max |b|. */
function relError(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let err = 0, scale = 0;
  for (let i = 0; i < b.length; i++) { err = Math.max(err, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(b[i])); }
  return err / scale;
}

describe("files saved by a real torch.save (PyTorch 1.13.1)", () => {
  it("lenet5.pth (zip format): every tensor equals torch's; lenet5() loaded from it gives torch's logits", async () => {
    const bytes = fixture("lenet5.pth");
    expectTensors(readTorchStateDict(bytes), expected.lenet5.tensors);
    const net = lenet5({ seed: 7 });
    const result = await loadTorchvision(net, bytes);
    expect(result).toMatchObject({ missingKeys: [], unexpectedKeys: [] });
    net.eval();
    const out = await net.forward(input(expected.lenet5)).data();
    expect(relError(out as Float32Array, expected.lenet5.logits)).toBeLessThan(1e-5);
  });

  it("mlp-checkpoint.pth ({ model: state_dict, epoch: 3 }): read with { key: 'model' }, refused without it with a hint", async () => {
    const bytes = fixture("mlp-checkpoint.pth");
    expect(() => readTorchStateDict(bytes)).toThrow(/entry 'model' is a dict, not a tensor; this looks like a training checkpoint: pass \{ key: 'model' \}/);
    expectTensors(readTorchStateDict(bytes, { key: "model" }), expected.mlp.tensors);
    const net = mnistMlp({ seed: 7 });
    await loadTorchvision(net, bytes, { key: "model" });
    net.eval();
    const out = await net.forward(input(expected.mlp)).data();
    expect(relError(out as Float32Array, expected.mlp.logits)).toBeLessThan(1e-5);
  });

  it("conv-bn.pth (BatchNorm after training steps): int64 num_batches_tracked and running statistics load; eval output equals torch's", async () => {
    const bytes = fixture("conv-bn.pth");
    expectTensors(readTorchStateDict(bytes), expected.convBn.tensors);
    const net = new Sequential(new Conv2d(2, 3, 3, { padding: 1 }), new BatchNorm2d(3), new ReLU());
    await loadTorchvision(net, bytes);
    expect(Array.from(await net.stateDict().get("1.num_batches_tracked")!.data())).toEqual(expected.convBn.tensors["1.num_batches_tracked"].first);
    net.eval();
    const out = await net.forward(input(expected.convBn)).data();
    expect(relError(out as Float32Array, expected.convBn.logits)).toBeLessThan(1e-5);
  });

  it("mlp-legacy.pth (_use_new_zipfile_serialization=False) is refused with the documented error, not misread", async () => {
    const bytes = fixture("mlp-legacy.pth");
    expect(() => readTorchStateDict(bytes)).toThrow("readTorchStateDict: this is the legacy torch.save format (PyTorch < 1.6, not a zip archive), which this reader does not read");
    const net = mnistMlp({ seed: 7 });
    const before = Array.from(await net.stateDict().get("1.weight")!.data());
    await expect(loadTorchvision(net, bytes)).rejects.toThrow(/legacy torch\.save format/);
    expect(Array.from(await net.stateDict().get("1.weight")!.data())).toEqual(before);
  });

  for (const file of ["dtypes.pth", "dtypes-protocol4.pth"]) {
    it(`${file}: every dtype, 0-d, empty, a Parameter, transposed, offset, expand()ed and channels_last tensors equal torch's values`, () => {
      const sd = readTorchStateDict(fixture(file));
      expect([...sd.keys()]).toEqual(Object.keys(expected.dtypes));
      for (const [k, w] of Object.entries(expected.dtypes)) {
        const t = sd.get(k)!;
        expect({ key: k, dtype: t.dtype, shape: t.shape }).toEqual({ key: k, dtype: w.dtype, shape: w.shape });
        // floats become float32 (float64 rounds), integers and bools int32
        expect(Array.from(t.data), k).toEqual(t.data instanceof Float32Array ? w.values.map(Math.fround) : w.values);
      }
      for (const k of ["long", "int32", "int16", "int8", "uint8", "bool"]) expect(sd.get(k)!.data, k).toBeInstanceOf(Int32Array);
    });
  }
});
