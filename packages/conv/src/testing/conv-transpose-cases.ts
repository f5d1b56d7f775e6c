/**
 * Transposed-convolution cases of the battery: forward against a float64 scatter-loop reference
 * (written independently of the adjoint-convolution lowering), backward data / filter / bias
 * against float64 central differences of it, over fixed edge cases (output padding beyond the
 * padding, a kernel that reaches nothing, N = 0, groups, dilation, asymmetric padding) and a seeded sweep.
 */
import type { ConformanceCase } from "@tessera/blas/testing";
import { Rng } from "@tessera/ndarray";
import {
  convTranspose2dBackwardBias, convTranspose2dBackwardData, convTranspose2dBackwardFilter, convTranspose2dForward,
} from "../conv-transpose.js";
import { convTranspose2dGeometry, type ConvTranspose2dOptions } from "../conv-transpose-geometry.js";
import { assertEqual, assertNear, FD_STEP, FORWARD_RTOL, GRADIENT_RTOL, numericGradient } from "./check.js";
import { lazy, minus, seededData, withScratch } from "./data.js";
import type { ReferenceResult } from "./reference.js";

/**
 * Explicit settings of the reference transposed convolution.
 *
 * @example
 * ```ts
 * import type { TransposeSpec } from "@tessera/conv/testing";
 * const s: TransposeSpec = { stride: [2, 2], padding: [1, 1, 1, 1], outputPadding: [1, 1], dilation: [1, 1], groups: 1 };
 * ```
 */
export interface TransposeSpec {
  /** `[sh, sw]`. */ readonly stride: readonly [number, number];
  /** `[top, bottom, left, right]`. */ readonly padding: readonly [number, number, number, number];
  /** `[oph, opw]`: extra rows at the bottom and columns at the right. */ readonly outputPadding: readonly [number, number];
  /** `[dh, dw]`. */ readonly dilation: readonly [number, number];
  /** Channel groups. */ readonly groups: number;
}

/**
 * Direct transposed convolution in float64, as a scatter: every input cell adds `x · w` to the
 * output cells its kernel taps land on, `o = i·S − P_before + k·D`, when `0 ≤ o < O`.
 *
 * @param shape - `[N, C, H, W]`.
 * @param weightShape - `[C, OC / groups, KH, KW]`.
 * @returns y `[N, OC, OH, OW]` and its sizes.
 *
 * @example
 * ```ts
 * import { referenceConvTranspose2d } from "@tessera/conv/testing";
 * const s = { stride: [2, 2], padding: [0, 0, 0, 0], outputPadding: [0, 0], dilation: [1, 1], groups: 1 } as const;
 * referenceConvTranspose2d([1, 1, 1, 2], [1, 1, 1, 1], s, [3, 4], [2], null).y; // Float64Array [6, 0, 8]
 * ```
 */
export function referenceConvTranspose2d(
  shape: readonly number[], weightShape: readonly number[], s: TransposeSpec,
  x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null,
): ReferenceResult {
  const [N, C, H, W] = shape;
  const [, OCg, KH, KW] = weightShape;
  const [pt, pb, pl, pr] = s.padding;
  const OH = (H - 1) * s.stride[0] - pt - pb + s.dilation[0] * (KH - 1) + s.outputPadding[0] + 1;
  const OW = (W - 1) * s.stride[1] - pl - pr + s.dilation[1] * (KW - 1) + s.outputPadding[1] + 1;
  const OC = OCg * s.groups;
  const Cg = C / s.groups;
  const y = new Float64Array(N * OC * OH * OW);
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < OC; oc++) {
      for (let p = 0; p < OH * OW; p++) y[(n * OC + oc) * OH * OW + p] = bias ? bias[oc] : 0;
    }
    for (let c = 0; c < C; c++) {
      const g = Math.floor(c / Cg);
      for (let ih = 0; ih < H; ih++) {
        for (let iw = 0; iw < W; iw++) {
          const v = x[((n * C + c) * H + ih) * W + iw];
          for (let j = 0; j < OCg; j++) {
            const oc = g * OCg + j;
            for (let kh = 0; kh < KH; kh++) {
              const oh = ih * s.stride[0] - pt + kh * s.dilation[0];
              if (oh < 0 || oh >= OH) continue;
              for (let kw = 0; kw < KW; kw++) {
                const ow = iw * s.stride[1] - pl + kw * s.dilation[1];
                if (ow < 0 || ow >= OW) continue;
                y[((n * OC + oc) * OH + oh) * OW + ow] += v * w[((c * OCg + j) * KH + kh) * KW + kw];
              }
            }
          }
        }
      }
    }
  }
  return { y, OH, OW };
}

