import { getDevice, JsDevice, type BinaryOp, type Device, type DeviceBuffer, type UnaryOp } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wasmDevice, type WasmDevice } from "./index.js";
import { UNARY_OPS } from "./layout.generated.js";

const SPECIAL = [0, -0, 1, -1, 0.5, -0.7, 0.7, -0.5, 3e38, -3e38, 1e-40, -1e-40, Infinity, -Infinity, NaN, 2, -2, 0.7];
/** Special values, then seeded data: 64 values, so the vector loops and their tails both run. */
const X = new Float32Array([...SPECIAL, ...testData(46, 5).map((v) => 4 * v)]);
const Y = new Float32Array([...SPECIAL.slice().reverse(), ...testData(46, 6).map((v) => 4 * v)]);
Y[3] = X[3]; // an equal pair for eq

/** Ops whose wasm vector path must equal the float64 reference bit for bit (NaN equal to NaN). */
const EXACT_UNARY: [UnaryOp, number, number][] = [
  ["copy", 0, 0], ["neg", 0, 0], ["abs", 0, 0], ["sign", 0, 0], ["sqrt", 0, 0], ["square", 0, 0], ["reciprocal", 0, 0], ["relu", 0, 0],
  ["step", 0, 0], ["leakyRelu", 0.25, 0], ["leakyRelu", 0.1, 0], ["clamp", -0.5, 0.7], ["inRange", -0.5, 0.7], ["inRange", -0.5, 0.25],
  // affine is computed in float64 (f64x2) and rounded once, as the reference does: parameters that
  // are not float32 values make a float32 computation differ in the last bit.
  ["affine", 1 / 3, 0.1], ["affine", -2, 0.5], ["affine", 1e-3, -7.3],
];
const EXACT_BINARY: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "minimum", "reluGrad", "eq"];

function same(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      throw new Error(`${what}: element ${i} (inputs ${X[i]}, ${Y[i]}) is ${got[i]}, expected ${want[i]}`);
    }
  }
}

describe("wasm elementwise routines on special values", () => {
  let dev: WasmDevice;
  const js = new JsDevice();
  beforeAll(async () => {
    dev = await wasmDevice({ threads: 1 });
  });

  function run(d: Device, body: (x: DeviceBuffer, y: DeviceBuffer, out: DeviceBuffer) => void): Float32Array {
    const [x, y, out] = [X, Y, new Float32Array(128)].map((v) => {
      const b = d.alloc(v.length);
      d.write(b, v);
      return b;
    });
    body(x, y, out);
    const r = (d as JsDevice).readSync(out) as Float32Array;
    for (const b of [x, y, out]) d.free(b);
    return r;
  }

  for (const [op, p0, p1] of EXACT_UNARY) {
    for (const stride of [1, 2]) {
      it(`unary ${op}(${p0}, ${p1}) ${stride === 1 ? "contiguous (vector path)" : "strided (scalar path)"} equals the reference exactly`, () => {
        const n = 64 / stride;
        const f = (d: Device) => run(d, (x, _y, out) => d.unary(op, [n], { buffer: x, offset: 0, strides: [stride] }, { buffer: out, offset: 1, strides: [stride] }, p0, p1));
        same(f(dev), f(js), op);
      });
    }
  }

  for (const op of EXACT_BINARY) {
    it(`binary ${op}, contiguous, broadcast and strided, equals the reference exactly`, () => {
      const f = (d: Device) => run(d, (x, y, out) => {
        d.binary(op, [64], { buffer: x, offset: 0, strides: [1] }, { buffer: y, offset: 0, strides: [1] }, { buffer: out, offset: 0, strides: [1] }, 0.3);
        d.binary(op, [8, 8], { buffer: x, offset: 5, strides: [0, 1] }, { buffer: y, offset: 0, strides: [8, 1] }, { buffer: out, offset: 64, strides: [8, 1] }, 0.3);
      });
      same(f(dev), f(js), op);
      const g = (d: Device) => run(d, (x, y, out) => d.binary(op, [32], { buffer: x, offset: 0, strides: [2] }, { buffer: y, offset: 63, strides: [-1] }, { buffer: out, offset: 0, strides: [3] }, 0.3));
      same(g(dev), g(js), `${op} strided`);
    });
  }

  it("evaluates a broadcast row (x stride 0 along it) once per row, with the bits of the element-by-element path, for every op", () => {
    for (const op of UNARY_OPS) {
      const x = dev.alloc(8), wide = dev.alloc(64), a = dev.alloc(64), b = dev.alloc(64);
      dev.write(x, X.slice(0, 8));
      dev.unary("copy", [8, 8], { buffer: x, offset: 0, strides: [1, 0] }, { buffer: wide, offset: 0, strides: [8, 1] });
      dev.unary(op, [8, 8], { buffer: x, offset: 0, strides: [1, 0] }, { buffer: a, offset: 0, strides: [8, 1] }, 0.3, 0.9);
      dev.unary(op, [8, 8], { buffer: wide, offset: 0, strides: [1, 8] }, { buffer: b, offset: 0, strides: [1, 8] }, 0.3, 0.9);
      same(dev.readSync(a), dev.readSync(b), `${op} broadcast row`);
      for (const buf of [x, wide, a, b]) dev.free(buf);
    }
  });

  it("fills float32 and int32 views", () => {
    const f = dev.alloc(10);
    const i = dev.alloc(10, "int32");
    dev.fill([2, 3], -1.5, { buffer: f, offset: 1, strides: [4, 1] });
    dev.fill([5], 7, { buffer: i, offset: 0, strides: [2] });
    expect(Array.from(dev.readSync(f))).toEqual([0, -1.5, -1.5, -1.5, 0, -1.5, -1.5, -1.5, 0, 0]);
    expect(Array.from(dev.readSync(i))).toEqual([7, 0, 7, 0, 7, 0, 7, 0, 7, 0]);
    dev.free(f);
    dev.free(i);
  });

  afterAll(() => dev.dispose());
});

