import { describe, expect, it } from "vitest";
import { getDevice } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import {
  add, affine, conv2d, keep, linear, liveStorages, localResponseNorm, maxPool2d, mul, relu, scope, sum, tensor, transpose, type Tensor,
} from "./index.js";

/** Runs `fn` and returns how many storages it left alive. */
function leftAlive(fn: () => void): number {
  const before = liveStorages();
  fn();
  return liveStorages() - before;
}

const values = (t: Tensor) => [...t.dataSync()];

describe("scope() frees what it created", () => {
  it("disposes every tensor created inside except the returned ones, found in arrays, Maps and objects", () => {
    const a = tensor([1, 2]);
    const before = liveStorages();
    const out = scope(() => {
      const t = add(a, 1);
      const u = mul(t, 2);
      mul(u, u); // dropped
      return { pair: [t, u], map: new Map([["k", add(u, 0)]]) };
    });
    expect(liveStorages() - before).toBe(3);
    expect(values(out.pair[0])).toEqual([2, 3]);
    expect(values(out.map.get("k")!)).toEqual([4, 6]);
    expect(a.isDisposed).toBe(false); // created outside: not the scope's
  });

  it("moves a returned tensor to the enclosing scope, which frees it unless it returns it too", () => {
    const before = liveStorages();
    const outer = scope(() => {
      const inner = scope(() => add(tensor([1]), 1));
      expect(inner.isDisposed).toBe(false);
      return affine(inner, 2, 0); // inner is dropped here
    });
    expect(values(outer)).toEqual([4]);
    expect(liveStorages() - before).toBe(1);
  });

  it("keep() exempts a tensor from every enclosing scope", () => {
    let kept: Tensor | undefined;
    const n = leftAlive(() => scope(() => scope(() => void (kept = keep(tensor([5]))))));
    expect(n).toBe(1);
    expect(values(kept!)).toEqual([5]);
    kept!.dispose();
  });

  it("frees everything and rethrows when fn throws", () => {
    const n = leftAlive(() => {
      expect(() => scope(() => {
        tensor([1, 2, 3]);
        throw new Error("boom");
      })).toThrow("boom");
    });
    expect(n).toBe(0);
  });

  it("rejects a missing function", () => {
    expect(() => scope(undefined as never)).toThrow("scope: fn must be a function, got undefined");
    expect(() => keep(3 as never)).toThrow("keep: t must be a Tensor, got 3");
  });
});

