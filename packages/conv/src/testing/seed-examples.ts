/**
 * The course's worked examples (fixtures/seed-examples.json) as battery cases on any device.
 */
import type { Device, DeviceBuffer } from "@tessera/blas";
import type { ConformanceCase } from "@tessera/blas/testing";
import { conv2dBackwardData, conv2dBackwardFilter } from "../conv-backward.js";
import { conv2dForward } from "../conv-forward.js";
import { conv2dGeometry, type Conv2dOptions } from "../conv-geometry.js";
import { maxPool2dForward } from "../pool.js";
import { pool2dGeometry } from "../pool-geometry.js";
import { assertEqual, assertNear, FORWARD_RTOL } from "./check.js";
import { withScratch, type Scratch } from "./data.js";

/**
 * A matrix as nested rows.
 *
 * @example
 * ```ts
 * import type { Grid } from "@tessera/conv/testing";
 * const g: Grid = [[1, 2], [3, 4]];
 * ```
 */
export type Grid = readonly (readonly number[])[];

/**
 * `conv_5x5_by_3x3` of the examples file.
 *
 * @example
 * ```ts
 * import type { ConvExample } from "@tessera/conv/testing";
 * type Image = ConvExample["image"];
 * ```
 */
export interface ConvExample {
  /** The 5×5 image. */ readonly image: Grid;
  /** The 3×3 filter. */ readonly filter: Grid;
  /** The 3×3 'valid' output. */ readonly valid_output: Grid;
  /** The 5×5 output with padding 1 ('same'). */ readonly same_padding_1_output: Grid;
  /** 2×2 stride-1 max pool of the 'same' output. */ readonly maxpool_2x2_stride_1_of_same_output: Grid;
}

/**
 * `conv_backward_exercise` of the examples file.
 *
 * @example
 * ```ts
 * import type { BackwardExample } from "@tessera/conv/testing";
 * type G = BackwardExample["grad_input"];
 * ```
 */
export interface BackwardExample {
  /** The 3×3 input X. */ readonly input: Grid;
  /** The 2×2 filter F. */ readonly filter: Grid;
  /** dL/dO, 2×2. */ readonly grad_output: Grid;
  /** dL/dF, 2×2. */ readonly grad_filter: Grid;
  /** dL/dX, 3×3. */ readonly grad_input: Grid;
}

/**
 * `tf_rgb_exercise` of the examples file (tensors nested [h][w][c]; the batch of one is dropped).
 *
 * @example
 * ```ts
 * import type { TfRgbExample } from "@tessera/conv/testing";
 * type S = TfRgbExample["softmax"];
 * ```
 */
export interface TfRgbExample {
  /** The zero-padded 7×7×3 input, HWC. */ readonly input_nhwc: readonly Grid[];
  /** Two 3×3×3 filters, HWIO. */ readonly filter_hwio: readonly (readonly Grid[])[];
  /** One bias per filter. */ readonly bias: readonly number[];
  /** The stride (2). */ readonly stride: number;
  /** Convolution output, HWC. */ readonly conv_nhwc: readonly Grid[];
  /** After ReLU, HWC. */ readonly relu_nhwc: readonly Grid[];
  /** After the 2×2 stride-1 max pool, HWC. */ readonly maxpool_nhwc: readonly Grid[];
  /** The pooled tensor flattened channel-major. */ readonly flatten_channel_major: readonly number[];
  /** Softmax of the flattened vector. */ readonly softmax: readonly number[];
}

/**
 * The parts of the course's examples file the conv battery uses.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { SeedExamples } from "@tessera/conv/testing";
 * const examples = JSON.parse(readFileSync("fixtures/seed-examples.json", "utf8")) as SeedExamples;
 * ```
 */
export interface SeedExamples {
  /** 5×5 image by a 3×3 filter: valid, same (padding 1), and a 2×2 stride-1 max pool of the same output. */
  readonly conv_5x5_by_3x3: ConvExample;
  /** 3×3 input, 2×2 filter: dL/dF and dL/dX from dL/dO. */
  readonly conv_backward_exercise: BackwardExample;
  /** The TensorFlow RGB exercise: NHWC input, HWIO filter, stride 2, ReLU, 2×2/1 max pool, softmax. */
  readonly tf_rgb_exercise: TfRgbExample;
}

const flat = (g: Grid): number[] => g.flat();

/** HWC (nested [h][w][c]) → CHW flat. */
function hwcToChw(t: readonly Grid[]): number[] {
  const H = t.length, W = t[0].length, C = t[0][0].length;
  const out: number[] = [];
  for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out.push(t[h][w][c]);
  return out;
}

/** HWIO → OIHW flat. */
function hwioToOihw(f: readonly (readonly Grid[])[]): { data: number[]; shape: [number, number, number, number] } {
  const KH = f.length, KW = f[0].length, I = f[0][0].length, O = f[0][0][0].length;
  const data: number[] = [];
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let h = 0; h < KH; h++) for (let w = 0; w < KW; w++) data.push(f[h][w][i][o]);
  return { data, shape: [O, I, KH, KW] };
}

async function forward(device: Device, s: Scratch, input: readonly number[], x: ArrayLike<number>, weight: readonly number[], w: ArrayLike<number>, options: Conv2dOptions, bias: ArrayLike<number> | null = null): Promise<[Float64Array, DeviceBuffer, readonly number[]]> {
  const g = conv2dGeometry(input, weight, options);
  const n = g.N * g.OC * g.OH * g.OW;
  const y = s.place(new Float32Array(n), 0);
  conv2dForward(device, g, s.place(x, 0), 0, s.place(w, 0), 0, bias ? s.place(bias, 0) : null, 0, y, 0, s.workspace);
  return [await s.read(y, 0, n), y, g.outputShape];
}

