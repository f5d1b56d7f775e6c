/**
 * Convolution cases of the battery: forward against the seven-loop float64 reference, backward
 * data / filter / bias against float64 central differences of that reference, over fixed edge
 * cases and a seeded random sweep of geometries (stride, every padding mode, dilation, groups,
 * depthwise, bias, per-image and batched GEMMs, fused forward or im2col, all combined).
 */
import type { ConformanceCase } from "@tessera/blas/testing";
import { Rng } from "@tessera/ndarray";
import { conv2dBackwardBias, conv2dBackwardData, conv2dBackwardFilter } from "../conv-backward.js";
import { conv2dForward } from "../conv-forward.js";
import { conv2dGeometry, type Conv2dOptions } from "../conv-geometry.js";
import type { Padding2d } from "../padding.js";
import { assertEqual, assertNear, FD_STEP, FORWARD_RTOL, GRADIENT_RTOL, numericGradient } from "./check.js";
import { lazy, minus, seededData, withScratch } from "./data.js";
import { explicitPadding, referenceConv2d, type WindowSpec } from "./reference.js";

/**
 * One convolution of the battery.
 *
 * @example
 * ```ts
 * import type { ConvCaseSpec } from "@tessera/conv/testing";
 * const c: ConvCaseSpec = { input: [2, 4, 7, 6], OC: 6, kernel: [3, 2], options: { stride: 2, groups: 2 }, bias: true, seed: 1 };
 * ```
 */
export interface ConvCaseSpec {
  /** `[N, C, H, W]`. */ readonly input: readonly [number, number, number, number];
  /** Output channels. */ readonly OC: number;
  /** `[KH, KW]`. */ readonly kernel: readonly [number, number];
  /** Geometry options as a user passes them. */ readonly options: Conv2dOptions;
  /** Whether the case has a bias. */ readonly bias: boolean;
  /** Data seed. */ readonly seed: number;
  /** Check the forward pass only: for sizes whose finite differences would take minutes. */
  readonly forwardOnly?: boolean;
}

const pair = (v: number | readonly [number, number] | undefined): [number, number] => (v === undefined ? [1, 1] : typeof v === "number" ? [v, v] : [v[0], v[1]]);

/** The reference's reading of the user's options (PyTorch's semantics, TensorFlow's 'same'). @internal */
export function windowSpec(kernel: readonly [number, number], stride: number | readonly [number, number] | undefined, dilation: number | readonly [number, number] | undefined, padding: Padding2d | undefined): WindowSpec {
  const p = padding ?? 0;
  const explicit: [number, number, number, number] | "same" =
    p === "same" ? "same" : p === "valid" ? [0, 0, 0, 0] : typeof p === "number" ? [p, p, p, p] : p.length === 2 ? [p[0], p[0], p[1], p[1]] : [p[0], p[1], p[2], p[3]];
  return { kernel, stride: pair(stride), dilation: pair(dilation), padding: explicit };
}

/** A short unique description of a case. @internal */
export function describeConv(c: ConvCaseSpec): string {
  const o = c.options;
  const s = windowSpec(c.kernel, o.stride, o.dilation, o.padding);
  const pad = typeof o.padding === "string" ? `'${o.padding}'` : JSON.stringify(o.padding ?? 0);
  return `conv2d x[${c.input.join(",")}] OC=${c.OC} k${c.kernel.join("×")} s${s.stride.join(",")} pad ${pad} d${s.dilation.join(",")} ` +
    `g${o.groups ?? 1}${c.bias ? " bias" : ""}${o.imagesPerGemm ? ` imagesPerGemm=${o.imagesPerGemm}` : ""}${o.algorithm ? ` ${o.algorithm}` : ""} #${c.seed}`;
}

/**
 * A battery case from a spec: forward, backward data, filter and bias, with every buffer at an
 * offset inside a larger one and the gradients accumulated onto non-zero initial values.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { convCase } from "@tessera/conv/testing";
 * await convCase({ input: [1, 2, 5, 5], OC: 3, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 7 }).run(jsDevice);
 * ```
 */
