import { describe, expect, it } from "vitest";
import { mul, sum, tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { Conv2d } from "./index.js";

/** Winograd and direct results differ by float32 rounding only. */
const WINOGRAD_VS_DIRECT_ATOL = 1e-5;

describe("Conv2d algorithm", () => {
  it("'winograd' gives the direct layer's output and input gradient up to rounding (zeros and reflect padding)", async () => {
    for (const paddingMode of ["zeros", "reflect"] as const) {
      const make = (algorithm: "winograd" | "direct") => new Conv2d(3, 4, 3, { padding: 1, paddingMode, algorithm, rng: new Rng(7) });
      const rng = new Rng(8);
      const data = Array.from({ length: 2 * 3 * 5 * 6 }, () => rng.uniform(-1, 1));
      const upstream = Array.from({ length: 2 * 4 * 5 * 6 }, () => rng.uniform(-1, 1));
      const run = async (layer: Conv2d) => {
        const x = tensor(data, { shape: [2, 3, 5, 6], requiresGrad: true });
        const y = layer.forward(x);
        // A non-uniform upstream gradient: Σ y·r.
        sum(mul(y, tensor(upstream, { shape: [2, 4, 5, 6] }))).backward();
        return { y: await y.data(), dx: await x.grad!.data() };
      };
      const [a, b] = [await run(make("winograd")), await run(make("direct"))];
      for (const k of ["y", "dx"] as const) {
        expect(a[k].length).toBeGreaterThan(0);
        a[k].forEach((v, i) => expect(Math.abs(v - b[k][i])).toBeLessThan(WINOGRAD_VS_DIRECT_ATOL));
      }
    }
  });

  it("'winograd' is rejected at construction where it cannot apply, and padding > 2 at the call", () => {
    const pre = "Conv2d: algorithm 'winograd' needs a 3×3 kernel, stride 1, dilation 1 and groups 1, got ";
    expect(() => new Conv2d(4, 4, 3, { stride: 2, algorithm: "winograd" })).toThrow(`${pre}kernel 3×3, stride 2,2, dilation 1,1, groups 1`);
    expect(() => new Conv2d(4, 4, 5, { algorithm: "winograd" })).toThrow(`${pre}kernel 5×5, stride 1,1, dilation 1,1, groups 1`);
    expect(() => new Conv2d(4, 4, 3, { dilation: [1, 2], algorithm: "winograd" })).toThrow(`${pre}kernel 3×3, stride 1,1, dilation 1,2, groups 1`);
    expect(() => new Conv2d(4, 4, 3, { groups: 2, algorithm: "winograd" })).toThrow(`${pre}kernel 3×3, stride 1,1, dilation 1,1, groups 2`);
    const padded = new Conv2d(1, 1, 3, { padding: 3, algorithm: "winograd" });
    expect(() => padded.forward(tensor(new Array(16).fill(1), { shape: [1, 1, 4, 4] })))
      .toThrow("conv2d: algorithm 'winograd' (F(2×2, 3×3)) does not apply to this convolution: padding must be at most 2 on every side");
  });
});
