/**
 * A worker thread that dies (here: terminated through the pool's test hooks) must neither hang the
 * process nor pass off a partial result: the job it was part of fails with an error naming the
 * job, and the device goes on with one thread, with the same bits. No timeouts: the deaths are
 * noticed through the workers' `exit` events and the watchdog's closed ports.
 */
import type { Conv2dGeometry } from "@tessera/blas";
import { testData } from "@tessera/blas/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { WasmEngine } from "./engine.js";
import { WasmDevice, type WasmDeviceOptions } from "./wasm-device.js";

/** One K block, two barriers: a worker cannot finish before the calling thread has started. */
const [M, N, K] = [64, 48, 100];
const options = (threads: number): WasmDeviceOptions => ({ threads, register: false, blocking: { minFlopsPerThread: 0 } });

/** sgemm of seeded operands; returns C's bits (throws what sgemm throws). */
function product(dev: WasmDevice): Uint32Array {
  const [a, b, c] = [dev.alloc(M * K), dev.alloc(K * N), dev.alloc(M * N)];
  try {
    dev.write(a, testData(M * K, 1));
    dev.write(b, testData(K * N, 2));
    dev.sgemm("no-transpose", "no-transpose", M, N, K, 1, a, K, 1, 0, b, N, 1, 0, 0, c, N, 1, 0);
    return new Uint32Array((dev.readSync(c) as Float32Array).buffer);
  } finally {
    for (const x of [a, b, c]) dev.free(x);
  }
}

const G: Conv2dGeometry = {
  C: 6, H: 14, W: 14, KH: 5, KW: 5, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 10, OW: 10,
};

/** convForward of 16 seeded images (LeNet-5 conv2); returns y's bits. */
function convolution(dev: WasmDevice): Uint32Array {
  const [n, oc, chw, k, p] = [16, 16, 6 * 14 * 14, 150, 100];
  const [x, w, y] = [dev.alloc(n * chw), dev.alloc(oc * k), dev.alloc(n * oc * p)];
  try {
    dev.write(x, testData(n * chw, 3));
    dev.write(w, testData(oc * k, 4));
    expect(dev.convForward(G, n, oc, x, 0, chw, w, 0, null, 0, y, 0, oc * p)).toBe(true);
    return new Uint32Array((dev.readSync(y) as Float32Array).buffer);
  } finally {
    for (const b of [x, w, y]) dev.free(b);
  }
}

const pool = (dev: WasmDevice) => (dev as unknown as { engine: WasmEngine }).engine.threadPool!;

describe("a wasm worker thread that dies", () => {
  let warn: ReturnType<typeof vi.spyOn>;
  const expected: { product: Uint32Array; convolution: Uint32Array } = { product: new Uint32Array(0), convolution: new Uint32Array(0) };
  beforeAll(async () => {
    const one = await WasmDevice.create(options(1));
    expected.product = product(one);
    expected.convolution = convolution(one);
    one.dispose();
  });
  beforeEach(() => {
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => vi.restoreAllMocks());

  it("between jobs: the next job runs on one thread, with the same bits", async () => {
    const dev = await WasmDevice.create(options(2));
    expect(product(dev)).toEqual(expected.product);
    await pool(dev).kill(1);
    expect(product(dev)).toEqual(expected.product);
    expect(convolution(dev)).toEqual(expected.convolution);
    expect(dev.threads).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/worker thread of a wasm device exited; the device goes on with 1 thread/);
    dev.dispose();
  });

  for (const threads of [2, 3]) {
    it(`in the middle of an sgemm (${threads} threads): the job fails with an error, the device goes on with one thread`, async () => {
      const dev = await WasmDevice.create(options(threads));
      pool(dev).killDuringNextJob = 1;
      expect(() => product(dev)).toThrow(
        /^sgemm: wasm worker thread 1 exited while this job ran: its output is incomplete\. The device goes on with 1 thread/,
      );
      expect(dev.threads).toBe(1);
      expect(product(dev)).toEqual(expected.product);
      expect(dev.bytesInUse()).toBe(0);
      dev.dispose();
    });
  }

  it("in the middle of a convolution: the error names convForward", async () => {
    const dev = await WasmDevice.create(options(2));
    pool(dev).killDuringNextJob = 1;
    expect(() => convolution(dev)).toThrow(/^convForward: wasm worker thread 1 exited while this job ran/);
    expect(convolution(dev)).toEqual(expected.convolution);
    expect(dev.threads).toBe(1);
    dev.dispose();
  });

  it("in the middle of a split elementwise job: the error names the routine, the retry on one thread is right", async () => {
    const n = 1 << 18;
    const dev = await WasmDevice.create({ threads: 2, register: false, blocking: { minElementsPerThread: 1024 } });
    const [x, y] = [dev.alloc(n), dev.alloc(n)];
    dev.write(x, testData(n, 5));
    const relu = () => dev.unary("relu", [n], { buffer: x, offset: 0, strides: [1] }, { buffer: y, offset: 0, strides: [1] });
    pool(dev).killDuringNextJob = 1;
    expect(relu).toThrow(/^unary: wasm worker thread 1 exited while this job ran: its output is incomplete/);
    expect(dev.threads).toBe(1);
    relu();
    expect(dev.readSync(y)).toEqual(testData(n, 5).map((v) => Math.max(v, 0)));
    for (const b of [x, y]) dev.free(b);
    dev.dispose();
  });
});
