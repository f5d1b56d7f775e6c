import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@tessera/autograd";
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from "./index.js";

/**
 * Hand-written trajectories from the published update rules (float64), for a fixed sequence of
 * gradients g_t applied to p0: the optimizers must follow them to float32 precision.
 */
const P0 = [0.5, -1.5, 2];
const GRADS = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05], [0.2, 0.2, -0.6], [0.0, -0.1, 0.25]];
const TOL = 2e-6;

async function run(make: (p: Tensor) => Optimizer<{ lr: number }>): Promise<number[][]> {
  const p = tensor(P0, { requiresGrad: true });
  const opt = make(p);
  const out: number[][] = [];
  for (const g of GRADS) {
    p.grad?.dispose();
    p.grad = tensor(g);
    opt.step();
    out.push([...(await p.data())]);
  }
  return out;
}

function reference(update: (p: number[], g: number[], s: Record<string, number[] | number>, t: number) => void): number[][] {
  const p = [...P0];
  const s: Record<string, number[] | number> = {};
  return GRADS.map((g, t) => {
    update(p, g, s, t + 1);
    return [...p];
  });
}

function expectTrajectory(got: number[][], want: number[][]): void {
  got.forEach((row, t) => row.forEach((v, i) => expect(Math.abs(v - want[t][i])).toBeLessThan(TOL)));
}

const vec = (s: Record<string, number[] | number>, k: string) => (s[k] ??= [0, 0, 0]) as number[];

describe("optimizers follow their published update rules", () => {
  it("SGD with momentum, dampening and weight decay", async () => {
    const [lr, mu, tau, wd] = [0.1, 0.9, 0.1, 0.01];
    const want = reference((p, g, s, t) => p.forEach((_, i) => {
      const gi = g[i] + wd * p[i];
      const b = vec(s, "b");
      b[i] = t === 1 ? gi : mu * b[i] + (1 - tau) * gi;
      p[i] -= lr * b[i];
    }));
    expectTrajectory(await run((p) => new SGD([p], { lr, momentum: mu, dampening: tau, weightDecay: wd })), want);
  });

  it("SGD Nesterov", async () => {
    const [lr, mu] = [0.05, 0.9];
    const want = reference((p, g, s, t) => p.forEach((_, i) => {
      const b = vec(s, "b");
      b[i] = t === 1 ? g[i] : mu * b[i] + g[i];
      p[i] -= lr * (g[i] + mu * b[i]);
    }));
    expectTrajectory(await run((p) => new SGD([p], { lr, momentum: mu, nesterov: true })), want);
  });

  it("the course's AlexNet rule equals SGD(momentum 0.9, weight decay 0.0005) at constant lr", async () => {
    const eps = 0.01;
    const want = reference((w, g, s) => w.forEach((_, i) => {
      const v = vec(s, "v");
      v[i] = 0.9 * v[i] - 0.0005 * eps * w[i] - eps * g[i];
      w[i] += v[i];
    }));
    expectTrajectory(await run((p) => new SGD([p], { lr: eps, momentum: 0.9, weightDecay: 0.0005 })), want);
  });

  it("Adam with bias correction, L2 weight decay and AMSGrad", async () => {
    const [lr, b1, b2, e, wd] = [0.01, 0.9, 0.999, 1e-8, 0.1];
    for (const amsgrad of [false, true]) {
      const want = reference((p, g, s, t) => p.forEach((_, i) => {
        const gi = g[i] + wd * p[i];
        const m = vec(s, "m"), v = vec(s, "v"), vmax = vec(s, "vmax");
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        vmax[i] = Math.max(vmax[i], v[i]);
        const mhat = m[i] / (1 - b1 ** t);
        const vhat = (amsgrad ? vmax[i] : v[i]) / (1 - b2 ** t);
        p[i] -= (lr * mhat) / (Math.sqrt(vhat) + e);
      }));
      expectTrajectory(await run((p) => new Adam([p], { lr, betas: [b1, b2], eps: e, weightDecay: wd, amsgrad })), want);
    }
  });

  it("AdamW decouples weight decay", async () => {
    const [lr, b1, b2, e, wd] = [0.01, 0.8, 0.99, 1e-8, 0.2];
    const want = reference((p, g, s, t) => p.forEach((_, i) => {
      p[i] *= 1 - lr * wd;
      const m = vec(s, "m"), v = vec(s, "v");
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + e);
    }));
    expectTrajectory(await run((p) => new AdamW([p], { lr, betas: [b1, b2], eps: e, weightDecay: wd })), want);
  });

  it("RMSprop centered with momentum", async () => {
    const [lr, a, e, mu] = [0.01, 0.9, 1e-8, 0.5];
    const want = reference((p, g, s) => p.forEach((_, i) => {
      const v = vec(s, "v"), ga = vec(s, "ga"), b = vec(s, "b");
      v[i] = a * v[i] + (1 - a) * g[i] * g[i];
      ga[i] = a * ga[i] + (1 - a) * g[i];
      const avg = Math.sqrt(v[i] - ga[i] * ga[i]) + e;
      b[i] = mu * b[i] + g[i] / avg;
      p[i] -= lr * b[i];
    }));
    expectTrajectory(await run((p) => new RMSprop([p], { lr, alpha: a, eps: e, momentum: mu, centered: true })), want);
  });

  it("Adagrad with lr decay and an initial accumulator", async () => {
    const [lr, decay, init, e] = [0.1, 0.05, 0.1, 1e-10];
    const want = reference((p, g, s, t) => p.forEach((_, i) => {
      const acc = (s.acc ??= [init, init, init]) as number[];
      acc[i] += g[i] * g[i];
      p[i] -= (lr / (1 + (t - 1) * decay)) * (g[i] / (Math.sqrt(acc[i]) + e));
    }));
    expectTrajectory(await run((p) => new Adagrad([p], { lr, lrDecay: decay, initialAccumulatorValue: init, eps: e })), want);
  });
});

describe("optimizer plumbing", () => {
  it("zeroGrad, parameter groups, state dict round trip, and validation", async () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    a.grad = tensor([1, 1]);
    b.grad = tensor([1]);
    opt.step();
    const sd = await opt.stateDict();
    expect(sd.state[0].step).toBe(1);
    expect(sd.paramGroups[1].params).toEqual([1]);
    const a2 = tensor([1, 2], { requiresGrad: true });
    const b2 = tensor([3], { requiresGrad: true });
    const opt2 = new Adam([{ params: [a2] }, { params: [b2], lr: 0.5 }], { lr: 0.1 });
    opt2.loadStateDict(sd);
    expect(await opt2.stateDict()).toEqual(sd);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(() => new SGD([a], { lr: -1 })).toThrow("SGD: lr must be a finite number >= 0, got -1");
    expect(() => new SGD([a], { lr: 0.1, nesterov: true })).toThrow("SGD: Nesterov momentum requires momentum > 0 and dampening 0");
  });
});
