import type { Conv2dGeometry, DeviceBuffer, Pool2dGeometry, View } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WasmDevice } from "./wasm-device.js";

/** Seeded data with NaNs, infinities, signed zeros and ties sprinkled in (pooling and reductions must treat them alike). */
function data(n: number, seed: number): Float32Array {
  const d = testData(n, seed).map((v) => Math.round(v * 64) / 16);
  const special = [NaN, Infinity, -Infinity, -0, 0];
  for (let i = 0; i < n; i += 97) d[i] = special[(i / 97) % special.length];
  return d;
}

/** A square window; `extra` more padding below and on the right is how ceil mode reaches the geometry. */
function pool(H: number, W: number, k: number, s: number, pad: number, extra = 0): Pool2dGeometry {
  const out = (n: number) => Math.floor((n + 2 * pad + extra - k) / s) + 1;
  return {
    H, W, KH: k, KW: k, strideH: s, strideW: s, padTop: pad, padLeft: pad, padBottom: pad + extra, padRight: pad + extra, dilationH: 1, dilationW: 1,
    OH: out(H), OW: out(W),
  };
}

/** N, C, H, W of a BatchNorm-like activation: odd sizes, so rows and chunks are ragged. */
const [N, C, H, W] = [3, 5, 13, 11];
const SIZE = N * C * H * W;
const v = (buffer: DeviceBuffer, strides: number[], offset = 0): View => ({ buffer, offset, strides });
const NCHW = [C * H * W, H * W, W, 1];

