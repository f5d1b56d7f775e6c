/**
 * The exported ONNX graph as plain data, for the peers that do not read ONNX themselves (tfjs):
 * nodes with their attributes, and float initializers. Decoded with `@bufbuild/protobuf` and the
 * schema @tessera/onnx generates from onnx.proto (its dist/proto/onnx_pb.js).
 */
import { fromBinary } from "@bufbuild/protobuf";

/** One node: op type, input and output names, attributes (ints, floats, int lists). */
export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, number | readonly number[] | string>;
}

/** An initializer as float32 values (float32, or int64 shapes). */
export interface Initializer {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** What {@link decodeGraph} returns. */
export interface OnnxGraph {
  readonly nodes: readonly GraphNode[];
  readonly initializers: ReadonlyMap<string, Initializer>;
  readonly input: string;
  readonly output: string;
}

interface Pb {
  graph: {
    node: { opType: string; input: string[]; output: string[]; attribute: { name: string; type: number; f: number; i: bigint; s: Uint8Array; floats: number[]; ints: bigint[] }[] }[];
    initializer: { name: string; dims: bigint[]; dataType: number; floatData: number[]; int64Data: bigint[]; rawData: Uint8Array }[];
    input: { name: string }[];
    output: { name: string }[];
  };
}

/** Attribute types of onnx.proto used here. */
const FLOAT = 1, INT = 2, STRING = 3, FLOATS = 6, INTS = 7;

/** Decodes an ONNX model's main graph (float initializers only; other types are refused). */
export async function decodeGraph(bytes: Uint8Array): Promise<OnnxGraph> {
  const schemaUrl = new URL("./proto/onnx_pb.js", import.meta.resolve("@tessera/onnx"));
  const { ModelProtoSchema } = await import(schemaUrl.href);
  const model = fromBinary(ModelProtoSchema, bytes) as unknown as Pb;
  const g = model.graph;
  const initializers = new Map<string, Initializer>();
  for (const t of g.initializer) {
    const dims = t.dims.map(Number);
    const size = dims.reduce((a, b) => a * b, 1);
    if (t.dataType === 7) {
      // int64 (shapes for Reshape): kept as float32 values, exact for any shape a model has.
      const v = t.rawData.length > 0 ? [...new BigInt64Array(t.rawData.slice().buffer, 0, size)] : t.int64Data;
      if (v.length !== size) throw new Error(`decodeGraph: initializer '${t.name}' holds ${v.length} int64s, its dims [${dims}] ${size}`);
      initializers.set(t.name, { dims, data: Float32Array.from(v.map(Number)) });
      continue;
    }
    if (t.dataType !== 1) throw new Error(`decodeGraph: initializer '${t.name}' has data type ${t.dataType}, only float32 (1) and int64 (7) are read`);
    const data = t.rawData.length > 0 ? new Float32Array(t.rawData.slice().buffer, 0, size) : Float32Array.from(t.floatData);
    if (data.length !== size) throw new Error(`decodeGraph: initializer '${t.name}' holds ${data.length} floats, its dims [${dims}] ${size}`);
    initializers.set(t.name, { dims, data });
  }
  const nodes = g.node.map((n) => {
    const attrs = new Map<string, number | number[] | string>();
    for (const a of n.attribute) {
      if (a.type === FLOAT) attrs.set(a.name, a.f);
      else if (a.type === INT) attrs.set(a.name, Number(a.i));
      else if (a.type === STRING) attrs.set(a.name, new TextDecoder().decode(a.s));
      else if (a.type === FLOATS) attrs.set(a.name, [...a.floats]);
      else if (a.type === INTS) attrs.set(a.name, a.ints.map(Number));
      else throw new Error(`decodeGraph: attribute '${a.name}' of a ${n.opType} node has type ${a.type}, which this reader does not take`);
    }
    return { op: n.opType, inputs: [...n.input], outputs: [...n.output], attrs };
  });
  const inputs = g.input.map((i) => i.name).filter((n) => !initializers.has(n));
  if (inputs.length !== 1 || g.output.length !== 1) throw new Error(`decodeGraph: expected one input and one output, got ${inputs.length} and ${g.output.length}`);
  return { nodes, initializers, input: inputs[0], output: g.output[0].name };
}
