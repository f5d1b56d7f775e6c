/**
 * Test helper: builds small ONNX models with the generated message classes (no binary fixtures),
 * and runs them in onnxruntime-node. Not part of the package build.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  AttributeProto_AttributeType as AT, AttributeProtoSchema, GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, OperatorSetIdProtoSchema,
  TensorProto_DataType as DT, TensorProtoSchema, TensorShapeProto_DimensionSchema, TensorShapeProtoSchema, TypeProto_TensorSchema, TypeProtoSchema,
  ValueInfoProtoSchema, type AttributeProto, type ModelProto, type NodeProto, type TensorProto,
} from "../proto/onnx_pb.js";

export type Attr = number | readonly number[] | string | { readonly float: number } | { readonly floats: readonly number[] } | TensorProto;

/** An attribute: integers become INT/INTS, {float} FLOAT, strings STRING, TensorProto TENSOR. */
export function attr(name: string, v: Attr): AttributeProto {
  if (typeof v === "number") return create(AttributeProtoSchema, { name, type: AT.INT, i: BigInt(v) });
  if (typeof v === "string") return create(AttributeProtoSchema, { name, type: AT.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return create(AttributeProtoSchema, { name, type: AT.INTS, ints: (v as number[]).map((x) => BigInt(x)) });
  if ("float" in (v as object)) return create(AttributeProtoSchema, { name, type: AT.FLOAT, f: (v as { float: number }).float });
  if ("floats" in (v as object)) return create(AttributeProtoSchema, { name, type: AT.FLOATS, floats: [...(v as { floats: number[] }).floats] });
  return create(AttributeProtoSchema, { name, type: AT.TENSOR, t: v as TensorProto });
}

/** A node. */
export function node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, Attr> = {}, name = ""): NodeProto {
  return create(NodeProtoSchema, { opType, input: [...inputs], output: [...outputs], name, attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
}

/** A float initializer (raw_data). */
export function floats(name: string, dims: readonly number[], data: ArrayLike<number>): TensorProto {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.FLOAT, rawData: raw });
}

/** An int64 initializer (int64_data). */
export function ints(name: string, data: readonly number[], dims: readonly number[] = [data.length]): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.INT64, int64Data: data.map((v) => BigInt(v)) });
}

/** A float tensor value info; null dims are symbolic. */
export function info(name: string, dims: readonly (number | null)[]) {
  const dim = dims.map((d) => create(TensorShapeProto_DimensionSchema, { value: d === null ? { case: "dimParam", value: "n" } : { case: "dimValue", value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: "tensorType", value: create(TypeProto_TensorSchema, { elemType: DT.FLOAT, shape: create(TensorShapeProtoSchema, { dim }) }) } }),
  });
}

export interface GraphSpec {
  readonly nodes: readonly NodeProto[];
  readonly inputs: readonly { readonly name: string; readonly dims: readonly (number | null)[] }[];
  readonly outputs: readonly { readonly name: string; readonly dims: readonly (number | null)[] }[];
  readonly initializers?: readonly TensorProto[];
  readonly opset?: number;
}

/** The ModelProto of a graph. */
export function modelProto(g: GraphSpec): ModelProto {
  const opset = g.opset ?? 17;
  return create(ModelProtoSchema, {
    irVersion: BigInt(opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10),
    producerName: "tessera-test",
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: BigInt(opset) })],
    graph: create(GraphProtoSchema, {
      name: "test",
      node: [...g.nodes],
      initializer: [...(g.initializers ?? [])],
      input: g.inputs.map((i) => info(i.name, i.dims)),
      output: g.outputs.map((o) => info(o.name, o.dims)),
    }),
  });
}

/** The bytes of a graph. */
export function model(g: GraphSpec): Uint8Array {
  return toBinary(ModelProtoSchema, modelProto(g));
}

/** Largest |a − b| over the largest |b| (error relative to the output's scale). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relError: lengths ${a.length} and ${b.length} differ`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}
