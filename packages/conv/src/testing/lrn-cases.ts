/**
 * Local Response Normalization cases: forward against PyTorch's formula written out, backward
 * against float64 central differences of it.
 */
import type { ConformanceCase } from "@tessera/blas/testing";
import { localResponseNormBackward, localResponseNormForward, type LocalResponseNormOptions } from "../lrn.js";
import { assertNear, FD_STEP, FORWARD_RTOL, GRADIENT_RTOL, numericGradient } from "./check.js";
import { lazy, minus, seededData, withScratch } from "./data.js";
import { referenceLocalResponseNorm } from "./reference.js";

/**
 * One LRN case.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { lrnCase } from "@tessera/conv/testing";
 * await lrnCase([2, 6, 3, 3], { size: 5, alpha: 0.5, beta: 0.75, k: 2 }, 1).run(jsDevice);
 * ```
 */
export function lrnCase(input: readonly [number, number, number, number], o: Required<LocalResponseNormOptions>, seed: number): ConformanceCase {
  const name = `localResponseNorm x[${input.join(",")}] size ${o.size} alpha ${o.alpha} beta ${o.beta} k ${o.k} #${seed}`;
  const n = input.reduce((a, b) => a * b, 1);
  const x = seededData(n, seed, -2, 2);
  const expected = lazy(() => {
    const fwd = (v: ArrayLike<number>) => referenceLocalResponseNorm(input, o.size, o.alpha, o.beta, o.k, v);
    const y = fwd(x);
    const dy = seededData(n, seed + 1);
    return { y, dy, dx: numericGradient(fwd, x, dy, FD_STEP / 8) };
  });
  return {
    group: "localResponseNorm",
    name,
    async run(device) {
      const e = expected();
      await withScratch(device, async (s) => {
        const xb = s.place(x, 1);
        const yb = s.place(new Float32Array(n).fill(Number.NaN), 2);
        const sb = s.place(new Float32Array(n).fill(Number.NaN), 3);
        localResponseNormForward(device, input, o, xb, 1, yb, 2, sb, 3, s.workspace);
        assertNear(`${name}: forward`, await s.read(yb, 2, n), e.y, FORWARD_RTOL);
        const dx0 = seededData(n, seed + 2, -0.5, 0.5);
        const dxb = s.place(dx0, 4);
        localResponseNormBackward(device, input, o, xb, 1, yb, 2, sb, 3, s.place(e.dy, 5), 5, dxb, 4, s.workspace);
        assertNear(`${name}: backward (dx accumulated)`, minus(await s.read(dxb, 4, n), dx0), e.dx, GRADIENT_RTOL);
      });
    },
  };
}

/**
 * LRN cases: window sizes 1, 2 (even: asymmetric window), 3 and 5 (AlexNet's, and larger than C),
 * strong and weak α, several β and k.
 *
 * @example
 * ```ts
 * import { lrnCases } from "@tessera/conv/testing";
 * lrnCases().length;
 * ```
 */
export function lrnCases(): ConformanceCase[] {
  return [
    lrnCase([2, 6, 3, 3], { size: 5, alpha: 1e-4, beta: 0.75, k: 2 }, 401),
    lrnCase([2, 6, 3, 3], { size: 5, alpha: 0.5, beta: 0.75, k: 2 }, 402),
    lrnCase([1, 4, 2, 3], { size: 2, alpha: 1, beta: 0.5, k: 1 }, 403),
    lrnCase([1, 5, 3, 2], { size: 3, alpha: 2, beta: 1.5, k: 1 }, 404),
    lrnCase([2, 3, 2, 2], { size: 5, alpha: 1, beta: 0.75, k: 1 }, 405),
    lrnCase([1, 3, 4, 1], { size: 1, alpha: 0.7, beta: 1, k: 0.5 }, 406),
  ];
}
