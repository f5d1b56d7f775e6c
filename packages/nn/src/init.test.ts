import { describe, expect, it } from "vitest";
import { zeros } from "@tessera/autograd";
import { counterNormal, counterUniform } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { initNormal, initUniform, normalParameter, uniformParameter } from "./init.js";
import { Conv2d, Linear } from "./index.js";

describe("initialisation on the device", () => {
  it("initUniform / initNormal fill with the device's counter stream, seeded by one draw of the Rng", async () => {
    const seed = new Rng(5).nextUint32();
    const u = await initUniform(zeros([3, 4]), -2, 2, new Rng(5)).data();
    expect([...u]).toEqual([...u].map((_, i) => Math.fround(-2 + 4 * counterUniform(seed, i))));
    const z = await initNormal(zeros([7]), 1, 0.5, new Rng(5)).data();
    expect([...z]).toEqual([...z].map((_, i) => Math.fround(1 + 0.5 * counterNormal(seed, i))));
  });

  it("one shared Rng gives different layers different values, and the same seed the same model", async () => {
    const rng = new Rng(0);
    const a = new Linear(4, 4, { rng }), b = new Linear(4, 4, { rng });
    expect([...(await a.weight.data())]).not.toEqual([...(await b.weight.data())]);
    const c = new Linear(4, 4, { rng: new Rng(0) });
    expect([...(await c.weight.data())]).toEqual([...(await a.weight.data())]);
  });

  it("PyTorch's default bounds hold: |w| < 1/√fan_in", async () => {
    const conv = new Conv2d(3, 8, 3, { rng: new Rng(1) });
    const w = await conv.weight.data();
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(1 / Math.sqrt(27));
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.5 / Math.sqrt(27));
    const p = uniformParameter([100], 0.1);
    expect(p.requiresGrad).toBe(true);
    const q = normalParameter([1000], 0.01, { rng: new Rng(2) });
    const s = Float32Array.from(await q.data());
    const sd = Math.sqrt(s.reduce((acc, v) => acc + v * v, 0) / s.length);
    expect(sd).toBeGreaterThan(0.009);
    expect(sd).toBeLessThan(0.011);
  });

  it("rejects bad arguments by name", () => {
    expect(() => initUniform(zeros([2]), 1, -1, new Rng(0))).toThrow("initUniform: low must be ≤ high, got low 1 and high -1");
    expect(() => initNormal(zeros([2]), 0, -1, new Rng(0))).toThrow("initNormal: std must be ≥ 0, got -1");
    expect(() => initNormal(zeros([2]), Number.NaN, 1, new Rng(0))).toThrow("initNormal: mean must be a finite number, got NaN");
    expect(() => initNormal(zeros([2], { dtype: "int32" }), 0, 1, new Rng(0))).toThrow("initNormal: t must be a float32 tensor, got int32");
    expect(() => initUniform(zeros([2]), 0, 1, undefined as never)).toThrow("initUniform: rng must be an Rng, got undefined");
    expect(() => initUniform(null as never, 0, 1, new Rng(0))).toThrow("initUniform: t must be a Tensor, got null");
  });
});
