import { describe, expect, it } from "vitest";
import { JsDevice } from "@tessera/blas";
import { Rng } from "@tessera/ndarray";
import { batchNorm, mul, permute, sum, tensor, transpose, type Tensor } from "./index.js";
import { gradcheck, type GradcheckInput } from "./testing.js";

/** Seeded inputs in ±[0.1, 1]. */
function input(shape: number[], seed: number): GradcheckInput {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Array.from({ length: n }, () => (0.1 + rng.uniform() * 0.9) * (rng.uniform() < 0.5 ? -1 : 1)) };
}

/** Largest relative gradient error gradcheck may report. */
const GRADCHECK_TOL = 1e-5;

describe("batchNorm in training mode: gradients (float64 central differences)", () => {
  const train = { training: true } as const;
  const cases: [string, (...x: Tensor[]) => Tensor, GradcheckInput[]][] = [
    ["[N, C] input with weight and bias", (x, w, b) => batchNorm(x, null, null, w, b, train), [input([5, 3], 1), input([3], 2), input([3], 3)]],
    ["[N, C, L] input without weight or bias", (x) => batchNorm(x, null, null, null, null, train), [input([3, 2, 4], 4)]],
    ["weight only", (x, w) => batchNorm(x, null, null, w, null, train), [input([2, 3, 2, 2], 5), input([3], 6)]],
    ["bias only", (x, b) => batchNorm(x, null, null, null, b, train), [input([2, 3, 2, 2], 7), input([3], 8)]],
    // A permuted (non-contiguous) input, and a non-contiguous upstream gradient (through transpose).
    ["a permuted input and a transposed output", (x, w, b) => transpose(batchNorm(permute(x, [1, 0, 2]), null, null, w, b, train), 0, 2),
      [input([3, 4, 5], 9), input([3], 10), input([3], 11)]],
    // The output weighted so that Σg and Σg·x̂ are not zero (a plain sum has ∂x = 0).
    ["weighted output with eps 0.1", (x, w, b, c) => mul(batchNorm(x, null, null, w, b, { training: true, eps: 0.1 }), c),
      [input([4, 2, 3], 12), input([2], 13), input([2], 14), input([4, 2, 3], 15)]],
  ];
  for (const [name, f, inputs] of cases) it(name, () => expect(gradcheck(f, inputs)).toBeLessThan(GRADCHECK_TOL));

  it("a weight that does not require grad gets none and the others still do", async () => {
    const x = tensor([[1, 2], [3, 7], [4, -1]], { requiresGrad: true });
    const w = tensor([2, 3]);
    const b = tensor([0.5, -1], { requiresGrad: true });
    sum(mul(batchNorm(x, null, null, w, b, { training: true }), tensor([[1, 2], [3, 4], [5, 6]]))).backward();
    expect(w.grad).toBeNull();
    expect([...(await b.grad!.data())]).toEqual([9, 12]);
    expect(x.grad).not.toBeNull();
  });
});

describe("batchNorm in training mode: one graph node", () => {
  it("records a single batchNorm node over x, weight and bias", () => {
    const x = tensor(input([2, 3, 4], 20).data as number[], { shape: [2, 3, 4], requiresGrad: true });
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([0, 1, 2], { requiresGrad: true });
    const y = batchNorm(x, null, null, w, b, { training: true });
    expect(y.gradFn?.name).toBe("batchNorm");
    expect(y.gradFn?.inputs).toEqual([x, w, b]);
  });

  it("makes two full-size buffers forward (was five) and three backward", () => {
    const device = new JsDevice();
    const shape = [4, 3, 5, 5];
    const size = 4 * 3 * 5 * 5;
    const x = tensor(input(shape, 21).data as number[], { shape, device, requiresGrad: true });
    const w = tensor([1, 2, 3], { device, requiresGrad: true });
    const b = tensor([0, 1, 2], { device, requiresGrad: true });
    const g = tensor(input(shape, 22).data as number[], { shape, device });
    let full = 0;
    const alloc = device.alloc.bind(device);
    device.alloc = (n, dtype) => {
      if (n === size) full++;
      return alloc(n, dtype);
    };
    const y = batchNorm(x, null, null, w, b, { training: true });
    expect(full).toBe(2); // x − μ (kept for backward) and y
    full = 0;
    y.backward(g);
    // The engine's copy of g, g·(x − μ) and ∂x.
    expect(full).toBe(3);
  });
});
