/**
 * The Winograd battery: `Device.convForwardWinograd` and `convBackwardDataWinograd` against a
 * float64 direct convolution, with an error bound relative to Σ|x·w| (the magnitude of the terms
 * summed, not of the result, which may cancel to near zero), over ragged tiles, odd and even
 * sizes, every padding from 0 to 2, several images with gaps between them, and values from N(0, 1)
 * and of larger magnitude; the forward epilogue (fused, equal bit for bit to the plain call
 * followed by `applyConvEpilogue`); plus the geometries and epilogues the routines must reject.
 */
import { applyConvEpilogue, type ConvEpilogue } from "../device/conv-epilogue.js";
import { counterNormal } from "../device/counter-rng.js";
import type { DeviceBuffer } from "../device/buffer.js";
import type { Device } from "../device/device.js";
import type { Conv2dGeometry } from "../device/geometry.js";
import { outputSize } from "../device/validate-geometry.js";
import type { ConformanceCase } from "./case.js";
import { withBuffers } from "./data.js";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF } from "./tolerance.js";

/**
 * Winograd error allowance: an output may differ from the float64 direct convolution by
 * `WINOGRAD_ERROR_FACTOR · (K + 2) · u · (Σ|x·w| + |b|)` (K = 9·C terms, u = 2⁻²⁴; backward-data
 * the same with dy and |dx₀|): the classical forward error bound of a K-term inner product, which
 * the direct algorithm meets by construction. Winograd has no such guarantee (its transforms round
 * sums of up to 4 inputs and of halved weights), so this is an empirical bound: on the battery the
 * wasm kernel's worst error was 0.10 of it (C = 3) and 0.003–0.02 for C ≥ 9, against 0.06 and
 * 0.006–0.04 for the wasm direct kernel on the same data.
 */
export const WINOGRAD_ERROR_FACTOR = 1;

/** One geometry of the battery: C → OC channels over N images of H×W, padding [top, bottom, left, right]. */
interface WinogradSpec {
  readonly C: number; readonly OC: number; readonly N: number; readonly H: number; readonly W: number;
  readonly pad: readonly [number, number, number, number];
}

const SPECS: readonly WinogradSpec[] = [
  { C: 1, OC: 1, N: 1, H: 4, W: 4, pad: [0, 0, 0, 0] },
  { C: 1, OC: 2, N: 1, H: 3, W: 3, pad: [0, 0, 0, 0] },
  { C: 2, OC: 3, N: 2, H: 3, W: 3, pad: [1, 1, 1, 1] },
  { C: 3, OC: 5, N: 2, H: 7, W: 6, pad: [1, 1, 1, 1] },
  { C: 8, OC: 8, N: 1, H: 5, W: 9, pad: [0, 0, 0, 0] },
  { C: 4, OC: 19, N: 3, H: 6, W: 11, pad: [0, 2, 1, 2] },
  { C: 16, OC: 9, N: 2, H: 9, W: 9, pad: [2, 2, 2, 2] },
  { C: 13, OC: 20, N: 2, H: 14, W: 14, pad: [1, 1, 1, 1] },
  { C: 9, OC: 7, N: 2, H: 31, W: 37, pad: [1, 0, 0, 1] },
  { C: 64, OC: 40, N: 2, H: 12, W: 13, pad: [1, 1, 1, 1] },
  { C: 5, OC: 6, N: 3, H: 40, W: 40, pad: [1, 1, 1, 1] },
];

function geometry(s: WinogradSpec): Conv2dGeometry {
  const [pt, pb, pl, pr] = s.pad;
  return {
    C: s.C, H: s.H, W: s.W, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: pt, padBottom: pb, padLeft: pl, padRight: pr,
    dilationH: 1, dilationW: 1, OH: outputSize(s.H, 3, 1, pt, pb, 1), OW: outputSize(s.W, 3, 1, pl, pr, 1),
  };
}

/** `length` values from N(0, 1)·scale, seeded. */
function normal(length: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = scale * counterNormal(seed, i);
  return out;
}

