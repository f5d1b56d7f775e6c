/**
 * The Winograd backward-filter battery: `Device.convBackwardFilterWinograd` against float64
 * direct sums `dw₀ + Σ x·dy`, over ragged tiles, odd and even sizes, every padding from 0 to 2,
 * several images with gaps between them, and values of unequal magnitudes; plus the geometries it
 * must reject.
 */
import { counterNormal } from "../device/counter-rng.js";
import type { Device } from "../device/device.js";
import type { Conv2dGeometry } from "../device/geometry.js";
import { outputSize } from "../device/validate-geometry.js";
import type { ConformanceCase } from "./case.js";
import { withBuffers } from "./data.js";
import { assertWithin, FLOAT32_UNIT_ROUNDOFF } from "./tolerance.js";

/**
 * Winograd backward-filter error allowance: dw may differ from the float64 direct sum by
 * `WINOGRAD_FILTER_ERROR_FACTOR · (T + 10) · u · (mag + |dw₀|)`, u = 2⁻²⁴, T the 2×2 tiles of the
 * batch (the terms each of the 16 products sums), and mag the float64 Winograd computation with
 * every quantity replaced by its magnitude: `|Gᵀ|·Σ_tiles (|A|·|dy|·|Aᵀ|) ⊙ (|Bᵀ|·|x|·|B|)·|G|`.
 * That is the classical bound of a T-term inner product (the 16 sums) carried through the
 * transforms, each a fixed depth of adds (two for V and for Y, two for Gᵀ·M·G, one into dw: the
 * 10 covers them). Expanding the transforms shows mag ≥ Σ|x·dy| (every direct term appears in it
 * with weight ≥ 1), and the extra weight is the transforms' magnitudes, which is why a Winograd
 * error may exceed the direct algorithm's `(K + 2)·u·Σ|x·dy|`. Measured (wasm, every test
 * configuration): the worst error was 0.05–0.1 of this bound on the single-tile 3×3 case and
 * below 0.05 of it on every other case.
 */
export const WINOGRAD_FILTER_ERROR_FACTOR = 1;

/** One geometry: C → OC channels over N images of H×W, padding [top, bottom, left, right]. */
interface FilterSpec {
  readonly C: number; readonly OC: number; readonly N: number; readonly H: number; readonly W: number;
  readonly pad: readonly [number, number, number, number];
}

