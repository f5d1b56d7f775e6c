import { Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { fusedConv2d, FusedConv2dPlan, noGrad, randn, tensor, transpose, type Tensor } from "./index.js";
import type { Conv2dOptions } from "@tessera/conv";

const bits = (t: Tensor) => Array.from(t.dataSync());

describe("FusedConv2dPlan: fusedConv2d resolved once per input shape", () => {
  const rng = new Rng(11);
  const w = randn([5, 3, 3, 3], rng), b = randn([5], rng);
  const wg = randn([6, 1, 3, 3], rng), bg = randn([6], rng);
  const cases: [string, Conv2dOptions, Tensor, Tensor][] = [
    ["im2col lowering", { padding: 1, stride: [1, 2] }, w, b],
    ["Winograd (the js device's routine)", { padding: 1, algorithm: "winograd" }, w, b],
    ["grouped, dilated", { padding: [0, 1], groups: 3, dilation: 2 }, wg, bg],
  ];

  for (const [name, o, w, b] of cases) {
    it(`has fusedConv2d's bits, call after call, with new data (${name})`, () => {
      for (const relu of [false, true]) {
        // One plan with a bias, one with a residual (each call after the first takes the resolved path).
        const plan = new FusedConv2dPlan(o, relu), planR = new FusedConv2dPlan(o, relu);
        for (let k = 0; k < 3; k++) {
          const x = randn([2, 3, 7, 6], rng);
          const y = noGrad(() => plan.run(x, w, b));
          expect(bits(y)).toEqual(bits(noGrad(() => fusedConv2d(x, w, b, o, { relu }))));
          const r = randn(y.shape, rng);
          expect(bits(noGrad(() => planR.run(x, w, null, r)))).toEqual(bits(noGrad(() => fusedConv2d(x, w, null, o, { relu, residual: r }))));
        }
      }
    });
  }

  it("follows a new input shape, a replaced weight or bias, and strided inputs", () => {
    const o: Conv2dOptions = { padding: 1 };
    const plan = new FusedConv2dPlan(o, true);
    const run = (x: Tensor, wt: Tensor, bt: Tensor | null, r?: Tensor) => bits(noGrad(() => plan.run(x, wt, bt, r)));
    const want = (x: Tensor, wt: Tensor, bt: Tensor | null, r?: Tensor) => bits(noGrad(() => fusedConv2d(x, wt, bt, o, r ? { relu: true, residual: r } : { relu: true })));
    const x1 = randn([1, 3, 5, 5], rng), x2 = randn([3, 3, 4, 6], rng);
    expect(run(x1, w, b)).toEqual(want(x1, w, b));
    expect(run(x2, w, b)).toEqual(want(x2, w, b));
    const w2 = randn([5, 3, 3, 3], rng), b2 = randn([5], rng);
    expect(run(x2, w2, b)).toEqual(want(x2, w2, b));
    expect(run(x2, w2, b2)).toEqual(want(x2, w2, b2));
    const xt = transpose(randn([3, 3, 6, 4], rng), 2, 3); // [3, 3, 4, 6], a strided view
    expect(xt.isContiguous).toBe(false);
    expect(run(xt, w2, b2)).toEqual(want(xt, w2, b2));
    const rt = transpose(randn([3, 5, 6, 4], rng), 2, 3);
    expect(run(x2, w2, b2, rt)).toEqual(want(x2, w2, b2, rt));
    const wt = transpose(randn([5, 3, 3, 3], rng), 2, 3); // a strided weight: fusedConv2d copies it, every call
    expect(run(x2, wt, b2)).toEqual(want(x2, wt, b2));
    expect(run(x2, wt, b2)).toEqual(want(x2, wt, b2));
  });

  it("gives fusedConv2d's errors after a fast call, and never reads a disposed tensor", () => {
    const plan = new FusedConv2dPlan({ padding: 1 }, false);
    const x = randn([1, 3, 5, 5], rng);
    noGrad(() => plan.run(x, w, b));
    const xg = tensor(x.dataSync(), { shape: x.shape, requiresGrad: true });
    expect(() => plan.run(xg, w, b)).toThrow("fusedConv2d: inference only (no backward), but x requires grad");
    expect(() => noGrad(() => plan.run(randn([1, 4, 5, 5], rng), w, b))).toThrow("expected weight.shape[1] = C / groups = 4, got 3");
    expect(() => noGrad(() => plan.run(x, w, b, randn([1, 5, 5, 4], rng)))).toThrow("fusedConv2d: epilogue.residual must have the output's shape [1,5,5,5], got [1,5,5,4]");
    const xd = randn([1, 3, 5, 5], rng);
    xd.dispose();
    expect(() => noGrad(() => plan.run(xd, w, b))).toThrow(/was disposed/);
    const wd = randn([5, 3, 3, 3], rng);
    noGrad(() => plan.run(x, wd, b));
    wd.dispose();
    expect(() => noGrad(() => plan.run(x, wd, b))).toThrow(/was disposed/);
    expect(() => noGrad(() => plan.run(x, w, b, "r" as never))).toThrow("fusedConv2d: epilogue.residual must be a Tensor");
  });

  it("keeps a frozen copy of its options, and checks them when built", () => {
    const o = { padding: [1, 1] as [number, number] };
    const plan = new FusedConv2dPlan(o, false);
    o.padding[0] = 0;
    expect(plan.options.padding).toEqual([1, 1]);
    expect(Object.isFrozen(plan.options) && Object.isFrozen(plan.options.padding)).toBe(true);
    expect(() => new FusedConv2dPlan(null as never, false)).toThrow("FusedConv2dPlan: options must be an options object, got null");
    // Defaults: no options, no ReLU.
    const x = randn([1, 3, 5, 5], rng);
    expect(bits(noGrad(() => new FusedConv2dPlan().run(x, w, b)))).toEqual(bits(noGrad(() => fusedConv2d(x, w, b, {}, {}))));
    expect(bits(noGrad(() => new FusedConv2dPlan(undefined, true).run(x, w, b)))).toEqual(bits(noGrad(() => fusedConv2d(x, w, b, {}, { relu: true }))));
    expect(() => new FusedConv2dPlan({}, 1 as never)).toThrow("FusedConv2dPlan: relu must be a boolean, got number");
  });
});