/**
 * The course's examples as cases: `conv_5x5_by_3x3` (valid, same, overlapping max pool, exact),
 * `conv_backward_exercise` (dL/dF, dL/dX) and `tf_rgb_exercise` (NHWC/HWIO converted to
 * NCHW/OIHW, stride 2, bias, ReLU, 2×2 stride-1 max pool, channel-major flatten, softmax).
 *
 * @param examples - The parsed fixtures file (tests read it with `fs`).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { jsDevice } from "@tessera/blas";
 * import { seedExampleCases } from "@tessera/conv/testing";
 * const cases = seedExampleCases(JSON.parse(readFileSync("fixtures/seed-examples.json", "utf8")));
 * for (const c of cases) await c.run(jsDevice);
 * ```
 */
export function seedExampleCases(examples: SeedExamples): ConformanceCase[] {
  const a = examples.conv_5x5_by_3x3;
  const b = examples.conv_backward_exercise;
  const t = examples.tf_rgb_exercise;
  const group = "seed examples";
  return [
    ...([["valid", "valid", a.valid_output], ["same", "same", a.same_padding_1_output], ["padding 1", 1, a.same_padding_1_output]] as const).map(([label, padding, want]) => ({
      group, name: `conv_5x5_by_3x3 ${label}`,
      run: (device: Device) => withScratch(device, async (s) => {
        const [y] = await forward(device, s, [1, 1, 5, 5], flat(a.image), [1, 1, 3, 3], flat(a.filter), { padding });
        assertEqual(`conv_5x5_by_3x3 ${label}`, y, flat(want));
      }),
    })),
    {
      group, name: "conv_5x5_by_3x3 max pool 2×2 stride 1 (overlapping) of the same output",
      run: (device: Device) => withScratch(device, async (s) => {
        const [, yb] = await forward(device, s, [1, 1, 5, 5], flat(a.image), [1, 1, 3, 3], flat(a.filter), { padding: "same" });
        const p = pool2dGeometry([1, 1, 5, 5], { kernelSize: 2, stride: 1 });
        const out = s.place(new Float32Array(16), 0);
        maxPool2dForward(device, p, yb, 0, out, 0, s.place(new Int32Array(16), 0, "int32"), 0);
        assertEqual("conv_5x5_by_3x3 max pool", await s.read(out, 0, 16), flat(a.maxpool_2x2_stride_1_of_same_output));
      }),
    },
    {
      group, name: "conv_backward_exercise dL/dF and dL/dX",
      run: (device: Device) => withScratch(device, async (s) => {
        const g = conv2dGeometry([1, 1, 3, 3], [1, 1, 2, 2]);
        const dy = s.place(flat(b.grad_output), 0);
        const dw = s.place(new Float32Array(4), 0);
        const dx = s.place(new Float32Array(9), 0);
        conv2dBackwardFilter(device, g, s.place(flat(b.input), 0), 0, dy, 0, dw, 0, s.workspace);
        conv2dBackwardData(device, g, s.place(flat(b.filter), 0), 0, dy, 0, dx, 0, s.workspace);
        assertNear("conv_backward_exercise dL/dF", await s.read(dw, 0, 4), flat(b.grad_filter), FORWARD_RTOL);
        assertNear("conv_backward_exercise dL/dX", await s.read(dx, 0, 9), flat(b.grad_input), FORWARD_RTOL);
      }),
    },
    {
      group, name: "tf_rgb_exercise: NHWC→NCHW, stride 2, bias, ReLU, 2×2/1 max pool, channel-major flatten, softmax",
      run: (device: Device) => withScratch(device, async (s) => {
        const H = t.input_nhwc.length, W = t.input_nhwc[0].length, C = t.input_nhwc[0][0].length;
        const f = hwioToOihw(t.filter_hwio);
        const [y, yb, shape] = await forward(device, s, [1, C, H, W], hwcToChw(t.input_nhwc), f.shape, f.data, { stride: t.stride, padding: "valid" }, t.bias);
        assertEqual("tf_rgb_exercise conv (NCHW)", y, hwcToChw(t.conv_nhwc));
        const n = y.length;
        device.unary("relu", [n], { buffer: yb, offset: 0, strides: [1] }, { buffer: yb, offset: 0, strides: [1] });
        assertEqual("tf_rgb_exercise ReLU", await s.read(yb, 0, n), hwcToChw(t.relu_nhwc));
        const p = pool2dGeometry(shape, { kernelSize: 2, stride: 1 });
        const np = p.N * p.C * p.OH * p.OW;
        const pooled = s.place(new Float32Array(np), 0);
        maxPool2dForward(device, p, yb, 0, pooled, 0, s.place(new Int32Array(np), 0, "int32"), 0);
        const flatCm = await s.read(pooled, 0, np);
        assertEqual("tf_rgb_exercise max pool (NCHW)", flatCm, hwcToChw(t.maxpool_nhwc));
        assertEqual("tf_rgb_exercise channel-major flatten", flatCm, t.flatten_channel_major);
        const sm = s.place(new Float32Array(np), 0);
        device.softmax(1, np, { buffer: pooled, offset: 0, strides: [np, 1] }, { buffer: sm, offset: 0, strides: [np, 1] }, false);
        assertNear("tf_rgb_exercise softmax", await s.read(sm, 0, np), t.softmax, FORWARD_RTOL);
      }),
    },
  ];
}
