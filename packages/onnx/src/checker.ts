/**
 * The structural checks of `onnx.checker.check_model`, in TypeScript: IR version and opset imports
 * present, graph named, names unique, nodes in topological order with every input defined, graph
 * outputs produced, typed inputs and outputs, and every initializer's data matching its shape.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { ModelProtoSchema, TensorProto_DataType as DT, type ModelProto } from "./proto/onnx_pb.js";
import { OPS } from "./import/graph.js";

const SIZE: Partial<Record<number, number>> = { [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.INT64]: 8, [DT.INT32]: 4, [DT.FLOAT16]: 2, [DT.BOOL]: 1 };

/** Runs the checks on a decoded model; throws the first problem found, prefixed with `who`. @internal */
export function checkModelProto(model: ModelProto, who: string): void {
  const bad = (msg: string): never => {
    throw new Error(`${who}: invalid ONNX model: ${msg}`);
  };
  if (model.irVersion <= 0n) bad("ir_version is missing");
  if (model.opsetImport.length === 0) bad("no opset_import");
  const domains = new Set<string>();
  for (const o of model.opsetImport) {
    const d = o.domain === "ai.onnx" ? "" : o.domain;
    if (domains.has(d)) bad(`opset_import lists domain '${o.domain}' twice`);
    if (o.version <= 0n) bad(`opset_import of domain '${o.domain}' has version ${o.version}`);
    domains.add(d);
  }
  const g = model.graph ?? bad("no graph");
  if (!g.name) bad("the graph has no name");
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (!name) bad(`${what} has an empty name`);
    if (defined.has(name)) bad(`${what} '${name}' is defined twice`);
    defined.add(name);
  };
  for (const t of g.initializer) {
    define(t.name, "initializer");
    const size = SIZE[t.dataType] ?? bad(`initializer '${t.name}' has unsupported data type ${t.dataType}`);
    const n = t.dims.reduce((a, d) => (d < 0n ? bad(`initializer '${t.name}' has a negative dimension`) : a * Number(d)), 1);
    const stored = t.rawData.length ? t.rawData.length / size
      : t.dataType === DT.FLOAT ? t.floatData.length : t.dataType === DT.INT64 ? t.int64Data.length : t.dataType === DT.DOUBLE ? t.doubleData.length : t.int32Data.length;
    if (stored !== n) bad(`initializer '${t.name}' of shape [${t.dims.join(",")}] holds ${stored} values, expected ${n}`);
  }
  const initNames = new Set(g.initializer.map((t) => t.name));
  for (const v of g.input) {
    if (v.type?.value.case !== "tensorType") bad(`graph input '${v.name}' has no tensor type`);
    if (initNames.has(v.name)) continue;
    define(v.name, "graph input");
  }
  const nodeNames = new Set<string>();
  g.node.forEach((n, i) => {
    const label = `node #${i} '${n.name}' (${n.opType})`;
    if (!n.opType) bad(`node #${i} has no op_type`);
    if (n.name) {
      if (nodeNames.has(n.name)) bad(`node name '${n.name}' is used twice`);
      nodeNames.add(n.name);
    }
    const domain = n.domain === "ai.onnx" ? "" : n.domain;
    if (!domains.has(domain)) bad(`${label} uses domain '${n.domain}', which no opset_import declares`);
    if (domain === "" && !Object.hasOwn(OPS, n.opType)) bad(`${label}: unknown operator`);
    for (const inp of n.input) if (inp !== "" && !defined.has(inp)) bad(`${label} reads '${inp}' before it is defined (nodes must be in topological order)`);
    const attrNames = new Set<string>();
    for (const a of n.attribute) {
      if (attrNames.has(a.name)) bad(`${label} has attribute '${a.name}' twice`);
      attrNames.add(a.name);
      if (a.type === 0) bad(`${label}: attribute '${a.name}' has no type`);
    }
    for (const o of n.output) if (o !== "") define(o, `output of ${label}`);
  });
  if (g.output.length === 0) bad("the graph has no output");
  for (const v of g.output) {
    if (v.type?.value.case !== "tensorType") bad(`graph output '${v.name}' has no tensor type`);
    if (!defined.has(v.name)) bad(`graph output '${v.name}' is not produced`);
  }
}

/**
 * Checks ONNX bytes against the structural rules of `onnx.checker` (see the package README):
 * throws an error naming the first problem. `exportOnnx` runs it on everything it writes.
 *
 * @example
 * ```ts
 * import { checkOnnx } from "@tessera/onnx";
 * import { readFileSync } from "node:fs";
 * checkOnnx(readFileSync("model.onnx")); // throws when malformed
 * ```
 */
export function checkOnnx(bytes: Uint8Array): void {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new Error(`checkOnnx: cannot decode the bytes as an ONNX ModelProto: ${(e as Error).message}`, { cause: e });
  }
  checkModelProto(model, "checkOnnx");
}
