import type { Conv2dGeometry } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmDevice } from "./wasm-device.js";

/** Geometry of one group with the output size from the course's formula. */
function geometry(C: number, H: number, W: number, k: number, stride = 1, pad = 0, dilation = 1): Conv2dGeometry {
  const out = (n: number) => Math.floor((n + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
  return {
    C, H, W, KH: k, KW: k, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad,
    dilationH: dilation, dilationW: dilation, OH: out(H), OW: out(W),
  };
}

/** Cases: LeNet-5 conv2 and conv1 (padded), a single image cut into pixel chunks, a strided dilated one, a long K (channel blocks). */
const CASES: { label: string; N: number; OC: number; g: Conv2dGeometry }[] = [
  { label: "LeNet-5 conv2, 9 images", N: 9, OC: 16, g: geometry(6, 14, 14, 5) },
  { label: "LeNet-5 conv1, 5 images, pad 2", N: 5, OC: 6, g: geometry(1, 28, 28, 5, 1, 2) },
  { label: "one 3×40×37 image, 13 channels, pad 1", N: 1, OC: 13, g: geometry(3, 40, 37, 3, 1, 1) },
  { label: "stride 2, dilation 2, pad 3", N: 3, OC: 11, g: geometry(2, 23, 19, 3, 2, 3, 2) },
  { label: "K = 4608 (channel-panel blocks)", N: 2, OC: 40, g: geometry(512, 4, 4, 3, 1, 1) },
  { label: "one 64×7×7 image (P = 49), OC 52: channel blocks, OC not a multiple of 8", N: 1, OC: 52, g: geometry(64, 7, 7, 3, 1, 1) },
  { label: "P = 2 (< 4), 3 images, OC 19", N: 3, OC: 19, g: geometry(5, 2, 3, 2) },
  { label: "P = 1, a 1×1 kernel, OC 30", N: 1, OC: 30, g: geometry(24, 1, 1, 1) },
  { label: "K = 18432, P = 9", N: 1, OC: 20, g: geometry(2048, 3, 3, 3, 1, 1) },
];

/** Runs a case through convForward (fused) or im2col + sgemm + bias (lowered); returns y's bits. */
function run(dev: WasmDevice, c: (typeof CASES)[number], how: "fused" | "lowered"): Uint32Array {
  const { N, OC, g } = c;
  const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  const x = dev.alloc(N * CHW), w = dev.alloc(OC * K), b = dev.alloc(OC), y = dev.alloc(N * OC * P), col = dev.alloc(K * P);
  dev.write(x, testData(N * CHW, 1));
  dev.write(w, testData(OC * K, 2));
  dev.write(b, testData(OC, 3));
  if (how === "fused") {
    expect(dev.convForward(g, N, OC, x, 0, CHW, w, 0, b, 0, y, 0, OC * P)).toBe(true);
  } else {
    for (let n = 0; n < N; n++) {
      dev.im2col(g, 1, x, n * CHW, CHW, col, 0, P);
      dev.sgemm("no-transpose", "no-transpose", OC, P, K, 1, w, K, 1, 0, col, P, 1, 0, 0, y, P, 1, n * OC * P);
      const yv = { buffer: y, offset: n * OC * P, strides: [P, 1] };
      dev.binary("add", [OC, P], yv, { buffer: b, offset: 0, strides: [1, 0] }, yv);
    }
  }
  const bits = new Uint32Array((dev.readSync(y) as Float32Array).slice().buffer);
  for (const buf of [x, w, b, y, col]) dev.free(buf);
  return bits;
}

for (const simd of ["plain", "relaxed"] as const) {
  describe(`convForward, the implicit GEMM (${simd} SIMD)`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, blocking: { minFlopsPerThread: 0 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));

    for (const c of CASES) {
      it(`${c.label}: the same bits for 1, 2 and 3 threads`, () => {
        const [one, two, three] = devices.map((d) => run(d, c, "fused"));
        expect(two).toEqual(one);
        expect(three).toEqual(one);
      });
    }

    // With K within one K block of sgemm (KC = 256), both sum k in order with the same multiply-add
    // (not for P = 1, where sgemm is a matrix-vector product that sums in another order).
    for (const c of CASES.filter((k) => k.g.C * k.g.KH * k.g.KW <= 256 && k.g.OH * k.g.OW > 1)) {
      it(`${c.label}: the same bits as im2col + sgemm`, () => {
        expect(run(devices[1], c, "fused")).toEqual(run(devices[0], c, "lowered"));
      });
    }

    it("leaves no buffer behind", () => {
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}

/**
 * Index of the first element whose bits differ (or -1, or the shorter length): a plain loop, since
 * a deep equality of 184 K elements took seconds on a busy machine.
 */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return i;
  return x.length === y.length ? -1 : Math.min(x.length, y.length);
}

/** dw (starting from seeded values) after convBackwardFilter (fused) or per-image im2col + sgemm (lowered). */
function runFilter(dev: WasmDevice, c: (typeof CASES)[number], how: "fused" | "lowered"): Float32Array {
  const { N, OC, g } = c;
  const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  const x = dev.alloc(N * CHW), dy = dev.alloc(N * OC * P), dw = dev.alloc(OC * K), col = dev.alloc(K * P);
  dev.write(x, testData(N * CHW, 4));
  dev.write(dy, testData(N * OC * P, 5));
  dev.write(dw, testData(OC * K, 6));
  if (how === "fused") {
    expect(dev.convBackwardFilter(g, N, OC, x, 0, CHW, dy, 0, OC * P, dw, 0)).toBe(true);
  } else {
    for (let n = 0; n < N; n++) {
      dev.im2col(g, 1, x, n * CHW, CHW, col, 0, P);
      dev.sgemm("no-transpose", "transpose", OC, K, P, 1, dy, P, 1, n * OC * P, col, P, 1, 0, 1, dw, K, 1, 0);
    }
  }
  const out = (dev.readSync(dw) as Float32Array).slice();
  for (const buf of [x, dy, dw, col]) dev.free(buf);
  return out;
}

for (const simd of ["plain", "relaxed"] as const) {
  describe(`convBackwardFilter, the implicit GEMM (${simd} SIMD)`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, simd, blocking: { minFlopsPerThread: 0 }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));

    for (const c of CASES) {
      it(`${c.label}: the same bits for 1, 2 and 3 threads, and im2col + sgemm's sums to float32 rounding`, () => {
        const [one, two, three] = devices.map((d) => runFilter(d, c, "fused"));
        expect(firstDifference(two, one)).toBe(-1);
        expect(firstDifference(three, one)).toBe(-1);
        const lowered = runFilter(devices[0], c, "lowered");
        // The sums run over N·OH·OW products in another order: compare against their magnitude.
        const scale = Math.sqrt(c.N * c.g.OH * c.g.OW);
        // One expect over the elements out of tolerance (an expect per element took seconds for K = 4608).
        const off = Array.from(one, (v, i) => i).filter((i) => !(Math.abs(one[i] - lowered[i]) <= 1e-5 * scale * Math.max(1, Math.abs(lowered[i]))));
        expect(off.map((i) => `dw[${i}]: ${one[i]} vs ${lowered[i]}`)).toEqual([]);
      });
    }

    it("declines a job whose scratch exceeds 64 MiB, leaving dw untouched", () => {
      const dev = devices[0];
      const g = geometry(1, 1024, 1024, 1);
      // Two images of 2^20 pixels: dY transposed into an 8-channel panel (32 MiB each) and the pixel table.
      const x = dev.alloc(2 << 20), dy = dev.alloc(2 << 20), dw = dev.alloc(1);
      dev.write(dw, [0.5]);
      expect(dev.convBackwardFilter(g, 2, 1, x, 0, 1 << 20, dy, 0, 1 << 20, dw, 0)).toBe(false);
      expect(Array.from(dev.readSync(dw))).toEqual([0.5]);
      for (const buf of [x, dy, dw]) dev.free(buf);
    });

    it("leaves no buffer behind", () => {
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}

/** 'Same'-size cases where the fused backward-data runs. */
const SAME_CASES: (typeof CASES)[number][] = [
  { label: "8 channels, 12×13, pad 1", N: 3, OC: 10, g: geometry(8, 12, 13, 3, 1, 1) },
  { label: "16 channels, 9×9, dilation 2, pad 2", N: 2, OC: 5, g: geometry(16, 9, 9, 3, 1, 2, 2) },
  { label: "one 44-channel 7×7 image (P = 49), 36 output channels: channel blocks of dx", N: 1, OC: 36, g: geometry(44, 7, 7, 3, 1, 1) },
  { label: "2×2 kernel (4 taps), 16 channels, 9×9", N: 2, OC: 12, g: geometry(16, 9, 9, 2) },
  { label: "5×5 kernel (25 taps), 8 channels, 10×10, pad 2", N: 1, OC: 6, g: geometry(8, 10, 10, 5, 1, 2) },
];

/** dx (starting from seeded values) after convBackwardData (fused) or per-image sgemm + col2im (lowered). */
function runData(dev: WasmDevice, c: (typeof CASES)[number], how: "fused" | "lowered"): Float32Array {
  const { N, OC, g } = c;
  const CHW = g.C * g.H * g.W, K = g.C * g.KH * g.KW, P = g.OH * g.OW;
  const w = dev.alloc(OC * K), dy = dev.alloc(N * OC * P), dx = dev.alloc(N * CHW), col = dev.alloc(K * P);
  dev.write(w, testData(OC * K, 8));
  dev.write(dy, testData(N * OC * P, 9));
  dev.write(dx, testData(N * CHW, 10));
  if (how === "fused") {
    expect(dev.convBackwardData(g, N, OC, w, 0, dy, 0, OC * P, dx, 0, CHW)).toBe(true);
  } else {
    for (let n = 0; n < N; n++) {
      dev.sgemm("transpose", "no-transpose", K, P, OC, 1, w, K, 1, 0, dy, P, 1, n * OC * P, 0, col, P, 1, 0);
      dev.col2im(g, 1, col, 0, P, dx, n * CHW, CHW);
    }
  }
  const out = (dev.readSync(dx) as Float32Array).slice();
  for (const buf of [w, dy, dx, col]) dev.free(buf);
  return out;
}

describe("convBackwardData, the forward implicit GEMM over the padded dy", () => {
  const devices: WasmDevice[] = [];
  beforeAll(async () => {
    for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, blocking: { minFlopsPerThread: 0 }, register: false }));
  });
  afterAll(() => devices.forEach((d) => d.dispose()));

  for (const c of SAME_CASES) {
    it(`${c.label}: the same bits for 1, 2 and 3 threads, and the lowering's sums to float32 rounding`, () => {
      const [one, two, three] = devices.map((d) => runData(d, c, "fused"));
      expect(firstDifference(two, one)).toBe(-1);
      expect(firstDifference(three, one)).toBe(-1);
      const lowered = runData(devices[0], c, "lowered");
      const off = Array.from(one, (v, i) => i).filter((i) => !(Math.abs(one[i] - lowered[i]) <= 1e-5 * Math.max(1, Math.abs(lowered[i]))));
      expect(off.map((i) => `dx[${i}]: ${one[i]} vs ${lowered[i]}`)).toEqual([]);
    });
  }

  it("declines stride 2 and LeNet-5 conv2 (few channels, half of the taps on padding), leaving dx untouched", () => {
    const dev = devices[0];
    for (const [g, OC] of [[geometry(8, 12, 12, 3, 2, 1), 4], [geometry(6, 14, 14, 5), 16]] as const) {
      const CHW = g.C * g.H * g.W, P = g.OH * g.OW;
      const w = dev.alloc(OC * g.C * 9 * 3), dy = dev.alloc(OC * P), dx = dev.alloc(CHW);
      dev.write(dx, testData(CHW, 11));
      expect(dev.convBackwardData(g, 1, OC, w, 0, dy, 0, OC * P, dx, 0, CHW)).toBe(false);
      expect(Array.from(dev.readSync(dx))).toEqual(Array.from(testData(CHW, 11)));
      for (const buf of [w, dy, dx]) dev.free(buf);
    }
  });

  it("names dx and dy in its errors", () => {
    const dev = devices[0];
    const g = geometry(8, 6, 6, 3, 1, 1);
    const w = dev.alloc(4 * 72), dy = dev.alloc(4 * 36), dx = dev.alloc(8 * 36);
    expect(() => dev.convBackwardData(g, 1, 4, w, 0, dy, 1, 144, dx, 0, 288)).toThrow(/convBackwardData: .*dy/);
    expect(() => dev.convBackwardData(g, 1, 4, w, 0, dy, 0, 144, dx, 1, 288)).toThrow(/convBackwardData: .*dx/);
    for (const buf of [w, dy, dx]) dev.free(buf);
    expect(dev.bytesInUse()).toBe(0);
  });
});

describe("fused convolutions on degenerate shapes and a pool with jobs of every width", () => {
  let dev: WasmDevice;
  let one: WasmDevice;
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 3, blocking: { minFlopsPerThread: 0 }, register: false });
    one = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => {
    dev.dispose();
    one.dispose();
  });

  it("declines K = 0 (no input channel) in convForward and adds nothing for OC = 0 in the backward passes", () => {
    const g0 = geometry(0, 3, 3, 1);
    const x = dev.alloc(1), w = dev.alloc(1), y = dev.alloc(36);
    dev.write(y, testData(36, 12));
    expect(dev.convForward(g0, 2, 2, x, 0, 0, w, 0, null, 0, y, 0, 18)).toBe(false);
    expect(Array.from(dev.readSync(y))).toEqual(Array.from(testData(36, 12)));
    const g = geometry(8, 4, 4, 3, 1, 1);
    const dx = dev.alloc(128), dw = dev.alloc(1);
    dev.write(dx, testData(128, 13));
    expect(dev.convBackwardData(g, 1, 0, w, 0, y, 0, 0, dx, 0, 128)).toBe(true);
    expect(dev.convBackwardFilter(g, 1, 0, dx, 0, 128, y, 0, 0, dw, 0)).toBe(true);
    expect(Array.from(dev.readSync(dx))).toEqual(Array.from(testData(128, 13)));
    for (const buf of [x, w, y, dx, dw]) dev.free(buf);
  });

  it("gives the single-thread bits over 300 jobs that alternate between 1, 2 and 3 threads", () => {
    // Jobs narrower than the pool leave a worker idle; a late wake-up of that worker must not run
    // the next job twice (the pool's per-worker assignment).
    const shapes = [1, 2, 3].map((N) => ({ label: "", N, OC: 8, g: geometry(2, 6, 5, 3, 1, 1) }));
    const expected = shapes.map((c) => run(one, c, "fused"));
    for (let i = 0; i < 300; i++) {
      const k = i % 3;
      expect(run(dev, shapes[k], "fused"), `job ${i} (${shapes[k].N} images)`).toEqual(expected[k]);
    }
  });
});