export function convCase(c: ConvCaseSpec): ConformanceCase {
  const name = describeConv(c);
  const [N, C, H, W] = c.input;
  const groups = c.options.groups ?? 1;
  const weightShape = [c.OC, C / groups, c.kernel[0], c.kernel[1]];
  const spec = windowSpec(c.kernel, c.options.stride, c.options.dilation, c.options.padding);
  const x = seededData(N * C * H * W, c.seed);
  const w = seededData(weightShape.reduce((a, b) => a * b, 1), c.seed + 1);
  const bias = c.bias ? seededData(c.OC, c.seed + 2) : null;
  const expected = lazy(() => {
    const fwd = (xs: ArrayLike<number>, ws: ArrayLike<number>, bs: ArrayLike<number> | null) => referenceConv2d(c.input, c.OC, groups, spec, xs, ws, bs).y;
    const { y, OH, OW } = referenceConv2d(c.input, c.OC, groups, spec, x, w, bias);
    return { y, OH, OW, fwd };
  });
  const gradients = lazy(() => {
    const { y, fwd } = expected();
    const dy = seededData(y.length, c.seed + 3);
    return {
      dy,
      dx: numericGradient((v) => fwd(v, w, bias), x, dy, FD_STEP),
      dw: numericGradient((v) => fwd(x, v, bias), w, dy, FD_STEP),
      db: numericGradient((v) => fwd(x, w, v), bias ?? seededData(c.OC, 0), dy, FD_STEP),
    };
  });
  return {
    group: "conv2d",
    name,
    async run(device) {
      const e = expected();
      const g = conv2dGeometry(c.input, weightShape, c.options);
      assertEqual(`${name}: output shape`, g.outputShape, [N, c.OC, e.OH, e.OW]);
      const ny = e.y.length;
      await withScratch(device, async (s) => {
        const xb = s.place(x, 3);
        const wb = s.place(w, 1);
        const bb = bias ? s.place(bias, 2) : null;
        const yb = s.place(new Float32Array(ny).fill(Number.NaN), 4);
        conv2dForward(device, g, xb, 3, wb, 1, bb, 2, yb, 4, s.workspace);
        assertNear(`${name}: forward`, await s.read(yb, 4, ny), e.y, FORWARD_RTOL);
        const allocations = s.workspace.allocations();
        conv2dForward(device, g, xb, 3, wb, 1, bb, 2, yb, 4, s.workspace);
        if (s.workspace.allocations() !== allocations) throw new Error(`${name}: a second forward reallocated the workspace`);
        if (c.forwardOnly) return;
        const d = gradients();

        const dyb = s.place(d.dy, 5);
        const dx0 = seededData(x.length, c.seed + 4, -0.5, 0.5);
        const dxb = s.place(dx0, 2);
        conv2dBackwardData(device, g, wb, 1, dyb, 5, dxb, 2, s.workspace);
        assertNear(`${name}: backward data (dx accumulated onto initial values)`, minus(await s.read(dxb, 2, x.length), dx0), d.dx, GRADIENT_RTOL);

        const dw0 = seededData(w.length, c.seed + 5, -0.5, 0.5);
        const dwb = s.place(dw0, 3);
        conv2dBackwardFilter(device, g, xb, 3, dyb, 5, dwb, 3, s.workspace);
        assertNear(`${name}: backward filter (dw accumulated)`, minus(await s.read(dwb, 3, w.length), dw0), d.dw, GRADIENT_RTOL);

        const db0 = seededData(c.OC, c.seed + 6, -0.5, 0.5);
        const dbb = s.place(db0, 1);
        conv2dBackwardBias(device, g, dyb, 5, dbb, 1, s.workspace);
        assertNear(`${name}: backward bias (db accumulated)`, minus(await s.read(dbb, 1, c.OC), db0), d.db, GRADIENT_RTOL);
      });
    },
  };
}

