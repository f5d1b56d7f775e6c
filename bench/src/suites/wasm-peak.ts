/**
 * `pnpm bench wasm-peak`: the attainable WebAssembly SIMD peak of one core, so sgemm results read
 * as a fraction of it. A hand-assembled module runs a register-resident loop of 12 independent
 * f32x4 chains c ← c·a + b (enough chains to cover the latency of mul+add or of an FMA on two
 * pipes), as plain `f32x4.mul` + `f32x4.add` and as `f32x4.relaxed_madd`; 8 flops per f32x4 op.
 */
import { detectFeatures } from "@tessera/blas-wasm";
import { measure, type BenchArgs, type BenchRow, type SuiteResult } from "../harness.js";

const CHAINS = 12;
/** Local indices: 0 is the parameter n, 1…12 the chains, then a and b. */
const A_LOCAL = CHAINS + 1;
const B_LOCAL = CHAINS + 2;

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const simd = (op: number) => [0xfd, ...leb(op)];
const F32X4_SPLAT = simd(0x13), F32X4_EXTRACT_LANE = simd(0x1f), F32X4_ADD = simd(0xe4), F32X4_MUL = simd(0xe6), RELAXED_MADD = simd(0x105);

function f32const(v: number): number[] {
  return [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

/** `(func (export "peak") (param $n i32) (result f32))` running $n iterations of the 12 chains. */
export function peakModule(relaxed: boolean): Uint8Array {
  const code: number[] = [];
  code.push(...f32const(0.999), ...F32X4_SPLAT, 0x21, A_LOCAL);
  code.push(...f32const(0.25), ...F32X4_SPLAT, 0x21, B_LOCAL);
  for (let i = 0; i < CHAINS; i++) code.push(...f32const(i), ...F32X4_SPLAT, 0x21, i + 1);
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(0x20, 0, 0x45, 0x0d, 1); // br_if 1 (n == 0)
  for (let i = 1; i <= CHAINS; i++) {
    if (relaxed) code.push(0x20, i, 0x20, A_LOCAL, 0x20, B_LOCAL, ...RELAXED_MADD, 0x21, i);
    else code.push(0x20, i, 0x20, A_LOCAL, ...F32X4_MUL, 0x20, B_LOCAL, ...F32X4_ADD, 0x21, i);
  }
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0, 0x0b, 0x0b); // n -= 1; br 0; end; end
  code.push(0x20, 1);
  for (let i = 2; i <= CHAINS; i++) code.push(0x20, i, ...F32X4_ADD);
  code.push(...F32X4_EXTRACT_LANE, 0, 0x0b);
  // one local group: 14 v128 (12 chains, a, b)
  const body = [1, CHAINS + 2, 0x7b, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]),
    ...section(3, [1, 0]),
    ...section(7, [1, 4, ...[..."peak"].map((c) => c.charCodeAt(0)), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/** Peak GFLOP/s of one core for plain SIMD and, where it validates, relaxed SIMD. */
export async function wasmPeak(): Promise<{ system: string; gflops: number; ms: number }[]> {
  const features = await detectFeatures(); // enables relaxed SIMD on Node 20 when the engine needs the flag
  const out: { system: string; gflops: number; ms: number }[] = [];
  for (const relaxed of features.relaxedSimd ? [false, true] : [false]) {
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(peakModule(relaxed) as BufferSource));
    const peak = instance.exports.peak as (n: number) => number;
    const n = 2e7;
    const ms = await measure(() => peak(n), { warmup: 2, minRuns: 5, minTimeMs: 500 });
    out.push({ system: relaxed ? "f32x4.relaxed_madd" : "f32x4.mul + f32x4.add", gflops: (n * CHAINS * 8) / ms / 1e6, ms });
  }
  return out;
}

export default async function wasmPeakSuite(_args: BenchArgs, log: (l: string) => void): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  for (const p of await wasmPeak()) {
    rows.push({ case: "register-resident loop, 1 core", system: p.system, ms: p.ms, value: p.gflops });
    log(`${p.system.padEnd(28)} ${p.gflops.toFixed(1).padStart(8)} GFLOP/s per core`);
  }
  return {
    title: "WebAssembly SIMD peak, 12 independent f32x4 chains c ← c·a + b",
    unit: "GFLOP/s",
    rows,
    notes: ["8 flops per f32x4 multiply-add; one core; sgemm results divided by these read as a fraction of the attainable peak."],
  };
}
