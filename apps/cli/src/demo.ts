import { refBlas, sgemm } from "@tessera/blas";

/** Lines printed by `tessera demo`: the course's im2col example, then sgemm speed, blocked vs reference. */
export function demo(log: (line: string) => void, sizes: readonly number[] = [64, 128, 256]): void {
  log("Tessera BLAS demo (js device)");
  log("");
  log("1. The course's 5×5 image convolved with a 3×3 filter, as im2col + one sgemm:");
  const image = [2, 4, 9, 1, 4, 2, 1, 4, 4, 6, 1, 1, 2, 9, 2, 7, 3, 5, 1, 3, 2, 3, 4, 8, 5];
  const filter = new Float32Array([1, 2, 3, -4, 7, 4, 2, -5, 1]);
  const col = new Float32Array(9 * 9);
  for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) for (let oh = 0; oh < 3; oh++) for (let ow = 0; ow < 3; ow++) {
    col[(kh * 3 + kw) * 9 + oh * 3 + ow] = image[(oh + kh) * 5 + ow + kw];
  }
  const out = sgemm("row-major", "no-transpose", "no-transpose", 1, 9, 9, 1, filter, 9, col, 9, 0, new Float32Array(9), 9);
  for (let r = 0; r < 3; r++) log(`   ${[...out.slice(r * 3, r * 3 + 3)].map((v) => String(v).padStart(4)).join(" ")}`);
  log("");
  log("2. sgemm GFLOP/s on this machine (C = A·B, square, float32), blocked vs triple loop:");
  for (const n of sizes) {
    const A = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 101) / 50 - 1);
    const B = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 97) / 48 - 1);
    const C = new Float32Array(n * n);
    /** Best of five runs after three warm-ups (the JIT compiles the kernels on the first calls). */
    const time = (f: () => void) => {
      for (let i = 0; i < 3; i++) f();
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        f();
        best = Math.min(best, performance.now() - t0);
      }
      return best / 1e3;
    };
    const tb = time(() => sgemm("row-major", "no-transpose", "no-transpose", n, n, n, 1, A, n, B, n, 0, C, n));
    const tr = time(() => refBlas.sgemm("row-major", "no-transpose", "no-transpose", n, n, n, 1, A, n, B, n, 0, C, n));
    const gf = (t: number) => ((2 * n * n * n) / t / 1e9).toFixed(2);
    log(`   n=${String(n).padStart(4)}  blocked ${gf(tb).padStart(6)}  reference ${gf(tr).padStart(6)}  (${(tr / tb).toFixed(1)}× faster)`);
  }
}