/** Float64 direct forward: y[n][o] = b[o] + Σ x·w, and the magnitude Σ|x·w| + |b| of each output. */
function directForward(g: Conv2dGeometry, N: number, OC: number, x: Float32Array, ox: number, sxn: number,
  w: Float32Array, bias: Float32Array | null): { y: Float64Array; mag: Float64Array } {
  const { C, H, W, OH, OW, padTop, padLeft } = g;
  const y = new Float64Array(N * OC * OH * OW), mag = new Float64Array(y.length);
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    let s = bias === null ? 0 : bias[o], m = Math.abs(s);
    for (let c = 0; c < C; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = i + kh - padTop, iw = j + kw - padLeft;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const t = x[ox + n * sxn + (c * H + ih) * W + iw] * w[((o * C + c) * 3 + kh) * 3 + kw];
      s += t;
      m += Math.abs(t);
    }
    const at = ((n * OC + o) * OH + i) * OW + j;
    y[at] = s;
    mag[at] = m;
  }
  return { y, mag };
}

/** Float64 direct backward-data: dx₀ + Σ dy·w over the taps that reach each input, and its magnitude. */
function directBackwardData(g: Conv2dGeometry, N: number, OC: number, w: Float32Array, dy: Float32Array, oy: number, syn: number,
  dx0: Float32Array): { dx: Float64Array; mag: Float64Array } {
  const { C, H, W, OH, OW, padTop, padLeft } = g;
  const dx = Float64Array.from(dx0), mag = dx.map(Math.abs);
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    const d = dy[oy + n * syn + (o * OH + i) * OW + j];
    for (let c = 0; c < C; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = i + kh - padTop, iw = j + kw - padLeft;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const t = d * w[((o * C + c) * 3 + kh) * 3 + kw];
      const at = n * C * H * W + (c * H + ih) * W + iw;
      dx[at] += t;
      mag[at] += Math.abs(t);
    }
  }
  return { dx, mag };
}

/** The allowed error of one output of magnitude `mag` for C input channels (see {@link WINOGRAD_ERROR_FACTOR}). */
function bound(C: number, mag: number): number {
  return WINOGRAD_ERROR_FACTOR * (9 * C + 2) * FLOAT32_UNIT_ROUNDOFF * mag;
}

/** Values of the battery: N(0, 1) inputs and weights, or inputs ×300 and weights ×0.05 (larger, unequal magnitudes). */
const SCALES = [
  { label: "N(0,1)", x: 1, w: 1 },
  { label: "x·300, w·0.05", x: 300, w: 0.05 },
] as const;

function forwardCase(s: WinogradSpec, scale: (typeof SCALES)[number], withBias: boolean): ConformanceCase {
  const g = geometry(s);
  const { N, OC, C } = s;
  const xGap = 5, yGap = 3, ox = 2, oy = 1;
  const sxn = C * s.H * s.W + xGap, syn = OC * g.OH * g.OW + yGap;
  const tag = `C=${C} OC=${OC} N=${N} ${s.H}×${s.W} pad ${s.pad.join(",")} ${scale.label}${withBias ? " bias" : ""}`;
  return {
    group: "winograd", name: `convForwardWinograd ${tag}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      if (!d.convForwardWinograd) throw new Error(`device '${d.name}' has no convForwardWinograd`);
      const x = new Float32Array(ox + N * sxn).map((_, i) => scale.x * counterNormal(101, i));
      const w = normal(OC * C * 9, 102, scale.w);
      const bias = withBias ? normal(OC, 103, scale.x * scale.w) : null;
      const y0 = normal(oy + N * syn, 104, 1);
      const yb = b.up(y0);
      d.convForwardWinograd(g, N, OC, b.up(x), ox, sxn, b.up(w), 0, bias === null ? null : b.up(bias), 0, yb, oy, syn);
      const got = await b.read(yb);
      const ref = directForward(g, N, OC, x, ox, sxn, w, bias);
      const P = OC * g.OH * g.OW;
      const actual = new Float64Array(N * P);
      for (let n = 0; n < N; n++) for (let i = 0; i < P; i++) actual[n * P + i] = got[oy + n * syn + i];
      assertWithin(`convForwardWinograd ${tag}`, actual, ref.y, (i) => bound(C, ref.mag[i]));
      // The gaps between images and before the first are not written.
      for (let n = 0; n <= N; n++) {
        const from = n === 0 ? 0 : oy + n * syn - yGap, to = n === 0 ? oy : oy + n * syn;
        for (let i = from; i < Math.min(to, got.length); i++) if (got[i] !== y0[i]) throw new Error(`convForwardWinograd ${tag}: wrote element ${i} outside y`);
      }
    }),
  };
}

function backwardCase(s: WinogradSpec, scale: (typeof SCALES)[number]): ConformanceCase {
  const g = geometry(s);
  const { N, OC, C } = s;
  const syn = OC * g.OH * g.OW + 4, oy = 3;
  const tag = `C=${C} OC=${OC} N=${N} ${s.H}×${s.W} pad ${s.pad.join(",")} ${scale.label}`;
  return {
    group: "winograd", name: `convBackwardDataWinograd (accumulating) ${tag}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      if (!d.convBackwardDataWinograd) throw new Error(`device '${d.name}' has no convBackwardDataWinograd`);
      const w = normal(OC * C * 9, 111, scale.w);
      const dy = normal(oy + N * syn, 112, scale.x);
      const dx0 = normal(N * C * s.H * s.W, 113, scale.x * scale.w);
      const dxb = b.up(dx0);
      d.convBackwardDataWinograd(g, N, OC, b.up(w), 0, b.up(dy), oy, syn, dxb, 0, C * s.H * s.W);
      const ref = directBackwardData(g, N, OC, w, dy, oy, syn, dx0);
      assertWithin(`convBackwardDataWinograd ${tag}`, await b.read(dxb), ref.dx, (i) => bound(OC, ref.mag[i]));
    }),
  };
}

