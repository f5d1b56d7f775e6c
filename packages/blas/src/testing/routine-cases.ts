import type { DeviceBuffer, HostArray, View } from "../device/buffer.js";
import { applyConvEpilogue, type ConvEpilogue } from "../device/conv-epilogue.js";
import type { Device } from "../device/device.js";
import type { Conv2dGeometry, Pool2dGeometry } from "../device/geometry.js";
import { JsDevice } from "../device/js/js-device.js";
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS, type UnaryOp } from "../device/ops.js";
import { outputSize } from "../device/validate-geometry.js";
import type { ConformanceCase } from "./case.js";
import { testData, withBuffers } from "./data.js";
import { assertClose } from "./tolerance.js";

const reference = new JsDevice({ reference: true });

/** A routine run identically on the reference device and the device under test. */
interface RoutineSpec {
  group: string;
  name: string;
  /** Host data of every buffer (inputs and outputs). */
  buffers: (HostArray)[];
  /** Indices of the buffers compared after the call. */
  compare: number[];
  exec(device: Device, b: DeviceBuffer[]): void;
  rtol?: number;
  atol?: number;
}

function routineCase(s: RoutineSpec): ConformanceCase {
  const runOn = async (device: Device) => {
    const results: (HostArray)[] = [];
    await withBuffers(device, async (t) => {
      const bufs = s.buffers.map((d) => t.up(d));
      s.exec(device, bufs);
      for (const i of s.compare) results.push(await t.read(bufs[i]));
    });
    return results;
  };
  return {
    group: s.group,
    name: s.name,
    async run(device: Device) {
      const expected = await runOn(reference);
      const got = await runOn(device);
      got.forEach((g, i) => assertClose(`${s.name} (buffer ${s.compare[i]})`, g, expected[i], s.rtol, s.atol));
    },
  };
}

const view = (buffer: DeviceBuffer, strides: number[], offset = 0): View => ({ buffer, strides, offset });

/** Positive data for ops with a restricted domain. */
function domain(op: string, data: Float32Array): Float32Array {
  return op === "log" || op === "sqrt" || op === "rsqrt" || op === "pow" ? data.map((v) => Math.abs(v) + 0.1) : data.map((v) => 3 * v);
}

function elementwiseCases(): RoutineSpec[] {
  const out: RoutineSpec[] = [];
  const params: Partial<Record<UnaryOp, [number, number]>> = { leakyRelu: [0.1, 0], pow: [1.7, 0], affine: [-2, 0.5], clamp: [-0.5, 0.7], inRange: [-0.5, 0.7] };
  for (const op of UNARY_OPS) {
    const [p0, p1] = params[op] ?? [0, 0];
    // x: a permuted (transposed) view of a 5×4×3 buffer seen as 3×4×5; y: padded strides with an offset.
    out.push({
      group: "elementwise", name: `unary ${op} permuted→padded [3,4,5]`,
      buffers: [domain(op, testData(60, 11)), testData(3 * 4 * 6 + 7, 12)], compare: [1],
      exec: (d, [x, y]) => d.unary(op, [3, 4, 5], view(x, [1, 3, 12]), view(y, [24, 6, 1], 7), p0, p1),
    });
    out.push({
      group: "elementwise", name: `unary ${op} x broadcast along rows [4,7] (a per-row value)`,
      buffers: [domain(op, testData(4, 15)), testData(28, 16)], compare: [1],
      exec: (d, [x, y]) => d.unary(op, [4, 7], view(x, [1, 0]), view(y, [7, 1]), p0, p1),
    });
    out.push({
      group: "elementwise", name: `unary ${op} broadcast x [4,6], in place`,
      buffers: [domain(op, testData(6, 13)), testData(24, 14)], compare: [1],
      exec: (d, [x, y]) => d.unary(op, [4, 6], view(x, [0, 1]), view(y, [6, 1]), p0, p1),
    });
  }
  for (const op of BINARY_OPS) {
    // eq compares quantised data so that both outcomes occur.
    const q = (d: Float32Array) => (op === "eq" ? d.map((v) => Math.round(2 * v)) : d);
    const a = op === "pow" ? testData(120, 21).map((v) => Math.abs(v) + 0.1) : q(testData(120, 21));
    out.push({
      group: "elementwise", name: `binary ${op} [4,5,6] with b broadcast [1,5,1]`,
      buffers: [a, q(testData(5, 22)), testData(120, 23)], compare: [2],
      exec: (d, [x, y, z]) => d.binary(op, [4, 5, 6], view(x, [30, 6, 1]), view(y, [0, 1, 0]), view(z, [30, 6, 1]), 0.2),
    });
    out.push({
      group: "elementwise", name: `binary ${op} negative-stride a, out aliasing b`,
      buffers: [a, q(testData(30, 24))], compare: [1],
      exec: (d, [x, y]) => d.binary(op, [5, 6], view(x, [-6, -1], 29), view(y, [6, 1]), view(y, [6, 1]), 0.2),
    });
  }
  out.push({
    group: "elementwise", name: "fill a transposed view",
    buffers: [testData(20, 25)], compare: [0],
    exec: (d, [y]) => d.fill([4, 3], -2.5, view(y, [1, 5], 1)),
  });
  return out;
}

