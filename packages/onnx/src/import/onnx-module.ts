/**
 * The Module an ONNX model becomes: its float initializers are parameters (or, for
 * BatchNormalization's running statistics, buffers) under their ONNX names, and its forward runs
 * the graph with `@tessera/autograd` ops, so it trains like any other module.
 */
import { keep, tensor, type Tensor } from "@tessera/autograd";
import type { Device } from "@tessera/blas";
import { Module } from "@tessera/nn";
import { clone } from "@bufbuild/protobuf";
import { ModelProtoSchema, type ModelProto } from "../proto/onnx_pb.js";
import { floatTensorProto, type HostTensor } from "../tensor-data.js";
import type { GraphInput, LoadedGraph, PlanStep } from "./graph.js";
import { isHost, RunCtx, type Value } from "./op-types.js";

/** The decoded file and the live initializer tensors of each OnnxModule (kept out of its public type). */
const sources = new WeakMap<OnnxModule, { readonly model: ModelProto; readonly values: ReadonlyMap<string, Tensor> }>();

/** Remembers the decoded file an OnnxModule was built from (for {@link currentModel}). @internal */
export function bindSource(module: OnnxModule, model: ModelProto): OnnxModule {
  sources.set(module, { model, values: module["_values"] });
  return module;
}

/**
 * The model as it was read, with every parameter and buffer replaced by its current value (after
 * fine-tuning, say); `exportOnnx` writes an OnnxModule with it. @internal
 */
export async function currentModel(module: OnnxModule): Promise<ModelProto> {
  const src = sources.get(module);
  if (!src) throw new Error("exportOnnx: not an OnnxModule made by importOnnx");
  const m = clone(ModelProtoSchema, src.model);
  const g = m.graph as NonNullable<ModelProto["graph"]>;
  g.initializer = await Promise.all(g.initializer.map(async (t) => {
    const v = src.values.get(t.name);
    return v ? floatTensorProto(t.name, v.shape, await v.data()) : t;
  }));
  return m;
}

/** Members of Module that an initializer name must not replace. */
function reserved(name: string, self: object): boolean {
  return name === "" || name.startsWith("_") || name in self;
}

/**
 * A model imported with {@link importOnnx}. Parameters are keyed by the ONNX initializer names
 * (`conv1.weight`, `onnx::Conv_193`…); a name that is empty, starts with `_` or equals a member of
 * `Module` (`training`, `forward`…) is prefixed with `onnx_` (then `_2`, `_3`… on a clash), and
 * {@link OnnxModule.keyOf} gives the key of any initializer. BatchNormalization's mean and variance
 * are buffers (in the state dict, not trained); integer initializers (shapes, axes) stay constants.
 *
 * @example
 * ```ts
 * import { importOnnx } from "@tessera/onnx";
 * import { readFileSync } from "node:fs";
 * const net = importOnnx(readFileSync("resnet18.onnx"));
 * net.namedParameters().length; // the float initializers
 * ```
 */
export class OnnxModule extends Module {
  /** The default-domain opset the model was saved with. */
  readonly opset: number;
  /** Names of the graph inputs, in the order `forward` takes them. */
  readonly inputNames: readonly string[];
  /** Names of the graph outputs, in the order {@link OnnxModule.run} returns them. */
  readonly outputNames: readonly string[];
  private readonly _graph: LoadedGraph;
  private readonly _keys = new Map<string, string>();
  private readonly _values = new Map<string, Tensor>();
  private readonly _host = new Map<string, HostTensor>();
  private readonly _uploads = new WeakMap<HostTensor, Tensor>();
  private readonly _device: Device | undefined;

  /** Builds the module from a validated graph; use {@link importOnnx}. @internal */
  constructor(graph: LoadedGraph, device: Device | undefined) {
    super();
    this._graph = graph;
    this._device = device;
    this.opset = graph.opset;
    this.inputNames = graph.inputs.map((i) => i.name);
    this.outputNames = graph.outputs;
    const taken = new Set<string>();
    for (const [name, h] of graph.initializers) {
      const role = graph.roles.get(name);
      this._host.set(name, h);
      if (role === "host") continue;
      let key = reserved(name, this) ? `onnx_${name}` : name;
      for (let k = 2; taken.has(key) || reserved(key, this); k++) key = `onnx_${name}_${k}`;
      taken.add(key);
      this._keys.set(name, key);
      const t = keep(tensor(h.data instanceof Float32Array ? h.data : Float32Array.from(h.data), { shape: [...h.dims], device, requiresGrad: role === "parameter" }));
      this._values.set(name, t);
      if (role === "parameter") (this as unknown as Record<string, Tensor>)[key] = t;
      else this.registerBuffer(key, t);
    }
  }

