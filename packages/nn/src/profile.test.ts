import { describe, expect, it } from "vitest";
import { crossEntropy } from "@tessera/optim";
import { tensor, type Tensor } from "@tessera/autograd";
import { JsDevice, type Conv2dGeometry, type Device, type DeviceBuffer } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { Conv2d, Flatten, Linear, MaxPool2d, Module, profile, ReLU, Sequential } from "./index.js";

const N = 3;

/** A small conv net and its analytic FLOPs per layer (2 per multiply-add, 1 per elementwise or pooling cell). */
function convNet(device: Device) {
  const rng = new Rng(5);
  const net = new Sequential(
    new Conv2d(2, 4, 3, { padding: 1, rng, device }), // [N,2,8,8] → [N,4,8,8]
    new ReLU(),
    new MaxPool2d(2), // → [N,4,4,4]
    new Conv2d(4, 6, 3, { bias: false, rng, device }), // → [N,6,2,2]
    new Flatten(),
    new Linear(24, 5, { rng, device }),
  ).eval();
  const flops: Record<string, number> = {
    "0": 2 * N * 4 * 8 * 8 * (2 * 3 * 3) + N * 4 * 8 * 8, // MACs ×2, plus the bias adds
    "1": N * 4 * 8 * 8,
    "2": N * 4 * 4 * 4 * (2 * 2),
    "3": 2 * N * 6 * 2 * 2 * (4 * 3 * 3),
    "4": 0,
    "5": 2 * N * 24 * 5, // the bias is C's initial value (β = 1): no separate add
  };
  const x = new Float32Array(N * 2 * 8 * 8);
  new Rng(9).fillNormal(x, 0, 1);
  return { net, flops, x: tensor(x, { shape: [N, 2, 8, 8], device }) };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("profile", () => {
  it("counts a Winograd convolution as the direct convolution's FLOPs (effective GFLOP/s)", async () => {
    const dev = new JsDevice();
    const rng = new Rng(3);
    const make = (algorithm: "direct" | "winograd") => new Conv2d(4, 5, 3, { padding: 1, rng, device: dev, algorithm }).eval();
    const x = tensor(new Float32Array(2 * 4 * 6 * 6).fill(0.5), { shape: [2, 4, 6, 6], device: dev });
    const direct = await profile(() => make("direct").forward(x), { devices: [dev] });
    const winograd = await profile(() => make("winograd").forward(x), { devices: [dev] });
    expect(winograd.ops.map((o) => o.name)).toContain("convForwardWinograd");
    expect(winograd.notes.join(" ")).not.toMatch(/convForwardWinograd/);
    expect(winograd.flops).toBe(direct.flops);
    expect(direct.flops).toBe(2 * 2 * 5 * 6 * 6 * (4 * 3 * 3) + 2 * 5 * 6 * 6);
  });

  it("counts each layer's FLOPs exactly as the analytic count, and the total as their sum", async () => {
    const dev = new JsDevice();
    const { net, flops, x } = convNet(dev);
    const r = await profile(() => net.forward(x), { model: net });
    expect(r.result.shape).toEqual([N, 5]);
    const rows = Object.fromEntries(r.layers.map((l) => [l.path, l]));
    for (const [path, f] of Object.entries(flops)) expect(rows[path].flops, path).toBe(f);
    expect(rows[""].flops).toBe(sum(Object.values(flops)));
    expect(r.flops).toBe(sum(Object.values(flops)));
    expect(r.layers.map((l) => [l.path, l.type, l.depth, l.calls])).toEqual([
      ["", "Sequential", 0, 1], ["0", "Conv2d", 1, 1], ["1", "ReLU", 1, 1], ["2", "MaxPool2d", 1, 1],
      ["3", "Conv2d", 1, 1], ["4", "Flatten", 1, 1], ["5", "Linear", 1, 1],
    ]);
    expect(r.types.find((t) => t.name === "Conv2d")?.flops).toBe(flops["0"] + flops["3"]);
    expect(r.ops.find((o) => o.name === "unary:relu")?.flops).toBe(flops["1"]);
  });

  it("counts a fused convolution like its lowering, and a declined one not at all", async () => {
    class Fused extends JsDevice {
      declined = 0;
      convForward(g: Conv2dGeometry, n: number, oc: number, x: DeviceBuffer, ox: number, sx: number, w: DeviceBuffer, ow: number,
        b: DeviceBuffer | null, ob: number, y: DeviceBuffer, oy: number, sy: number): boolean {
        if (g.C === 4) {
          this.declined++;
          return false;
        }
        // The first layer: im2col + sgemm on this device, under one routine name.
        for (let i = 0; i < n; i++) {
          const col = this.alloc(g.C * g.KH * g.KW * g.OH * g.OW);
          this.im2col(g, 1, x, ox + i * sx, sx, col, 0, g.OH * g.OW);
          this.sgemm("no-transpose", "no-transpose", oc, g.OH * g.OW, g.C * g.KH * g.KW, 1, w, g.C * g.KH * g.KW, 1, ow, col, g.OH * g.OW, 1, 0, 0, y, g.OH * g.OW, 1, oy + i * sy);
          if (b) this.binary("add", [oc, g.OH * g.OW], { buffer: y, offset: oy + i * sy, strides: [g.OH * g.OW, 1] }, { buffer: b, offset: ob, strides: [1, 0] }, { buffer: y, offset: oy + i * sy, strides: [g.OH * g.OW, 1] });
          this.free(col);
        }
        return true;
      }
    }
    const dev = new Fused();
    const { net, flops, x } = convNet(dev);
    const r = await profile(() => net.forward(x), { model: net });
    expect(dev.declined).toBe(1);
    const conv = r.ops.find((o) => o.name === "convForward");
    expect(conv?.calls).toBe(1); // the declined call is not a row; the routines it called itself are not counted twice
    expect(conv?.flops).toBe(flops["0"]);
    expect(r.layers.find((l) => l.path === "3")?.flops).toBe(flops["3"]);
    expect(r.flops).toBe(sum(Object.values(flops)));
    const expected = await net.forward(x).data();
    expect([...(await r.result.data())]).toEqual([...expected]);
  });

  it("rows never add up to more than the total", async () => {
    const { net, x } = convNet(new JsDevice());
    const r = await profile(() => net.forward(x), { model: net });
    expect(r.totalMs).toBeGreaterThanOrEqual(0);
    for (let depth = 0; depth <= 1; depth++) expect(sum(r.layers.filter((l) => l.depth === depth).map((l) => l.ms))).toBeLessThanOrEqual(r.totalMs);
    expect(r.deviceMs).toBeLessThanOrEqual(r.totalMs);
    expect(sum(r.types.map((t) => t.ms))).toBeLessThanOrEqual(r.totalMs);
    for (const row of [...r.ops, ...r.layers, ...r.types]) {
      expect(row.percent).toBeGreaterThanOrEqual(0);
      expect(row.percent).toBeLessThanOrEqual(100);
    }
    const json = JSON.parse(JSON.stringify(r));
    expect(Object.keys(json).sort()).toEqual(["deviceMs", "devices", "flops", "layers", "notes", "ops", "totalMs", "types"]);
    expect(json.layers.length).toBe(7);
    const table = r.table();
    for (const name of ["sgemm", "im2col", "unary:relu", "maxPool2d", "(host, outside routines)", "(model) (Sequential)", "  0 (Conv2d)", "leaf layer type"]) expect(table).toContain(name);
    expect(r.table({ maxDepth: 0 })).not.toContain("0 (Conv2d)");
  });

  it("nests: an inner profile's events count in the outer one too", async () => {
    const { net, x } = convNet(new JsDevice());
    let inner: Awaited<ReturnType<typeof profile<Tensor>>> | undefined;
    const outer = await profile(async () => {
      net.forward(x);
      inner = await profile(() => net.forward(x), { model: net });
    }, { model: net });
    const calls = (r: { ops: readonly { name: string; calls: number }[] }, name: string) => r.ops.find((o) => o.name === name)?.calls ?? 0;
    expect(calls(outer, "sgemm")).toBe(2 * calls(inner!, "sgemm"));
    expect(outer.flops).toBe(2 * inner!.flops!);
    expect(outer.layers.find((l) => l.path === "0")?.calls).toBe(2);
    expect(inner!.layers.find((l) => l.path === "0")?.calls).toBe(1);
  });

  it("profiles async functions and training steps, and removes every hook afterwards", async () => {
    const dev = new JsDevice();
    const { net, x } = convNet(dev);
    const own = () => [Object.getOwnPropertyNames(dev).filter((k) => typeof (dev as unknown as Record<string, unknown>)[k] === "function"),
      net.namedModules().filter(([, m]) => Object.hasOwn(m, "forward")).length];
    const before = own();
    net.train();
    const r = await profile(async () => {
      const loss = crossEntropy(net.forward(x), Int32Array.from([0, 1, 2]));
      await new Promise((resolve) => setTimeout(resolve, 1));
      loss.backward();
      return loss.data();
    }, { model: net });
    expect(r.result.length).toBe(1);
    expect(r.ops.some((o) => o.name === "col2im")).toBe(true); // backward-data of the convolutions
    expect(own()).toEqual(before);
    await expect(profile(() => {
      net.forward(x);
      throw new Error("boom");
    }, { model: net })).rejects.toThrow("boom");
    expect(own()).toEqual(before);
  });

  it("keeps a module's own forward property and restores it", async () => {
    class Own extends Module {
      forward = (x: Tensor) => x;
    }
    const m = new Own();
    const f = m.forward;
    const r = await profile(() => m.forward(tensor([1], { device: new JsDevice() })), { model: m, devices: [] });
    expect(r.layers.map((l) => [l.path, l.calls])).toEqual([["", 1]]);
    expect(m.forward).toBe(f);
  });

  it("says what the times mean on a device that queues work, and refuses per-op sync there", async () => {
    const dev = new JsDevice();
    Object.defineProperty(dev, "readSync", { value: undefined });
    let syncs = 0;
    const sync = dev.sync.bind(dev);
    dev.sync = () => (syncs++, sync());
    const r = await profile(() => dev.fill([4], 1, { buffer: dev.alloc(4), offset: 0, strides: [1] }), { devices: [dev] });
    expect(syncs).toBe(1);
    expect(r.notes.join()).toContain("'js' queues its work: routine times are submission times");
    await expect(profile(() => 0, { devices: [dev], sync: "op" })).rejects.toThrow("profile: options.sync 'op' needs devices that finish each routine");
    expect((await profile(() => 0, { devices: [new JsDevice()], sync: "op" })).notes).toEqual([]);
  });

  it("times a routine it has no FLOP count for, leaves it out of the totals and names it; ignores what async reads call", async () => {
    class Custom extends JsDevice {
      helpers = 0;
      /** A routine a newer device might add (unknown to the profiler). */
      scaleTwice(n: number, x: DeviceBuffer): void {
        this.sscal(n, 2, x, 1, 0);
        this.sscal(n, 2, x, 1, 0);
      }
      /** A device's own helper, called from read (not timed). */
      helper(): void {
        this.helpers++;
      }
      override read(buffer: DeviceBuffer, offset?: number, length?: number) {
        this.helper();
        return super.read(buffer, offset, length);
      }
    }
    const dev = new Custom();
    const t = tensor([1, 2, 3], { device: dev });
    const r = await profile(async () => {
      dev.scaleTwice(3, t.storage.buffer);
      dev.sscal(3, 0.5, t.storage.buffer, 1, 0);
      return t.data();
    }, { devices: [dev] });
    expect([...r.result]).toEqual([2, 4, 6]);
    expect(dev.helpers).toBe(1);
    expect(r.ops.map((o) => [o.name, o.calls, o.flops]).sort()).toEqual([["scaleTwice", 1, null], ["sscal", 1, 3]]);
    expect(r.flops).toBe(3);
    expect(r.notes).toEqual(["routines without a FLOP count (their time is counted, their FLOPs are not): scaleTwice"]);
  });

  it("rejects bad arguments with clear errors", async () => {
    await expect(profile(42 as never)).rejects.toThrow("profile: fn must be a function, got number");
    await expect(profile(() => 0, { sync: "each" as never })).rejects.toThrow(`profile: options.sync must be 'end' or 'op', got "each"`);
    await expect(profile(() => 0, { modle: 1 } as never)).rejects.toThrow(/profile: .*modle/);
    await expect(profile(() => 0, { model: {} as never })).rejects.toThrow("profile: options.model must be a Module");
  });
});
