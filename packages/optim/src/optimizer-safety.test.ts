import { describe, expect, it } from "vitest";
import { tensor } from "@tessera/autograd";
import { JsDevice } from "@tessera/blas";
import { Adagrad, Adam, AdamW, RMSprop, SGD, rejectUnknownOptions, type Optimizer } from "./index.js";

const param = (v: number[]) => tensor(v, { requiresGrad: true });

describe("optimizers: frozen, disposed and moved parameters", () => {
  it("accepts a frozen parameter and skips it (PyTorch: grad is None), updating the others", async () => {
    const w = param([1, 2]);
    const frozen = tensor([5], { requiresGrad: false });
    const opt = new SGD([w, frozen], { lr: 0.5 });
    w.grad = tensor([1, 1]);
    opt.step();
    expect([...(await w.data())]).toEqual([0.5, 1.5]);
    expect([...(await frozen.data())]).toEqual([5]);
    expect(opt.state.has(frozen)).toBe(false);
  });

  it("throws on a disposed parameter instead of skipping it", () => {
    const w = param([1, 2]);
    const v = param([3]);
    const opt = new Adam([w, v]);
    w.grad = tensor([1, 1]);
    v.dispose();
    expect(() => opt.step()).toThrow("Adam.step: parameter 1 of shape [1] was disposed");
  });

  it("throws when the state lives on another device than the parameter", () => {
    const w = param([1, 2]);
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad = tensor([1, 1]);
    opt.step();
    const other = new JsDevice();
    const st = opt.state.get(w)!;
    const moved = tensor([0, 0], { device: other });
    (st.momentumBuffer as { dispose(): void }).dispose();
    st.momentumBuffer = moved;
    expect(() => opt.step()).toThrow(`SGD.step: state 'momentumBuffer' of parameter 0 is on '${other.name}' but the parameter is on 'js'`);
  });
});

describe("optimizers: bad numbers and unknown options", () => {
  const w = () => param([1]);
  it("rejects non-finite and negative hyper-parameters", () => {
    expect(() => new SGD([w()], { lr: Infinity })).toThrow("SGD: lr must be a finite number >= 0, got Infinity");
    expect(() => new SGD([w()], { lr: NaN })).toThrow("SGD: lr must be a finite number >= 0, got NaN");
    expect(() => new SGD([w()], { lr: 0.1, dampening: -1 })).toThrow("SGD: dampening must be a finite number >= 0, got -1");
    expect(() => new Adam([w()], { eps: NaN })).toThrow("Adam: eps must be a finite number >= 0, got NaN");
    expect(() => new AdamW([w()], { weightDecay: Infinity })).toThrow("AdamW: weightDecay must be a finite number >= 0, got Infinity");
    expect(() => new RMSprop([w()], { momentum: -0.5 })).toThrow("RMSprop: momentum must be a finite number >= 0, got -0.5");
    expect(() => new Adagrad([w()], { lrDecay: -1 })).toThrow("Adagrad: lrDecay must be a finite number >= 0, got -1");
    expect(() => new SGD([{ params: [w()] }, { params: [w()], lr: Infinity }], { lr: 0.1 })).toThrow("SGD: parameter group 1: lr must be a finite number >= 0, got Infinity");
  });

  it("checks a group's lr at step() when it was set after construction", async () => {
    const p = w();
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tensor([1]);
    opt.paramGroups[0].lr = Infinity;
    expect(() => opt.step()).toThrow("SGD.step: lr must be a finite number >= 0, got Infinity");
    expect([...(await p.data())]).toEqual([1]);
  });

  it("rejects unknown option keys in the options and in groups", () => {
    expect(() => new SGD([w()], { lr: 0.1, weight_decay: 1e-4 } as never)).toThrow("SGD: unknown option 'weight_decay' in options (known: lr, momentum, dampening, weightDecay, nesterov)");
    expect(() => new Adam([{ params: [w()], betas1: 0.5 } as never])).toThrow("Adam: unknown option 'betas1' in parameter group 0");
    expect(() => rejectUnknownOptions("f", "o", 3, ["a"])).toThrow("f: o must be an object, got number");
  });
});

describe("Optimizer.loadStateDict is all or nothing", () => {
  async function trained(): Promise<{ opt: Optimizer<{ lr: number }>; sd: Awaited<ReturnType<Optimizer<{ lr: number }>["stateDict"]>> }> {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1, 1]);
    b.grad = tensor([1]);
    opt.step();
    opt.step();
    return { opt, sd: await opt.stateDict() };
  }
  it("a bad entry in the second group changes neither the first group's options nor any state", async () => {
    const { opt, sd } = await trained();
    const other = await trained();
    const before = await opt.stateDict();
    const bad = {
      state: { ...other.sd.state, 1: { ...other.sd.state[1], expAvg: [1, 2, 3] } },
      paramGroups: [{ ...other.sd.paramGroups[0], lr: 0.7 }, other.sd.paramGroups[1]],
    };
    expect(() => opt.loadStateDict(bad)).toThrow("Adam.loadStateDict: state 'expAvg' of parameter 1 has 3 values, expected 1");
    expect(await opt.stateDict()).toEqual(before);
    const badLr = { state: sd.state, paramGroups: [sd.paramGroups[0], { ...sd.paramGroups[1], lr: NaN }] };
    expect(() => opt.loadStateDict(badLr)).toThrow("Adam.loadStateDict: parameter group 1: lr must be a finite number >= 0, got NaN");
    const badKey = { state: sd.state, paramGroups: [{ ...sd.paramGroups[0], lr: 0.3, learningRate: 1 }, sd.paramGroups[1]] };
    expect(() => opt.loadStateDict(badKey)).toThrow("Adam.loadStateDict: unknown option 'learningRate' in parameter group 0");
    const badIndex = { state: { ...sd.state, 7: { step: 1 } }, paramGroups: sd.paramGroups };
    expect(() => opt.loadStateDict(badIndex)).toThrow("Adam.loadStateDict: state for parameter '7', but the optimizer has 2 parameters");
    expect(await opt.stateDict()).toEqual(before);
  });
});