/**
 * One transposed convolution of the battery.
 *
 * @example
 * ```ts
 * import type { ConvTransposeCaseSpec } from "@tessera/conv/testing";
 * const c: ConvTransposeCaseSpec = { input: [2, 4, 3, 3], OC: 2, kernel: [3, 3], options: { stride: 2, padding: 1, outputPadding: 1 }, bias: true, seed: 1 };
 * ```
 */
export interface ConvTransposeCaseSpec {
  /** `[N, C, H, W]`. */ readonly input: readonly [number, number, number, number];
  /** Output channels (all groups). */ readonly OC: number;
  /** `[KH, KW]`. */ readonly kernel: readonly [number, number];
  /** Options as a user passes them. */ readonly options: ConvTranspose2dOptions;
  /** Whether the case has a bias. */ readonly bias: boolean;
  /** Data seed. */ readonly seed: number;
}

const pair = (v: number | readonly number[] | undefined, dflt: number): [number, number] => (v === undefined ? [dflt, dflt] : typeof v === "number" ? [v, v] : [v[0], v[1]]);

/**
 * The reference's reading of a user's options: every default and shorthand made explicit.
 *
 * @example
 * ```ts
 * import { transposeSpec } from "@tessera/conv/testing";
 * transposeSpec({ stride: 2, padding: [1, 0] }).padding; // [1, 1, 0, 0]
 * ```
 */
export function transposeSpec(o: ConvTranspose2dOptions): TransposeSpec {
  const p = o.padding ?? 0;
  const padding: [number, number, number, number] = typeof p === "number" ? [p, p, p, p] : p.length === 2 ? [p[0], p[0], p[1], p[1]] : [p[0], p[1], p[2], p[3]];
  return { stride: pair(o.stride, 1), padding, outputPadding: pair(o.outputPadding, 0), dilation: pair(o.dilation, 1), groups: o.groups ?? 1 };
}

function describeTranspose(c: ConvTransposeCaseSpec): string {
  const s = transposeSpec(c.options);
  const o = c.options;
  return `convTranspose2d x[${c.input.join(",")}] OC=${c.OC} k${c.kernel.join("×")} s${s.stride.join(",")} pad ${s.padding.join(",")} op${s.outputPadding.join(",")} ` +
    `d${s.dilation.join(",")} g${s.groups}${c.bias ? " bias" : ""}${o.imagesPerGemm ? ` imagesPerGemm=${o.imagesPerGemm}` : ""}${o.algorithm ? ` ${o.algorithm}` : ""} #${c.seed}`;
}

/**
 * A battery case from a spec: forward, backward data, filter and bias, every buffer at an offset
 * inside a larger one, the gradients accumulated onto non-zero initial values.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { convTransposeCase } from "@tessera/conv/testing";
 * await convTransposeCase({ input: [1, 2, 3, 3], OC: 3, kernel: [3, 3], options: { stride: 2 }, bias: true, seed: 7 }).run(jsDevice);
 * ```
 */