/** Fixed edge cases: the 1×1 direct path, downsampling, depthwise, the course's big strides, 'same' asymmetry, stride with dilation, OH = 1. */
function fixedConvSpecs(): ConvCaseSpec[] {
  return [
    { input: [2, 4, 5, 6], OC: 6, kernel: [1, 1], options: {}, bias: true, seed: 101 },
    { input: [3, 4, 5, 6], OC: 6, kernel: [1, 1], options: { groups: 2, imagesPerGemm: 2 }, bias: true, seed: 102 },
    { input: [2, 3, 7, 7], OC: 4, kernel: [1, 1], options: { stride: 2 }, bias: false, seed: 103 },
    { input: [2, 4, 6, 5], OC: 8, kernel: [3, 3], options: { padding: 1, groups: 4 }, bias: true, seed: 104 },
    { input: [2, 4, 6, 5], OC: 4, kernel: [3, 3], options: { padding: 1, groups: 4, imagesPerGemm: 2 }, bias: true, seed: 105 },
    { input: [1, 3, 19, 19], OC: 4, kernel: [11, 11], options: { stride: 4 }, bias: true, seed: 106 },
    { input: [2, 2, 8, 8], OC: 3, kernel: [3, 3], options: { stride: 2, padding: "same" }, bias: false, seed: 107 },
    { input: [2, 2, 9, 8], OC: 3, kernel: [3, 2], options: { stride: 2, dilation: 2, padding: 1 }, bias: true, seed: 108 },
    { input: [2, 2, 5, 4], OC: 2, kernel: [5, 4], options: {}, bias: true, seed: 109 },
    { input: [1, 1, 5, 5], OC: 1, kernel: [3, 3], options: { padding: [0, 2, 1, 0] }, bias: false, seed: 110 },
    { input: [3, 2, 4, 4], OC: 2, kernel: [2, 2], options: { stride: [1, 2], padding: "valid", imagesPerGemm: 3 }, bias: true, seed: 111 },
    { input: [0, 2, 4, 4], OC: 2, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 112 },
    // Sizes for fused forward kernels (the wasm implicit GEMM): LeNet-5's layers (full 4-pixel
    // tiles, 6 and 16 channels), ragged tiles and channel panels, one image cut into pixel chunks
    // with padded row windows, and a K long enough to split the output channels into blocks.
    { input: [3, 6, 14, 14], OC: 16, kernel: [5, 5], options: {}, bias: true, seed: 113, forwardOnly: true },
    { input: [5, 1, 28, 28], OC: 6, kernel: [5, 5], options: { padding: 2 }, bias: true, seed: 114, forwardOnly: true },
    { input: [2, 3, 7, 9], OC: 21, kernel: [3, 3], options: { padding: 1, groups: 1 }, bias: false, seed: 115 },
    { input: [1, 3, 20, 20], OC: 9, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 116 },
    { input: [1, 2, 30, 27], OC: 5, kernel: [3, 3], options: { stride: 2, dilation: 2, padding: 3 }, bias: true, seed: 117 },
    { input: [2, 512, 3, 3], OC: 17, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 118, forwardOnly: true },
    { input: [3, 6, 14, 14], OC: 16, kernel: [5, 5], options: { algorithm: "im2col" }, bias: true, seed: 119, forwardOnly: true },
    // 'same'-size layers with 8 channels per group: where fused backward-data kernels (wasm) run.
    { input: [2, 8, 6, 7], OC: 5, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 120 },
    { input: [1, 16, 7, 6], OC: 6, kernel: [3, 3], options: { padding: "same", dilation: 2, groups: 2 }, bias: false, seed: 121 },
    // Where 'auto' picks Winograd on the wasm device (≥ 16 channels; ≥ 49 output pixels per
    // channel over the batch): ragged tiles, and 'direct' on
    // the same layer. Forward only: the finite-difference reference gradients of layers this size
    // take minutes (backward-data by Winograd is checked by @tessera/blas/testing's winogradCases
    // and the gradcheck of conv2d).
    { input: [1, 32, 15, 14], OC: 33, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 122, forwardOnly: true },
    { input: [2, 40, 10, 11], OC: 32, kernel: [3, 3], options: { padding: [0, 2, 1, 1] }, bias: false, seed: 123, forwardOnly: true },
    { input: [1, 16, 56, 57], OC: 17, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 124, forwardOnly: true },
    { input: [1, 32, 15, 14], OC: 33, kernel: [3, 3], options: { padding: 1, algorithm: "direct" }, bias: true, seed: 122, forwardOnly: true },
  ];
}

