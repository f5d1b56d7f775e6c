/**
 * Pooling cases of the battery: max (values and argmax exact, ties to the first index), average
 * (PyTorch's divisor rules, ceil mode) and adaptive average pooling, forward against the float64
 * references and backward against central differences.
 */
import type { ConformanceCase } from "@tessera/blas/testing";
import { Rng } from "@tessera/ndarray";
import { adaptiveAvgPool2dBackward, adaptiveAvgPool2dForward, adaptiveAvgPool2dGeometry } from "../adaptive-pool.js";
import type { Padding2d } from "../padding.js";
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from "../pool.js";
import { pool2dGeometry, type Pool2dOptions } from "../pool-geometry.js";
import { assertEqual, assertNear, FD_STEP, FD_STEP_MAX_POOL, FORWARD_RTOL, GRADIENT_RTOL, numericGradient } from "./check.js";
import { windowSpec } from "./conv-cases.js";
import { distinctData, lazy, minus, seededData, withScratch } from "./data.js";
import { explicitPadding, referenceAdaptiveAvgPool2d, referenceAvgPool2d, referenceMaxPool2d } from "./reference.js";

/**
 * One pooling of the battery.
 *
 * @example
 * ```ts
 * import type { PoolCaseSpec } from "@tessera/conv/testing";
 * const alexNet: PoolCaseSpec = { kind: "max", input: [1, 2, 13, 13], options: { kernelSize: 3, stride: 2 }, seed: 1 };
 * ```
 */
