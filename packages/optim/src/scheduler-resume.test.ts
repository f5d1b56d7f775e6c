import { describe, expect, it } from "vitest";
import { tensor } from "@tessera/autograd";
import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, ReduceLROnPlateau, SGD, StepLR,
  type HasParamGroups, type SchedulerStateDict,
} from "./index.js";

interface Sched {
  step(metric?: number): void;
  stateDict(): SchedulerStateDict;
  loadStateDict(sd: SchedulerStateDict): void;
}
const METRICS = [1, 0.9, 0.9, 0.9, 0.9, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.84];
const SCHEDULES: [string, (o: HasParamGroups) => Sched][] = [
  ["StepLR", (o) => new StepLR(o, 3, 0.5)],
  ["MultiStepLR", (o) => new MultiStepLR(o, [2, 5, 9], 0.3)],
  ["ExponentialLR", (o) => new ExponentialLR(o, 0.9)],
  ["CosineAnnealingLR", (o) => new CosineAnnealingLR(o, 10, 0.001)],
  ["LinearLR", (o) => new LinearLR(o, 0.2, 1, 8)],
  ["OneCycleLR", (o) => new OneCycleLR(o, { maxLr: 0.4, totalSteps: 12 })],
  ["ReduceLROnPlateau", (o) => new ReduceLROnPlateau(o, { patience: 1, cooldown: 1 })],
];
const N = 6;
const TOTAL = 12;

/** A real optimizer with two groups; returns the lr of each group after each step. */
function setup(make: (o: HasParamGroups) => Sched) {
  const w = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3], { requiresGrad: true });
  const opt = new SGD([{ params: [w] }, { params: [b], lr: 0.05 }], { lr: 0.1, momentum: 0.9 });
  return { opt, sched: make(opt) };
}

describe("schedulers resume exactly (stateDict / loadStateDict)", () => {
  for (const [name, make] of SCHEDULES) {
    it(`${name}: ${N} steps, save, new optimizer and scheduler, load, continue == an uninterrupted run`, async () => {
      const straight = setup(make);
      const want: number[][] = [];
      for (let t = 0; t < TOTAL; t++) {
        straight.sched.step(METRICS[t]);
        want.push(straight.opt.paramGroups.map((g) => g.lr));
      }
      const first = setup(make);
      const got: number[][] = [];
      for (let t = 0; t < N; t++) {
        first.sched.step(METRICS[t]);
        got.push(first.opt.paramGroups.map((g) => g.lr));
      }
      const saved = JSON.parse(JSON.stringify({ opt: await first.opt.stateDict(), sched: first.sched.stateDict() }));
      const second = setup(make); // constructed fresh: its lr is the initial one again
      second.opt.loadStateDict(saved.opt);
      second.sched.loadStateDict(saved.sched);
      for (let t = N; t < TOTAL; t++) {
        second.sched.step(METRICS[t]);
        got.push(second.opt.paramGroups.map((g) => g.lr));
      }
      expect(got).toEqual(want);
      expect(new Set(want.map((r) => r[0])).size).toBeGreaterThan(1); // the schedule did change the lr
    });
  }

  it("loading in the other order (scheduler first) gives the same schedule", () => {
    const a = setup((o) => new CosineAnnealingLR(o, 10));
    for (let t = 0; t < 4; t++) a.sched.step();
    const b = setup((o) => new CosineAnnealingLR(o, 10));
    b.sched.loadStateDict(a.sched.stateDict());
    expect(b.opt.paramGroups.map((g) => g.lr)).toEqual(a.opt.paramGroups.map((g) => g.lr));
  });

  it("refuses a state from another schedule, other hyper-parameters or a bad step, changing nothing", () => {
    const opt = { paramGroups: [{ lr: 0.1 }] };
    const s = new StepLR(opt, 3, 0.5);
    expect(() => s.loadStateDict(new ExponentialLR({ paramGroups: [{ lr: 0.1 }] }, 0.9).stateDict())).toThrow("StepLR.loadStateDict: the state was saved by ExponentialLR, this is StepLR");
    expect(() => s.loadStateDict(new StepLR({ paramGroups: [{ lr: 0.1 }] }, 3, 0.1).stateDict())).toThrow('StepLR.loadStateDict: the state was saved with {"stepSize":3,"gamma":0.1}, this scheduler has {"stepSize":3,"gamma":0.5}');
    const good = s.stateDict();
    expect(() => s.loadStateDict({ ...good, state: { ...good.state, lastEpoch: 1.5 } })).toThrow("StepLR.loadStateDict: lastEpoch must be an integer >= 0, got 1.5");
    expect(() => s.loadStateDict({ ...good, state: { ...good.state, baseLrs: [0.1, 0.2] } })).toThrow("StepLR.loadStateDict: baseLrs must hold 1 learning rates, got [0.1,0.2]");
    const one = new OneCycleLR({ paramGroups: [{ lr: 0.1 }] }, { maxLr: 0.1, totalSteps: 5 });
    const sd = one.stateDict();
    expect(() => one.loadStateDict({ ...sd, state: { ...sd.state, lastEpoch: 6 } })).toThrow("OneCycleLR.loadStateDict: stepped 6 times, more than totalSteps = 5");
    expect(s.lastEpoch).toBe(0);
    expect(opt.paramGroups[0].lr).toBe(0.1);
  });
});

describe("scheduler arguments: bad numbers and unknown keys", () => {
  const o = () => ({ paramGroups: [{ lr: 0.1 }] });
  it("rejects NaN, negative and non-integer values", () => {
    expect(() => new StepLR(o(), 2, NaN)).toThrow("StepLR: gamma must be a finite number >= 0, got NaN");
    expect(() => new StepLR(o(), 2, -0.5)).toThrow("StepLR: gamma must be a finite number >= 0, got -0.5");
    expect(() => new StepLR(o(), 1.5)).toThrow("StepLR: stepSize must be a positive integer, got 1.5");
    expect(() => new MultiStepLR(o(), [2, 4], NaN)).toThrow("MultiStepLR: gamma must be a finite number >= 0, got NaN");
    expect(() => new ExponentialLR(o(), -1)).toThrow("ExponentialLR: gamma must be a finite number >= 0, got -1");
    expect(() => new CosineAnnealingLR(o(), 10, NaN)).toThrow("CosineAnnealingLR: etaMin must be a finite number >= 0, got NaN");
    expect(() => new CosineAnnealingLR(o(), 10, -1e-3)).toThrow("CosineAnnealingLR: etaMin must be a finite number >= 0, got -0.001");
    expect(() => new CosineAnnealingLR(o(), Infinity)).toThrow("CosineAnnealingLR: tMax must be a finite number > 0, got Infinity");
    expect(() => new LinearLR(o(), 0.5, 1, 0)).toThrow("LinearLR: totalIters must be a positive integer, got 0");
    expect(() => new OneCycleLR(o(), { maxLr: NaN, totalSteps: 10 })).toThrow("OneCycleLR: maxLr must be a finite number > 0, got NaN");
    expect(() => new ReduceLROnPlateau(o(), { patience: -1 })).toThrow("ReduceLROnPlateau: patience must be an integer >= 0, got -1");
  });
  it("rejects unknown option keys", () => {
    expect(() => new OneCycleLR(o(), { maxLr: 0.1, totalSteps: 10, threePhase: true } as never)).toThrow("OneCycleLR: unknown option 'threePhase' in options");
    expect(() => new ReduceLROnPlateau(o(), { min_lr: 1e-5 } as never)).toThrow("ReduceLROnPlateau: unknown option 'min_lr' in options");
  });
});
