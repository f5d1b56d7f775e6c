import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyConvEpilogue, counterNormal, outputSize, type Conv2dGeometry, type ConvEpilogue } from "@tessera/blas";
import { winogradCases } from "@tessera/blas/testing";
import { DEFAULT_BLOCKING } from "./blocking.js";
import { CONFIGS, TINY_BLOCKING } from "./test-configs.js";
import { WasmDevice } from "./wasm-device.js";
import { F4_MIN_TILES, pickWinogradTile, planWinograd4 } from "./winograd4.js";
import { F43_AT, F43_BT, F43_G, f43Gamma, f43Reference, f43Tile } from "./winograd4-reference.js";

describe("the float64 reference of F(4×4, 3×3)", () => {
  it("is exact: Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A is the 3×3 correlation of every 6×6 patch", () => {
    for (let t = 0; t < 20; t++) {
      const d = [0, 1, 2, 3, 4, 5].map((r) => [0, 1, 2, 3, 4, 5].map((s) => counterNormal(7 + t, r * 6 + s)));
      const g = [0, 1, 2].map((r) => [0, 1, 2].map((s) => counterNormal(1007 + t, r * 3 + s)));
      const y = f43Tile(d, g);
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
        let s = 0, m = 0;
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
          s += d[i + a]![j + b]! * g[a]![b]!;
          m += Math.abs(d[i + a]![j + b]! * g[a]![b]!);
        }
        expect(Math.abs(y[i]![j]! - s)).toBeLessThanOrEqual(1e-13 * m);
      }
    }
  });

  it("interpolates at 0, 1/2, −1/2, 2, −2 and ∞: Aᵀ's columns are (1, a, a², a³), G's rows (1, a, a²) over Π(a − a')", () => {
    const points = [0, 1 / 2, -1 / 2, 2, -2];
    points.forEach((a, k) => {
      expect(F43_AT.map((r) => r[k])).toEqual([1, a, a * a, a * a * a]);
      const scale = points.reduce((p, b, j) => (j === k ? p : p * (a - b)), 1);
      F43_G[k]!.forEach((v, q) => expect(v).toBeCloseTo(a ** q / scale, 15));
    });
    expect(F43_AT.map((r) => r[5])).toEqual([0, 0, 0, 1]);
    expect(F43_G[5]).toEqual([0, 0, 1]);
    // Every constant of Bᵀ and Aᵀ is exact in float32 (the kernel multiplies by them without rounding them).
    for (const v of [...F43_BT.flat(), ...F43_AT.flat()]) expect(Math.fround(v)).toBe(v);
  });
});

/** One geometry of the F(4×4) battery: C → OC channels over N images of H×W, padding [top, bottom, left, right]. */
interface Spec {
  readonly C: number; readonly OC: number; readonly N: number; readonly H: number; readonly W: number;
  readonly pad: readonly [number, number, number, number];
}

/** Ragged tile edges (H, W not multiples of 4), 1×1, 2×2 and 5×5 images, padding 0, 1, 2 and mixed, C and OC off multiples of 4 and 8. */
const SPECS: readonly Spec[] = [
  { C: 1, OC: 1, N: 1, H: 1, W: 1, pad: [1, 1, 1, 1] },
  { C: 3, OC: 2, N: 2, H: 2, W: 2, pad: [2, 2, 2, 2] },
  { C: 2, OC: 3, N: 1, H: 2, W: 2, pad: [1, 1, 1, 1] },
  { C: 5, OC: 7, N: 2, H: 5, W: 5, pad: [1, 1, 1, 1] },
  { C: 4, OC: 9, N: 3, H: 5, W: 5, pad: [0, 0, 0, 0] },
  { C: 6, OC: 5, N: 1, H: 9, W: 13, pad: [0, 2, 1, 2] },
  { C: 9, OC: 10, N: 2, H: 17, W: 19, pad: [1, 1, 1, 1] },
  { C: 12, OC: 20, N: 2, H: 22, W: 23, pad: [2, 2, 2, 2] },
  { C: 20, OC: 12, N: 1, H: 30, W: 41, pad: [0, 0, 0, 0] },
  { C: 33, OC: 17, N: 2, H: 12, W: 12, pad: [1, 0, 2, 1] },
  { C: 3, OC: 4, N: 3, H: 40, W: 40, pad: [1, 1, 1, 1] },
];