function reduceCases(): RoutineSpec[] {
  const out: RoutineSpec[] = [];
  const x = testData(3 * 4 * 5, 31);
  x[7] = x[9] = 5; // a tie for argmax
  for (const op of REDUCE_OPS) {
    for (const k of [0, 1, 2, 3]) {
      out.push({
        group: "reduce", name: `reduce ${op} of permuted [4,3,5] over last ${k}`,
        buffers: [x, testData(64, 32)], compare: [1],
        exec: (d, [xb, yb]) => {
          const keptStrides = [[], [1], [5, 1], [15, 5, 1]][3 - k];
          d.reduce(op, [4, 3, 5], k, view(xb, [5, 20, 1]), view(yb, keptStrides, 2));
        },
        rtol: 1e-5,
      });
    }
  }
  for (const k of [1, 2, 3]) {
    const keptStrides = [[], [1], [4, 1]][3 - k];
    out.push({
      group: "reduce", name: `argmax of [3,4,5] over last ${k} (ties → first)`,
      buffers: [x, new Int32Array(30)], compare: [1],
      exec: (d, [xb, yb]) => d.argmax([3, 4, 5], k, view(xb, [20, 5, 1]), view(yb, keptStrides)),
    });
  }
  for (const log of [false, true]) {
    out.push({
      group: "reduce", name: `${log ? "log-" : ""}softmax of 7×10 transposed rows`,
      buffers: [testData(70, 33).map((v) => 20 * v), testData(70, 34)], compare: [1],
      exec: (d, [xb, yb]) => d.softmax(7, 10, view(xb, [1, 7]), view(yb, [10, 1]), log),
    });
  }
  return out;
}

/** Conv geometry with the output size computed by the course's formula. */
function conv(C: number, H: number, W: number, KH: number, KW: number, s: [number, number], p: [number, number, number, number], d: [number, number]): Conv2dGeometry {
  return {
    C, H, W, KH, KW, strideH: s[0], strideW: s[1], padTop: p[0], padBottom: p[1], padLeft: p[2], padRight: p[3], dilationH: d[0], dilationW: d[1],
    OH: outputSize(H, KH, s[0], p[0], p[1], d[0]), OW: outputSize(W, KW, s[1], p[2], p[3], d[1]),
  };
}

/**
 * The device's fused convForward when it takes the geometry, else the same product lowered per
 * image (im2col + sgemm + bias): x at offset 2, w at 1, bias at 3, y at 1 with image stride yStride.
 */
function convForwardOrLowered(d: Device, g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, imageStride: number,
  w: DeviceBuffer, bias: DeviceBuffer | null, y: DeviceBuffer, yStride: number, col: DeviceBuffer, epilogue?: ConvEpilogue): void {
  if (d.convForward?.(g, N, OC, x, 2, imageStride, w, 1, bias, 3, y, 1, yStride, epilogue)) return;
  const K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  for (let n = 0; n < N; n++) {
    d.im2col(g, 1, x, 2 + n * imageStride, imageStride, col, 0, P);
    d.sgemm("no-transpose", "no-transpose", OC, P, K, 1, w, K, 1, 1, col, P, 1, 0, 0, y, P, 1, 1 + n * yStride);
    if (bias !== null) {
      const yv: View = { buffer: y, offset: 1 + n * yStride, strides: [P, 1] };
      d.binary("add", [OC, P], yv, { buffer: bias, offset: 3, strides: [1, 0] }, yv);
    }
  }
  if (epilogue) applyConvEpilogue(d, N, OC, P, y, 1, yStride, epilogue);
}

