import { describe, expect, it } from "vitest";
import { add, argmax, liveStorages, mul, relu, reshape, scope, sum, tensor, type Tensor } from "./index.js";

const values = (t: Tensor) => [...t.dataSync()];

/** Clears a gradient the way an optimizer's zeroGrad does. */
function zeroGrad(t: Tensor): void {
  t.grad?.dispose();
  t.grad = null;
}

describe("backward(): a freed graph is never mistaken for leaves", () => {
  it("a second backward() on the same result throws (PyTorch: 'backward through the graph a second time') and changes no .grad", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = sum(mul(w, w));
    loss.backward();
    expect(values(w.grad!)).toEqual([2, 4]);
    expect(() => loss.backward()).toThrow(/already freed by an earlier backward\(\).*second time/);
    expect(values(w.grad!)).toEqual([2, 4]);
    expect(loss.isLeaf).toBe(false);
  });

  it("two losses sharing a trunk: the second backward throws before touching any gradient", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const [l1, l2] = scope(() => {
      const h = mul(w, 3);
      return [sum(h), sum(mul(h, 2))];
    });
    l1.backward();
    expect(values(w.grad!)).toEqual([3, 3]);
    expect(() => l2.backward()).toThrow(/op affine\) was already freed/);
    expect(values(w.grad!)).toEqual([3, 3]);
  });

  it("two losses sharing a trunk give [9, 9] with retainGraph, and with their sum", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const losses = () => scope(() => {
      const h = mul(w, 3);
      return [sum(h), sum(mul(h, 2))] as const;
    });
    const [a1, a2] = losses();
    a1.backward(null, { retainGraph: true });
    a2.backward();
    expect(values(w.grad!)).toEqual([9, 9]);
    zeroGrad(w);
    const [b1, b2] = losses();
    add(b1, b2).backward();
    expect(values(w.grad!)).toEqual([9, 9]);
  });

  it("retainGraph keeps the graph for a second backward through the same result, which accumulates", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = scope(() => sum(mul(relu(w), w)));
    loss.backward(null, { retainGraph: true });
    loss.backward();
    expect(values(w.grad!)).toEqual([4, 8]);
    expect(() => loss.backward()).toThrow(/already freed/);
  });

  it("gradients accumulate into .grad across backward calls of different graphs", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    sum(mul(w, w)).backward();
    sum(mul(w, 5)).backward();
    expect(values(w.grad!)).toEqual([7, 9]);
  });

  it("throws, touching no gradient, when a tensor the graph needs was disposed", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const h = mul(w, w);
    const loss = sum(add(h, b));
    h.dispose();
    expect(() => loss.backward()).toThrow(/backward: tensor #\d+ of shape \[2\], read by op add, was disposed before backward\(\)/);
    expect(w.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it("an int32 result (argmax) has no gradient: backward throws", () => {
    const x = tensor([1, 3, 2], { requiresGrad: true });
    const i = argmax(x);
    expect(i.requiresGrad).toBe(false);
    expect(i.gradFn).toBeNull();
    expect(() => i.backward()).toThrow("backward: tensor #" + i.id + " of shape [] has dtype int32; integer results (argmax, labels) have no gradient");
  });
});

describe("gradient ownership", () => {
  it("a .grad belongs to its tensor: it survives the scope backward ran in, and dispose() frees it", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const before = liveStorages();
    scope(() => sum(mul(w, w)).backward());
    expect(liveStorages() - before).toBe(1);
    expect(values(w.grad!)).toEqual([2, 4]);
    const g = w.grad!;
    w.dispose();
    expect(g.isDisposed).toBe(true);
    expect(w.grad).toBeNull();
    expect(liveStorages()).toBe(before - 1);
  });

  it("backward leaves nothing behind but the gradients of leaves", () => {
    const w = tensor([[1, -2], [3, 4]], { requiresGrad: true });
    const b = tensor([1, 1, 1, 1], { requiresGrad: true });
    const loss = sum(mul(relu(add(reshape(w, [4]), b)), w.size));
    const before = liveStorages();
    loss.backward();
    expect(liveStorages() - before).toBe(2); // w.grad and b.grad; seeds, intermediate gradients and temporaries are freed
    expect(values(w.grad!)).toEqual([4, 0, 4, 4]);
  });

  it("an upstream gradient passed by the caller stays the caller's, unchanged", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const y = mul(w, 2);
    const g = tensor([1, 10, 100]);
    y.backward(g);
    expect(values(w.grad!)).toEqual([2, 20, 200]);
    expect(g.isDisposed).toBe(false);
    expect(values(g)).toEqual([1, 10, 100]);
    w.grad!.dataSync()[0] = 0; // a host copy: never aliases
    expect(values(g)).toEqual([1, 10, 100]);
  });

  it("a tensor used twice sums both paths; views of a gradient are never shared between tensors", () => {
    const w = tensor([1, 2, 3, 4], { requiresGrad: true });
    const v = tensor([1, 1, 1, 1], { requiresGrad: true });
    // reshape's backward returns a view of its incoming gradient; both leaves must own their own buffer
    const loss = sum(mul(add(reshape(w, [2, 2]), reshape(v, [2, 2])), reshape(w, [2, 2])));
    loss.backward();
    expect(values(w.grad!)).toEqual([3, 5, 7, 9]); // d/dw (w + v)·w = 2w + v
    expect(values(v.grad!)).toEqual([1, 2, 3, 4]);
    expect(w.grad!.storage).not.toBe(v.grad!.storage);
  });

  it("retainGrad() keeps an intermediate's gradient, owned by it past the scope", () => {
    const w = tensor([1, -2], { requiresGrad: true });
    const [loss, h] = scope(() => {
      const r = relu(mul(w, 3)).retainGrad();
      return [sum(mul(r, r)), r];
    });
    loss.backward();
    expect(values(h.grad!)).toEqual([6, 0]); // 2h
    expect(values(w.grad!)).toEqual([18, 0]);
  });

  it("an intermediate the scope did not return is freed, gradient included, once backward no longer needs it", () => {
    const w = tensor([1, -2], { requiresGrad: true });
    let h: Tensor | undefined;
    const loss = scope(() => {
      h = relu(mul(w, 3)).retainGrad();
      return sum(mul(h, h));
    });
    expect(h!.isDisposed).toBe(false);
    loss.backward();
    expect(h!.isDisposed).toBe(true);
    expect(values(w.grad!)).toEqual([18, 0]);
  });

  it("a backward rule that throws leaves no gradient buffers and no graph references behind", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const h = mul(w, 2);
    const y = relu(h);
    const fn = y.gradFn!;
    y.gradFn = { ...fn, backward: () => { throw new Error("broken rule"); } };
    const loss = sum(y);
    const before = liveStorages();
    expect(() => loss.backward()).toThrow("broken rule");
    expect(liveStorages()).toBe(before);
    expect(w.grad).toBeNull();
    expect(h.graphRefs).toBe(1); // only y's node, not the aborted pass
  });
});