const SPECS: readonly FilterSpec[] = [
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

function geometry(s: FilterSpec): Conv2dGeometry {
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

/** Float64 direct backward-filter: dw₀ + Σₙ Σ_pixels x·dy per filter tap. */
function directFilter(g: Conv2dGeometry, N: number, OC: number, x: Float32Array, ox: number, sxn: number,
  dy: Float32Array, oy: number, syn: number, dw0: Float32Array): Float64Array {
  const { C, H, W, OH, OW, padTop, padLeft } = g;
  const dw = Float64Array.from(dw0);
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
    const d = dy[oy + n * syn + (o * OH + i) * OW + j];
    for (let c = 0; c < C; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = i + kh - padTop, iw = j + kw - padLeft;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      dw[((o * C + c) * 3 + kh) * 3 + kw] += d * x[ox + n * sxn + (c * H + ih) * W + iw];
    }
  }
  return dw;
}

/** |Bᵀ|·|d|·|B| of a 4×4 patch of magnitudes, in place (every row of Bᵀ has two ±1 entries). */
function absInput(d: Float64Array): void {
  for (let r = 0; r < 4; r++) {
    const a = d[r * 4], b = d[r * 4 + 1], c = d[r * 4 + 2], e = d[r * 4 + 3];
    d[r * 4] = a + c; d[r * 4 + 1] = b + c; d[r * 4 + 2] = b + c; d[r * 4 + 3] = b + e;
  }
  for (let j = 0; j < 4; j++) {
    const a = d[j], b = d[4 + j], c = d[8 + j], e = d[12 + j];
    d[j] = a + c; d[4 + j] = b + c; d[8 + j] = b + c; d[12 + j] = b + e;
  }
}

/** The magnitude `mag` of each dw element (see {@link WINOGRAD_FILTER_ERROR_FACTOR}) and the tiles T. */
function winogradMagnitude(g: Conv2dGeometry, N: number, OC: number, x: Float32Array, ox: number, sxn: number,
  dy: Float32Array, oy: number, syn: number): { mag: Float64Array; T: number } {
  const { C, H, W, OH, OW, padTop, padLeft } = g;
  const M = new Float64Array(OC * C * 16), V = new Float64Array(C * 16), Y = new Float64Array(16);
  let T = 0;
  for (let n = 0; n < N; n++) for (let th = 0; th < OH; th += 2) for (let tw = 0; tw < OW; tw += 2) {
    T++;
    for (let c = 0; c < C; c++) {
      const d = V.subarray(c * 16, c * 16 + 16);
      for (let r = 0; r < 4; r++) for (let q = 0; q < 4; q++) {
        const ih = th + r - padTop, iw = tw + q - padLeft;
        d[r * 4 + q] = ih >= 0 && ih < H && iw >= 0 && iw < W ? Math.abs(x[ox + n * sxn + (c * H + ih) * W + iw]) : 0;
      }
      absInput(d);
    }
    for (let o = 0; o < OC; o++) {
      const at = (i: number, j: number) => (th + i < OH && tw + j < OW ? Math.abs(dy[oy + n * syn + (o * OH + th + i) * OW + tw + j]) : 0);
      const a = at(0, 0), b = at(0, 1), c = at(1, 0), e = at(1, 1);
      const rows = [[a, b], [a + c, b + e], [a + c, b + e], [c, e]];
      for (let i = 0; i < 4; i++) {
        const [u, w] = rows[i];
        Y[i * 4] = u; Y[i * 4 + 1] = u + w; Y[i * 4 + 2] = u + w; Y[i * 4 + 3] = w;
      }
      for (let ci = 0; ci < C; ci++) for (let p = 0; p < 16; p++) M[(o * C + ci) * 16 + p] += Y[p] * V[ci * 16 + p];
    }
  }
  const mag = new Float64Array(OC * C * 9);
  const gt = (a: number, b: number, c: number, d: number) => [a + (b + c) / 2, (b + c) / 2, (b + c) / 2 + d];
  for (let f = 0; f < OC * C; f++) {
    const s: number[][] = [[], [], []];
    for (let j = 0; j < 4; j++) {
      const r = gt(M[f * 16 + j], M[f * 16 + 4 + j], M[f * 16 + 8 + j], M[f * 16 + 12 + j]);
      for (let i = 0; i < 3; i++) s[i][j] = r[i];
    }
    for (let i = 0; i < 3; i++) {
      const r = gt(s[i][0], s[i][1], s[i][2], s[i][3]);
      for (let k = 0; k < 3; k++) mag[f * 9 + i * 3 + k] = r[k];
    }
  }
  return { mag, T };
}

/** Values: N(0, 1), or x ×300 and dy ×0.05 (larger, unequal magnitudes). */
const SCALES = [
  { label: "N(0,1)", x: 1, dy: 1 },
  { label: "x·300, dy·0.05", x: 300, dy: 0.05 },
] as const;

function filterCase(s: FilterSpec, scale: (typeof SCALES)[number]): ConformanceCase {
  const g = geometry(s);
  const { N, OC, C } = s;
  const ox = 2, sxn = C * s.H * s.W + 5, oy = 3, syn = OC * g.OH * g.OW + 4, odw = 1;
  const tag = `C=${C} OC=${OC} N=${N} ${s.H}×${s.W} pad ${s.pad.join(",")} ${scale.label}`;
  return {
    group: "winograd", name: `convBackwardFilterWinograd (accumulating) ${tag}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      if (!d.convBackwardFilterWinograd) throw new Error(`device '${d.name}' has no convBackwardFilterWinograd`);
      const x = normal(ox + N * sxn, 121, scale.x);
      const dy = normal(oy + N * syn, 122, scale.dy);
      const dwAll = normal(odw + OC * C * 9 + 2, 123, scale.x * scale.dy);
      const dwb = b.up(dwAll);
      d.convBackwardFilterWinograd(g, N, OC, b.up(x), ox, sxn, b.up(dy), oy, syn, dwb, odw);
      const got = await b.read(dwb);
      const dw0 = dwAll.subarray(odw, odw + OC * C * 9);
      const ref = directFilter(g, N, OC, x, ox, sxn, dy, oy, syn, dw0);
      const { mag, T } = winogradMagnitude(g, N, OC, x, ox, sxn, dy, oy, syn);
      assertWithin(`convBackwardFilterWinograd ${tag}`, got.subarray(odw, odw + OC * C * 9), ref,
        (i) => WINOGRAD_FILTER_ERROR_FACTOR * (T + 10) * FLOAT32_UNIT_ROUNDOFF * (mag[i] + Math.abs(dw0[i])));
      // Nothing outside dw is written.
      for (const i of [0, odw + OC * C * 9, odw + OC * C * 9 + 1]) {
        if (got[i] !== dwAll[i]) throw new Error(`convBackwardFilterWinograd ${tag}: wrote element ${i} outside dw`);
      }
    }),
  };
}

/** Geometries the routine must reject, with the reference device's message. */
function rejectCases(): ConformanceCase[] {
  const base = geometry({ C: 2, OC: 2, N: 1, H: 8, W: 8, pad: [1, 1, 1, 1] });
  const bad: [string, Conv2dGeometry][] = [
    ["stride 2", { ...base, strideH: 2, strideW: 2, OH: 4, OW: 4 }],
    ["5×5 kernel", { ...base, KH: 5, KW: 5, OH: 6, OW: 6 }],
    ["dilation 2", { ...base, dilationH: 2, dilationW: 2, OH: 6, OW: 6 }],
    ["padding 3", { ...base, padTop: 3, padBottom: 3, OH: 12 }],
  ];
  return bad.map(([label, g]) => ({
    group: "winograd", name: `convBackwardFilterWinograd rejects ${label}`,
    run: (d: Device) => withBuffers(d, async (b) => {
      const x = b.alloc(2 * 64), dw = b.alloc(2 * 2 * g.KH * g.KW), dy = b.alloc(2 * g.OH * g.OW);
      let message = "(no error)";
      try {
        d.convBackwardFilterWinograd?.(g, 1, 2, x, 0, 128, dy, 0, 2 * g.OH * g.OW, dw, 0);
      } catch (e) {
        message = (e as Error).message;
      }
      if (!message.startsWith("convBackwardFilterWinograd: Winograd F(2×2, 3×3) does not apply to this geometry: ")) {
        throw new Error(`convBackwardFilterWinograd ${label}: expected the Winograd geometry error, got ${message}`);
      }
    }),
  }));
}

/**
 * The battery of a device's `convBackwardFilterWinograd`, for devices that have it: each case
 * throws if the device lacks it.
 *
 * @example
 * ```ts
 * import { jsDevice } from "@tessera/blas";
 * import { winogradFilterCases } from "@tessera/blas/testing";
 * for (const c of winogradFilterCases()) await c.run(jsDevice);
 * ```
 */
export function winogradFilterCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const s of SPECS) for (const scale of SCALES) out.push(filterCase(s, scale));
  return [...out, ...rejectCases()];
}