export interface PoolCaseSpec {
  /** `max`, `avg` (counting padding) or `avgExcludePad`. */ readonly kind: "max" | "avg" | "avgExcludePad";
  /** `[N, C, H, W]`. */ readonly input: readonly [number, number, number, number];
  /** The options as a user passes them. */ readonly options: Pool2dOptions;
  /** Data seed. */ readonly seed: number;
  /** Constant input (max only): every window is a tie, the first index must win. */ readonly ties?: boolean;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const pairOf = (v: number | readonly [number, number]): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

function describePool(c: PoolCaseSpec): string {
  const o = c.options;
  const pad = typeof o.padding === "string" ? `'${o.padding}'` : JSON.stringify(o.padding ?? 0);
  return `${c.kind === "max" ? "maxPool2d" : c.kind === "avg" ? "avgPool2d countIncludePad" : "avgPool2d excludePad"} x[${c.input.join(",")}] ` +
    `k${JSON.stringify(o.kernelSize)} s${JSON.stringify(o.stride ?? o.kernelSize)} pad ${pad} d${JSON.stringify(o.dilation ?? 1)}` +
    `${o.ceilMode ? " ceil" : ""}${c.ties ? " ties" : ""} #${c.seed}`;
}

/**
 * A battery case from a pooling spec.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { poolCase } from "@tessera/conv/testing";
 * await poolCase({ kind: "avg", input: [1, 1, 5, 5], options: { kernelSize: 2, ceilMode: true }, seed: 3 }).run(jsDevice);
 * ```
 */
export function poolCase(c: PoolCaseSpec): ConformanceCase {
  const name = describePool(c);
  const kernel = pairOf(c.options.kernelSize);
  const spec = windowSpec(kernel, c.options.stride ?? kernel, c.options.dilation, c.options.padding);
  const ceil = c.options.ceilMode ?? false;
  const n = size(c.input);
  const x = c.ties ? new Float32Array(n).fill(0.5) : c.kind === "max" ? distinctData(n, c.seed) : seededData(n, c.seed);
  const expected = lazy(() => {
    const fwd = (v: ArrayLike<number>) => (c.kind === "max" ? referenceMaxPool2d(c.input, spec, ceil, v).y : referenceAvgPool2d(c.input, spec, ceil, c.kind === "avg", v).y);
    const ref = c.kind === "max" ? referenceMaxPool2d(c.input, spec, ceil, x) : { ...referenceAvgPool2d(c.input, spec, ceil, c.kind === "avg", x), argmax: null };
    const dy = seededData(ref.y.length, c.seed + 1);
    let dx: Float64Array;
    if (c.ties && ref.argmax) {
      dx = new Float64Array(n);
      const P = ref.OH * ref.OW;
      ref.argmax.forEach((a, o) => { dx[Math.floor(o / P) * c.input[2] * c.input[3] + a] += dy[o]; });
    } else {
      dx = numericGradient(fwd, x, dy, c.kind === "max" ? FD_STEP_MAX_POOL : FD_STEP);
    }
    return { ...ref, dy, dx };
  });
  return {
    group: c.kind === "max" ? "maxPool2d" : "avgPool2d",
    name,
    async run(device) {
      const e = expected();
      const p = pool2dGeometry(c.input, c.options, c.kind === "max" ? "maxPool2d" : "avgPool2d");
      assertEqual(`${name}: output shape`, p.outputShape, [c.input[0], c.input[1], e.OH, e.OW]);
      const ny = e.y.length;
      await withScratch(device, async (s) => {
        const xb = s.place(x, 2);
        const yb = s.place(new Float32Array(ny).fill(Number.NaN), 3);
        const dyb = s.place(e.dy, 1);
        const dx0 = seededData(n, c.seed + 2, -0.5, 0.5);
        const dxb = s.place(dx0, 4);
        if (e.argmax) {
          const ab = s.place(new Int32Array(ny), 5, "int32");
          maxPool2dForward(device, p, xb, 2, yb, 3, ab, 5);
          assertEqual(`${name}: forward values`, await s.read(yb, 3, ny), e.y);
          assertEqual(`${name}: argmax`, await s.read(ab, 5, ny), e.argmax);
          maxPool2dBackward(device, p, dyb, 1, ab, 5, dxb, 4);
        } else {
          avgPool2dForward(device, p, c.kind === "avg", xb, 2, yb, 3, s.workspace);
          assertNear(`${name}: forward`, await s.read(yb, 3, ny), e.y, FORWARD_RTOL);
          avgPool2dBackward(device, p, c.kind === "avg", dyb, 1, dxb, 4, s.workspace);
        }
        assertNear(`${name}: backward (dx accumulated)`, minus(await s.read(dxb, 4, n), dx0), e.dx, GRADIENT_RTOL);
      });
    },
  };
}

/** Fixed pooling cases: the course's and AlexNet's overlapping windows, ceil mode, padding rules, ties. */
function fixedPoolSpecs(): PoolCaseSpec[] {
  return [
    { kind: "max", input: [2, 3, 13, 13], options: { kernelSize: 3, stride: 2 }, seed: 201 },
    { kind: "max", input: [1, 2, 5, 5], options: { kernelSize: 2, stride: 1 }, seed: 202 },
    { kind: "max", input: [1, 2, 6, 6], options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, seed: 203 },
    { kind: "max", input: [1, 1, 7, 6], options: { kernelSize: [3, 2], stride: [2, 3], dilation: [2, 1], padding: [2, 1] }, seed: 204 },
    { kind: "max", input: [1, 2, 4, 5], options: { kernelSize: 2, stride: 1 }, seed: 205, ties: true },
    { kind: "max", input: [1, 2, 5, 5], options: { kernelSize: 3, stride: 2, padding: 1 }, seed: 206, ties: true },
    { kind: "max", input: [2, 1, 6, 5], options: { kernelSize: 3, stride: 2, padding: "same" }, seed: 207 },
    { kind: "avg", input: [1, 2, 5, 5], options: { kernelSize: 2, ceilMode: true }, seed: 208 },
    { kind: "avg", input: [1, 2, 6, 7], options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, seed: 209 },
    { kind: "avgExcludePad", input: [1, 2, 6, 7], options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, seed: 210 },
    { kind: "avg", input: [2, 3, 13, 13], options: { kernelSize: 3, stride: 2 }, seed: 211 },
    { kind: "avgExcludePad", input: [1, 1, 8, 8], options: { kernelSize: 3, stride: 2, padding: "same" }, seed: 212 },
    { kind: "avg", input: [1, 1, 7, 7], options: { kernelSize: [3, 1], stride: [1, 2], padding: [1, 0] }, seed: 213 },
  ];
}

/**
 * A seeded random sweep of max and average poolings (windows 1…4, strides 1…3, padding up to half
 * the window, dilation for max, ceil mode, both divisor rules).
 *
 * @example
 * ```ts
 * import { poolSweep } from "@tessera/conv/testing";
 * poolSweep(6, 1).length; // 6
 * ```
 */
export function poolSweep(count: number, seed: number): PoolCaseSpec[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.integers(0, xs.length)];
  const out: PoolCaseSpec[] = [];
  while (out.length < count) {
    const kind = pick(["max", "avg", "avgExcludePad"] as const);
    const kernel: [number, number] = [rng.integers(1, 5), rng.integers(1, 5)];
    const dilation: [number, number] = kind === "max" ? [pick([1, 1, 2]), pick([1, 1, 2])] : [1, 1];
    const half = kernel.map((k, d) => Math.floor((dilation[d] * (k - 1) + 1) / 2));
    const padding = pick<Padding2d>([0, [rng.integers(0, half[0] + 1), rng.integers(0, half[1] + 1)], "same"]);
    const stride: [number, number] = [rng.integers(1, 4), rng.integers(1, 4)];
    const input: [number, number, number, number] = [pick([1, 2]), pick([1, 2, 3]), rng.integers(1, 10), rng.integers(1, 10)];
    const spec = windowSpec(kernel, stride, dilation, padding);
    const [pt, pb, pl, pr] = explicitPadding(spec, input[2], input[3]);
    const extent = [0, 1].map((d) => dilation[d] * (kernel[d] - 1) + 1);
    if (extent[0] > input[2] + pt + pb || extent[1] > input[3] + pl + pr) continue;
    out.push({ kind, input, options: { kernelSize: kernel, stride, dilation, padding, ceilMode: rng.uniform() < 0.5 }, seed: seed * 1000 + out.length });
  }
  return out;
}