/**
 * The device's fused convBackwardFilter when it takes the geometry, else the same sums lowered per
 * image (im2col + sgemm with β = 1): x at offset 2, dy at 3 with image stride yStride, dw at 1.
 */
function convBackwardFilterOrLowered(d: Device, g: Conv2dGeometry, N: number, OC: number, x: DeviceBuffer, imageStride: number,
  dy: DeviceBuffer, yStride: number, dw: DeviceBuffer, col: DeviceBuffer): void {
  if (d.convBackwardFilter?.(g, N, OC, x, 2, imageStride, dy, 3, yStride, dw, 1)) return;
  const K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  for (let n = 0; n < N; n++) {
    d.im2col(g, 1, x, 2 + n * imageStride, imageStride, col, 0, P);
    d.sgemm("no-transpose", "transpose", OC, K, P, 1, dy, P, 1, 3 + n * yStride, col, P, 1, 0, 1, dw, K, 1, 1);
  }
}

/**
 * The device's fused convBackwardData when it takes the geometry, else the same sums lowered per
 * image (sgemm Wᵀ·dy, then col2im): w at offset 1, dy at 3 with image stride yStride, dx at 2.
 */
function convBackwardDataOrLowered(d: Device, g: Conv2dGeometry, N: number, OC: number, w: DeviceBuffer, dy: DeviceBuffer, yStride: number,
  dx: DeviceBuffer, imageStride: number, col: DeviceBuffer): void {
  if (d.convBackwardData?.(g, N, OC, w, 1, dy, 3, yStride, dx, 2, imageStride)) return;
  const K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  for (let n = 0; n < N; n++) {
    d.sgemm("transpose", "no-transpose", K, P, OC, 1, w, K, 1, 1, dy, P, 1, 3 + n * yStride, 0, col, P, 1, 0);
    d.col2im(g, 1, col, 0, P, dx, 2 + n * imageStride, imageStride);
  }
}