  /**
   * The state-dict key of an ONNX initializer (undefined for integer and host-only constants).
   *
   * @example
   * ```ts
   * import { importOnnx } from "@tessera/onnx";
   * declare const net: ReturnType<typeof importOnnx>;
   * net.keyOf("fc.weight"); // "fc.weight"
   * ```
   */
  keyOf(initializer: string): string | undefined {
    return this._keys.get(initializer);
  }

  /**
   * Runs the graph on its inputs (in {@link OnnxModule.inputNames} order) and returns its single
   * output; use {@link OnnxModule.run} for graphs with several outputs.
   *
   * @example
   * ```ts
   * import { importOnnx } from "@tessera/onnx";
   * import { zeros } from "@tessera/autograd";
   * declare const net: ReturnType<typeof importOnnx>;
   * const logits = net.forward(zeros([1, 3, 32, 32]));
   * ```
   */
  forward(...inputs: Tensor[]): Tensor {
    if (this.outputNames.length !== 1) throw new Error(`OnnxModule.forward: the graph has ${this.outputNames.length} outputs (${this.outputNames.join(", ")}); use run()`);
    return this.run(...inputs)[0];
  }

  /**
   * Runs the graph and returns every output, in {@link OnnxModule.outputNames} order.
   *
   * @example
   * ```ts
   * import { importOnnx } from "@tessera/onnx";
   * import { zeros } from "@tessera/autograd";
   * declare const net: ReturnType<typeof importOnnx>;
   * const [logits] = net.run(zeros([1, 3, 32, 32]));
   * ```
   */
  run(...inputs: Tensor[]): Tensor[] {
    const g = this._graph;
    if (inputs.length !== g.inputs.length) throw new RangeError(`OnnxModule.forward: the graph takes ${g.inputs.length} input(s) (${this.inputNames.join(", ")}), got ${inputs.length}`);
    const values = new Map<string, Value>();
    for (const [name, h] of this._host) values.set(name, this._values.get(name) ?? h);
    g.inputs.forEach((spec, i) => values.set(spec.name, checkInput(spec, inputs[i])));
    const device = inputs[0]?.device ?? this._device;
    for (const step of g.steps) {
      const outs = this.runStep(step, values, device as Device);
      step.outputs.forEach((o, i) => values.set(o, outs[i]));
    }
    return g.outputs.map((name) => {
      const v = values.get(name) as Value;
      if (!isHost(v)) return v;
      return new RunCtx(`graph output '${name}'`, device as Device, [v], this._uploads).tensor(0);
    });
  }

  private runStep(step: PlanStep, values: Map<string, Value>, device: Device): Value[] {
    const ins = step.inputs.map((name, pos) => (name === "" ? undefined : step.hostInputs.includes(pos) ? (this._host.get(name) ?? values.get(name)) : values.get(name)));
    try {
      const outs = step.run(new RunCtx(step.label, device, ins, this._uploads));
      if (outs.length < step.outputs.length) throw new Error(`produced ${outs.length} outputs, ${step.outputs.length} expected`);
      return outs;
    } catch (e) {
      const msg = (e as Error).message;
      if (msg.startsWith("OnnxModule:")) throw e;
      throw new Error(`OnnxModule: ${step.label}: ${msg}`, { cause: e });
    }
  }
}

function checkInput(spec: GraphInput, t: Tensor): Tensor {
  if (!t || (t as { isTensor?: boolean }).isTensor !== true) throw new TypeError(`OnnxModule.forward: input '${spec.name}' must be a Tensor`);
  if (t.dtype !== "float32") throw new TypeError(`OnnxModule.forward: input '${spec.name}' must be float32, got ${t.dtype}`);
  if (spec.dims) {
    const ok = spec.dims.length === t.ndim && spec.dims.every((d, i) => d === null || d === t.shape[i]);
    if (!ok) throw new RangeError(`OnnxModule.forward: input '${spec.name}' must have shape [${spec.dims.map((d) => d ?? "?").join(",")}], got [${t.shape.join(",")}]`);
  }
  return t;
}
