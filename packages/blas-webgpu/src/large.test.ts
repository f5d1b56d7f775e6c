import { JsDevice, refBlas, type Device, type DeviceBuffer, type HostArray, type View } from "@tessera/blas";
import { assertClose, assertWithin, FLOAT32_UNIT_ROUNDOFF, GEMM_ERROR_FACTOR, testData } from "@tessera/blas/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webgpuDevice, type WebGpuDevice } from "./index.js";

// Sizes beyond the battery's: launches folded into 2-D grids (more than 65535 workgroups),
// reductions longer than a workgroup, long softmax rows, the random fill over a wrapping counter.

/** Relative tolerance of float32 sums of thousands of terms against the float64 reference. */
const SUM_RTOL = 1e-5;
/** Relative/absolute tolerance of the random fill (the battery's). */
const RANDOM_TOL = 1e-5;

const reference = new JsDevice({ reference: true });
let dev: WebGpuDevice;
beforeAll(async () => {
  dev = await webgpuDevice({ register: false });
});
afterAll(() => dev.dispose());

const v = (buffer: DeviceBuffer, strides: number[], offset = 0): View => ({ buffer, strides, offset });

/** Runs `body` on both devices with buffers holding `inputs`; returns the buffers at `outputs`, reference first. */
async function both(inputs: HostArray[], outputs: number[], body: (d: Device, b: DeviceBuffer[]) => void): Promise<[HostArray[], HostArray[]]> {
  const out: HostArray[][] = [];
  for (const d of [reference, dev] as Device[]) {
    const bufs = inputs.map((data) => {
      const b = d.alloc(data.length, data instanceof Int32Array ? "int32" : "float32");
      d.write(b, data);
      return b;
    });
    body(d, bufs);
    out.push(await Promise.all(outputs.map((i) => d.read(bufs[i]))));
    for (const b of bufs) d.free(b);
  }
  return [out[0], out[1]];
}

describe("launch grids beyond 65535 workgroups per dimension", () => {
  it("fills 9 million elements (a 2-D grid of 128-invocation groups)", async () => {
    const n = 9_000_000;
    const b = dev.alloc(n);
    dev.fill([n], 2.5, v(b, [1]));
    const tail = await dev.read(b, n - 1000, 1000);
    expect(tail.every((x) => x === 2.5)).toBe(true);
    dev.free(b);
  });

  it("reduces 70000 rows, one workgroup each", async () => {
    const rows = 70_000, cols = 40;
    const [[e], [g]] = await both([testData(rows * cols, 5), new Float32Array(rows)], [1], (d, [x, y]) =>
      d.reduce("sum", [rows, cols], 1, v(x, [cols, 1]), v(y, [1])));
    assertClose("row sums", g, e, SUM_RTOL);
  });
});

describe("long reductions", () => {
  const n = 100_003;
  const x = testData(2 * n + 1, 9);
  const y = testData(n + 7, 10);

  it("sdot, snrm2, sasum, isamax over 100003 strided elements stay within the battery's bounds", async () => {
    const [e, g] = await both([x, y, new Float32Array(3), new Int32Array(1)], [2, 3], (d, [xb, yb, out, idx]) => {
      d.sdot(n, xb, -2, 2 * n, yb, 1, 3, out, 0);
      d.snrm2(n, xb, 2, 1, out, 1);
      d.sasum(n, xb, 2, 1, out, 2);
      d.isamax(n, xb, 2, 1, idx, 0);
    });
    let absDot = 0;
    for (let i = 0; i < n; i++) absDot += Math.abs(x[2 * n - 2 * i] * y[3 + i]);
    assertWithin("sdot", [g[0][0]], [e[0][0]], () => GEMM_ERROR_FACTOR * (n + 2) * FLOAT32_UNIT_ROUNDOFF * absDot);
    assertWithin("snrm2, sasum", g[0].slice(1), e[0].slice(1), (i) => (n + 2) * 4 * FLOAT32_UNIT_ROUNDOFF * Math.abs(e[0][1 + i]));
    expect(g[1][0]).toBe(e[1][0]);
  });

  it("reduces and takes argmax over 3 rows of 50000 permuted elements", async () => {
    const data = testData(150_000, 11);
    data[123_456] = 7; // one clear maximum in row 2
    const [e, g] = await both([data, new Float32Array(3 * 5), new Int32Array(3)], [1, 2], (d, [xb, yb, ib]) => {
      const xv = v(xb, [1, 3]); // element (r, c) at r + 3c: each row strided by 3
      d.reduce("sum", [3, 50_000], 1, xv, v(yb, [1], 0));
      d.reduce("mean", [3, 50_000], 1, xv, v(yb, [1], 3));
      d.reduce("max", [3, 50_000], 1, xv, v(yb, [1], 6));
      d.reduce("min", [3, 50_000], 1, xv, v(yb, [1], 9));
      d.reduce("sumSquares", [3, 50_000], 1, xv, v(yb, [1], 12));
      d.argmax([3, 50_000], 1, xv, v(ib, [1]));
    });
    assertClose("reductions", g[0], e[0], SUM_RTOL, 1e-4);
    expect([...g[1]]).toEqual([...e[1]]);
  });

  it("softmax and log-softmax of rows of 3000", async () => {
    const [e, g] = await both([testData(3 * 3000, 12).map((t) => 30 * t), new Float32Array(2 * 9000)], [1], (d, [xb, yb]) => {
      d.softmax(3, 3000, v(xb, [3000, 1]), v(yb, [3000, 1]), false);
      d.softmax(3, 3000, v(xb, [1, 3]), v(yb, [3000, 1], 9000), true);
    });
    assertClose("softmax", g[0], e[0]);
  });

  it("sgemv with 3000 columns and sger over 300×200", async () => {
    const [M, N] = [40, 3000];
    const A = testData(M * N, 13), xs = testData(N, 14), ys = testData(M, 15);
    const [e, g] = await both([A, xs, ys], [2, 0], (d, [a, xb, yb]) => {
      d.sgemv("no-transpose", M, N, 0.5, a, N, 1, 0, xb, 1, 0, 2, yb, 1, 0);
      d.sger(300, 200, -1.5, xb, 1, 0, xb, 2, 1000, a, 200, 1, 0);
    });
    const bound = ys.map(Math.abs);
    refBlas.sgemv.ndarray("no-transpose", M, N, 0.5, A.map(Math.abs), N, 1, 0, xs.map(Math.abs), 1, 0, 2, bound, 1, 0);
    assertWithin("sgemv", g[0], e[0], (i) => GEMM_ERROR_FACTOR * (N + 2) * FLOAT32_UNIT_ROUNDOFF * bound[i]);
    assertWithin("sger", g[1], e[1], (i) => 4 * FLOAT32_UNIT_ROUNDOFF * (Math.abs(e[1][i]) + 2));
  });
});

describe("random fill", () => {
  for (const [dist, p0, p1] of [["uniform", -3, 5], ["normal", 1, 0.5], ["bernoulli", 0.1, 10]] as const) {
    it(`${dist} over 200000 elements whose counter wraps past 2³²`, async () => {
      const [[e], [g]] = await both([new Float32Array(200_000)], [0], (d, [y]) => d.fillRandom(dist, 987654321, 2 ** 32 - 100_000, 200_000, y, 0, p0, p1));
      if (dist === "bernoulli") assertWithin(dist, g, e, () => 0);
      else assertClose(dist, g, e, RANDOM_TOL, RANDOM_TOL);
    });
  }
});
