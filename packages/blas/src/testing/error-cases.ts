import type { BufferDType, DeviceBuffer, View } from "../device/buffer.js";
import type { Device } from "../device/device.js";
import type { Conv2dGeometry, Pool2dGeometry } from "../device/geometry.js";
import { JsDevice } from "../device/js/js-device.js";
import type { BinaryOp, RandomDistribution, ReduceOp, UnaryOp } from "../device/ops.js";
import type { Transpose } from "../types.js";
import type { ConformanceCase } from "./case.js";
import { withBuffers } from "./data.js";

// Bad calls of every Device routine: the device under test must throw exactly the reference
// device's error (type and message), since every device validates through @tessera/blas's
// DeviceContract. Arguments that are deliberately of the wrong type go through `bad`.

const reference = new JsDevice();

/** A buffer of a case: a length, or [length, dtype]. */
type BufferSpec = number | readonly [number, BufferDType];

interface ErrorSpec {
  readonly name: string;
  readonly buffers: readonly BufferSpec[];
  call(device: Device, b: DeviceBuffer[]): unknown;
}

/** An ill-typed argument, as plain JavaScript callers can pass one. */
function bad<T>(value: unknown): T {
  return value as T;
}

const view = (buffer: DeviceBuffer, strides: number[], offset = 0): View => ({ buffer, strides, offset });

