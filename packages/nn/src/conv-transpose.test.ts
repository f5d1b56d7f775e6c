import { describe, expect, it } from "vitest";
import { convTranspose2d, randn, tensor } from "@tessera/autograd";
import { gradcheck } from "@tessera/autograd/testing";
import { Rng } from "@tessera/ndarray";
import { ConvTranspose2d, summary } from "./index.js";

describe("ConvTranspose2d", () => {
  it("output shape (H − 1)·s − 2p + d(k − 1) + op + 1 over a battery of settings", () => {
    const cases = [
      { cin: 4, cout: 2, k: 3, o: {}, x: [2, 4, 5, 6] },
      { cin: 4, cout: 6, k: [4, 3] as [number, number], o: { stride: 2, padding: 1 }, x: [1, 4, 3, 5] },
      { cin: 2, cout: 4, k: 3, o: { stride: [3, 2] as [number, number], padding: [1, 0] as [number, number], outputPadding: [2, 1] as [number, number] }, x: [3, 2, 4, 4] },
      { cin: 6, cout: 3, k: 2, o: { dilation: 3, outputPadding: 2, groups: 3 }, x: [1, 6, 2, 7] },
    ];
    for (const c of cases) {
      const layer = new ConvTranspose2d(c.cin, c.cout, c.k, { ...c.o, rng: new Rng(0) });
      const pair = (v: number | readonly number[] | undefined, d: number) => (v === undefined ? [d, d] : typeof v === "number" ? [v, v] : v);
      const [s, p, d, op] = [pair(c.o.stride, 1), pair(c.o.padding, 0), pair(c.o.dilation, 1), pair(c.o.outputPadding, 0)];
      const k = pair(c.k, 0);
      const out = [0, 1].map((a) => (c.x[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1);
      expect(layer.forward(randn(c.x, new Rng(1))).shape).toEqual([c.x[0], c.cout, ...out]);
    }
  });

  it("state dict keys weight [in, out/groups, kh, kw] and bias [out]; bias: false drops it", () => {
    const layer = new ConvTranspose2d(6, 4, [3, 2], { groups: 2 });
    expect([...layer.stateDict().entries()].map(([k, t]) => [k, t.shape])).toEqual([["weight", [6, 2, 3, 2]], ["bias", [4]]]);
    expect([...new ConvTranspose2d(6, 4, 3, { bias: false }).stateDict().keys()]).toEqual(["weight"]);
  });

  it("PyTorch's default init: weight and bias U(±1/√fan_in), fan_in = (out/groups)·kh·kw", async () => {
    const layer = new ConvTranspose2d(64, 8, 3, { groups: 2, rng: new Rng(3) });
    const bound = 1 / Math.sqrt((8 / 2) * 9);
    const maxAbs = async (t: typeof layer.weight) => Math.max(...Array.from(await t.data(), Math.abs));
    const w = await maxAbs(layer.weight);
    expect(w).toBeLessThanOrEqual(bound);
    // 576 draws reach near the bound in use, not a smaller one (fan_in from inChannels would give 1/√(32·9) ≈ 0.06).
    expect(w).toBeGreaterThan(0.95 * bound);
    expect(await maxAbs(layer.bias!)).toBeLessThanOrEqual(bound);
    expect(await maxAbs(layer.bias!)).toBeGreaterThan(1 / Math.sqrt(32 * 9));
  });

  it("forward is the autograd op with the layer's parameters; gradients reach weight and bias (float64 gradcheck)", async () => {
    const layer = new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1, rng: new Rng(4) });
    const x = randn([2, 2, 3, 3], new Rng(5));
    const want = await convTranspose2d(x, layer.weight, layer.bias, { stride: 2, padding: 1, outputPadding: 1 }).data();
    expect(Array.from(await layer.forward(x).data())).toEqual(Array.from(want));
    const rng = new Rng(6);
    const r = (shape: number[]) => ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)) });
    gradcheck((xx, w, b) => convTranspose2d(xx, w, b, layer.options), [r([1, 2, 3, 3]), r([2, 3, 3, 3]), r([3])]);
  });

  it("rejects options like the other layers: unknown keys, paddingMode other than 'zeros', bad channels", () => {
    expect(() => new ConvTranspose2d(1, 1, 3, { output_padding: 1 } as never)).toThrow(
      "ConvTranspose2d: unknown option 'output_padding' in options (known: stride, padding, outputPadding, dilation, groups, algorithm, rng, device, bias, paddingMode)");
    expect(() => new ConvTranspose2d(1, 1, 3, { paddingMode: "reflect" } as never)).toThrow(
      "ConvTranspose2d: paddingMode must be 'zeros' (the only mode PyTorch's ConvTranspose2d supports), got \"reflect\"");
    expect(() => new ConvTranspose2d(3, 4, 3, { groups: 2 })).toThrow("ConvTranspose2d: inChannels (3) and outChannels (4) must be divisible by groups (2)");
    expect(() => new ConvTranspose2d(0, 4, 3)).toThrow("ConvTranspose2d: inChannels must be a positive integer, got 0");
    const layer = new ConvTranspose2d(1, 1, 3, { stride: 2, outputPadding: 2 });
    expect(() => layer.forward(tensor([[[[1]]]]))).toThrow(/convTranspose2d: outputPadding \[2,2\] must be smaller than the stride \[2,2\] or the dilation \[1,1\]/);
  });

  it("summary counts its multiply-accumulates: input cells × out/groups·kh·kw", () => {
    const s = summary(new ConvTranspose2d(4, 6, 3, { groups: 2, stride: 2 }), [2, 4, 5, 5]);
    expect(s.rows[0].macs).toBe(2 * 4 * 5 * 5 * 3 * 9);
    expect(s.rows[0].outputShape).toEqual([2, 6, 11, 11]);
  });
});