describe("convBackwardFilter arguments", () => {
  let dev: WasmDevice;
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => dev.dispose());
  const g = geometry(2, 6, 6, 3);

  it("names the buffer that is too small", () => {
    const x = dev.alloc(2 * 72), dy = dev.alloc(2 * 4 * 16), dw = dev.alloc(4 * 18);
    expect(() => dev.convBackwardFilter(g, 2, 4, x, 0, 72, dy, 1, 64, dw, 0)).toThrow(/convBackwardFilter: .*dy/);
    expect(() => dev.convBackwardFilter(g, 2, 4, x, 0, 72, dy, 0, 64, dw, 1)).toThrow(/convBackwardFilter: .*dw/);
    expect(() => dev.convBackwardFilter(g, 2, 4, x, 1, 72, dy, 0, 64, dw, 0)).toThrow(/convBackwardFilter: .*x/);
    for (const buf of [x, dy, dw]) dev.free(buf);
  });
});

describe("convForward arguments", () => {
  let dev: WasmDevice;
  let other: WasmDevice;
  beforeAll(async () => {
    dev = await WasmDevice.create({ threads: 1, register: false });
    other = await WasmDevice.create({ threads: 1, register: false });
  });
  afterAll(() => {
    dev.dispose();
    other.dispose();
  });
  const g = geometry(2, 6, 6, 3);

  it("names the buffer that is too small, with its shape", () => {
    const x = dev.alloc(2 * 72), w = dev.alloc(4 * 18), y = dev.alloc(2 * 4 * 16);
    expect(() => dev.convForward(g, 2, 4, x, 0, 72, w, 0, null, 0, y, 1, 64)).toThrow(/convForward: .*y/);
    expect(() => dev.convForward(g, 2, 5, x, 0, 72, w, 0, null, 0, y, 0, 80)).toThrow(/convForward: .*w/);
    expect(() => dev.convForward(g, 3, 4, x, 0, 72, w, 0, null, 0, y, 0, 64)).toThrow(/convForward: .*x/);
    const b = dev.alloc(3);
    expect(() => dev.convForward(g, 2, 4, x, 0, 72, w, 0, b, 0, y, 0, 64)).toThrow(/convForward: .*bias/);
    const foreign = other.alloc(2 * 72);
    expect(() => dev.convForward(g, 2, 4, foreign, 0, 72, w, 0, null, 0, y, 0, 64)).toThrow(/convForward: x belongs to another wasm device/);
    expect(() => dev.convForward({ ...g, OH: 5 }, 2, 4, x, 0, 72, w, 0, null, 0, y, 0, 64)).toThrow(/convForward/);
    expect(() => dev.convForward(g, 2, 0.5, x, 0, 72, w, 0, null, 0, y, 0, 64)).toThrow(/convForward: OC/);
    for (const buf of [x, w, y, b]) dev.free(buf);
    other.free(foreign);
  });

  it("does nothing for N = 0", () => {
    const x = dev.alloc(1), w = dev.alloc(4 * 18), y = dev.alloc(1);
    expect(dev.convForward(g, 0, 4, x, 0, 72, w, 0, null, 0, y, 0, 64)).toBe(true);
    expect(Array.from(dev.readSync(y))).toEqual([0]);
    for (const buf of [x, w, y]) dev.free(buf);
  });
});