export function convTransposeCase(c: ConvTransposeCaseSpec): ConformanceCase {
  const name = describeTranspose(c);
  const [N, C, H, W] = c.input;
  const spec = transposeSpec(c.options);
  const weightShape = [C, c.OC / spec.groups, c.kernel[0], c.kernel[1]];
  const x = seededData(N * C * H * W, c.seed);
  const w = seededData(weightShape.reduce((a, b) => a * b, 1), c.seed + 1);
  const bias = c.bias ? seededData(c.OC, c.seed + 2) : null;
  const fwd = (xs: ArrayLike<number>, ws: ArrayLike<number>, bs: ArrayLike<number> | null) => referenceConvTranspose2d(c.input, weightShape, spec, xs, ws, bs).y;
  const expected = lazy(() => referenceConvTranspose2d(c.input, weightShape, spec, x, w, bias));
  const gradients = lazy(() => {
    const dy = seededData(expected().y.length, c.seed + 3);
    return {
      dy,
      dx: numericGradient((v) => fwd(v, w, bias), x, dy, FD_STEP),
      dw: numericGradient((v) => fwd(x, v, bias), w, dy, FD_STEP),
      db: numericGradient((v) => fwd(x, w, v), bias ?? seededData(c.OC, 0), dy, FD_STEP),
    };
  });
  return {
    group: "convTranspose2d",
    name,
    async run(device) {
      const e = expected();
      const g = convTranspose2dGeometry(c.input, weightShape, c.options);
      assertEqual(`${name}: output shape`, g.outputShape, [N, c.OC, e.OH, e.OW]);
      const ny = e.y.length;
      await withScratch(device, async (s) => {
        const xb = s.place(x, 3);
        const wb = s.place(w, 1);
        const bb = bias ? s.place(bias, 2) : null;
        const yb = s.place(new Float32Array(ny).fill(Number.NaN), 4);
        convTranspose2dForward(device, g, xb, 3, wb, 1, bb, 2, yb, 4, s.workspace);
        assertNear(`${name}: forward`, await s.read(yb, 4, ny), e.y, FORWARD_RTOL);
        const allocations = s.workspace.allocations();
        convTranspose2dForward(device, g, xb, 3, wb, 1, bb, 2, yb, 4, s.workspace);
        if (s.workspace.allocations() !== allocations) throw new Error(`${name}: a second forward reallocated the workspace`);
        assertNear(`${name}: second forward`, await s.read(yb, 4, ny), e.y, FORWARD_RTOL);
        const d = gradients();

        const dyb = s.place(d.dy, 5);
        const dx0 = seededData(x.length, c.seed + 4, -0.5, 0.5);
        const dxb = s.place(dx0, 2);
        convTranspose2dBackwardData(device, g, wb, 1, dyb, 5, dxb, 2, s.workspace);
        assertNear(`${name}: backward data (dx accumulated onto initial values)`, minus(await s.read(dxb, 2, x.length), dx0), d.dx, GRADIENT_RTOL);

        const dw0 = seededData(w.length, c.seed + 5, -0.5, 0.5);
        const dwb = s.place(dw0, 3);
        convTranspose2dBackwardFilter(device, g, xb, 3, dyb, 5, dwb, 3, s.workspace);
        assertNear(`${name}: backward filter (dw accumulated)`, minus(await s.read(dwb, 3, w.length), dw0), d.dw, GRADIENT_RTOL);

        const db0 = seededData(c.OC, c.seed + 6, -0.5, 0.5);
        const dbb = s.place(db0, 1);
        convTranspose2dBackwardBias(device, g, dyb, 5, dbb, 1, s.workspace);
        assertNear(`${name}: backward bias (db accumulated)`, minus(await s.read(dbb, 1, c.OC), db0), d.db, GRADIENT_RTOL);
      });
    },
  };
}

/** Fixed edge cases. */
function fixedTransposeSpecs(): ConvTransposeCaseSpec[] {
  return [
    // stride 1, plain; DCGAN's 4×4 stride-2 pad-1 upsampling; the 3×3 s2 p1 op1 "same ×2" block.
    { input: [2, 3, 4, 5], OC: 2, kernel: [3, 3], options: {}, bias: true, seed: 201 },
    { input: [2, 4, 3, 3], OC: 3, kernel: [4, 4], options: { stride: 2, padding: 1 }, bias: false, seed: 202 },
    { input: [3, 2, 3, 4], OC: 4, kernel: [3, 3], options: { stride: 2, padding: 1, outputPadding: 1 }, bias: true, seed: 203 },
    // stride 3 with output padding 2 beyond the padding 0: the last two rows and columns hold only the bias.
    { input: [1, 2, 3, 2], OC: 3, kernel: [2, 2], options: { stride: 3, outputPadding: 2 }, bias: true, seed: 204 },
    // output padding smaller than the dilation (stride 1), non-square everything.
    { input: [2, 2, 4, 3], OC: 2, kernel: [3, 2], options: { dilation: [2, 3], outputPadding: [1, 2], padding: [1, 0] }, bias: true, seed: 205 },
    // groups, depthwise, asymmetric padding, 1×1 kernels (the direct GEMM path of the adjoint conv).
    { input: [2, 4, 3, 3], OC: 6, kernel: [3, 3], options: { groups: 2, stride: [2, 1], padding: [0, 2, 1, 0] }, bias: true, seed: 206 },
    { input: [2, 3, 4, 4], OC: 3, kernel: [3, 3], options: { groups: 3, stride: 2, padding: 1, outputPadding: 1 }, bias: false, seed: 207 },
    { input: [2, 4, 3, 5], OC: 6, kernel: [1, 1], options: { groups: 2 }, bias: true, seed: 208 },
    { input: [2, 3, 3, 3], OC: 2, kernel: [1, 1], options: { stride: 2, outputPadding: 1 }, bias: true, seed: 209 },
    // padding that removes everything the kernel writes: the output is the bias.
    { input: [1, 2, 1, 1], OC: 2, kernel: [1, 1], options: { stride: 3, padding: 1, outputPadding: 2 }, bias: true, seed: 210 },
    // batched GEMMs and the im2col lowering pinned; an empty batch.
    { input: [3, 4, 3, 4], OC: 5, kernel: [3, 3], options: { stride: 2, padding: 1, imagesPerGemm: 2 }, bias: true, seed: 211 },
    { input: [2, 8, 5, 4], OC: 8, kernel: [3, 3], options: { padding: 1, algorithm: "im2col" }, bias: true, seed: 212 },
    { input: [0, 2, 3, 3], OC: 2, kernel: [3, 3], options: { stride: 2 }, bias: true, seed: 213 },
    // stride-1 'same'-size layers with 8 channels per group: where fused backward-data kernels (wasm) run.
    { input: [1, 8, 5, 6], OC: 8, kernel: [3, 3], options: { padding: 1 }, bias: true, seed: 214 },
  ];
}