/** Every split routine on odd shapes; returns the bits of each result, named. */
function results(dev: WasmDevice): Map<string, Uint32Array> {
  const out = new Map<string, Uint32Array>();
  const bits = (b: DeviceBuffer) => new Uint32Array((dev.readSync(b) as Float32Array | Int32Array).slice().buffer);
  const buf = (n: number, seed: number, dtype: "float32" | "int32" = "float32") => {
    const b = dev.alloc(n, dtype);
    if (dtype === "float32") dev.write(b, data(n, seed));
    return b;
  };
  const x = buf(SIZE, 1), y = buf(SIZE, 2), ch = buf(C, 3), z = buf(SIZE, 4);
  const run = (name: string, body: (o: DeviceBuffer) => void, n = SIZE, dtype: "float32" | "int32" = "float32") => {
    const o = buf(n, 9, dtype);
    body(o);
    out.set(name, bits(o));
    dev.free(o);
  };
  const chan = v(ch, [0, 1, 0, 0]);
  for (const [op, p0, p1] of [["relu", 0, 0], ["exp", 0, 0], ["affine", 1 / 3, 0.1], ["sqrt", 0, 0], ["leakyRelu", 0.1, 0]] as const) {
    run(`unary ${op}`, (o) => dev.unary(op, [N, C, H, W], v(x, NCHW), v(o, NCHW), p0, p1));
  }
  run("unary strided (every other element)", (o) => dev.unary("neg", [SIZE >> 1], v(x, [2]), v(o, [2])));
  run("unary broadcast per channel", (o) => dev.unary("sigmoid", [N, C, H, W], chan, v(o, NCHW)));
  run("unary transposed", (o) => dev.unary("square", [N, C, H * W], v(x, [C * H * W, 1, C]), v(o, [C * H * W, H * W, 1])));
  for (const op of ["add", "sub", "mul", "div", "maximum", "pow", "reluGrad"] as const) {
    run(`binary ${op} by a channel vector`, (o) => dev.binary(op, [N, C, H, W], v(x, NCHW), chan, v(o, NCHW)));
    run(`binary ${op} of two tensors`, (o) => dev.binary(op, [N, C, H, W], v(x, NCHW), v(y, NCHW), v(o, NCHW)));
  }
  run("binary in place", (o) => {
    dev.scopy(SIZE, x, 1, 0, o, 1, 0);
    dev.binary("add", [SIZE], v(o, [1]), v(z, [1]), v(o, [1]));
  });
  const copied = (o: DeviceBuffer) => dev.scopy(SIZE, x, 1, 0, o, 1, 0);
  run("saxpy", (o) => (copied(o), dev.saxpy(SIZE, 1 / 3, y, 1, 0, o, 1, 0)));
  run("saxpy with y = x", (o) => (copied(o), dev.saxpy(SIZE, -0.7, o, 1, 0, o, 1, 0)));
  // y overlaps x one element on: the result depends on the order, so it must stay on one thread.
  run("saxpy with y overlapping x", (o) => (copied(o), dev.saxpy(SIZE - 1, 0.5, o, 1, 0, o, 1, 1)));
  run("saxpy strided", (o) => (copied(o), dev.saxpy(SIZE >> 1, 2.5, y, 2, 0, o, 2, 1)));
  run("sscal", (o) => (copied(o), dev.sscal(SIZE, 1.1, o, 1, 0)));
  run("fill a strided view", (o) => dev.fill([N * C * H, W - 3], 0.25, v(o, [W, 1], 2)));
  // BatchNorm's statistics: reduce N, H, W keeping C (x permuted to [C, N, H·W]).
  for (const op of ["sum", "mean", "sumSquares", "max", "min"] as const) {
    run(`reduce ${op} keeping channels`, (o) => dev.reduce(op, [C, N, H * W], 2, v(x, [H * W, C * H * W, 1]), v(o, [1])), C);
    run(`reduce ${op} of rows`, (o) => dev.reduce(op, [N * C * H, W], 1, v(x, [W, 1]), v(o, [1])), N * C * H);
  }
  run("argmax of rows", (o) => dev.argmax([N * C, H * W], 1, v(x, [H * W, 1]), v(o, [1])), N * C, "int32");
  const planes = N * C;
  for (const [label, g] of [
    ["3×3/2 pad 1 (ResNet stem)", pool(H, W, 3, 2, 1)], ["2×2/2", pool(12, 10, 2, 2, 0)], ["2×2/2 ceil mode", pool(H, W, 2, 2, 0, 1)],
    ["3×3/2 no pad (AlexNet)", pool(H, W, 3, 2, 0)], ["3×3/1 pad 1", pool(H, W, 3, 1, 1)],
  ] as const) {
    const P = g.OH * g.OW, HW = g.H * g.W;
    const arg = dev.alloc(planes * P, "int32");
    run(`maxPool ${label}`, (o) => dev.maxPool2d(g, planes, x, 0, o, 0, arg, 0), planes * P);
    out.set(`maxPool ${label} argmax`, bits(arg));
    run(`maxPool backward ${label}`, (o) => dev.maxPool2dBackward(g, planes, y, 0, arg, 0, o, 0), planes * HW);
    run(`avgPool ${label}`, (o) => dev.avgPool2d(g, planes, true, x, 0, o, 0), planes * P);
    run(`avgPool backward ${label}`, (o) => dev.avgPool2dBackward(g, planes, false, y, 0, o, 0), planes * HW);
    dev.free(arg);
  }
  const cg: Conv2dGeometry = { C, H, W, KH: 3, KW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationH: 1, dilationW: 1, OH: 7, OW: 6 };
  const K = C * 9, P = cg.OH * cg.OW;
  run("im2col", (o) => dev.im2col(cg, N, x, 0, C * H * W, o, 0, N * P), K * N * P);
  const col = buf(K * N * P, 5);
  run("col2im", (o) => dev.col2im(cg, N, col, 0, N * P, o, 0, C * H * W), SIZE);
  for (const b of [x, y, ch, z, col]) dev.free(b);
  return out;
}

for (const minElementsPerThread of [0, 64, 2000]) {
  describe(`split routines give 1, 2 and 3 threads the same bits (minElementsPerThread ${minElementsPerThread})`, () => {
    const devices: WasmDevice[] = [];
    beforeAll(async () => {
      for (const threads of [1, 2, 3]) devices.push(await WasmDevice.create({ threads, blocking: { minElementsPerThread }, register: false }));
    });
    afterAll(() => devices.forEach((d) => d.dispose()));

    it("for every routine", () => {
      const [one, two, three] = devices.map(results);
      expect(one.size).toBeGreaterThan(60);
      for (const [name, want] of one) {
        expect(two.get(name), `2 threads: ${name}`).toEqual(want);
        expect(three.get(name), `3 threads: ${name}`).toEqual(want);
      }
      for (const d of devices) expect(d.bytesInUse()).toBe(0);
    });
  });
}
