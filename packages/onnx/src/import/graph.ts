/**
 * Decodes and validates an ONNX model before anything runs: opsets, supported operators and
 * attributes, initializers (bounded), names defined exactly once, every input produced somewhere,
 * and a topological order (a cycle is an error).
 */
import { fromBinary } from "@bufbuild/protobuf";
import type { ResolvedLimits } from "../limits.js";
import { checkDims } from "../limits.js";
import { ModelProtoSchema, TensorProto_DataType as DT, type ModelProto, type NodeProto } from "../proto/onnx_pb.js";
import { decodeTensor, dtypeName, type HostTensor } from "../tensor-data.js";
import { Attrs, nodeLabel, type OpSpec, type RunCtx, type Value } from "./op-types.js";
import { castOp, constantOfShapeOp } from "./ops-shape-math.js";
import { convTranspose } from "./ops-conv-transpose.js";
import { NN_OPS } from "./ops-nn.js";
import { TENSOR_OPS } from "./ops-tensor.js";

/** Every operator importOnnx understands, by ONNX name. @internal */
export const OPS: Record<string, OpSpec> = { ...NN_OPS, ConvTranspose: convTranspose, Cast: castOp, ConstantOfShape: constantOfShapeOp, ...TENSOR_OPS };

/** Oldest and newest default-domain opsets accepted. @internal */
export const OPSET_RANGE = [11, 21] as const;

/** Operators recognised but refused, with the reason. */
const REFUSED: Record<string, string> = {};

/** One node ready to run. @internal */
export interface PlanStep {
  readonly label: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly hostInputs: readonly number[];
  readonly run: (ctx: RunCtx) => Value[];
}

/** A graph input with its declared dims (null where symbolic). @internal */
export interface GraphInput {
  readonly name: string;
  readonly dims: readonly (number | null)[] | null;
}

/** A decoded, validated model. @internal */
export interface LoadedGraph {
  readonly opset: number;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  readonly initializers: ReadonlyMap<string, HostTensor>;
  /** Per initializer: "parameter", "buffer" or "host". */
  readonly roles: ReadonlyMap<string, "parameter" | "buffer" | "host">;
  readonly steps: readonly PlanStep[];
}

