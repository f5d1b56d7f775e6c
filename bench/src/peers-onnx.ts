/**
 * onnxruntime-node peer (bench-only devDependency, pinned to 1.30.0): a MatMul ONNX model written
 * in memory by a small hand-written protobuf encoder (no `onnx`/`protobufjs` dependency), run
 * through an `InferenceSession` on the `cpu` or `webgpu` execution provider.
 *
 * The npm tarball ships the Linux x64 `libonnxruntime.so.1` with the WebGPU EP built in (Dawn,
 * Vulkan only); its postinstall fetches only the optional CUDA/TensorRT EPs from NuGet, so the
 * workspace skips it (`allowBuilds: onnxruntime-node: false`).
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

/** The subset of onnxruntime-node the bench uses. */
export type Ort = typeof import("onnxruntime-node");
/** An execution provider the bench runs MatMul on. */
export type OrtEp = "cpu" | "webgpu";

/** The onnxruntime-node version the bench pins (bench/package.json). */
export const ORT_VERSION = "1.30.0";

const require = createRequire(import.meta.url);

/** Loads onnxruntime-node (throws a one-line error when it or its native binary is missing). */
export function loadOrt(): Ort {
  try {
    return require("onnxruntime-node") as Ort;
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node (${(e as Error).message.split("\n")[0]}); it is a devDependency of @tessera/bench: run pnpm install`);
  }
}

// ---- A minimal protobuf writer: just the wire types ONNX's ModelProto needs. -------------------

/** Encoded bytes as a list of chunks (large raw tensors are referenced, not copied, until the end). */
class Pb {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  private push(b: Uint8Array): this {
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }

  private varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`protobuf varint: ${v} is not a non-negative safe integer`);
    const out: number[] = [];
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    return this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: 0 | 2): this {
    return this.varint(field * 8 + wire);
  }

  /** int32/int64/enum field (non-negative values only: all this encoder needs). */
  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }

  /** bytes field. */
  bytes(field: number, b: Uint8Array): this {
    return this.tag(field, 2).varint(b.length).push(b);
  }

  /** string field (UTF-8). */
  str(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** Embedded message field. */
  msg(field: number, m: Pb): this {
    this.tag(field, 2).varint(m.length);
    for (const c of m.chunks) this.push(c);
    return this;
  }

  /** The message as one contiguous buffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

// ONNX field numbers (onnx/onnx.proto3) and enum values used below.
const FLOAT = 1; // TensorProto.DataType.FLOAT

/** TensorProto: dims (1), data_type (2), name (8), raw_data (9, little-endian). */
function tensorProto(name: string, dims: readonly number[], dataType: number, raw: Uint8Array): Pb {
  const t = new Pb();
  for (const d of dims) t.int(1, d);
  return t.int(2, dataType).str(8, name).bytes(9, raw);
}

/** ValueInfoProto for a float tensor: name (1), type (2) → TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1) → dim_value (1). */
function floatValueInfo(name: string, dims: readonly number[]): Pb {
  const shape = new Pb();
  for (const d of dims) shape.msg(1, new Pb().int(1, d));
  return new Pb().str(1, name).msg(2, new Pb().msg(1, new Pb().int(1, FLOAT).msg(2, shape)));
}

/** NodeProto: input (1), output (2), name (3), op_type (4). */
function node(op: string, inputs: readonly string[], outputs: readonly string[], name: string): Pb {
  const n = new Pb();
  for (const i of inputs) n.str(1, i);
  for (const o of outputs) n.str(2, o);
  return n.str(3, name).str(4, op);
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Options of {@link matmulModel}. */
export interface MatMulModelOptions {
  /**
   * `'product'`: the graph's output is C = A·B (M×N). `'sum'`: the output is the sum of C's
   * entries, 1ᵀ·(A·B)·1 (two more MatMuls, with vectors: 2·M·N + 2·M flops), so a timed run reads
   * back 4 bytes instead of M·N floats and every node is a MatMul (no op an EP might leave to the CPU).
   */
  readonly output: "product" | "sum";
}

/**
 * An ONNX model (IR 8, opset 13) computing C = A·B for row-major float32 A (M×K) and B (K×N),
 * both stored as initializers: they are uploaded to the execution provider once, when the session
 * is created, like the device buffers the Tessera systems multiply. The model has no inputs, so
 * create its session with `graphOptimizationLevel: 'disabled'` (constant folding would otherwise
 * compute the product once at load time).
 */
export function matmulModel(M: number, N: number, K: number, A: Float32Array, B: Float32Array, o: MatMulModelOptions): Uint8Array {
  if (A.length !== M * K || B.length !== K * N) throw new RangeError(`matmulModel: A must hold M·K = ${M * K} and B K·N = ${K * N} floats`);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("matmulModel: raw_data is little-endian; this host is big-endian");
  const sum = o.output === "sum";
  const graph = new Pb();
  graph.msg(1, node("MatMul", ["A", "B"], [sum ? "P" : "C"], "matmul"));
  if (sum) {
    graph.msg(1, node("MatMul", ["P", "ones_n"], ["Q"], "row_sums"));
    graph.msg(1, node("MatMul", ["ones_m", "Q"], ["C"], "total"));
  }
  graph.str(2, "tessera_bench_matmul")
    .msg(5, tensorProto("A", [M, K], FLOAT, bytesOf(A)))
    .msg(5, tensorProto("B", [K, N], FLOAT, bytesOf(B)));
  if (sum) {
    graph.msg(5, tensorProto("ones_n", [N, 1], FLOAT, bytesOf(new Float32Array(N).fill(1))));
    graph.msg(5, tensorProto("ones_m", [1, M], FLOAT, bytesOf(new Float32Array(M).fill(1))));
  }
  graph.msg(12, floatValueInfo("C", sum ? [1, 1] : [M, N]));
  return new Pb()
    .int(1, 8) // ir_version
    .str(2, "tessera-bench") // producer_name
    .msg(7, graph)
    .msg(8, new Pb().str(1, "").int(2, 13)) // opset_import: default domain, opset 13
    .finish();
}

/** Session options for a MatMul model on `ep`: no graph optimizations, and no silent CPU fallback. */
export function sessionOptions(ep: OrtEp): import("onnxruntime-node").InferenceSession.SessionOptions {
  return {
    executionProviders: [ep],
    graphOptimizationLevel: "disabled",
    logSeverityLevel: 3,
    // Every node must run on the EP asked for: a WebGPU run that fell back to the CPU EP would be
    // reported as a WebGPU number otherwise.
    extra: ep === "cpu" ? {} : { "session.disable_cpu_ep_fallback": "1" },
  } as import("onnxruntime-node").InferenceSession.SessionOptions;
}

/** A session ready to run, and how to free it. */
export interface OrtMatMul {
  /** Runs the model; resolves to the output C (M×N for `'product'`, 1×1 for `'sum'`). */
  run(): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** Creates a MatMul session on `ep` (the model is built in memory). */
export async function ortMatMul(ort: Ort, ep: OrtEp, M: number, N: number, K: number, A: Float32Array, B: Float32Array, o: MatMulModelOptions): Promise<OrtMatMul> {
  const session = await ort.InferenceSession.create(matmulModel(M, N, K, A, B, o), sessionOptions(ep));
  return {
    async run() {
      const out = await session.run({});
      return out.C.data as Float32Array;
    },
    dispose: () => session.release(),
  };
}

/** Plain triple loop C = A·B (row-major): the reference the ORT systems are checked against. */
export function matmulRef(M: number, N: number, K: number, A: Float32Array, B: Float32Array): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let p = 0; p < K; p++) s += A[i * K + p] * B[p * N + j];
      C[i * N + j] = s;
    }
  }
  return C;
}

/** Outcome of {@link checkOrtEp}. */
export type EpCheck = { ok: true; maxAbsErr: number } | { ok: false; why: string };

/**
 * Checks one product (M, N, K) = (37, 23, 19) on `ep` against {@link matmulRef}, with both models
 * (the product, and the sum of its entries that the timed runs use), in this process. Resolves
 * `{ ok: false }` with the reason when the EP cannot run them.
 */
export async function checkOrtEp(ort: Ort, ep: OrtEp): Promise<EpCheck> {
  const [M, N, K] = [37, 23, 19];
  const A = Float32Array.from({ length: M * K }, (_, i) => ((i * 7919) % 61) / 30 - 1);
  const B = Float32Array.from({ length: K * N }, (_, i) => ((i * 104729) % 53) / 26 - 1);
  const ref = matmulRef(M, N, K, A, B);
  try {
    const full = await ortMatMul(ort, ep, M, N, K, A, B, { output: "product" });
    const C = await full.run();
    await full.dispose();
    const total = await ortMatMul(ort, ep, M, N, K, A, B, { output: "sum" });
    const s = (await total.run())[0];
    await total.dispose();
    if (C.length !== M * N) return { ok: false, why: `output has ${C.length} values, expected ${M * N}` };
    let maxAbsErr = 0;
    for (let i = 0; i < C.length; i++) maxAbsErr = Math.max(maxAbsErr, Math.abs(C[i] - ref[i]));
    if (!(maxAbsErr <= 1e-4 * K)) return { ok: false, why: `wrong product: max |C - triple loop| = ${maxAbsErr}` };
    const refSum = ref.reduce((a, b) => a + b, 0);
    if (!(Math.abs(s - refSum) <= 1e-4 * K * M * N)) return { ok: false, why: `wrong sum of the product: ${s}, triple loop ${refSum}` };
    return { ok: true, maxAbsErr };
  } catch (e) {
    return { ok: false, why: (e as Error).message.split("\n")[0] };
  }
}

/**
 * Runs {@link checkOrtEp} in a child Node process first, so that an execution provider that aborts
 * the process (a native crash while Dawn looks for an adapter) becomes a note instead of the end of
 * the benchmark. Resolves the child's verdict, or why the child failed.
 */
export function probeOrtEp(ep: OrtEp, timeoutMs = 120_000): EpCheck {
  const self = import.meta.url;
  const code = `const m = await import(${JSON.stringify(self)}); const r = await m.checkOrtEp(m.loadOrt(), ${JSON.stringify(ep)}); process.stdout.write("\\n" + JSON.stringify(r) + "\\n"); process.exit(0);`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: timeoutMs });
  const line = child.stdout?.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as EpCheck;
  } catch {
    const err = `${child.stderr ?? ""}`.trim().split("\n").filter((l) => l.trim()).slice(-1)[0] ?? "";
    const how = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    return { ok: false, why: `the probe process failed (${how})${err ? `: ${err.slice(0, 300)}` : ""}` };
  }
}