describe("wasm device buffers", () => {
  let dev: WasmDevice;
  beforeAll(async () => {
    dev = await wasmDevice({ threads: 1 });
  });

  it("registers itself as 'wasm'", () => {
    expect(getDevice("wasm")).toBe(dev);
    expect(dev.name).toBe("wasm");
  });

  it("hands out zero-filled buffers, also when it reuses a freed block, and counts bytes", () => {
    const before = dev.bytesInUse();
    const a = dev.alloc(100);
    dev.write(a, new Float32Array(100).fill(3));
    const at = (a as unknown as { address: number }).address;
    dev.free(a);
    const b = dev.alloc(100);
    expect((b as unknown as { address: number }).address).toBe(at);
    expect(Array.from(dev.readSync(b)).every((v) => v === 0)).toBe(true);
    expect(dev.bytesInUse()).toBe(before + 400);
    dev.free(b);
    expect(dev.bytesInUse()).toBe(before);
  });

  it("rejects freed, foreign and mistyped buffers, naming the routine and argument", async () => {
    const a = dev.alloc(4);
    dev.free(a);
    expect(() => dev.free(a)).toThrow("free: buffer was freed");
    expect(() => dev.scopy(1, a, 1, 0, a, 1, 0)).toThrow("scopy: x was freed");
    const other = await wasmDevice({ threads: 1, register: false });
    const b = other.alloc(4);
    expect(() => dev.sscal(1, 2, b, 1, 0)).toThrow("sscal: x belongs to another wasm device");
    expect(() => dev.saxpy(1, 1, new JsDevice().alloc(1), 1, 0, b, 1, 0)).toThrow("saxpy: x must be a buffer of the 'wasm' device, got one of 'js'");
    const i = dev.alloc(4, "int32");
    expect(() => dev.sscal(1, 2, i, 1, 0)).toThrow("sscal: x must be a float32 buffer, got int32");
    expect(() => dev.write(i, [1, 2, 3, 4, 5])).toThrow(/write: data addresses elements \[0, 4\]/);
    expect(() => dev.unary("cube" as UnaryOp, [1], { buffer: i, offset: 0, strides: [1] }, { buffer: i, offset: 0, strides: [1] })).toThrow(/unary: op must be one of/);
    expect(() => dev.alloc(-1)).toThrow("alloc: length must be a non-negative integer, got -1");
    dev.free(i);
  });

  it("writes Float64Array and number[] data, and reads ranges", () => {
    const a = dev.alloc(5);
    dev.write(a, new Float64Array([1.5, 2.5]), 1);
    dev.write(a, [7], 4);
    expect(Array.from(dev.readSync(a, 1, 4))).toEqual([1.5, 2.5, 0, 7]);
    dev.free(a);
  });

  afterAll(() => dev.dispose());
});