function convCases(): RoutineSpec[] {
  const geoms: Conv2dGeometry[] = [
    conv(1, 5, 5, 3, 3, [1, 1], [0, 0, 0, 0], [1, 1]),
    conv(3, 7, 7, 3, 3, [2, 2], [1, 1, 1, 1], [1, 1]),
    conv(2, 8, 6, 3, 2, [2, 1], [0, 1, 1, 0], [2, 1]),
    conv(4, 9, 9, 1, 1, [1, 1], [0, 0, 0, 0], [1, 1]),
    conv(2, 11, 10, 5, 5, [3, 2], [2, 2, 2, 2], [1, 2]),
    // 'same'-size layers with 8 channels (fused backward-data takes these), asymmetric and dilated.
    conv(8, 6, 7, 3, 3, [1, 1], [0, 2, 1, 1], [1, 1]),
    conv(8, 7, 6, 3, 3, [1, 1], [2, 2, 2, 2], [2, 2]),
  ];
  const out: RoutineSpec[] = [];
  for (const g of geoms) {
    const N = 2;
    const K = g.C * g.KH * g.KW;
    const P = g.OH * g.OW;
    const ld = N * P + 3;
    const imageStride = g.C * g.H * g.W + 5;
    const tag = `C=${g.C} ${g.H}×${g.W} k${g.KH}×${g.KW} s${g.strideH},${g.strideW} p${g.padTop},${g.padBottom},${g.padLeft},${g.padRight} d${g.dilationH},${g.dilationW}`;
    out.push({
      group: "conv", name: `im2col ${tag}`,
      buffers: [testData(2 + N * imageStride, 41), testData(1 + K * ld, 42)], compare: [1], rtol: 0, atol: 0,
      exec: (d, [x, col]) => d.im2col(g, N, x, 2, imageStride, col, 1, ld),
    });
    for (const [OC, bias] of [[5, true], [8, false], [19, true]] as const) {
      const yStride = OC * P + 3;
      out.push({
        group: "conv", name: `convForward OC=${OC}${bias ? " bias" : ""} ${tag}`,
        buffers: [testData(2 + N * imageStride, 45), testData(1 + OC * K, 46), testData(3 + OC, 47), testData(1 + N * yStride, 48), new Float32Array(K * P)],
        compare: [3], rtol: 1e-5, atol: 1e-6,
        exec: (d, [x, w, b, y, col]) => convForwardOrLowered(d, g, N, OC, x, imageStride, w, bias ? b : null, y, yStride, col),
      });
    }
    // The epilogue: every part, and the residual block's tail (residual + ReLU) alone; OC 8k + 3 leaves ragged panels.
    for (const [OC, parts] of [[11, "scale shift residual relu"], [8, "residual relu"], [3, "scale relu"]] as const) {
      const yStride = OC * P + 3, rStride = OC * P + 2;
      out.push({
        group: "conv", name: `convForward epilogue (${parts}) OC=${OC} ${tag}`,
        buffers: [testData(2 + N * imageStride, 45), testData(1 + OC * K, 46), testData(3 + OC, 47), testData(1 + N * yStride, 48),
          new Float32Array(K * P), testData(2 + OC, 49), testData(1 + OC, 50), testData(4 + N * rStride, 51)],
        compare: [3], rtol: 1e-5, atol: 1e-6,
        exec: (d, [x, w, b, y, col, scale, shift, r]) => convForwardOrLowered(d, g, N, OC, x, imageStride, w, b, y, yStride, col, {
          ...(parts.includes("scale") ? { scale, offsetScale: 2 } : {}),
          ...(parts.includes("shift") ? { shift, offsetShift: 1 } : {}),
          ...(parts.includes("residual") ? { residual: r, offsetResidual: 4, strideResidualN: rStride } : {}),
          relu: parts.includes("relu"),
        }),
      });
    }
    for (const OC of [3, 8, 13]) {
      const yStride = OC * P + 2;
      out.push({
        group: "conv", name: `convBackwardFilter (accumulating) OC=${OC} ${tag}`,
        buffers: [testData(2 + N * imageStride, 55), testData(3 + N * yStride, 56), testData(1 + OC * K, 57), new Float32Array(K * P)],
        compare: [2], rtol: 1e-5, atol: 1e-5,
        exec: (d, [x, dy, dw, col]) => convBackwardFilterOrLowered(d, g, N, OC, x, imageStride, dy, yStride, dw, col),
      });
    }
    for (const OC of [4, 9]) {
      const yStride = OC * P + 1;
      out.push({
        group: "conv", name: `convBackwardData (accumulating) OC=${OC} ${tag}`,
        buffers: [testData(1 + OC * K, 58), testData(3 + N * yStride, 59), testData(2 + N * imageStride, 60), new Float32Array(K * P)],
        compare: [2], rtol: 1e-5, atol: 1e-5,
        exec: (d, [w, dy, dx, col]) => convBackwardDataOrLowered(d, g, N, OC, w, dy, yStride, dx, imageStride, col),
      });
    }
    out.push({
      group: "conv", name: `col2im (accumulating) ${tag}`,
      buffers: [testData(1 + K * ld, 43), testData(2 + N * imageStride, 44)], compare: [1], rtol: 1e-5,
      exec: (d, [col, x]) => d.col2im(g, N, col, 1, ld, x, 2, imageStride),
    });
  }
  return out;
}

function pool(H: number, W: number, K: number, s: number, p: [number, number], ceilExtra: number, dil = 1): Pool2dGeometry {
  return {
    H, W, KH: K, KW: K, strideH: s, strideW: s, padTop: p[0], padLeft: p[1], padBottom: p[0] + ceilExtra, padRight: p[1] + ceilExtra,
    dilationH: dil, dilationW: dil,
    OH: outputSize(H, K, s, p[0], p[0] + ceilExtra, dil), OW: outputSize(W, K, s, p[1], p[1] + ceilExtra, dil),
  };
}

