import { refBlas, sgemm, type Device } from "@tessera/blas";

/** C = A·B (row-major, square n) on `device`, through its buffers; resolves when the result is ready. */
async function deviceGemm(device: Device, n: number, A: Float32Array, B: Float32Array): Promise<Float32Array> {
  const [a, b, c] = [device.alloc(A.length), device.alloc(B.length), device.alloc(n * n)];
  try {
    device.write(a, A);
    device.write(b, B);
    device.sgemm("no-transpose", "no-transpose", n, n, n, 1, a, n, 1, 0, b, n, 1, 0, 0, c, n, 1, 0);
    return Float32Array.from(await device.read(c));
  } finally {
    for (const x of [a, b, c]) device.free(x);
  }
}

/**
 * Lines printed by `tessera demo`: the course's im2col example, then sgemm speed against the
 * reference triple loop, on `device` (default: the js device's blocked sgemm).
 */
export async function demo(log: (line: string) => void, sizes: readonly number[] = [64, 128, 256], device?: Device): Promise<void> {
  log(`Tessera BLAS demo (${device?.name ?? "js"} device)`);
  log("");
  log("1. The course's 5×5 image convolved with a 3×3 filter, as im2col + one sgemm:");
  const image = [2, 4, 9, 1, 4, 2, 1, 4, 4, 6, 1, 1, 2, 9, 2, 7, 3, 5, 1, 3, 2, 3, 4, 8, 5];
  const filter = new Float32Array([1, 2, 3, -4, 7, 4, 2, -5, 1]);
  const col = new Float32Array(9 * 9);
  for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) for (let oh = 0; oh < 3; oh++) for (let ow = 0; ow < 3; ow++) {
    col[(kh * 3 + kw) * 9 + oh * 3 + ow] = image[(oh + kh) * 5 + ow + kw];
  }
  // [1 × 9] filter times [9 × 9] columns: on a device, as a 9×9 product whose first row is the answer.
  const out = device
    ? (await deviceGemm(device, 9, Float32Array.from({ length: 81 }, (_, i) => (i < 9 ? filter[i] : 0)), col)).subarray(0, 9)
    : sgemm("row-major", "no-transpose", "no-transpose", 1, 9, 9, 1, filter, 9, col, 9, 0, new Float32Array(9), 9);
  for (let r = 0; r < 3; r++) log(`   ${[...out.slice(r * 3, r * 3 + 3)].map((v) => String(v).padStart(4)).join(" ")}`);
  log("");
  log(`2. sgemm GFLOP/s on this machine (C = A·B, square, float32), ${device ? `the ${device.name} device` : "blocked"} vs triple loop:`);
  for (const n of sizes) {
    const A = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 101) / 50 - 1);
    const B = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 97) / 48 - 1);
    const C = new Float32Array(n * n);
    /** Best of five runs after three warm-ups (the JIT compiles the kernels on the first calls). */
    const time = async (f: () => unknown) => {
      for (let i = 0; i < 3; i++) await f();
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await f();
        best = Math.min(best, performance.now() - t0);
      }
      return best / 1e3;
    };
    let tb: number;
    if (device) {
      // Operands stay on the device; each run ends when its result can be read.
      const [a, b, c] = [device.alloc(n * n), device.alloc(n * n), device.alloc(n * n)];
      try {
        device.write(a, A);
        device.write(b, B);
        tb = await time(() => {
          device.sgemm("no-transpose", "no-transpose", n, n, n, 1, a, n, 1, 0, b, n, 1, 0, 0, c, n, 1, 0);
          return device.read(c, 0, 1);
        });
      } finally {
        for (const x of [a, b, c]) device.free(x);
      }
    } else tb = await time(() => sgemm("row-major", "no-transpose", "no-transpose", n, n, n, 1, A, n, B, n, 0, C, n));
    const tr = await time(() => refBlas.sgemm("row-major", "no-transpose", "no-transpose", n, n, n, 1, A, n, B, n, 0, C, n));
    const gf = (t: number) => ((2 * n * n * n) / t / 1e9).toFixed(2);
    log(`   n=${String(n).padStart(4)}  ${device ? device.name.padEnd(7) : "blocked"} ${gf(tb).padStart(6)}  reference ${gf(tr).padStart(6)}  (${(tr / tb).toFixed(1)}× faster)`);
  }
}