/**
 * A seeded random sweep of transposed-convolution geometries: N ∈ 1…3, groups (depthwise
 * included), kernels 1…4, strides 1…3, dilations 1…2, padding, output padding below the stride or
 * the dilation, bias or not, per-image or batched GEMMs. Draws whose output would be empty are redrawn.
 *
 * @example
 * ```ts
 * import { convTransposeSweep } from "@tessera/conv/testing";
 * convTransposeSweep(10, 1).length; // 10
 * ```
 */
export function convTransposeSweep(count: number, seed: number): ConvTransposeCaseSpec[] {
  const rng = new Rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.integers(0, xs.length)];
  const out: ConvTransposeCaseSpec[] = [];
  while (out.length < count) {
    const groups = pick([1, 1, 2, 3]);
    const C = groups * pick([1, 2]);
    const OC = groups * pick([1, 2, 3]);
    const N = pick([1, 2, 3]);
    const H = rng.integers(1, 6);
    const W = rng.integers(1, 6);
    const kernel: [number, number] = [rng.integers(1, 5), rng.integers(1, 5)];
    const stride: [number, number] = [pick([1, 2, 3]), pick([1, 2, 3])];
    const dilation: [number, number] = [pick([1, 1, 2]), pick([1, 1, 2])];
    const outputPadding: [number, number] = [rng.integers(0, Math.max(stride[0], dilation[0])), rng.integers(0, Math.max(stride[1], dilation[1]))];
    const padding = pick<ConvTranspose2dOptions["padding"]>([0, 1, [1, 0], [rng.integers(0, 3), rng.integers(0, 3), rng.integers(0, 3), rng.integers(0, 3)]]);
    const imagesPerGemm = pick([undefined, undefined, 1, N]);
    const options: ConvTranspose2dOptions = { stride, dilation, padding, outputPadding, groups, ...(imagesPerGemm === undefined ? {} : { imagesPerGemm }) };
    const s = transposeSpec(options);
    const OH = (H - 1) * stride[0] - s.padding[0] - s.padding[1] + dilation[0] * (kernel[0] - 1) + outputPadding[0] + 1;
    const OW = (W - 1) * stride[1] - s.padding[2] - s.padding[3] + dilation[1] * (kernel[1] - 1) + outputPadding[1] + 1;
    if (OH < 1 || OW < 1) continue;
    out.push({ input: [N, C, H, W], OC, kernel, options, bias: rng.uniform() < 0.6, seed: seed * 1000 + out.length });
  }
  return out;
}

/**
 * Every transposed-convolution case: the fixed edge cases and a seeded sweep.
 *
 * @example
 * ```ts
 * import { convTranspose2dCases } from "@tessera/conv/testing";
 * convTranspose2dCases().every((c) => c.group === "convTranspose2d"); // true
 * ```
 */
export function convTranspose2dCases(): ConformanceCase[] {
  return [...fixedTransposeSpecs(), ...convTransposeSweep(20, 23)].map(convTransposeCase);
}
