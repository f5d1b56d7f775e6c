import { describe, expect, it } from "vitest";
import { CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, ReduceLROnPlateau, StepLR } from "./index.js";

const opt = (lr = 0.1) => ({ paramGroups: [{ lr }] });
function lrs(s: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const out = [s.getLastLr()[0]];
  for (let i = 1; i < n; i++) {
    s.step();
    out.push(s.getLastLr()[0]);
  }
  return out;
}
const near = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 10));

describe("learning-rate schedules (PyTorch's closed forms)", () => {
  it("step, multi-step, exponential", () => {
    near(lrs(new StepLR(opt(), 2, 0.5), 6), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    near(lrs(new MultiStepLR(opt(), [1, 4], 0.1), 6), [0.1, 0.01, 0.01, 0.01, 0.001, 0.001]);
    near(lrs(new ExponentialLR(opt(), 0.9), 3), [0.1, 0.09, 0.081]);
  });
  it("cosine annealing and linear warm-up", () => {
    near(lrs(new CosineAnnealingLR(opt(), 4, 0.01), 5), [0.1, 0.01 + 0.09 * (1 + Math.SQRT1_2) / 2, 0.055, 0.01 + 0.09 * (1 - Math.SQRT1_2) / 2, 0.01]);
    near(lrs(new LinearLR(opt(), 0.25, 1, 3), 5), [0.025, 0.05, 0.075, 0.1, 0.1]);
  });
  it("one-cycle: up to maxLr, down to maxLr/divFactor/finalDivFactor", () => {
    const s = new OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 0.3, divFactor: 10, finalDivFactor: 100 });
    const v = lrs(s, 10);
    expect(v[0]).toBeCloseTo(0.1, 10);
    expect(v[1]).toBeCloseTo(0.1 + 0.9 * (1 - Math.cos(Math.PI / 2)) / 2, 10); // cosine half-way up
    expect(v[2]).toBeCloseTo(1, 10); // pctStart·total − 1 = 2
    expect(v[9]).toBeCloseTo(0.001, 10);
    s.step(); // the totalSteps-th step is allowed, as in PyTorch (last_epoch = total_steps)
    expect(s.getLastLr()[0]).toBeCloseTo(0.001 + ((1 - 0.001) / 2) * (Math.cos((Math.PI * 8) / 7) + 1), 10);
    expect(() => s.step()).toThrow("OneCycleLR: stepped 11 times, more than totalSteps = 10");
    expect(s.getLastLr()[0]).toBeCloseTo(0.001 + ((1 - 0.001) / 2) * (Math.cos((Math.PI * 8) / 7) + 1), 10);
  });
  it("reduce on plateau: the course's ÷10 when validation accuracy stalls", () => {
    const o = opt(0.01);
    const s = new ReduceLROnPlateau(o, { mode: "max", patience: 2 });
    for (const acc of [0.5, 0.6, 0.6, 0.6]) s.step(acc);
    expect(o.paramGroups[0].lr).toBeCloseTo(0.01, 12);
    s.step(0.6);
    expect(o.paramGroups[0].lr).toBeCloseTo(0.001, 12);
    expect(() => s.step(NaN)).toThrow("ReduceLROnPlateau: metric is NaN");
  });
});