/** Decodes the protobuf bytes. @internal */
export function decodeModel(bytes: Uint8Array, limits: ResolvedLimits): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`importOnnx: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length === 0) throw new RangeError("importOnnx: bytes is empty");
  if (bytes.length > limits.maxBytes) throw new RangeError(`importOnnx: the file has ${bytes.length} bytes, more than the limit of ${limits.maxBytes}`);
  try {
    return fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new Error(`importOnnx: cannot decode ${bytes.length} bytes as an ONNX ModelProto (truncated or not an ONNX file): ${(e as Error).message}`, { cause: e });
  }
}

/** Validates the model and builds the run plan. @internal */
export function loadGraph(model: ModelProto, limits: ResolvedLimits): LoadedGraph {
  const g = model.graph;
  if (!g) throw new Error("importOnnx: the model has no graph (not an ONNX model?)");
  if (model.functions.length) throw new Error(`importOnnx: the model defines ${model.functions.length} local function(s); model-local functions are not supported`);
  if (g.sparseInitializer.length) throw new Error("importOnnx: the graph has sparse initializers, which are not supported");
  const defaults = model.opsetImport.filter((o) => o.domain === "" || o.domain === "ai.onnx");
  if (defaults.length !== 1) throw new Error(`importOnnx: the model must import the default ONNX opset exactly once, found ${defaults.length} imports (${model.opsetImport.map((o) => `'${o.domain}' v${o.version}`).join(", ") || "none"})`);
  const opset = Number(defaults[0].version);
  if (opset < OPSET_RANGE[0] || opset > OPSET_RANGE[1]) throw new RangeError(`importOnnx: opset ${opset} is not supported (supported: ${OPSET_RANGE[0]}–${OPSET_RANGE[1]})`);
  if (g.node.length > limits.maxNodes) throw new RangeError(`importOnnx: the graph has ${g.node.length} nodes, more than the limit of ${limits.maxNodes}`);

  const initializers = new Map<string, HostTensor>();
  let total = 0;
  for (const [i, t] of g.initializer.entries()) {
    if (!t.name) throw new Error(`importOnnx: initializer #${i} has no name`);
    if (initializers.has(t.name)) throw new Error(`importOnnx: initializer '${t.name}' is defined twice`);
    const h = decodeTensor(`initializer '${t.name}'`, t, limits);
    total += h.data.length;
    if (total > limits.maxTotalElements) throw new RangeError(`importOnnx: the initializers hold more than ${limits.maxTotalElements} elements (the limit)`);
    initializers.set(t.name, h);
  }

  const inputs: GraphInput[] = [];
  const defined = new Set<string>(initializers.keys());
  for (const v of g.input) {
    if (initializers.has(v.name)) continue; // IR < 4: initializers listed as inputs (defaults)
    if (!v.name) throw new Error("importOnnx: a graph input has no name");
    if (defined.has(v.name)) throw new Error(`importOnnx: graph input '${v.name}' is defined twice`);
    const tt = v.type?.value.case === "tensorType" ? v.type.value.value : null;
    if (!tt) throw new TypeError(`importOnnx: graph input '${v.name}' is not a tensor`);
    if (tt.elemType !== DT.FLOAT) throw new TypeError(`importOnnx: graph input '${v.name}' has element type ${dtypeName(tt.elemType)}; Tessera models take FLOAT inputs`);
    let dims: (number | null)[] | null = null;
    if (tt.shape) {
      const fixed = tt.shape.dim.map((d) => (d.value.case === "dimValue" ? d.value.value : null));
      checkDims(`graph input '${v.name}'`, fixed.map((d) => d ?? 1n), limits);
      dims = fixed.map((d) => (d === null ? null : Number(d)));
    }
    inputs.push({ name: v.name, dims });
    defined.add(v.name);
  }

  // Prepare every node (attributes checked now, not at the first forward).
  interface Pending { node: NodeProto; index: number; label: string; spec: OpSpec; inputs: string[]; outputs: string[]; run: (ctx: RunCtx) => Value[] }
  const pending: Pending[] = [];
  const producer = new Map<string, number>();
  for (const [index, node] of g.node.entries()) {
    const label = nodeLabel(node, index, opset);
    if (node.domain !== "" && node.domain !== "ai.onnx") throw new Error(`importOnnx: ${label} is in domain '${node.domain}'; only the default ONNX domain is supported`);
    const refused = REFUSED[node.opType];
    if (refused) throw new Error(`importOnnx: ${label}: ${refused}`);
    const spec = Object.hasOwn(OPS, node.opType) ? OPS[node.opType] : undefined;
    if (!spec) throw new Error(`importOnnx: ${label}: operator '${node.opType}' is not supported (supported: ${Object.keys(OPS).sort().join(", ")})`);
    const ins = [...node.input];
    while (ins.length && ins[ins.length - 1] === "") ins.pop();
    if (ins.length < spec.inputs[0] || ins.length > spec.inputs[1]) {
      throw new Error(`importOnnx: ${label} has ${ins.length} inputs, expected ${spec.inputs[0] === spec.inputs[1] ? spec.inputs[0] : `${spec.inputs[0]} to ${spec.inputs[1]}`}`);
    }
    for (const [p, name] of ins.entries()) if (name === "" && p < spec.inputs[0]) throw new Error(`importOnnx: ${label}: required input ${p} has an empty name`);
    const outs = [...node.output];
    while (outs.length && outs[outs.length - 1] === "") outs.pop();
    if (outs.length === 0) throw new Error(`importOnnx: ${label} has no output`);
    if (outs.length > (spec.outputs ?? 1)) {
      const hint = node.opType === "BatchNormalization" || node.opType === "Dropout" ? " (its training-mode outputs: export the model in eval mode, e.g. torch.onnx.export's default training=TrainingMode.EVAL)" : "";
      throw new Error(`importOnnx: ${label} uses ${outs.length} outputs; Tessera computes only the first ${spec.outputs ?? 1}${hint}`);
    }
    for (const o of outs) {
      if (defined.has(o) || producer.has(o)) throw new Error(`importOnnx: ${label}: output '${o}' is already defined (every value must be defined once)`);
      producer.set(o, pending.length);
    }
    const attrs = new Attrs(label, node.attribute, limits);
    attrs.only(spec.attrs);
    pending.push({ node, index, label, spec, inputs: ins, outputs: outs, run: spec.prepare(attrs, opset) });
  }

  // Topological order (Kahn); names that nothing defines and cycles are errors.
  const indegree = pending.map(() => 0);
  const users = pending.map(() => [] as number[]);
  for (const [i, p] of pending.entries()) {
    for (const name of new Set(p.inputs)) {
      if (name === "" || defined.has(name)) continue;
      const src = producer.get(name);
      if (src === undefined) {
        throw new Error(`importOnnx: ${p.label}: input '${name}' is not a graph input, an initializer or the output of any node (a missing initializer or graph input?)`);
      }
      indegree[i]++;
      users[src].push(i);
    }
  }
  const ready = pending.map((_, i) => i).filter((i) => indegree[i] === 0);
  const order: number[] = [];
  while (ready.length) {
    const i = ready.shift() as number;
    order.push(i);
    for (const u of users[i]) if (--indegree[u] === 0) ready.push(u);
  }
  if (order.length !== pending.length) {
    const stuck = pending.filter((_, i) => indegree[i] > 0).map((p) => p.label);
    throw new Error(`importOnnx: the graph has a cycle through ${stuck.slice(0, 5).join(", ")}${stuck.length > 5 ? ` and ${stuck.length - 5} more` : ""}`);
  }

  const outputs = g.output.map((o) => o.name);
  if (outputs.length === 0) throw new Error("importOnnx: the graph has no output");
  for (const o of outputs) if (!defined.has(o) && !producer.has(o)) throw new Error(`importOnnx: graph output '${o}' is not produced by any node`);

  // Roles of the initializers: host reads, running statistics, or trainable parameters.
  const uses = new Map<string, Set<"parameter" | "buffer" | "host">>();
  for (const p of pending) {
    p.inputs.forEach((name, pos) => {
      if (!initializers.has(name)) return;
      const role = p.spec.hostInputs?.includes(pos) ? "host" : p.spec.bufferInputs?.includes(pos) ? "buffer" : "parameter";
      let s = uses.get(name);
      if (!s) uses.set(name, (s = new Set()));
      s.add(role);
    });
  }
  for (const o of outputs) if (initializers.has(o)) (uses.get(o) ?? uses.set(o, new Set()).get(o))?.add("parameter");
  const roles = new Map<string, "parameter" | "buffer" | "host">();
  for (const [name, h] of initializers) {
    const s = uses.get(name) ?? new Set(["parameter" as const]);
    const role = h.kind === "int" ? "host" : s.has("parameter") ? "parameter" : s.has("buffer") ? "buffer" : "host";
    roles.set(name, role);
  }

  const steps: PlanStep[] = order.map((i) => {
    const p = pending[i];
    return { label: p.label, inputs: p.inputs, outputs: p.outputs, hostInputs: p.spec.hostInputs ?? [], run: p.run };
  });
  return { opset, inputs, outputs, initializers, roles, steps };
}
