/**
 * `BlasKernels` on a wasm engine: the strided kernels behind `createBlas`, so the public routines
 * (both forms, with `@tessera/blas`'s validation) run in wasm. Arrays that are views of the
 * engine's memory (the device's buffers) are used in place; any other Float32Array is staged.
 * @internal
 */
import type { BlasKernels } from "@tessera/blas";
import type { WasmEngine } from "./engine.js";
import { gemm, gemv } from "./gemm.js";
import { splitVector } from "./split.js";
import { matrixSpan, vectorSpan, withStaged, type StagedOperand } from "./staging.js";

function vec(data: Float32Array, n: number, stride: number, offset: number, written: boolean): StagedOperand {
  const [lo, hi] = vectorSpan(n, stride, offset);
  return { data, offset, lo, hi, written };
}

function mat(data: Float32Array, rows: number, cols: number, s1: number, s2: number, offset: number, written: boolean): StagedOperand {
  const [lo, hi] = matrixSpan(rows, cols, s1, s2, offset);
  return { data, offset, lo, hi, written };
}

/** The kernels of one engine. @internal */
export function wasmKernels(e: WasmEngine): BlasKernels {
  const x = e.exports;
  const h = e.heap;
  return {
    sgemm(M, N, K, alpha, A, sa1, sa2, oa, B, sb1, sb2, ob, beta, C, sc1, sc2, oc) {
      const ops = [mat(A, M, K, sa1, sa2, oa, false), mat(B, K, N, sb1, sb2, ob, false), mat(C, M, N, sc1, sc2, oc, true)];
      withStaged(h, "sgemm", ops, ([a, b, c]) => {
        gemm(e, M, N, K, alpha, { at: a, s1: sa1, s2: sa2 }, { at: b, s1: sb1, s2: sb2 }, beta, { at: c, s1: sc1, s2: sc2 });
      });
    },
    sgemv(M, N, alpha, A, sa1, sa2, oa, X, sx, ox, beta, Y, sy, oy) {
      const ops = [mat(A, M, N, sa1, sa2, oa, false), vec(X, N, sx, ox, false), vec(Y, M, sy, oy, true)];
      withStaged(h, "sgemv", ops, ([a, xa, ya]) => gemv(e, M, N, alpha, a, sa1, sa2, xa, sx, beta, ya, sy));
    },
    sger(M, N, alpha, X, sx, ox, Y, sy, oy, A, sa1, sa2, oa) {
      const ops = [vec(X, M, sx, ox, false), vec(Y, N, sy, oy, false), mat(A, M, N, sa1, sa2, oa, true)];
      withStaged(h, "sger", ops, ([xa, ya, a]) => x.sger(M, N, alpha, xa, sx, ya, sy, a, sa1, sa2));
    },
    saxpy(N, alpha, X, sx, ox, Y, sy, oy) {
      withStaged(h, "saxpy", [vec(X, N, sx, ox, false), vec(Y, N, sy, oy, true)], ([xa, ya]) => {
        // Split only unit strides where y is x or does not overlap it (an overlap would make the
        // result depend on the order of the chunks).
        const apart = xa === ya || xa + 4 * N <= ya || ya + 4 * N <= xa;
        if (sx === 1 && sy === 1 && apart && splitVector(e, "saxpy", N, { routine: "saxpy", a: xa, b: ya, p0: alpha })) return;
        x.saxpy(N, alpha, xa, sx, ya, sy);
      });
    },
    sscal(N, alpha, X, sx, ox) {
      withStaged(h, "sscal", [vec(X, N, sx, ox, true)], ([xa]) => {
        if (sx === 1 && splitVector(e, "sscal", N, { routine: "sscal", a: xa, p0: alpha })) return;
        x.sscal(N, alpha, xa, sx);
      });
    },
    scopy(N, X, sx, ox, Y, sy, oy) {
      if (N === 0) return;
      withStaged(h, "scopy", [vec(X, N, sx, ox, false), vec(Y, N, sy, oy, true)], ([xa, ya]) => x.scopy(N, xa, sx, ya, sy));
    },
    sswap(N, X, sx, ox, Y, sy, oy) {
      if (N === 0) return;
      withStaged(h, "sswap", [vec(X, N, sx, ox, true), vec(Y, N, sy, oy, true)], ([xa, ya]) => x.sswap(N, xa, sx, ya, sy));
    },
    sdot(N, X, sx, ox, Y, sy, oy) {
      if (N === 0) return 0;
      return withStaged(h, "sdot", [vec(X, N, sx, ox, false), vec(Y, N, sy, oy, false)], ([xa, ya]) => x.sdot(N, xa, sx, ya, sy));
    },
    snrm2(N, X, sx, ox) {
      if (N === 0) return 0;
      return withStaged(h, "snrm2", [vec(X, N, sx, ox, false)], ([xa]) => x.snrm2(N, xa, sx));
    },
    sasum(N, X, sx, ox) {
      if (N === 0) return 0;
      return withStaged(h, "sasum", [vec(X, N, sx, ox, false)], ([xa]) => x.sasum(N, xa, sx));
    },
    isamax(N, X, sx, ox) {
      if (N <= 0) return -1;
      return withStaged(h, "isamax", [vec(X, N, sx, ox, false)], ([xa]) => x.isamax(N, xa, sx));
    },
  };
}
