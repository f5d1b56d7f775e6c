import { fusedConv2d, FusedConv2dPlan, noGrad, randn, scope, type Tensor } from "@tessera/autograd";
import { WasmDevice } from "@tessera/blas-wasm";
import { Rng } from "@tessera/ndarray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Conv2dOptions = Parameters<typeof fusedConv2d>[3];

// autograd's FusedConv2dPlan on the wasm device, whose routes the js device lacks: Winograd by the
// device's hints ('auto') and the fused implicit-GEMM kernel (here, as models already depend on wasm).
describe("FusedConv2dPlan on the wasm device: the bits of fusedConv2d on every route", () => {
  let device: WasmDevice;
  beforeAll(async () => {
    device = await WasmDevice.create({ threads: 2, blocking: { minFlopsPerThread: 0 }, register: false });
  });
  afterAll(() => device.dispose());

  const routes: [string, number, Conv2dOptions, "convForwardWinograd" | "convForward" | null][] = [
    ["Winograd by the hints", 16, { padding: 1 }, "convForwardWinograd"],
    ["the fused implicit-GEMM kernel, stride 2", 16, { padding: 1, stride: 2 }, "convForward"],
    ["the fused kernel, 1×1", 8, {}, "convForward"],
    ["the lowering ('im2col')", 8, { padding: 1, algorithm: "im2col" }, null],
  ];
  for (const [name, C, o, routine] of routes) {
    it(name, () => {
      const calls = { convForwardWinograd: 0, convForward: 0 };
      const d = device as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const n of ["convForwardWinograd", "convForward"] as const) {
        const f = d[n].bind(device);
        d[n] = (...a: unknown[]) => (calls[n]++, f(...a));
      }
      const rng = new Rng(5);
      const K = o.stride === undefined && o.padding === undefined ? 1 : 3;
      const opts = { device };
      const w = randn([C, C, K, K], rng, opts), b = randn([C], rng, opts);
      for (const relu of [false, true]) {
        const plan = new FusedConv2dPlan(o, relu), planR = new FusedConv2dPlan(o, relu);
        for (let k = 0; k < 3; k++) {
          scope(() => {
            const x = randn([1, C, 14, 14], rng, opts);
            const want = noGrad(() => fusedConv2d(x, w, b, o, { relu }));
            expect(Array.from(noGrad(() => plan.run(x, w, b)).dataSync())).toEqual(Array.from(want.dataSync()));
            const r: Tensor = randn(want.shape, rng, opts);
            expect(Array.from(noGrad(() => planR.run(x, w, null, r)).dataSync()))
              .toEqual(Array.from(noGrad(() => fusedConv2d(x, w, null, o, { relu, residual: r })).dataSync()));
          });
        }
      }
      for (const n of ["convForwardWinograd", "convForward"] as const) delete d[n];
      // 2 ReLU settings × 3 inputs × (fusedConv2d + the plan) × 2 (bias, residual): 24 calls of the route's routine.
      for (const n of ["convForwardWinograd", "convForward"] as const) expect(calls[n]).toBe(n === routine ? 24 : 0);
    });
  }
});