/**
 * A seeded random sweep of convolution geometries: N ∈ 1…3, groups (including depthwise),
 * 1…4 kernels, strides 1…3, dilations 1…3, every padding mode, bias or not, per-image or batched
 * GEMMs, the device's fused forward or im2col. Draws whose kernel exceeds the padded input are redrawn.
 *
 * @example
 * ```ts
 * import { convSweep } from "@tessera/conv/testing";
 * convSweep(10, 1).length; // 10
 * ```
 */
export function convSweep(count: number, seed: number): ConvCaseSpec[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.integers(0, xs.length)];
  const out: ConvCaseSpec[] = [];
  while (out.length < count) {
    const depthwise = rng.uniform() < 0.2;
    const groups = depthwise ? pick([2, 3, 4]) : pick([1, 1, 2, 3]);
    const Cg = depthwise ? 1 : pick([1, 2, 3]);
    const OCg = pick([1, 2, 3, 9]);
    const N = pick([1, 2, 3]);
    const H = rng.integers(1, 10);
    const W = rng.integers(1, 10);
    const kernel: [number, number] = [rng.integers(1, 5), rng.integers(1, 5)];
    const stride = pick<number | [number, number]>([1, 1, 2, 3, [1, 2], [2, 1], [3, 2]]);
    const dilation = pick<number | [number, number]>([1, 1, 1, 2, [1, 2], [3, 1]]);
    const padding = pick<Padding2d>([0, 1, 2, [1, 0], [0, 2], [rng.integers(0, 3), rng.integers(0, 3), rng.integers(0, 3), rng.integers(0, 3)], "valid", "same", "same"]);
    const imagesPerGemm = pick([undefined, undefined, 1, 2, N]);
    const algorithm = pick<Conv2dOptions["algorithm"]>([undefined, undefined, "auto", "im2col"]);
    const options: Conv2dOptions = {
      stride, dilation, padding, groups, ...(imagesPerGemm === undefined ? {} : { imagesPerGemm }), ...(algorithm === undefined ? {} : { algorithm }),
    };
    const spec = windowSpec(kernel, stride, dilation, padding);
    const [pt, pb, pl, pr] = explicitPadding(spec, H, W);
    const fits = spec.dilation[0] * (kernel[0] - 1) + 1 <= H + pt + pb && spec.dilation[1] * (kernel[1] - 1) + 1 <= W + pl + pr;
    if (!fits) continue;
    out.push({ input: [N, groups * Cg, H, W], OC: groups * OCg, kernel, options, bias: rng.uniform() < 0.6, seed: seed * 1000 + out.length });
  }
  return out;
}

/**
 * The convolution cases: fixed edge cases plus a seeded sweep.
 *
 * @example
 * ```ts
 * import { conv2dCases } from "@tessera/conv/testing";
 * conv2dCases({ count: 5 }).length;
 * ```
 */
export function conv2dCases(o: { readonly count?: number; readonly seed?: number } = {}): ConformanceCase[] {
  return [...fixedConvSpecs(), ...convSweep(o.count ?? 40, o.seed ?? 7)].map(convCase);
}
