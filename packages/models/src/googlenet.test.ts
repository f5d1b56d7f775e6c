import { describe, expect, it } from "vitest";
import { add, noGrad, randn, scope, sum, tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { summary } from "@tessera/nn";
import { googlenet } from "./index.js";

const CLOSE = 1e-6;

describe("googlenet (torchvision's)", () => {
  it("has torchvision's parameter counts and state-dict keys", () => {
    const a = googlenet({ auxLogits: false });
    expect(a.numParameters()).toBe(6624904);
    const keys = [...a.stateDict().keys()];
    expect(keys.length).toBe(344); // 57 BasicConv2d × 6 + fc.weight + fc.bias
    expect(keys.slice(0, 6)).toEqual(["conv1.conv.weight", "conv1.bn.weight", "conv1.bn.bias", "conv1.bn.running_mean", "conv1.bn.running_var", "conv1.bn.num_batches_tracked"]);
    expect(keys).toContain("inception3a.branch1.conv.weight");
    expect(keys).toContain("inception3a.branch2.1.bn.running_var");
    expect(keys).toContain("inception5b.branch4.1.conv.weight");
    expect(keys.slice(-2)).toEqual(["fc.weight", "fc.bias"]);
    expect(a.stateDict().get("inception3a.branch3.1.conv.weight")!.shape).toEqual([32, 16, 3, 3]); // torchvision's 3×3 "5×5" branch
    a.dispose();
    const b = googlenet();
    expect(b.numParameters()).toBe(13004888);
    const bk = [...b.stateDict().keys()];
    expect(bk.length).toBe(364);
    expect(bk.slice(-12, -10)).toEqual(["aux2.conv.conv.weight", "aux2.conv.bn.weight"]);
    expect(bk.slice(-4)).toEqual(["aux2.fc2.weight", "aux2.fc2.bias", "fc.weight", "fc.bias"]);
    b.dispose();
  });

  it("rejects unknown options", () => {
    expect(() => googlenet({ aux_logits: false } as never)).toThrow(/googlenet: unknown option 'aux_logits'/);
  });

  it("runs forward and backward in training mode, with both auxiliary outputs", () => {
    const m = googlenet({ numClasses: 5 });
    scope(() => {
      const { logits, auxLogits1, auxLogits2 } = m.forwardWithAux(randn([2, 3, 32, 32], new Rng(1)));
      expect([logits.shape, auxLogits1.shape, auxLogits2.shape]).toEqual([[2, 5], [2, 5], [2, 5]]);
      sum(add(add(logits, auxLogits1), auxLogits2)).backward();
    });
    for (const [k, p] of m.namedParameters()) expect(p.grad, k).not.toBeNull();
    m.eval();
    expect(() => m.forwardWithAux(randn([2, 3, 32, 32], new Rng(1)))).toThrow(/GoogLeNet.forwardWithAux: .*training mode/);
    m.dispose();
  });

  it("forward alone skips the auxiliary classifiers", () => {
    const m = googlenet({ numClasses: 4 });
    scope(() => sum(m.forward(randn([2, 3, 32, 32], new Rng(2)))).backward());
    expect(m.aux1!.fc1.weight.grad).toBeNull();
    expect(m.fc.weight.grad).not.toBeNull();
    m.dispose();
  });

  it("transformInput rescales each channel as torchvision's _transform_input", async () => {
    const on = googlenet({ numClasses: 3, auxLogits: false, transformInput: true, seed: 4 }).eval();
    const off = googlenet({ numClasses: 3, auxLogits: false, seed: 4 }).eval();
    const x = randn([1, 3, 32, 32], new Rng(3));
    const xv = await x.data();
    // by hand: channel c becomes x·std_c/0.5 + (mean_c − 0.5)/0.5
    const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
    const t = Float32Array.from(xv, (v, i) => { const c = Math.floor(i / 1024); return v * (std[c] / 0.5) + (mean[c] - 0.5) / 0.5; });
    const [a, b] = noGrad(() => [on.forward(x), off.forward(tensor(t, { shape: [1, 3, 32, 32] }))]);
    const [av, bv] = [await a.data(), await b.data()];
    for (let i = 0; i < av.length; i++) expect(Math.abs(av[i] - bv[i])).toBeLessThan(CLOSE * Math.max(1, Math.abs(bv[i])) * 10);
    on.dispose(); off.dispose();
  });

  it("summary() lists its layers", () => {
    const m = googlenet({ numClasses: 10, auxLogits: false });
    const s = summary(m, [1, 3, 64, 64]);
    expect(s.total).toBe(m.numParameters());
    expect(s.rows[0]).toMatchObject({ name: "conv1.conv", type: "Conv2d", outputShape: [1, 64, 32, 32] });
    expect(s.rows.find((r) => r.name === "inception3a.branch4.0")).toMatchObject({ type: "MaxPool2d" });
    expect(s.rows.at(-1)).toMatchObject({ name: "fc", outputShape: [1, 10] });
    expect(s.rows.some((r) => r.name.startsWith("aux"))).toBe(false);
    m.dispose();
  });
});
