import { describe, expect, it } from "vitest";
import { liveStorages, mean, mul, scope, tensor, type Tensor } from "@tessera/autograd";
import { JsDevice } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { SGD } from "@tessera/optim";
import { BatchNorm2d, Conv2d, isParameter, Linear, Module, Parameter, Sequential, summary } from "./index.js";

describe("a frozen parameter stays a parameter", () => {
  const net = () => new Sequential(new Conv2d(1, 2, 3, { rng: new Rng(1) }), new BatchNorm2d(2), new Linear(4, 2, { rng: new Rng(2) }));
  const KEYS = ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "2.weight", "2.bias"];

  it("is in parameters(), stateDict(), numParameters() and a strict load", async () => {
    const m = net();
    for (const p of [...m.namedModules()[1][1].parameters(), ...m.namedModules()[2][1].parameters()]) p.requiresGrad = false;
    expect(m.parameters().length).toBe(6);
    expect([...m.stateDict().keys()]).toEqual(KEYS);
    expect(m.numParameters()).toBe(20 + 4 + 10);
    expect(m.numParameters({ trainableOnly: true })).toBe(10);
    const src = net();
    await m.loadStateDict(src.stateDict()); // strict: every key, frozen ones included
    expect([...(await m.parameters()[0].data())]).toEqual([...(await src.parameters()[0].data())]);
  });

  it("summary() counts it in the total, not in the trainable parameters", () => {
    const fc = new Sequential(new Linear(4, 3), new Linear(3, 2));
    fc.parameters()[0].requiresGrad = false;
    const s = summary(fc, [1, 4]);
    expect([s.total, s.trainable]).toEqual([15 + 8, 3 + 8]);
    expect(s.toString()).toContain("Total params: 23");
  });

  it("moves with to() and is freed by dispose()", async () => {
    const m = net();
    const w = m.parameters()[0];
    w.requiresGrad = false;
    const dev = new JsDevice();
    await m.to(dev);
    expect(w.device).toBe(dev);
    expect(m.parameters().every((p) => p.device === dev)).toBe(true);
    const before = liveStorages();
    m.dispose();
    expect(w.isDisposed).toBe(true);
    expect(liveStorages()).toBe(before - KEYS.length);
  });

  it("Parameter() marks a custom field; an op result is refused", () => {
    class Gain extends Module {
      g = Parameter(tensor([2]), false);
      forward(x: Tensor): Tensor {
        return mul(x, this.g);
      }
    }
    const m = new Gain();
    expect(isParameter(m.g)).toBe(true);
    expect(m.parameters()).toEqual([m.g]);
    expect(() => Parameter(mul(tensor([1], { requiresGrad: true }), 2))).toThrow("Parameter: a parameter must be a leaf tensor, got the result of 'affine'");
  });
});

describe("Module.to(device) keeps the parameter objects", () => {
  it("an optimizer created before the move still trains the model", async () => {
    const fc = new Linear(2, 1, { rng: new Rng(3) });
    const opt = new SGD(fc.parameters(), { lr: 0.5 });
    const dev = new JsDevice();
    const w = fc.weight;
    const before = [...(await w.data())];
    await fc.to(dev);
    expect(fc.weight).toBe(w);
    expect(w.device).toBe(dev);
    expect([...(await w.data())]).toEqual(before);
    scope(() => {
      opt.zeroGrad();
      mean(fc.forward(tensor([[1, 1]], { device: dev }))).backward();
      opt.step();
    });
    const after = [...(await w.data())];
    expect(after).toEqual(before.map((v) => Math.fround(v - 0.5)));
  });

  it("moves buffers in place and a gradient with its parameter", async () => {
    const bn = new BatchNorm2d(2);
    const rm = bn.buffers()[0];
    bn.weight!.grad = tensor([1, 2]);
    const dev = new JsDevice();
    await bn.to(dev);
    expect(bn.buffers()[0]).toBe(rm);
    expect(rm.device).toBe(dev);
    expect(bn.weight!.grad!.device).toBe(dev);
    expect([...(await bn.weight!.grad!.data())]).toEqual([1, 2]);
  });
});

describe("loadStateDict(sd, { strict: false })", () => {
  it("returns the missing and unexpected keys; a strict load returns none", async () => {
    const a = new Linear(3, 2, { rng: new Rng(1) });
    const b = new Linear(3, 2, { rng: new Rng(2) });
    const r = await b.loadStateDict(new Map([["weight", a.weight], ["extra", tensor([1])]]), { strict: false });
    expect(r).toEqual({ missingKeys: ["bias"], unexpectedKeys: ["extra"] });
    expect(await b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    await expect(b.loadStateDict(a.stateDict(), { stric: false } as never)).rejects.toThrow("loadStateDict: unknown option 'stric' in options (known: strict)");
  });
});