/**
 * One adaptive average pooling of the battery.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { adaptiveCase } from "@tessera/conv/testing";
 * await adaptiveCase([1, 2, 5, 5], [3, 3], 9).run(jsDevice);
 * ```
 */
export function adaptiveCase(input: readonly [number, number, number, number], out: readonly [number, number], seed: number): ConformanceCase {
  const name = `adaptiveAvgPool2d x[${input.join(",")}] → ${out.join("×")} #${seed}`;
  const x = seededData(size(input), seed);
  const expected = lazy(() => {
    const y = referenceAdaptiveAvgPool2d(input, out[0], out[1], x);
    const dy = seededData(y.length, seed + 1);
    return { y, dy, dx: numericGradient((v) => referenceAdaptiveAvgPool2d(input, out[0], out[1], v), x, dy, FD_STEP) };
  });
  return {
    group: "adaptiveAvgPool2d",
    name,
    async run(device) {
      const e = expected();
      const a = adaptiveAvgPool2dGeometry(input, out);
      await withScratch(device, async (s) => {
        const yb = s.place(new Float32Array(e.y.length).fill(Number.NaN), 1);
        adaptiveAvgPool2dForward(device, a, s.place(x, 2), 2, yb, 1, s.workspace);
        assertNear(`${name}: forward`, await s.read(yb, 1, e.y.length), e.y, FORWARD_RTOL);
        const dx0 = seededData(x.length, seed + 2, -0.5, 0.5);
        const dxb = s.place(dx0, 3);
        adaptiveAvgPool2dBackward(device, a, s.place(e.dy, 4), 4, dxb, 3, s.workspace);
        assertNear(`${name}: backward (dx accumulated)`, minus(await s.read(dxb, 3, x.length), dx0), e.dx, GRADIENT_RTOL);
      });
    },
  };
}

/**
 * The pooling cases: fixed, a seeded sweep, and adaptive pooling (tiling, non-tiling, upsampling,
 * global).
 *
 * @example
 * ```ts
 * import { poolCases } from "@tessera/conv/testing";
 * poolCases({ count: 4 }).map((c) => c.group);
 * ```
 */
export function poolCases(o: { readonly count?: number; readonly seed?: number } = {}): ConformanceCase[] {
  const adaptive: [[number, number, number, number], [number, number]][] = [
    [[2, 3, 5, 5], [3, 3]], [[1, 2, 6, 4], [4, 3]], [[1, 2, 3, 3], [5, 4]], [[2, 3, 7, 7], [1, 1]], [[1, 2, 8, 6], [4, 3]], [[1, 1, 7, 7], [7, 7]],
  ];
  return [
    ...[...fixedPoolSpecs(), ...poolSweep(o.count ?? 30, o.seed ?? 11)].map(poolCase),
    ...adaptive.map(([input, out], i) => adaptiveCase(input, out, 300 + i)),
  ];
}