/** Which parts of the epilogue a case gives. */
interface EpilogueParts { readonly scale?: boolean; readonly shift?: boolean; readonly residual?: boolean; readonly relu?: boolean }

const EPILOGUES: readonly [string, EpilogueParts][] = [
  ["scale, shift, residual, ReLU", { scale: true, shift: true, residual: true, relu: true }],
  ["scale, shift", { scale: true, shift: true }],
  ["residual, ReLU", { residual: true, relu: true }],
  ["ReLU", { relu: true }],
];

/** Geometries of the epilogue cases: ragged tiles (odd sizes), several images, one chunk and several. */
const EPILOGUE_SPECS: readonly WinogradSpec[] = [
  { C: 3, OC: 5, N: 2, H: 7, W: 6, pad: [1, 1, 1, 1] },
  { C: 13, OC: 20, N: 2, H: 14, W: 14, pad: [1, 1, 1, 1] },
  { C: 9, OC: 7, N: 2, H: 31, W: 37, pad: [1, 0, 0, 1] },
];

/**
 * The epilogue fused into `convForwardWinograd` against the same call without it followed by
 * `applyConvEpilogue` on the same device: equal bit for bit, at offsets, with gaps between images
 * (the residual's stride differs from y's), and nothing written outside y.
 */
function epilogueCase(s: WinogradSpec, label: string, parts: EpilogueParts): ConformanceCase {
  const g = geometry(s);
  const { N, OC, C } = s;
  const P = g.OH * g.OW;
  const ox = 1, sxn = C * s.H * s.W + 2, oy = 3, syn = OC * P + 5, orr = 2, srn = OC * P + 7;
  const tag = `C=${C} OC=${OC} N=${N} ${s.H}×${s.W} pad ${s.pad.join(",")}`;
  return {
    group: "winograd", name: `convForwardWinograd epilogue (${label}) ${tag}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      if (!d.convForwardWinograd) throw new Error(`device '${d.name}' has no convForwardWinograd`);
      const x = b.up(normal(ox + N * sxn, 121, 1)), w = b.up(normal(OC * C * 9, 122, 1)), bias = b.up(normal(OC, 123, 1));
      const e: ConvEpilogue = {
        ...(parts.scale ? { scale: b.up(normal(OC + 1, 124, 1)), offsetScale: 1 } : {}),
        ...(parts.shift ? { shift: b.up(normal(OC, 125, 1)) } : {}),
        ...(parts.residual ? { residual: b.up(normal(orr + N * srn, 126, 2)), offsetResidual: orr, strideResidualN: srn } : {}),
        ...(parts.relu ? { relu: true } : {}),
      };
      const y0 = normal(oy + N * syn, 127, 1);
      const plain = b.up(y0), fused = b.up(y0);
      d.convForwardWinograd(g, N, OC, x, ox, sxn, w, 0, bias, 0, plain, oy, syn);
      applyConvEpilogue(d, N, OC, P, plain, oy, syn, e);
      d.convForwardWinograd(g, N, OC, x, ox, sxn, w, 0, bias, 0, fused, oy, syn, e);
      const want = new Uint32Array(Float32Array.from(await b.read(plain)).buffer);
      const got = new Uint32Array(Float32Array.from(await b.read(fused)).buffer);
      for (let i = 0; i < want.length; i++) {
        if (got[i] !== want[i]) {
          throw new Error(`convForwardWinograd epilogue (${label}) ${tag}: element ${i} is ${new Float32Array(got.buffer)[i]}, ` +
            `the plain call and applyConvEpilogue give ${new Float32Array(want.buffer)[i]}`);
        }
      }
    }),
  };
}

/** Epilogues the forward routine must reject, with the reference device's message. */
function rejectEpilogueCases(): ConformanceCase[] {
  const g = geometry({ C: 2, OC: 2, N: 1, H: 6, W: 6, pad: [1, 1, 1, 1] });
  const bad: [string, (y: DeviceBuffer, v: DeviceBuffer) => ConvEpilogue, string][] = [
    ["an unknown key", () => ({ relu: true, rleu: true }) as ConvEpilogue, "epilogue has an unknown key 'rleu'"],
    ["a residual without its stride", (_y, v) => ({ residual: v }), "epilogue.strideResidualN is required with a residual"],
    ["a residual overlapping y", (y) => ({ residual: y, strideResidualN: 72 }), "epilogue.residual must not overlap y"],
  ];
  return bad.map(([label, make, message]) => ({
    group: "winograd", name: `convForwardWinograd rejects an epilogue with ${label}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      const x = b.alloc(72), w = b.alloc(36), y = b.alloc(72), v = b.alloc(72);
      let got = "(no error)";
      try {
        d.convForwardWinograd?.(g, 1, 2, x, 0, 72, w, 0, null, 0, y, 0, 72, make(y, v));
      } catch (e) {
        got = (e as Error).message;
      }
      if (!got.startsWith(`convForwardWinograd: ${message}`)) throw new Error(`convForwardWinograd ${label}: expected "${message}", got ${got}`);
    }),
  }));
}

