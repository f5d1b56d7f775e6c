/**
 * Async scopes that interleave, as a battery run three ways: in Node with AsyncLocalStorage
 * (`als`), in Node with the browser twin of `#async-context` (`stack`), and in headless Chromium
 * (`stack`, test/scope.browser.test.ts). The order of events is fixed by gates the test opens one
 * by one, never by timers. Every case checks that no tensor is freed while in use and that none
 * is left alive (`liveStorages`).
 */
import { expect, it } from "vitest";
import type * as Autograd from "../src/index.js";

type Ag = typeof Autograd;

/** A promise the test resolves when it chooses. */
function gate(): { wait: Promise<void>; open: () => Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  // Opening lets every continuation waiting on it run before the test goes on.
  return { wait, open: async () => { open(); for (let i = 0; i < 10; i++) await Promise.resolve(); } };
}

const valuesOf = (t: Autograd.Tensor) => [...t.dataSync()];

/** Defines the cases; `load` gives the autograd module to test, `mode` how it tracks scopes. */
export function scopeCases(load: () => Promise<Ag>, mode: "als" | "stack"): void {
  it("two async scopes interleaved (handle form): each keeps its tensors, frees them at its end, leaks none", async () => {
    const ag = await load();
    const x = ag.tensor([1, 2]);
    const before = ag.liveStorages();
    const g1 = gate(), g2 = gate(), g3 = gate();
    const a = ag.scope(async (s) => {
      const a1 = ag.mul(x, 10); // before the first await: the scope's
      await g1.wait;
      const a2 = s.run(() => ag.add(a1, 1));
      await g3.wait;
      expect(a1.isDisposed || a2.isDisposed).toBe(false);
      return s.run(() => ag.add(a2, a1)); // kept
    });
    const b = ag.scope(async (s) => {
      const b1 = ag.mul(x, 100);
      await g2.wait;
      const b2 = s.run(() => ag.sum(b1));
      return valuesOf(b2)[0];
    });
    await g1.open(); // a resumes while b is pending
    await g2.open(); // b resumes and ends while a is pending: a's tensors must survive
    expect(await b).toBe(300);
    await g3.open();
    const kept = await a;
    expect(valuesOf(kept)).toEqual([21, 41]);
    expect(ag.liveStorages() - before).toBe(1);
    kept.dispose();
    expect(ag.liveStorages()).toBe(before);
  });

  it("a training-step pattern (all tensors before the first await) needs no handle and leaks nothing", async () => {
    const ag = await load();
    const w = ag.tensor([1, 2, 3], { requiresGrad: true });
    const before = ag.liveStorages();
    for (let i = 0; i < 3; i++) {
      const loss = await ag.scope(async () => {
        const l = ag.sum(ag.mul(w, w));
        l.backward();
        return (await l.data())[0];
      });
      expect(loss).toBe(14);
    }
    expect(ag.liveStorages() - before).toBe(1); // w.grad
  });

  it("code that runs during another scope's await, in its own scope, is never freed by it", async () => {
    const ag = await load();
    const before = ag.liveStorages();
    const g = gate();
    const a = ag.scope(async () => {
      ag.tensor([1]);
      await g.wait;
      return 0;
    });
    // Meanwhile (a click handler, another task): its own sync scope returns a tensor to its caller.
    const other = ag.scope(() => ag.mul(ag.tensor([2, 3]), 2));
    await g.open();
    await a;
    expect(other.isDisposed).toBe(false);
    expect(valuesOf(other)).toEqual([4, 6]);
    other.dispose();
    expect(ag.liveStorages()).toBe(before);
  });

  it("unscoped() creates tensors outside every scope, also while an async scope is pending", async () => {
    const ag = await load();
    const before = ag.liveStorages();
    const g = gate();
    let inside: Autograd.Tensor | undefined;
    const a = ag.scope(async () => {
      inside = ag.unscoped(() => ag.tensor([7]));
      await g.wait;
      return 0;
    });
    const outside = ag.unscoped(() => ag.tensor([8]));
    await g.open();
    await a;
    expect([valuesOf(inside!), valuesOf(outside)]).toEqual([[7], [8]]);
    inside!.dispose();
    outside.dispose();
    expect(ag.liveStorages()).toBe(before);
  });

  it("a nested async scope returns its result to the pending outer scope, which frees it unless returned", async () => {
    const ag = await load();
    const before = ag.liveStorages();
    const out = await ag.scope(async (s) => {
      const inner = await ag.scope(async (t) => {
        await Promise.resolve();
        return t.run(() => ag.tensor([1, 2]));
      });
      expect(inner.isDisposed).toBe(false);
      return s.run(() => ag.mul(inner, 3));
    });
    expect(valuesOf(out)).toEqual([3, 6]);
    expect(ag.liveStorages() - before).toBe(1);
    out.dispose();
  });

  it("run() after the scope ended is an error", async () => {
    const ag = await load();
    let handle: Autograd.ScopeHandle | undefined;
    ag.scope((s) => void (handle = s));
    expect(() => handle!.run(() => 1)).toThrow("scope handle run: the scope has ended");
  });

  if (mode === "stack") {
    it("without AsyncLocalStorage, a tensor created after an await outside s.run is an error, not a leak", async () => {
      const ag = await load();
      const before = ag.liveStorages();
      await expect(ag.scope(async () => {
        ag.tensor([1]);
        await Promise.resolve();
        return ag.tensor([2]);
      })).rejects.toThrow(/^scope: a tensor was created outside every scope while 1 async scope\(\) is pending/);
      expect(ag.liveStorages()).toBe(before);
    });

    it("without AsyncLocalStorage, other code creating a tensor outside every scope meanwhile is an error", async () => {
      const ag = await load();
      const before = ag.liveStorages();
      const g = gate();
      const a = ag.scope(async () => {
        await g.wait;
        return 0;
      });
      expect(() => ag.tensor([1])).toThrow(/use scope\(\(\) => …\)|inside scope\(\(\) => …\)/);
      await g.open();
      await a;
      const free = ag.tensor([1]); // nothing pending: outside scopes is fine again
      free.dispose();
      expect(ag.liveStorages()).toBe(before);
    });
  } else {
    it("with AsyncLocalStorage, tensors created after an await are tracked without s.run", async () => {
      const ag = await load();
      const before = ag.liveStorages();
      const r = await ag.scope(async () => {
        ag.tensor([1]);
        await Promise.resolve();
        ag.tensor([2]);
        return ag.tensor([3]);
      });
      expect(ag.liveStorages() - before).toBe(1);
      r.dispose();
    });
  }
}
