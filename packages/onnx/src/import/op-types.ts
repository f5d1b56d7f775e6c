/**
 * What an operator implementation sees: its attributes, read and type-checked once at import
 * (`prepare`), and at run time its inputs as device tensors or host tensors (shapes, axes and other
 * constants, read without a device round trip).
 */
import { tensor, type Tensor } from "@tessera/autograd";
import type { Device } from "@tessera/blas";
import { AttributeProto_AttributeType as AT, type AttributeProto, type NodeProto } from "../proto/onnx_pb.js";
import { decodeTensor, type HostTensor } from "../tensor-data.js";
import type { ResolvedLimits } from "../limits.js";

/** A value flowing through the graph: a tensor on the device, or a host tensor. @internal */
export type Value = Tensor | HostTensor;

/** True for a host tensor. @internal */
export function isHost(v: Value): v is HostTensor {
  return (v as HostTensor).kind !== undefined && !(v as Tensor).isTensor;
}

/** The node's identity for error messages: "node 'conv1' (#3, Conv, opset 13)". @internal */
export interface NodeLabel {
  readonly label: string;
}

/** Makes the label of a node. @internal */
export function nodeLabel(node: NodeProto, index: number, opset: number): string {
  return `node ${node.name ? `'${node.name}'` : "(unnamed)"} (#${index}, ${node.opType}, opset ${opset})`;
}

/** Reads a node's attributes with type checks; tracks which were read so unknown ones are refused. @internal */
export class Attrs {
  private readonly map = new Map<string, AttributeProto>();
  constructor(readonly label: string, attrs: readonly AttributeProto[], readonly limits: ResolvedLimits) {
    for (const a of attrs) {
      if (this.map.has(a.name)) throw new Error(`importOnnx: ${label} has attribute '${a.name}' twice`);
      if (a.refAttrName) throw new Error(`importOnnx: ${label}: attribute '${a.name}' refers to a function attribute; functions are not supported`);
      this.map.set(a.name, a);
    }
  }
  /** Throws for any attribute not in `allowed`. */
  only(allowed: readonly string[]): void {
    for (const k of this.map.keys()) {
      if (!allowed.includes(k)) throw new Error(`importOnnx: ${this.label} has attribute '${k}', which Tessera does not support (supported: ${allowed.join(", ") || "none"})`);
    }
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  private get(name: string, type: AT): AttributeProto | undefined {
    const a = this.map.get(name);
    if (a && a.type !== type) throw new TypeError(`importOnnx: ${this.label}: attribute '${name}' must be of type ${AT[type]}, got ${AT[a.type] ?? a.type}`);
    return a;
  }
  int(name: string, dflt: number): number {
    const a = this.get(name, AT.INT);
    return a ? safe(this.label, name, a.i) : dflt;
  }
  ints(name: string, dflt: readonly number[] | null): readonly number[] | null {
    const a = this.get(name, AT.INTS);
    return a ? a.ints.map((v) => safe(this.label, name, v)) : dflt;
  }
  float(name: string, dflt: number): number {
    const a = this.get(name, AT.FLOAT);
    return a ? a.f : dflt;
  }
  floats(name: string): readonly number[] | null {
    const a = this.get(name, AT.FLOATS);
    return a ? [...a.floats] : null;
  }
  string(name: string, dflt: string): string {
    const a = this.get(name, AT.STRING);
    return a ? new TextDecoder().decode(a.s) : dflt;
  }
  tensor(name: string): HostTensor | null {
    const a = this.get(name, AT.TENSOR);
    return a?.t ? decodeTensor(`${this.label}: attribute '${name}'`, a.t, this.limits) : null;
  }
  /** Fails with the node's label. */
  fail(msg: string): never {
    throw new Error(`importOnnx: ${this.label}: ${msg}`);
  }
}

function safe(label: string, name: string, v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`importOnnx: ${label}: attribute '${name}' value ${v} is out of range`);
  return Number(v);
}

/** Run-time context of one node. @internal */
export class RunCtx {
  constructor(readonly label: string, readonly device: Device, private readonly values: readonly (Value | undefined)[], private readonly cache: WeakMap<HostTensor, Tensor>) {}
  /** Number of inputs given (trailing empty names count as absent). */
  get count(): number {
    return this.values.length;
  }
  /** True when optional input `i` is present. */
  has(i: number): boolean {
    return this.values[i] !== undefined;
  }
  /** Input `i` as it is. */
  value(i: number): Value {
    const v = this.values[i];
    if (v === undefined) this.fail(`input ${i} is required`);
    return v;
  }
  /** Input `i` on the device (host float constants are uploaded once). */
  tensor(i: number): Tensor {
    const v = this.value(i);
    if (!isHost(v)) return v;
    if (v.kind !== "float") this.fail(`input ${i} is an integer tensor; Tessera computes on float32 tensors only (integers are supported as shapes, axes and indices)`);
    let t = this.cache.get(v);
    // An upload made inside a caller's scope() is disposed with it: make a fresh one then.
    if (!t || t.isDisposed) {
      t = tensor(Float32Array.from(v.data), { shape: [...v.dims], device: this.device });
      this.cache.set(v, t);
    }
    return t;
  }
  /** Input `i` as a host tensor (a constant, an initializer or a shape computation). */
  host(i: number): HostTensor {
    const v = this.value(i);
    if (!isHost(v)) this.fail(`input ${i} must be a constant (an initializer, a Constant or computed from Shape); it is computed at run time from the model's input`);
    return v;
  }
  /** Input `i` as host integers. */
  ints(i: number): number[] {
    const h = this.host(i);
    if (h.kind !== "int") this.fail(`input ${i} must be an integer tensor`);
    return Array.from(h.data);
  }
  /** Input `i` as one host number (a scalar or one-element tensor). */
  scalar(i: number): number {
    const h = this.host(i);
    if (h.data.length !== 1) this.fail(`input ${i} must hold one value, got shape [${h.dims.join(",")}]`);
    return h.data[0];
  }
  fail(msg: string): never {
    throw new Error(`OnnxModule: ${this.label}: ${msg}`);
  }
}

/** An operator: which attributes it accepts, its input counts, and `prepare` (at import) returning the run function. @internal */
export interface OpSpec {
  readonly attrs: readonly string[];
  readonly inputs: readonly [number, number];
  /** Most outputs that may be used. */
  readonly outputs?: number;
  /** Input positions read on the host (shapes, axes, bounds): initializers there are not parameters. */
  readonly hostInputs?: readonly number[];
  /** Input positions that are running statistics (BatchNormalization mean and variance): buffers, not parameters. */
  readonly bufferInputs?: readonly number[];
  prepare(a: Attrs, opset: number): (ctx: RunCtx) => Value[];
}

/** Normalises a possibly negative axis. @internal */
export function axis(fail: (m: string) => never, a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (!Number.isInteger(a) || r < 0 || r >= rank) fail(`axis ${a} is out of range for rank ${rank}`);
  return r;
}
