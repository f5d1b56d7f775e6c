/** Accumulates the nodes and initializers of an exported graph. */
import { create } from "@bufbuild/protobuf";
import {
  AttributeProto_AttributeType as AT, AttributeProtoSchema, NodeProtoSchema, type AttributeProto, type NodeProto, type TensorProto,
} from "../proto/onnx_pb.js";
import { floatTensorProto, int64TensorProto } from "../tensor-data.js";

/** An attribute value: an int, a float, a list of ints or a string. @internal */
export type AttrValue = { readonly i: number } | { readonly f: number } | { readonly ints: readonly number[] } | { readonly s: string };

/** The graph under construction. @internal */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** A fresh value name from a hint. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.:/-]/g, "_") || "v";
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** Reserves a name that must be exactly this (graph input/output, parameter). */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`exportOnnx: the name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }

  /** Adds a node; returns its output names. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, AttrValue> = {}, name = outputs[0]): readonly string[] {
    const attribute: AttributeProto[] = Object.entries(attrs).map(([k, v]) => {
      if ("i" in v) return create(AttributeProtoSchema, { name: k, type: AT.INT, i: BigInt(v.i) });
      if ("f" in v) return create(AttributeProtoSchema, { name: k, type: AT.FLOAT, f: v.f });
      if ("ints" in v) return create(AttributeProtoSchema, { name: k, type: AT.INTS, ints: v.ints.map((x) => BigInt(x)) });
      return create(AttributeProtoSchema, { name: k, type: AT.STRING, s: new TextEncoder().encode(v.s) });
    });
    this.nodes.push(create(NodeProtoSchema, { name: `${opType}_${this.nodes.length}_${name}`, opType, input: [...inputs], output: [...outputs], attribute }));
    return outputs;
  }

  /** Adds a float32 initializer under a name already reserved or fresh. */
  floatInit(name: string, dims: readonly number[], data: ArrayLike<number>): string {
    this.initializers.push(floatTensorProto(name, dims, data));
    return name;
  }

  /** Adds an int64 constant initializer; returns its (fresh) name. */
  intInit(hint: string, values: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push(int64TensorProto(name, [values.length], values));
    return name;
  }
}