/** Geometries both routines must reject, with the reference device's message. */
function rejectCases(): ConformanceCase[] {
  const base = geometry({ C: 2, OC: 2, N: 1, H: 8, W: 8, pad: [1, 1, 1, 1] });
  const bad: [string, Conv2dGeometry][] = [
    ["stride 2", { ...base, strideH: 2, strideW: 2, OH: 4, OW: 4 }],
    ["5×5 kernel", { ...base, KH: 5, KW: 5, OH: 6, OW: 6 }],
    ["dilation 2", { ...base, dilationH: 2, dilationW: 2, OH: 6, OW: 6 }],
    ["padding 3", { ...base, padTop: 3, padBottom: 3, OH: 12 }],
  ];
  return bad.map(([label, g]) => ({
    group: "winograd", name: `rejects ${label}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      const x = b.alloc(2 * 64), w = b.alloc(2 * 2 * g.KH * g.KW), y = b.alloc(2 * g.OH * g.OW);
      const expect = (fn: string, call: () => void) => {
        let message = "(no error)";
        try {
          call();
        } catch (e) {
          message = (e as Error).message;
        }
        if (!message.startsWith(`${fn}: Winograd F(2×2, 3×3) does not apply to this geometry: `)) {
          throw new Error(`${fn} ${label}: expected the Winograd geometry error, got ${message}`);
        }
      };
      expect("convForwardWinograd", () => d.convForwardWinograd?.(g, 1, 2, x, 0, 128, w, 0, null, 0, y, 0, 2 * g.OH * g.OW));
      expect("convBackwardDataWinograd", () => d.convBackwardDataWinograd?.(g, 1, 2, w, 0, y, 0, 2 * g.OH * g.OW, x, 0, 128));
    }),
  }));
}

/**
 * The battery of a device's Winograd routines (`Device.convForwardWinograd`,
 * `convBackwardDataWinograd`), for devices that have them: each case throws if the device lacks
 * them, so run it only on such devices.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { winogradCases } from "@tessera/blas/testing";
 * for (const c of winogradCases()) await c.run(jsDevice);
 * ```
 */
export function winogradCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const s of SPECS) {
    for (const scale of SCALES) {
      out.push(forwardCase(s, scale, scale.x === 1), backwardCase(s, scale));
    }
  }
  for (const sp of EPILOGUE_SPECS) for (const [label, parts] of EPILOGUES) out.push(epilogueCase(sp, label, parts));
  return [...out, ...rejectCases(), ...rejectEpilogueCases()];
}
