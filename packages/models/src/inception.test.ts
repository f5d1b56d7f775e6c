import { describe, expect, it } from "vitest";
import { add, noGrad, randn, scope, sum, zeros } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { Conv2d, summary } from "@tessera/nn";
import { inceptionV3 } from "./index.js";

/** Float32 sums of at most 14 products against a float64 loop. */
const CONV_TOL = 1e-5;

describe("the factorised kernels go through the existing conv path", () => {
  for (const [k, pad] of [[[1, 7], [0, 3]], [[7, 1], [3, 0]], [[1, 3], [0, 1]], [[3, 1], [1, 0]]] as const) {
    it(`Conv2d ${k[0]}×${k[1]} with padding [${pad}] equals a direct loop, forward and weight gradient`, async () => {
      const [C, O, H, W] = [2, 3, 5, 6];
      const conv = new Conv2d(C, O, k, { padding: pad, bias: false, rng: new Rng(5) });
      const x = randn([1, C, H, W], new Rng(6));
      const xv = await x.data(), wv = await conv.weight.data();
      const at = (c: number, h: number, w: number) => (h < 0 || h >= H || w < 0 || w >= W ? 0 : xv[(c * H + h) * W + w]);
      const want = new Float64Array(O * H * W), dw = new Float64Array(wv.length);
      for (let o = 0; o < O; o++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
        for (let c = 0; c < C; c++) for (let i = 0; i < k[0]; i++) for (let j = 0; j < k[1]; j++) {
          const wi = ((o * C + c) * k[0] + i) * k[1] + j, xin = at(c, h + i - pad[0], w + j - pad[1]);
          want[(o * H + h) * W + w] += wv[wi] * xin;
          dw[wi] += xin; // d sum(y) / dW
        }
      }
      await scope(async () => {
        const y = conv.forward(x);
        expect(y.shape).toEqual([1, O, H, W]);
        const yv = await y.data();
        yv.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(CONV_TOL));
        sum(y).backward();
      });
      (await conv.weight.grad!.data()).forEach((v, i) => expect(Math.abs(v - dw[i])).toBeLessThan(CONV_TOL));
      conv.dispose();
    });
  }
});

describe("inceptionV3 (torchvision's Inception3)", () => {
  it("has torchvision's parameter counts and state-dict keys", () => {
    const a = inceptionV3();
    expect(a.numParameters()).toBe(27161264);
    const keys = [...a.stateDict().keys()];
    expect(keys.length).toBe(580); // 94 BasicConv2d × 6 (two in AuxLogits) + 2 fc × 2
    expect(keys.slice(0, 3)).toEqual(["Conv2d_1a_3x3.conv.weight", "Conv2d_1a_3x3.bn.weight", "Conv2d_1a_3x3.bn.bias"]);
    expect(keys.slice(-2)).toEqual(["fc.weight", "fc.bias"]);
    // AuxLogits comes between Mixed_6e and Mixed_7a, as in torchvision's state dict
    const aux = keys.indexOf("AuxLogits.conv0.conv.weight");
    expect(keys[aux - 1]).toBe("Mixed_6e.branch_pool.bn.num_batches_tracked");
    expect(keys[aux + 13]).toBe("AuxLogits.fc.bias");
    expect(keys[aux + 14]).toBe("Mixed_7a.branch3x3_1.conv.weight");
    const sd = a.stateDict();
    expect(sd.get("Mixed_6b.branch7x7_2.conv.weight")!.shape).toEqual([128, 128, 1, 7]);
    expect(sd.get("Mixed_6b.branch7x7_3.conv.weight")!.shape).toEqual([192, 128, 7, 1]);
    expect(sd.get("Mixed_7b.branch3x3dbl_3b.conv.weight")!.shape).toEqual([384, 384, 3, 1]);
    a.dispose();
    const b = inceptionV3({ auxLogits: false });
    expect(b.numParameters()).toBe(23834568);
    expect(b.stateDict().size).toBe(566);
    b.dispose();
  });

  it("runs forward and backward on 75×75 (batch 1, evaluation mode) through 1×7 and 7×1 kernels", () => {
    const m = inceptionV3({ numClasses: 3, auxLogits: false }).eval();
    scope(() => {
      const y = m.forward(randn([1, 3, 75, 75], new Rng(1)));
      expect(y.shape).toEqual([1, 3]);
      sum(y).backward();
    });
    for (const [k, p] of m.namedParameters()) expect(p.grad, k).not.toBeNull();
    expect(() => m.forward(zeros([1, 3, 74, 80]))).toThrow(/Inception3: input must be \[N, 3, H, W\] with H, W >= 75, got \[1, 3, 74, 80\]/);
    m.dispose();
  });

  it("returns the auxiliary logits in training mode (299×299, batch 2)", () => {
    const m = inceptionV3({ numClasses: 2 });
    expect(() => m.forwardWithAux(zeros([2, 3, 298, 299]))).toThrow(/needs H, W >= 299/);
    noGrad(() => scope(() => {
      const { logits, auxLogits } = m.forwardWithAux(randn([2, 3, 299, 299], new Rng(2)));
      expect([logits.shape, auxLogits.shape]).toEqual([[2, 2], [2, 2]]);
      expect(sum(add(logits, auxLogits)).item()).toBeTypeOf("number");
    }));
    m.eval();
    expect(() => m.forwardWithAux(zeros([2, 3, 299, 299]))).toThrow(/Inception3.forwardWithAux: .*training mode/);
    m.dispose();
  });

  it("summary() lists its layers", () => {
    const m = inceptionV3({ numClasses: 10, auxLogits: false });
    const s = summary(m, [1, 3, 75, 75]);
    expect(s.total).toBe(23834568 - 2048 * 990 - 990);
    expect(s.rows[0]).toMatchObject({ name: "Conv2d_1a_3x3.conv", outputShape: [1, 32, 37, 37] });
    expect(s.rows.find((r) => r.name === "Mixed_6b.branch7x7_2.conv")).toMatchObject({ outputShape: [1, 128, 3, 3] });
    expect(s.rows.at(-1)).toMatchObject({ name: "fc", outputShape: [1, 10] });
    m.dispose();
  });
});