function poolCases(): RoutineSpec[] {
  // An empty window (KH = 0) is valid geometry: every output is −∞ with argmax −1.
  const empty: Pool2dGeometry = { ...pool(4, 4, 1, 1, [0, 0], 0), KH: 0, OH: 5 };
  const geoms = [empty, pool(4, 4, 2, 2, [0, 0], 0), pool(12, 19, 2, 2, [0, 0], 0), pool(13, 13, 3, 2, [0, 0], 0), pool(7, 6, 3, 2, [1, 1], 1), pool(5, 5, 2, 1, [0, 0], 0), pool(9, 9, 3, 1, [1, 1], 0, 2),
    // Stride 2 with padding wide enough for the wasm vector path: top and bottom rows partly in the padding, row tails, ceil mode.
    pool(11, 21, 3, 2, [1, 1], 0), pool(10, 22, 3, 2, [1, 1], 1), pool(9, 19, 2, 2, [1, 1], 1)];
  const out: RoutineSpec[] = [];
  const planes = 3;
  for (const g of geoms) {
    const tag = `${g.H}×${g.W} k${g.KH} s${g.strideH} pad ${g.padTop}/${g.padBottom} dil ${g.dilationH}`;
    const x = testData(planes * g.H * g.W, 51);
    x[3] = x[4] = 4; // ties in a window → first index
    x[g.W + 2] = NaN; // a NaN wins its windows (and the first NaN is kept)
    x[2 * g.W + 2] = NaN;
    if (g.W >= 16) {
      // Four equal taps (the first wins), a NaN on each tap position, two NaNs in one window,
      // -Infinity everywhere in one window: the vector paths of 2×2 pooling against the scalar rule.
      for (const i of [0, 1, g.W, g.W + 1]) x[2 * g.W + 8 + i] = 0.25;
      [2 * g.W + 10, 2 * g.W + 13, 3 * g.W + 14, 3 * g.W + 17].forEach((i) => (x[i] = NaN));
      x[4 * g.W + 4] = x[5 * g.W + 5] = NaN;
      for (const i of [0, 1, g.W, g.W + 1]) x[4 * g.W + 12 + i] = -Infinity;
    }
    const P = planes * g.OH * g.OW;
    out.push({
      group: "pool", name: `maxPool2d ${tag}`,
      buffers: [x, testData(P, 52), new Int32Array(P)], compare: [1, 2], rtol: 0, atol: 0,
      exec: (d, [xb, yb, ab]) => d.maxPool2d(g, planes, xb, 0, yb, 0, ab, 0),
    });
    out.push({
      group: "pool", name: `maxPool2d ${tag} without argmax`,
      buffers: [x, testData(P, 52)], compare: [1], rtol: 0, atol: 0,
      exec: (d, [xb, yb]) => d.maxPool2d(g, planes, xb, 0, yb, 0, null, 0),
    });
    out.push({
      group: "pool", name: `maxPool2dBackward ${tag}`,
      buffers: [x, testData(P, 53), new Int32Array(P), testData(planes * g.H * g.W, 54), new Float32Array(P)], compare: [3], rtol: 1e-6,
      exec: (d, [xb, dy, ab, dx, yb]) => {
        d.maxPool2d(g, planes, xb, 0, yb, 0, ab, 0);
        d.maxPool2dBackward(g, planes, dy, 0, ab, 0, dx, 0);
      },
    });
    if (g.dilationH !== 1) continue;
    for (const inc of [true, false]) {
      out.push({
        group: "pool", name: `avgPool2d ${tag} countIncludePad=${inc}`,
        buffers: [x, testData(P, 55)], compare: [1], rtol: 1e-6,
        exec: (d, [xb, yb]) => d.avgPool2d(g, planes, inc, xb, 0, yb, 0),
      });
      out.push({
        group: "pool", name: `avgPool2dBackward ${tag} countIncludePad=${inc}`,
        buffers: [testData(P, 56), testData(planes * g.H * g.W, 57)], compare: [1], rtol: 1e-6,
        exec: (d, [dy, dx]) => d.avgPool2dBackward(g, planes, inc, dy, 0, dx, 0),
      });
    }
  }
  return out;
}

function randomCases(): RoutineSpec[] {
  return ([["uniform", -1, 2], ["normal", 0.5, 2], ["bernoulli", 0.3, 1 / 0.7]] as const).map(([dist, p0, p1]) => ({
    group: "random", name: `fillRandom ${dist}(${p0}, ${p1})`,
    buffers: [testData(1003, 61)], compare: [0], rtol: 1e-5, atol: 1e-5,
    exec: (d: Device, [y]: DeviceBuffer[]) => d.fillRandom(dist, 1234, 77, 1000, y, 2, p0, p1),
  }));
}

/**
 * The non-BLAS battery: elementwise (every op, permuted, broadcast, negative-stride and aliased
 * views), reductions and argmax, softmax, im2col/col2im and the optional fused convForward,
 * convBackwardData and convBackwardFilter (checked against the lowering where the device has them) over
 * strided/padded/dilated geometries,
 * pooling forward and backward, and the counter-based random fill; each compared with the
 * reference JS device.
 *
 * @example
 * ```ts
 * import { routineCases } from "@tessera/blas/testing";
 * routineCases().map((c) => c.group);
 * ```
 */
export function routineCases(): ConformanceCase[] {
  return [...elementwiseCases(), ...reduceCases(), ...convCases(), ...poolCases(), ...randomCases()].map(routineCase);
}