/** N(0, 1) values, and inputs ×300 with weights ×0.05. */
const SCALES = [{ label: "N(0,1)", x: 1, w: 1 }, { label: "x·300, w·0.05", x: 300, w: 0.05 }] as const;

function geometry(s: Spec): Conv2dGeometry {
  const [pt, pb, pl, pr] = s.pad;
  return {
    C: s.C, H: s.H, W: s.W, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: pt, padBottom: pb, padLeft: pl, padRight: pr,
    dilationH: 1, dilationW: 1, OH: outputSize(s.H, 3, 1, pt, pb, 1), OW: outputSize(s.W, 3, 1, pl, pr, 1),
  };
}

const normal = (n: number, seed: number, scale: number) => Float32Array.from({ length: n }, (_, i) => scale * counterNormal(seed, i));

/** Throws unless every got[i] is within gamma·mag[i] of want[i] (naming the element); returns the worst fraction of the bound. */
function within(what: string, got: ArrayLike<number>, want: ArrayLike<number>, allowed: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!), b = allowed(i);
    if (!(e <= b)) throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (allowed error ${b})`);
    if (b > 0) worst = Math.max(worst, e / b);
  }
  return worst;
}

/**
 * Worst error seen, as fractions of the F(4×4) bound γ·(W + |b|) and of the F(2×2) battery's
 * (9·C + 2)·u·(Σ|x·w| + |b|), per device label and data scale: printed when WINOGRAD_ERROR_REPORT is set.
 */
const worst = new Map<string, [number, number]>();

/** Records the worst fractions of both bounds for `key`. */
function record(key: string, got: ArrayLike<number>, want: ArrayLike<number>, wBound: (i: number) => number, sumBound: (i: number) => number): void {
  const w = worst.get(key) ?? [0, 0];
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    w[0] = Math.max(w[0], e / wBound(i));
    w[1] = Math.max(w[1], e / sumBound(i));
  }
  worst.set(key, w);
}

afterAll(() => {
  if (!process.env.WINOGRAD_ERROR_REPORT) return;
  for (const [k, [a, b]] of worst) console.log(`${k}: worst |error| / γ(W + |b|) = ${a.toFixed(4)}, / (9C+2)·u·(Σ|x·w| + |b|) = ${b.toFixed(4)}`);
});

/** Forward with bias against the float64 reference, within γ_{C+22}·(W + |b|) (asserted when `check`); the gaps between images stay untouched. */
function forward(dev: WasmDevice, s: Spec, scale: (typeof SCALES)[number], key: string, check = true): void {
  const g = geometry(s), { N, C, OC } = s;
  const ox = 3, oy = 2, sxn = C * s.H * s.W + 5, syn = OC * g.OH * g.OW + 3;
  const x = normal(ox + N * sxn, 21, scale.x), w = normal(OC * C * 9, 22, scale.w), bias = normal(OC, 23, scale.x * scale.w);
  const y0 = normal(oy + N * syn, 24, 1);
  const up = (a: Float32Array) => {
    const b = dev.alloc(a.length);
    dev.write(b, a);
    return b;
  };
  const [xb, wb, bb, yb] = [x, w, bias, y0].map(up) as [ReturnType<typeof up>, ReturnType<typeof up>, ReturnType<typeof up>, ReturnType<typeof up>];
  dev.convForwardWinograd(g, N, OC, xb, ox, sxn, wb, 0, bb, 0, yb, oy, syn);
  const got = (dev.readSync(yb) as Float32Array).slice();
  [xb, wb, bb, yb].forEach((b) => dev.free(b));
  const ref = f43Reference({ N, C, OC, H: s.H, W: s.W, OH: g.OH, OW: g.OW, padTop: g.padTop, padLeft: g.padLeft,
    x: (n, c, ih, iw) => x[ox + n * sxn + (c * s.H + ih) * s.W + iw]!, w: (o, c, kh, kw) => w[((o * C + c) * 3 + kh) * 3 + kw]! });
  const P = OC * g.OH * g.OW, gamma = f43Gamma(C);
  const actual = new Float64Array(N * P), want = new Float64Array(N * P);
  for (let n = 0; n < N; n++) for (let i = 0; i < P; i++) {
    actual[n * P + i] = got[oy + n * syn + i]!;
    want[n * P + i] = ref.y[n * P + i]! + bias[Math.floor(i / (g.OH * g.OW))]!;
  }
  const b = (i: number) => Math.abs(bias[Math.floor((i % P) / (g.OH * g.OW))]!);
  const wBound = (i: number) => gamma * (ref.mag[i]! + b(i)), sumBound = (i: number) => (9 * C + 2) * 2 ** -24 * (ref.direct[i]! + b(i));
  if (check) within("convForwardWinograd F(4×4)", actual, want, wBound);
  record(`${key} forward ${scale.label}`, actual, want, wBound, sumBound);
  for (let n = 0; n <= N; n++) {
    const from = n === 0 ? 0 : oy + n * syn - 3, to = n === 0 ? oy : oy + n * syn;
    for (let i = from; i < Math.min(to, got.length); i++) expect(got[i], `element ${i} outside y`).toBe(y0[i]);
  }
}

/** Backward-data (accumulating) against the reference of the equivalent forward problem, within γ_{OC+22}·(W + |dx₀|) (when `check`). */
function backward(dev: WasmDevice, s: Spec, scale: (typeof SCALES)[number], key: string, check = true): void {
  const g = geometry(s), { N, C, OC } = s;
  const oy = 1, syn = OC * g.OH * g.OW + 2, xs = C * s.H * s.W;
  const w = normal(OC * C * 9, 31, scale.w), dy = normal(oy + N * syn, 32, scale.x), dx0 = normal(N * xs, 33, scale.x * scale.w);
  const wb = dev.alloc(w.length), yb = dev.alloc(dy.length), xb = dev.alloc(dx0.length);
  dev.write(wb, w);
  dev.write(yb, dy);
  dev.write(xb, dx0);
  dev.convBackwardDataWinograd(g, N, OC, wb, 0, yb, oy, syn, xb, 0, xs);
  const got = (dev.readSync(xb) as Float32Array).slice();
  [wb, yb, xb].forEach((b) => dev.free(b));
  // dx = conv(dy padded by 2 − padding, w transposed and rotated by 180°).
  const ref = f43Reference({ N, C: OC, OC: C, H: g.OH, W: g.OW, OH: s.H, OW: s.W, padTop: 2 - g.padTop, padLeft: 2 - g.padLeft,
    x: (n, o, i, j) => dy[oy + n * syn + (o * g.OH + i) * g.OW + j]!, w: (c, o, kh, kw) => w[((o * C + c) * 3 + 2 - kh) * 3 + 2 - kw]! });
  const want = ref.y.map((v, i) => v + dx0[i]!), gamma = f43Gamma(OC);
  const wBound = (i: number) => gamma * (ref.mag[i]! + Math.abs(dx0[i]!)), sumBound = (i: number) => (9 * OC + 2) * 2 ** -24 * (ref.direct[i]! + Math.abs(dx0[i]!));
  if (check) within("convBackwardDataWinograd F(4×4)", got, want, wBound);
  record(`${key} backward-data ${scale.label}`, got, want, wBound, sumBound);
}

for (const { label, options } of CONFIGS) {
  describe(`Winograd F(4×4, 3×3), wasm ${label}`, async () => {
    const dev = await WasmDevice.create({ ...options, winogradTile: 4 });
    afterAll(() => dev.dispose());
    for (const s of SPECS) for (const scale of SCALES) {
      const tag = `C=${s.C} OC=${s.OC} N=${s.N} ${s.H}×${s.W} pad ${s.pad.join(",")} ${scale.label}`;
      it(`forward with bias, ${tag}: within γ(C+22)·(W + |b|) of float64`, () => forward(dev, s, scale, `F(4×4) ${label}`));
      it(`backward-data, ${tag}: within γ(OC+22)·(W + |dx₀|) of float64`, () => backward(dev, s, scale, `F(4×4) ${label}`));
    }
    // The geometries that Winograd rejects (the battery's error bound is F(2×2)'s: see the README).
    for (const c of winogradCases().filter((c) => c.name.startsWith("rejects"))) it(c.name, () => c.run(dev));
    // The battery's fused-epilogue cases compare with the plain call on the same device: no error bound.
    for (const c of winogradCases().filter((c) => c.name.includes("epilogue"))) it(c.name, () => c.run(dev));
    it("leaves no buffer behind", () => expect(dev.bytesInUse()).toBe(0));
  });
}

/** 3×3 stride-1 geometry with padding p on every side. */
function geo(C: number, H: number, W: number, p: number): Conv2dGeometry {
  return geometry({ C, OC: 1, N: 1, H, W, pad: [p, p, p, p] });
}

/** Forward (with bias) and backward-data bits of one layer on a device. */
function bits(dev: WasmDevice, g: Conv2dGeometry, N: number, OC: number): Uint32Array[] {
  const xs = g.C * g.H * g.W, ys = OC * g.OH * g.OW;
  const up = (n: number, seed: number) => {
    const b = dev.alloc(n);
    dev.write(b, normal(n, seed, 1));
    return b;
  };
  const x = up(N * xs, 1), w = up(OC * g.C * 9, 2), bias = up(OC, 3), y = dev.alloc(N * ys), dy = up(N * ys, 4), dx = up(N * xs, 5);
  dev.convForwardWinograd(g, N, OC, x, 0, xs, w, 0, bias, 0, y, 0, ys);
  dev.convBackwardDataWinograd(g, N, OC, w, 0, dy, 0, ys, dx, 0, xs);
  const out = [y, dx].map((b) => new Uint32Array((dev.readSync(b) as Float32Array).slice().buffer));
  for (const b of [x, w, bias, y, dy, dx]) dev.free(b);
  return out;
}

if (process.env.WINOGRAD_ERROR_REPORT) {
  describe("F(2×2) on the F(4×4) battery's data (for the error report only)", async () => {
    const dev = await WasmDevice.create({ threads: 1, winogradTile: 2, register: false });
    afterAll(() => dev.dispose());
    for (const s of SPECS) for (const scale of SCALES) {
      it(`C=${s.C} OC=${s.OC} ${s.H}×${s.W} ${scale.label}`, () => {
        forward(dev, s, scale, "F(2×2)", false);
        backward(dev, s, scale, "F(2×2)", false);
      });
    }
  });
}

/** The fused forward epilogue: scale (at an offset), shift, residual (at an offset, images with a gap), ReLU, or a subset. */
const EPILOGUE_PARTS = ["scale shift residual relu", "residual relu", "scale shift", "relu"] as const;

/**
 * y of convForwardWinograd (with bias) and the epilogue `parts` fused, and of the plain call
 * followed by applyConvEpilogue on the same device, as bits.
 */
function epilogueBits(dev: WasmDevice, g: Conv2dGeometry, N: number, OC: number, parts: string): { fused: Uint32Array; separate: Uint32Array } {
  const xs = g.C * g.H * g.W, P = g.OH * g.OW, ys = OC * P, rs = ys + 3;
  const up = (n: number, seed: number) => {
    const b = dev.alloc(n);
    dev.write(b, normal(n, seed, 1));
    return b;
  };
  const x = up(N * xs, 11), w = up(OC * g.C * 9, 12), bias = up(OC, 13), sc = up(OC + 1, 14), sh = up(OC, 15), r = up(2 + N * rs, 16);
  const e: ConvEpilogue = {
    ...(parts.includes("scale") ? { scale: sc, offsetScale: 1 } : {}),
    ...(parts.includes("shift") ? { shift: sh } : {}),
    ...(parts.includes("residual") ? { residual: r, offsetResidual: 2, strideResidualN: rs } : {}),
    relu: parts.includes("relu"),
  };
  const fused = up(N * ys, 17), separate = up(N * ys, 17);
  dev.convForwardWinograd(g, N, OC, x, 0, xs, w, 0, bias, 0, fused, 0, ys, e);
  dev.convForwardWinograd(g, N, OC, x, 0, xs, w, 0, bias, 0, separate, 0, ys);
  applyConvEpilogue(dev, N, OC, P, separate, 0, ys, e);
  const [f, s] = [fused, separate].map((b) => new Uint32Array((dev.readSync(b) as Float32Array).slice().buffer));
  for (const b of [x, w, bias, sc, sh, r, fused, separate]) dev.free(b);
  return { fused: f!, separate: s! };
}

for (const simd of ["plain", "relaxed"] as const) {
  describe(`Winograd F(4×4) on wasm (${simd} SIMD): results do not depend on the thread count`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, winogradTile: 4, blocking: { minFlopsPerThread: 0 }, register: false }));
      for (const threads of [1, 3]) devices.push(await WasmDevice.create({ threads, simd, winogradTile: 4, blocking: TINY_BLOCKING, register: false }));
      // Without the output-channel panels (chunks where they would run), and with 3 panels a task.
      devices.push(await WasmDevice.create({ threads: 2, simd, winogradTile: 4, blocking: { minFlopsPerThread: 0, winogradPanelTiles: 0 }, register: false }));
      devices.push(await WasmDevice.create({ threads: 3, simd, winogradTile: 4, blocking: { minFlopsPerThread: 0, winogradPanelsPerTask: 3 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));
    // [label, geometry, N, OC, schedule on 1, 2 and 3 threads: "B" blocks, "Cg" chunks with g channel groups, "P" output-channel panels]
    const layers: [string, Conv2dGeometry, number, number, string[]][] = [
      ["16→24 channels, 3 images of 21×18, padding 1 (one block per thread on 1 and 2, chunks on 3)", geo(16, 21, 18, 1), 3, 24, ["B", "B", "C1"]],
      ["40→8 channels, 2 images of 60×60, padding 0 (2 blocks on 1 and 2 threads, 3 on 3)", geo(40, 60, 60, 0), 2, 8, ["B", "B", "B"]],
      ["7→5 channels, 2 images of 5×5, padding 2 (output-channel panels)", geo(7, 5, 5, 2), 2, 5, ["P", "P", "P"]],
      ["100→60 channels, 3 images of 44×44, padding 1 (5, 6 and 6 blocks of 55 to 77 tiles, 11 a row: ragged panels)", geo(100, 44, 44, 1), 3, 60, ["B", "B", "B"]],
      ["300→13 channels, 1 image of 10×4, padding 1 (two K blocks, 3 tiles: a partial panel; output-channel panels, the last partial)", geo(300, 10, 4, 1), 1, 13, ["P", "P", "P"]],
      ["40→22 channels, 1 image of 14×14, padding 1 (output-channel panels over 16 tiles)", geo(40, 14, 14, 1), 1, 22, ["P", "P", "P"]],
      ["24→16 channels, 1 image of 28×28, padding 1 (one block on 1 thread; chunks of two channel groups, 16 + 8 and 8 + 8, on 2 and 3)", geo(24, 28, 28, 1), 1, 16, ["B", "C2", "C2"]],
    ];
    for (const [label, g, N, OC, schedule] of layers) {
      it(`${label}: the same bits for 1, 2 and 3 threads, and for tiny blocks (many chunks) on 1 and 3`, () => {
        const plan = [1, 2, 3].map((t) => planWinograd4(t, { ...DEFAULT_BLOCKING, minFlopsPerThread: 0 }, g.C, OC, g.OH, g.OW, N));
        expect(plan.map((p) => (p.panels ? "P" : p.blocks ? "B" : `C${p.groups}`))).toEqual(schedule);
        // (Tiny blocks cut the products' sums differently: they are compared with each other.)
        const [one, two, three, tinyOne, tinyThree, noPanels, threePerTask] = devices.map((d) => bits(d, g, N, OC));
        expect(two).toEqual(one);
        expect(three).toEqual(one);
        expect(tinyThree).toEqual(tinyOne);
        expect(noPanels).toEqual(one);
        expect(threePerTask).toEqual(one);
      });
      it(`${label}: the fused epilogue has the bits of the plain call and applyConvEpilogue, on 1, 2 and 3 threads`, () => {
        for (const parts of EPILOGUE_PARTS) {
          const runs = devices.slice(0, 3).map((d) => epilogueBits(d, g, N, OC, parts));
          runs.forEach(({ fused, separate }, i) => {
            expect(`${parts}, ${i + 1} threads: ${firstDifference(fused, separate)}`).toBe(`${parts}, ${i + 1} threads: -1`);
            expect(fused).toEqual(runs[0]!.fused);
          });
        }
      });
    }
    it("leaves no buffer behind", () => {
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}

/** Index of the first element whose bits differ (-1 when none). */
function firstDifference(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

describe("the wasm device's choice of Winograd tile", () => {
  it("takes F(4×4) from 32 tiles of 4×4 over the batch (ResNet-18 layers 1–2 at batch 1, every layer at batch 8)", () => {
    expect(F4_MIN_TILES).toBe(32);
    const pick = (H: number, N: number) => pickWinogradTile("auto", H, H, N);
    expect([56, 28, 14, 7].map((H) => pick(H, 1))).toEqual([4, 4, 2, 2]);
    expect([56, 28, 14, 7].map((H) => pick(H, 8))).toEqual([4, 4, 4, 4]);
    expect([224, 112].map((H) => pick(H, 1))).toEqual([4, 4]);
    expect([31, 32].map((N) => pickWinogradTile("auto", 3, 2, N))).toEqual([2, 4]);
    expect(pickWinogradTile(2, 56, 56, 8)).toBe(2);
    expect(pickWinogradTile(4, 7, 7, 1)).toBe(4);
  });

  it("runs the tile it picks: 'auto' gives F(4×4)'s bits on a 28×28 plane and F(2×2)'s on 7×7; the option pins either", async () => {
    const devs = await Promise.all(([undefined, 2, 4] as const).map((t) => WasmDevice.create({ threads: 1, winogradTile: t, register: false })));
    const [auto, two, four] = devs as [WasmDevice, WasmDevice, WasmDevice];
    const big = geo(8, 28, 28, 1), small = geo(8, 7, 7, 1);
    expect(bits(auto, big, 1, 8)).toEqual(bits(four, big, 1, 8));
    expect(bits(auto, big, 1, 8)).not.toEqual(bits(two, big, 1, 8));
    expect(bits(auto, small, 1, 8)).toEqual(bits(two, small, 1, 8));
    expect(bits(four, small, 1, 8)).not.toEqual(bits(two, small, 1, 8));
    devs.forEach((d) => d.dispose());
  });

  it("rejects a winogradTile other than 'auto', 2 or 4, naming the option", async () => {
    await expect(WasmDevice.create({ threads: 1, winogradTile: 3 as unknown as 2, register: false })).rejects.toThrow(
      "wasmDevice: winogradTile must be 'auto', 2 or 4, got 3");
  });
});

describe("why the F(4×4) bound is relative to W, not to Σ|x·w|", () => {
  it("an output whose 3×3 window sees only zeros is exactly 0, yet F(4×4) leaves a rounding error there (within γ·W)", async () => {
    const dev = await WasmDevice.create({ threads: 1, winogradTile: 4, register: false });
    const g = geo(1, 6, 6, 0); // one tile: output 4×4 from one 6×6 patch
    const x = Float32Array.from({ length: 36 }, (_, i) => (i % 6 < 3 && i < 18 ? 0 : 1000 * counterNormal(41, i)));
    const w = normal(9, 42, 1);
    const [xb, wb, yb] = [dev.alloc(36), dev.alloc(9), dev.alloc(16)];
    dev.write(xb, x);
    dev.write(wb, w);
    dev.convForwardWinograd(g, 1, 1, xb, 0, 36, wb, 0, null, 0, yb, 0, 16);
    const y00 = (dev.readSync(yb) as Float32Array)[0]!;
    [xb, wb, yb].forEach((b) => dev.free(b));
    dev.dispose();
    const ref = f43Reference({ N: 1, C: 1, OC: 1, H: 6, W: 6, OH: 4, OW: 4, padTop: 0, padLeft: 0, x: (_n, _c, i, j) => x[i * 6 + j]!,
      w: (_o, _c, kh, kw) => w[kh * 3 + kw]! });
    expect([ref.y[0], ref.direct[0]]).toEqual([0, 0]);
    expect(Math.abs(y00)).toBeGreaterThan(0);
    expect(Math.abs(y00)).toBeLessThanOrEqual(f43Gamma(1) * ref.mag[0]!);
  });
});
