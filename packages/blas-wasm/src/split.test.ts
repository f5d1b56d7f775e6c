import type { DeviceBuffer, Pool2dGeometry, View } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { WasmEngine } from "./engine.js";
import { apart, injective, planSplit, span, splittable } from "./split.js";
import { WasmDevice } from "./wasm-device.js";

const engineOf = (dev: WasmDevice) => (dev as unknown as { engine: WasmEngine }).engine;

describe("planSplit cuts a walk into tasks", () => {
  const cases: [number, number, number][] = [];
  for (const threads of [2, 3, 5]) for (const rows of [1, 2, 3, 7, 8, 9, 31, 1000]) for (const n of [1, 3, 4, 7, 8, 9, 63, 1001]) cases.push([threads, rows, n]);

  it("covers every element exactly once, with column chunks starting at multiples of the quantum", () => {
    for (const [threads, rows, n] of cases) for (const q of [1, 4]) {
      const p = planSplit(threads, rows, n, q);
      const seen = new Uint8Array(rows * n);
      for (let t = 0; t < p.tasks; t++) {
        const r0 = Math.floor(t / p.chunksPerRow) * p.rowsPerTask, r1 = Math.min(rows, r0 + p.rowsPerTask);
        const c0 = (t % p.chunksPerRow) * p.colChunk, c1 = Math.min(n, c0 + p.colChunk);
        expect(r1 > r0 && c1 > c0, `empty task ${t} of ${JSON.stringify([threads, rows, n, p])}`).toBe(true);
        expect(c0 % q).toBe(0);
        if (c1 < n) expect(c1 % q).toBe(0);
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) seen[r * n + c]++;
      }
      expect(seen.every((v) => v === 1), `coverage of ${[threads, rows, n]}`).toBe(true);
      expect(p.active).toBeLessThanOrEqual(Math.min(threads, p.tasks));
    }
  });

  it("keeps plane-wise routines whole per plane (no column chunks)", () => {
    const p = planSplit(2, 3, 1, 0);
    expect(p).toEqual({ active: 2, tasks: 3, rowsPerTask: 1, colChunk: 1, chunksPerRow: 1 });
    expect(planSplit(2, 1, 5000, 0).active).toBe(1);
    expect(planSplit(2, 1, 5000, 4).active).toBe(2);
  });
});

describe("which walks may be split", () => {
  it("tells a walk that visits each element once from one that revisits", () => {
    expect(injective({ shape: [4, 5], strides: [[5, 1]] }, 0)).toBe(true);
    expect(injective({ shape: [4, 5], strides: [[1, 4]] }, 0)).toBe(true);
    expect(injective({ shape: [4, 5], strides: [[-5, 1]] }, 0)).toBe(true);
    expect(injective({ shape: [4, 5], strides: [[0, 1]] }, 0)).toBe(false);
    expect(injective({ shape: [4, 5], strides: [[4, 1]] }, 0)).toBe(false);
    expect(injective({ shape: [3, 4, 5], strides: [[20, 1, 4]] }, 0)).toBe(true);
    expect(injective({ shape: [3, 4, 5], strides: [[19, 1, 4]] }, 0)).toBe(false);
  });

  it("measures spans, negative strides included, and tells overlapping ones", () => {
    expect(span({ shape: [4, 5], strides: [[5, 1]] }, 0, 1000)).toEqual([1000, 1080]);
    expect(span({ shape: [4, 5], strides: [[-5, 1]] }, 0, 1000)).toEqual([940, 1020]);
    expect(span({ shape: [0], strides: [[1]] }, 0, 1000)).toEqual([1000, 1000]);
    expect(apart([[0, 16]], [[16, 32]])).toBe(true);
    expect(apart([[0, 16]], [[12, 32]])).toBe(false);
    expect(apart([[0, 16]], [[4, 4]])).toBe(true);
  });

  it("splits in place (the output's very view) but not a shifted or partly shared input", () => {
    const c = { shape: [8, 64], strides: [[64, 1], [64, 1]] };
    expect(splittable(c, [4096, 4096])).toBe(true);
    expect(splittable(c, [4096, 4100])).toBe(false);
    expect(splittable(c, [4096, 4096 + 8 * 64 * 4])).toBe(true);
    expect(splittable({ shape: [8, 64], strides: [[64, 1], [0, 1]] }, [4096, 65536])).toBe(false);
    expect(splittable({ shape: [8, 64], strides: [[1, 8], [64, 1]] }, [4096, 4096])).toBe(false);
  });
});