/** The error a call throws, as `Name: message`, or null when it returns. */
async function thrown(device: Device, s: ErrorSpec): Promise<string | null> {
  let message: string | null = null;
  await withBuffers(device, async (t) => {
    const bufs = s.buffers.map((b) => (typeof b === "number" ? t.alloc(b) : t.alloc(b[0], b[1] as "float32" | "int32")));
    try {
      await s.call(device, bufs);
    } catch (e) {
      message = e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${String(e)}`;
    }
  });
  return message;
}

function errorCase(s: ErrorSpec): ConformanceCase {
  return {
    group: "errors",
    name: s.name,
    async run(device: Device) {
      const expected = await thrown(reference, s);
      if (expected === null) throw new Error(`${s.name}: the reference device accepted a bad call`);
      const got = await thrown(device, s);
      if (got !== expected) throw new Error(`${s.name}: device '${device.name}' threw ${JSON.stringify(got)}, the reference ${JSON.stringify(expected)}`);
    },
  };
}

const NT: Transpose = "no-transpose";

function pool(H: number, K: number, s: number, dil = 1): Pool2dGeometry {
  const O = Math.floor((H - dil * (K - 1) - 1) / s) + 1;
  return { H, W: H, KH: K, KW: K, strideH: s, strideW: s, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: dil, dilationW: dil, OH: O, OW: O };
}

const P4 = pool(4, 2, 2); // 4×4 → 2×2
const PD = pool(5, 2, 1, 2); // dilated: 5×5 → 3×3
const C3: Conv2dGeometry = { ...pool(4, 3, 1), C: 2 }; // 2×4×4 → 2×2, K = 18

function blasSpecs(): ErrorSpec[] {
  return [
    { name: "sgemm transA not a transpose flag", buffers: [4, 4, 4], call: (d, [a, b, c]) => d.sgemm(bad("T"), NT, 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0) },
    { name: "sgemm M negative", buffers: [4, 4, 4], call: (d, [a, b, c]) => d.sgemm(NT, NT, -1, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0) },
    { name: "sgemm A outside its buffer", buffers: [3, 4, 4], call: (d, [a, b, c]) => d.sgemm(NT, NT, 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0) },
    { name: "sgemm C stride not an integer", buffers: [4, 4, 4], call: (d, [a, b, c]) => d.sgemm(NT, NT, 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 1.5, 1, 0) },
    { name: "sgemm alpha not a number", buffers: [4, 4, 4], call: (d, [a, b, c]) => d.sgemm(NT, NT, 2, 2, 2, bad("1"), a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0) },
    { name: "sgemm B an int32 buffer", buffers: [4, [4, "int32"], 4], call: (d, [a, b, c]) => d.sgemm(NT, NT, 2, 2, 2, 1, a, 2, 1, 0, b, 2, 1, 0, 0, c, 2, 1, 0) },
    { name: "sgemv y outside its buffer", buffers: [6, 3, 1], call: (d, [a, x, y]) => d.sgemv(NT, 2, 3, 1, a, 3, 1, 0, x, 1, 0, 0, y, 1, 0) },
    { name: "sger M not an integer", buffers: [2, 2, 4], call: (d, [x, y, a]) => d.sger(1.5, 2, 1, x, 1, 0, y, 1, 0, a, 2, 1, 0) },
    { name: "saxpy N negative", buffers: [4, 4], call: (d, [x, y]) => d.saxpy(-1, 1, x, 1, 0, y, 1, 0) },
    { name: "sscal x outside its buffer", buffers: [4], call: (d, [x]) => d.sscal(3, 2, x, 2, 0) },
    { name: "scopy stride not an integer", buffers: [4, 4], call: (d, [x, y]) => d.scopy(2, x, 1.5, 0, y, 1, 0) },
    { name: "sswap y offset past the end", buffers: [4, 4], call: (d, [x, y]) => d.sswap(2, x, 1, 0, y, 1, 3) },
    { name: "sdot out offset past the end", buffers: [4, 4, 1], call: (d, [x, y, o]) => d.sdot(4, x, 1, 0, y, 1, 0, o, 1) },
    { name: "snrm2 N negative", buffers: [4, 1], call: (d, [x, o]) => d.snrm2(-2, x, 1, 0, o, 0) },
    { name: "sasum x outside its buffer", buffers: [4, 1], call: (d, [x, o]) => d.sasum(5, x, 1, 0, o, 0) },
    { name: "isamax out a float32 buffer", buffers: [4, 1], call: (d, [x, o]) => d.isamax(4, x, 1, 0, o, 0) },
  ];
}

function memorySpecs(): ErrorSpec[] {
  return [
    { name: "alloc length negative", buffers: [], call: (d) => d.alloc(-1) },
    { name: "alloc dtype unknown", buffers: [], call: (d) => d.alloc(2, bad("float16")) },
    { name: "write past the end", buffers: [4], call: (d, [b]) => d.write(b, [1, 2, 3], 2) },
    { name: "read past the end", buffers: [4], call: (d, [b]) => d.read(b, 2, 3) },
    { name: "free twice", buffers: [], call: (d) => { const b = d.alloc(2); d.free(b); d.free(b); } },
    { name: "a freed buffer as an argument", buffers: [4], call: (d, [y]) => { const x = d.alloc(4); d.free(x); d.unary("neg", [4], view(x, [1]), view(y, [1])); } },
  ];
}

function elementwiseSpecs(): ErrorSpec[] {
  return [
    { name: "fill value not a number", buffers: [4], call: (d, [y]) => d.fill([4], bad("1"), view(y, [1])) },
    { name: "fill y outside its buffer", buffers: [4], call: (d, [y]) => d.fill([5], 1, view(y, [1])) },
    { name: "unary op unknown", buffers: [4, 4], call: (d, [x, y]) => d.unary(bad<UnaryOp>("cube"), [4], view(x, [1]), view(y, [1])) },
    { name: "unary y outside its buffer", buffers: [4, 4], call: (d, [x, y]) => d.unary("relu", [2, 2], view(x, [2, 1]), view(y, [2, 1], 1)) },
    { name: "unary x not a view", buffers: [4], call: (d, [y]) => d.unary("relu", [4], bad(null), view(y, [1])) },
    { name: "unary x int32", buffers: [[4, "int32"], 4], call: (d, [x, y]) => d.unary("neg", [4], view(x, [1]), view(y, [1])) },
    { name: "unary p0 not a number", buffers: [4, 4], call: (d, [x, y]) => d.unary("leakyRelu", [4], view(x, [1]), view(y, [1]), bad("0.1")) },
    { name: "binary op unknown", buffers: [4, 4, 4], call: (d, [a, b, o]) => d.binary(bad<BinaryOp>("mod"), [4], view(a, [1]), view(b, [1]), view(o, [1])) },
    { name: "binary b with too few strides", buffers: [4, 4, 4], call: (d, [a, b, o]) => d.binary("add", [2, 2], view(a, [2, 1]), view(b, [1]), view(o, [2, 1])) },
    { name: "binary shape not an array", buffers: [4, 4, 4], call: (d, [a, b, o]) => d.binary("add", bad(4), view(a, [1]), view(b, [1]), view(o, [1])) },
  ];
}

function reduceSpecs(): ErrorSpec[] {
  const r = (op: string, shape: unknown, dims: number, xs: number[], ys: number[], yo = 0) =>
    (d: Device, [x, y]: DeviceBuffer[]) => d.reduce(bad<ReduceOp>(op), bad(shape), dims, view(x, xs), view(y, ys, yo));
  return [
    { name: "reduce op unknown", buffers: [8, 2], call: r("median", [2, 4], 1, [4, 1], [1]) },
    { name: "reduce shape not an array", buffers: [8, 2], call: r("sum", "2,4", 1, [4, 1], [1]) },
    { name: "reduce reduceDims not an integer", buffers: [8, 2], call: r("sum", [2, 4], 0.5, [4, 1], [1]) },
    { name: "reduce reduceDims above the rank", buffers: [8, 2], call: r("sum", [2, 4], 3, [4, 1], [1]) },
    { name: "reduce max over an empty dimension", buffers: [8, 2], call: r("max", [2, 0], 1, [4, 1], [1]) },
    { name: "reduce x outside its buffer", buffers: [7, 2], call: r("mean", [2, 4], 1, [4, 1], [1]) },
    { name: "reduce y outside its buffer", buffers: [8, 2], call: r("sum", [2, 4], 1, [4, 1], [1], 1) },
    { name: "reduce y int32", buffers: [8, [2, "int32"]], call: r("sum", [2, 4], 1, [4, 1], [1]) },
    { name: "reduce y not a view", buffers: [8], call: (d, [x]) => d.reduce("sum", [2, 4], 1, view(x, [4, 1]), bad(undefined)) },
    { name: "argmax reduceDims negative", buffers: [8, [2, "int32"]], call: (d, [x, y]) => d.argmax([2, 4], -1, view(x, [4, 1]), view(y, [1])) },
    { name: "argmax over an empty dimension", buffers: [8, [2, "int32"]], call: (d, [x, y]) => d.argmax([2, 0], 1, view(x, [4, 1]), view(y, [1])) },
    { name: "argmax y float32", buffers: [8, 2], call: (d, [x, y]) => d.argmax([2, 4], 1, view(x, [4, 1]), view(y, [1])) },
    { name: "softmax rows negative", buffers: [8, 8], call: (d, [x, y]) => d.softmax(-1, 4, view(x, [4, 1]), view(y, [4, 1]), false) },
    { name: "softmax log not a boolean", buffers: [8, 8], call: (d, [x, y]) => d.softmax(2, 4, view(x, [4, 1]), view(y, [4, 1]), bad("yes")) },
    { name: "softmax x outside its buffer", buffers: [7, 8], call: (d, [x, y]) => d.softmax(2, 4, view(x, [4, 1]), view(y, [4, 1]), true) },
  ];
}

function convSpecs(): ErrorSpec[] {
  // x: 2 images of 2×4×4 = 32 each; col: 18 rows of N·OH·OW = 8.
  return [
    { name: "im2col geometry C not an integer", buffers: [64, 144], call: (d, [x, c]) => d.im2col({ ...C3, C: 1.5 }, 2, x, 0, 32, c, 0, 8) },
    { name: "im2col output size inconsistent", buffers: [64, 144], call: (d, [x, c]) => d.im2col({ ...C3, OH: 3 }, 2, x, 0, 32, c, 0, 8) },
    { name: "im2col N negative", buffers: [64, 144], call: (d, [x, c]) => d.im2col(C3, -1, x, 0, 32, c, 0, 8) },
    { name: "im2col ldCol below N·OH·OW", buffers: [64, 144], call: (d, [x, c]) => d.im2col(C3, 2, x, 0, 32, c, 0, 7) },
    { name: "im2col ldCol not an integer", buffers: [64, 144], call: (d, [x, c]) => d.im2col(C3, 2, x, 0, 32, c, 0, 8.5) },
    { name: "im2col x outside its buffer", buffers: [63, 144], call: (d, [x, c]) => d.im2col(C3, 2, x, 0, 32, c, 0, 8) },
    { name: "im2col col outside its buffer", buffers: [64, 143], call: (d, [x, c]) => d.im2col(C3, 2, x, 0, 32, c, 0, 8) },
    { name: "col2im col outside its buffer", buffers: [143, 64], call: (d, [c, x]) => d.col2im(C3, 2, c, 0, 8, x, 0, 32) },
    { name: "col2im x stride not an integer", buffers: [144, 64], call: (d, [c, x]) => d.col2im(C3, 2, c, 0, 8, x, 0, 31.5) },
  ];
}

function poolSpecs(): ErrorSpec[] {
  // Two planes: x 2·16, y and argmax 2·4.
  return [
    { name: "maxPool2d output size inconsistent", buffers: [32, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d({ ...P4, OW: 3 }, 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d stride zero", buffers: [32, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d({ ...P4, strideH: 0 }, 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d geometry not an object", buffers: [32, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d(bad(null), 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d planes negative", buffers: [32, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d(P4, -2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d x outside its buffer", buffers: [31, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d(P4, 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d y offset past the end", buffers: [32, 8, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d(P4, 2, x, 0, y, 1, a, 0) },
    { name: "maxPool2d argmax float32", buffers: [32, 8, 8], call: (d, [x, y, a]) => d.maxPool2d(P4, 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2d x and y both too small", buffers: [31, 7, [8, "int32"]], call: (d, [x, y, a]) => d.maxPool2d(P4, 2, x, 0, y, 0, a, 0) },
    { name: "maxPool2dBackward dx outside its buffer", buffers: [8, [8, "int32"], 31], call: (d, [dy, a, dx]) => d.maxPool2dBackward(P4, 2, dy, 0, a, 0, dx, 0) },
    { name: "maxPool2dBackward dy and dx both too small", buffers: [7, [8, "int32"], 31], call: (d, [dy, a, dx]) => d.maxPool2dBackward(P4, 2, dy, 0, a, 0, dx, 0) },
    { name: "maxPool2dBackward argmax outside its buffer", buffers: [8, [7, "int32"], 32], call: (d, [dy, a, dx]) => d.maxPool2dBackward(P4, 2, dy, 0, a, 0, dx, 0) },
    { name: "avgPool2d dilation 2", buffers: [50, 18], call: (d, [x, y]) => d.avgPool2d(PD, 2, false, x, 0, y, 0) },
    { name: "avgPool2d dilation 2 and x too small", buffers: [49, 18], call: (d, [x, y]) => d.avgPool2d(PD, 2, false, x, 0, y, 0) },
    { name: "avgPool2d countIncludePad not a boolean", buffers: [32, 8], call: (d, [x, y]) => d.avgPool2d(P4, 2, bad(1), x, 0, y, 0) },
    { name: "avgPool2d y outside its buffer", buffers: [32, 7], call: (d, [x, y]) => d.avgPool2d(P4, 2, true, x, 0, y, 0) },
    { name: "avgPool2dBackward dy outside its buffer", buffers: [7, 32], call: (d, [dy, dx]) => d.avgPool2dBackward(P4, 2, true, dy, 0, dx, 0) },
    { name: "avgPool2dBackward dilation 2", buffers: [18, 50], call: (d, [dy, dx]) => d.avgPool2dBackward(PD, 2, true, dy, 0, dx, 0) },
  ];
}

function randomSpecs(): ErrorSpec[] {
  const f = (dist: string, seed: number, counter: number, N: number, oy: number, p0: unknown, p1: unknown) =>
    (d: Device, [y]: DeviceBuffer[]) => d.fillRandom(bad<RandomDistribution>(dist), seed, counter, N, y, oy, bad(p0), bad(p1));
  return [
    { name: "fillRandom dist unknown", buffers: [8], call: f("gamma", 1, 0, 8, 0, 0, 1) },
    { name: "fillRandom seed not an integer", buffers: [8], call: f("uniform", 1.5, 0, 8, 0, 0, 1) },
    { name: "fillRandom counter not an integer", buffers: [8], call: f("normal", 1, 0.5, 8, 0, 0, 1) },
    { name: "fillRandom N negative", buffers: [8], call: f("uniform", 1, 0, -1, 0, 0, 1) },
    { name: "fillRandom y outside its buffer", buffers: [8], call: f("bernoulli", 1, 0, 8, 1, 0.5, 2) },
    { name: "fillRandom p0 not a number", buffers: [8], call: f("uniform", 1, 0, 8, 0, "0", 1) },
    { name: "fillRandom p1 not a number", buffers: [8], call: f("normal", 1, 0, 8, 0, 0, null) },
    { name: "fillRandom y int32", buffers: [[8, "int32"]], call: f("uniform", 1, 0, 8, 0, 0, 1) },
  ];
}

/**
 * Bad calls of every Device routine (dimensions, strides, views outside their buffers, op names,
 * geometry, distributions, dtypes, ill-typed scalars): each case checks that the device throws
 * exactly the error the reference device throws, so every device gives the same message.
 *
 * @example
 * ```ts
 * import { errorCases } from "@tessera/blas/testing";
 * import { jsDevice } from "@tessera/blas";
 * for (const c of errorCases()) await c.run(jsDevice);
 * ```
 */
export function errorCases(): ConformanceCase[] {
  return [...memorySpecs(), ...blasSpecs(), ...elementwiseSpecs(), ...reduceSpecs(), ...convSpecs(), ...poolSpecs(), ...randomSpecs()].map(errorCase);
}