describe("a tensor returned from scope() keeps its graph", () => {
  it("the README example: w.grad is [0, 0, 1, 2], and the intermediates go once backward ran", () => {
    const w = tensor([[0.5, -1], [1, 1]], { requiresGrad: true });
    const before = liveStorages();
    const loss = scope(() => sum(relu(linear(tensor([[1, 2]]), w))));
    // loss plus what its graph needs: x, the linear output and the relu output
    expect(liveStorages() - before).toBe(4);
    loss.backward();
    expect(values(w.grad!)).toEqual([0, 0, 1, 2]);
    expect(loss.item().toFixed(3)).toBe("3.000");
    expect(liveStorages() - before).toBe(2); // loss and w.grad
    loss.dispose();
    w.grad!.dispose();
    w.grad = null;
    expect(liveStorages()).toBe(before);
  });

  it("gives the same gradients as a backward inside the scope, through nested scopes", () => {
    const rng = new Rng(3);
    const w = tensor(Float32Array.from({ length: 12 }, () => rng.uniform(-1, 1)), { shape: [3, 4], requiresGrad: true });
    const x = tensor(Float32Array.from({ length: 8 }, () => rng.uniform(-1, 1)), { shape: [2, 4] });
    const f = () => sum(mul(relu(linear(x, w)), linear(x, w)));
    scope(() => f().backward());
    const inside = values(w.grad!);
    w.grad!.dispose();
    w.grad = null;
    const loss = scope(() => scope(() => scope(f)));
    loss.backward();
    expect(values(w.grad!)).toEqual(inside);
  });

  it("disposing the returned tensor without backward frees its whole graph", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const n = leftAlive(() => {
      const loss = scope(() => sum(mul(relu(mul(w, 3)), tensor([1, -1]))));
      loss.dispose();
    });
    expect(n).toBe(0);
  });

  it("keeps the buffers ops saved for backward (pooling argmax, LRN scale, contiguous copies)", () => {
    const rng = new Rng(5);
    const data = Float32Array.from({ length: 2 * 3 * 6 * 6 }, () => rng.uniform(-1, 1));
    const w = tensor(Float32Array.from({ length: 4 * 3 * 3 * 3 }, () => rng.uniform(-1, 1)), { shape: [4, 3, 3, 3], requiresGrad: true });
    const f = () => {
      const x = transpose(tensor(data, { shape: [2, 3, 6, 6] })); // strided: conv2d saves a contiguous copy
      const y = localResponseNorm(conv2d(x, w, null, { padding: 1 }), { size: 3 });
      return sum(maxPool2d(y, { kernelSize: 2 }));
    };
    scope(() => f().backward());
    const inside = values(w.grad!);
    w.grad!.dispose();
    w.grad = null;
    const before = liveStorages();
    const loss = scope(f);
    loss.backward();
    expect(values(w.grad!)).toEqual(inside);
    loss.dispose();
    expect(liveStorages() - before).toBe(1); // w.grad only
  });

  it("a training loop that calls backward() inside its scope frees every step", () => {
    const w = tensor([[0.5, -1], [1, 1]], { requiresGrad: true });
    const x = tensor([[1, 2], [3, -4]]);
    const device = getDevice();
    const step = () => scope(() => {
      const loss = sum(relu(linear(x, w)));
      loss.backward();
    });
    step(); // the first step creates w.grad
    const storages = liveStorages();
    const bytes = device.bytesInUse();
    for (let i = 0; i < 20; i++) step();
    expect(liveStorages()).toBe(storages);
    expect(device.bytesInUse()).toBe(bytes);
  });

  it("a loss returned after its backward ran keeps nothing else alive", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.grad = keep(tensor([0, 0]));
    const before = liveStorages();
    const loss = scope(() => {
      const l = sum(mul(relu(mul(w, 3)), w));
      l.backward();
      return l;
    });
    expect(liveStorages() - before).toBe(1);
    expect(loss.item()).toBe(15);
    expect(values(w.grad!)).toEqual([6, 12]);
  });

  it("keep() after the scope ended rescues an intermediate the graph was holding", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    let h: Tensor | undefined;
    const loss = scope(() => sum(mul(h = mul(w, 3), 2)));
    keep(h!);
    loss.backward();
    expect(h!.isDisposed).toBe(false);
    expect(values(h!)).toEqual([3, 6]);
  });

  it("frees a deep returned graph without overflowing the stack", () => {
    const w = tensor([1], { requiresGrad: true });
    const n = leftAlive(() => {
      const y = scope(() => {
        let h = w;
        for (let i = 0; i < 20000; i++) h = affine(h, 1, 0);
        return h;
      });
      y.dispose();
    });
    expect(n).toBe(0);
  });
});

describe("async scopes (Node: AsyncLocalStorage)", () => {
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));

  it("track tensors across await and free them when the promise settles", async () => {
    const before = liveStorages();
    const out = await scope(async () => {
      const a = tensor([1, 2]);
      await tick();
      const b = mul(a, 3);
      await tick();
      return add(b, 1);
    });
    expect(values(out)).toEqual([4, 7]);
    expect(liveStorages() - before).toBe(1);
  });

  it("interleaved scopes free only their own tensors", async () => {
    const before = liveStorages();
    const run = async (v: number) => scope(async () => {
      const a = tensor([v]);
      await tick();
      const b = add(a, 1);
      await tick();
      return mul(b, 2);
    });
    const [p, q] = await Promise.all([run(1), run(10)]);
    expect(values(p)).toEqual([4]);
    expect(values(q)).toEqual([22]);
    expect(liveStorages() - before).toBe(2);
  });

  it("a returned tensor keeps its graph across an async scope, nested in a sync one", async () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const before = liveStorages();
    const loss = await scope(async () => {
      const h = mul(w, 3);
      await tick();
      return scope(() => sum(mul(h, h)));
    });
    loss.backward();
    expect(values(w.grad!)).toEqual([18, 36]); // d/dw Σ(3w)² = 18w
    loss.dispose();
    expect(liveStorages() - before).toBe(1); // w.grad
  });

  it("a rejected async scope frees its tensors", async () => {
    const before = liveStorages();
    await expect(scope(async () => {
      tensor([1]);
      await tick();
      throw new Error("late");
    })).rejects.toThrow("late");
    expect(liveStorages()).toBe(before);
  });
});