describe("the size threshold of split routines (minElementsPerThread)", () => {
  let dev: WasmDevice;
  const T = 1000;
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 2, blocking: { minElementsPerThread: T }, register: false });
  });
  afterAll(() => dev.dispose());

  /** Threads of the split job an op (the one named `fn`, if given) ran as (1: it stayed on the calling thread). */
  function threadsOf(body: () => void, fn?: string): number {
    const spy = vi.spyOn(engineOf(dev), "runSplitJob");
    try {
      body();
      const calls = spy.mock.calls.filter((c) => fn === undefined || c[2] === fn);
      return calls.length === 0 ? 1 : calls[0][1];
    } finally {
      spy.mockRestore();
    }
  }

  it("keeps a unary op on 2T − 1 elements on one thread and splits one on 2T", () => {
    for (const [n, want] of [[2 * T - 1, 1], [2 * T, 2], [2 * T + 1, 2], [T, 1]] as const) {
      const x = dev.alloc(n), y = dev.alloc(n);
      dev.write(x, testData(n, 1));
      const v = (b: typeof x): View => ({ buffer: b, offset: 0, strides: [1] });
      expect(threadsOf(() => dev.unary("relu", [n], v(x), v(y))), `n = ${n}`).toBe(want);
      const got = dev.readSync(y) as Float32Array;
      const ref = testData(n, 1).map((a) => (a > 0 || Number.isNaN(a) ? a : 0));
      expect(got).toEqual(ref);
      dev.free(x);
      dev.free(y);
    }
  });

  it("counts a reduction's input elements and keeps a single output on one thread", () => {
    const x = dev.alloc(4 * T), y = dev.alloc(4);
    dev.write(x, testData(4 * T, 2));
    const xv: View = { buffer: x, offset: 0, strides: [T, 1] };
    expect(threadsOf(() => dev.reduce("sum", [4, T], 1, xv, { buffer: y, offset: 0, strides: [1] }))).toBe(2);
    expect(threadsOf(() => dev.reduce("sum", [2, T - 1], 1, { buffer: x, offset: 0, strides: [T - 1, 1] }, { buffer: y, offset: 0, strides: [1] }))).toBe(1);
    expect(threadsOf(() => dev.reduce("sum", [4 * T], 1, { buffer: x, offset: 0, strides: [1] }, { buffer: y, offset: 0, strides: [] }))).toBe(1);
    dev.free(x);
    dev.free(y);
  });

  it("counts a pooling's larger side (the input of a forward, the input gradient of a backward)", () => {
    const g: Pool2dGeometry = { H: 10, W: 10, KH: 2, KW: 2, strideH: 2, strideW: 2, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 5, OW: 5 };
    for (const [planes, want] of [[19, 1], [20, 2]] as const) {
      const x = dev.alloc(planes * 100), y = dev.alloc(planes * 25), a = dev.alloc(planes * 25, "int32");
      expect(threadsOf(() => dev.maxPool2d(g, planes, x, 0, y, 0, a, 0)), `${planes} planes`).toBe(want);
      expect(threadsOf(() => dev.maxPool2dBackward(g, planes, y, 0, a, 0, x, 0))).toBe(want);
      expect(threadsOf(() => dev.avgPool2d(g, planes, false, x, 0, y, 0))).toBe(want);
      for (const b of [x, y, a]) dev.free(b);
    }
  });

  it("splits unit-stride saxpy and sscal from 2T elements, and never a saxpy whose y overlaps x", () => {
    const x = dev.alloc(2 * T + 1), y = dev.alloc(2 * T + 1);
    expect(threadsOf(() => dev.saxpy(2 * T - 1, 2, x, 1, 0, y, 1, 0))).toBe(1);
    expect(threadsOf(() => dev.saxpy(2 * T, 2, x, 1, 0, y, 1, 0))).toBe(2);
    expect(threadsOf(() => dev.saxpy(2 * T, 2, x, 1, 0, x, 1, 0))).toBe(2);
    expect(threadsOf(() => dev.saxpy(2 * T, 2, x, 1, 0, x, 1, 1))).toBe(1);
    expect(threadsOf(() => dev.saxpy(T, 2, x, 2, 0, y, 2, 0))).toBe(1);
    expect(threadsOf(() => dev.sscal(2 * T - 1, 2, x, 1, 0))).toBe(1);
    expect(threadsOf(() => dev.sscal(2 * T, 2, x, 1, 0))).toBe(2);
    dev.free(x);
    dev.free(y);
  });

  it("keeps outputs that revisit elements or overlap an input on the calling thread, with the one-thread result", async () => {
    const one = await WasmDevice.create({ threads: 1, register: false });
    const n = 4 * T;
    const cases: [string, string, (d: WasmDevice, x: DeviceBuffer, y: DeviceBuffer) => void][] = [
      ["unary", "unary into a row broadcast over 4 rows", (d, x, y) => d.unary("exp", [4, T], { buffer: x, offset: 0, strides: [T, 1] }, { buffer: y, offset: 0, strides: [0, 1] })],
      ["binary", "binary into a view one element past its input", (d, x, y) => {
        d.scopy(n, x, 1, 0, y, 1, 0);
        d.binary("add", [n - 1], { buffer: y, offset: 0, strides: [1] }, { buffer: x, offset: 0, strides: [1] }, { buffer: y, offset: 1, strides: [1] });
      }],
      ["col2im", "col2im of 4 images into one (sxn = 0)", (d, x, y) => {
        const g = { C: 1, H: 30, W: 30, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 30, OW: 30 };
        const col = d.alloc(9 * 4 * 900);
        d.fill([9 * 4 * 900], 0.5, { buffer: col, offset: 0, strides: [1] });
        d.scopy(900, x, 1, 0, y, 1, 0);
        d.col2im(g, 4, col, 0, 4 * 900, y, 0, 0);
        d.free(col);
      }],
      ["reduce", "reduce into one output for every kept index", (d, x, y) => d.reduce("sum", [4, T], 1, { buffer: x, offset: 0, strides: [T, 1] }, { buffer: y, offset: 0, strides: [0] })],
    ];
    for (const [fn, label, body] of cases) {
      const got = [dev, one].map((d) => {
        const [x, y] = [d.alloc(n), d.alloc(n)];
        d.write(x, testData(n, 7));
        d.write(y, testData(n, 8));
        const threads = d === dev ? threadsOf(() => body(d, x, y), fn) : (body(d, x, y), 1);
        const out = d.readSync(y);
        d.free(x);
        d.free(y);
        return { threads, out };
      });
      expect(got[0].threads, label).toBe(1);
      expect(got[0].out, label).toEqual(got[1].out);
    }
    one.dispose();
  });

  it("rejects a negative or fractional threshold, naming it", async () => {
    await expect(WasmDevice.create({ blocking: { minElementsPerThread: -1 }, register: false })).rejects.toThrow(/blocking.minElementsPerThread must be a non-negative integer, got -1/);
    await expect(WasmDevice.create({ blocking: { minElementsPerThread: 0.5 }, register: false })).rejects.toThrow(/minElementsPerThread must be a non-negative integer, got 0.5/);
  });
});
