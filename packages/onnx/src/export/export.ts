/**
 * exportOnnx: runs the module once on the sample input with every known layer wrapped, so that each
 * layer call is recorded with the layer itself (its settings become the node's attributes), and the
 * functional ops between layers (residual `add`, `concat`, `slice`, …) are read from the autograd
 * graph that the forward pass records anyway. Walking from the output back to the input then gives
 * the ONNX graph in topological order. No change to autograd is needed.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { scope, tensor, type GradFn, type Tensor } from "@tessera/autograd";
import type { Module } from "@tessera/nn";
import {
  GraphProtoSchema, ModelProtoSchema, OperatorSetIdProtoSchema, TensorProto_DataType as DT, TensorShapeProto_DimensionSchema, TensorShapeProtoSchema,
  TypeProto_TensorSchema, TypeProtoSchema, ValueInfoProtoSchema, type ModelProto,
} from "../proto/onnx_pb.js";
import { checkModelProto } from "../checker.js";
import { currentModel, OnnxModule } from "../import/onnx-module.js";
import { GraphBuilder } from "./builder.js";
import { emitFunctional, type FunctionalCall } from "./functional.js";
import { emitLayer, LAYER_TYPES } from "./layers.js";

/**
 * Options of {@link exportOnnx}.
 *
 * @example
 * ```ts
 * import type { ExportOptions } from "@tessera/onnx";
 * const o: ExportOptions = { opset: 17 };
 * ```
 */
export interface ExportOptions {
  /** Default-domain opset, 11–21 (default 17). */
  readonly opset?: number;
  /** Recorded as the model's producer (default "tessera"). */
  readonly producerName?: string;
}

/** IR version that goes with each opset (onnx's VERSION_TABLE). */
function irVersionFor(opset: number): number {
  return opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
}

interface LayerRecord {
  readonly m: Module;
  readonly path: string;
  readonly x: Tensor;
}

/**
 * Exports a module to ONNX bytes: traced on `sampleInput` in evaluation mode (Dropout is dropped,
 * BatchNorm becomes BatchNormalization with its running statistics: not folded into the conv), with
 * one graph input `input` and one output `output`, both with a dynamic batch dimension `batch`.
 * Initializers keep the module's state-dict keys. The result passes {@link checkOnnx}. The
 * module's training flags are restored afterwards. An {@link OnnxModule} (an imported model,
 * perhaps fine-tuned) is written back as its own graph with its current weights, at its own opset.
 *
 * @example
 * ```ts
 * import { exportOnnx } from "@tessera/onnx";
 * import { Conv2d, Flatten, Linear, ReLU, Sequential } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * import { writeFileSync } from "node:fs";
 * const net = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new Flatten(), new Linear(4 * 26 * 26, 10));
 * writeFileSync("net.onnx", await exportOnnx(net, zeros([1, 1, 28, 28]), { opset: 17 }));
 * ```
 */
export async function exportOnnx(module: Module, sampleInput: Tensor, options: ExportOptions = {}): Promise<Uint8Array> {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 11 || opset > 21) throw new RangeError(`exportOnnx: opset must be an integer from 11 to 21, got ${opset}`);
  if (!sampleInput || (sampleInput as { isTensor?: boolean }).isTensor !== true) throw new TypeError("exportOnnx: sampleInput must be a Tensor");
  if (sampleInput.dtype !== "float32" || sampleInput.ndim < 1) throw new TypeError(`exportOnnx: sampleInput must be a float32 tensor with a batch dimension, got ${sampleInput.dtype} [${sampleInput.shape.join(",")}]`);

  if (module instanceof OnnxModule) {
    // An imported model goes back out as its own graph with its current weights (no re-tracing).
    if (options.opset !== undefined && options.opset !== module.opset) throw new RangeError(`exportOnnx: this OnnxModule was imported at opset ${module.opset}; converting it to opset ${opset} is not supported`);
    const model = await currentModel(module);
    if (options.producerName) model.producerName = options.producerName;
    checkModelProto(model, "exportOnnx");
    return toBinary(ModelProtoSchema, model);
  }
  // Every tensor the trace makes (activations, the autograd graph) is freed when the export ends.
  return scope(() => exportTraced(module, sampleInput, opset, options.producerName ?? "tessera"));
}

async function exportTraced(module: Module, sampleInput: Tensor, opset: number, producer: string): Promise<Uint8Array> {
  const modules = module.namedModules();
  const modes = modules.map(([, m]) => m.training);
  const layers = new Map<Tensor, LayerRecord>();
  const patched: Module[] = [];
  const x = tensor(await sampleInput.data(), { shape: [...sampleInput.shape], device: sampleInput.device, requiresGrad: true });
  let y: Tensor;
  try {
    module.eval();
    for (const [path, m] of modules) {
      if (!LAYER_TYPES.some((T) => m instanceof T)) continue;
      const forward = m.forward;
      patched.push(m);
      m.forward = (input: Tensor) => {
        const out = forward.call(m, input);
        if (out === input) return out;
        out.gradFn?.release?.();
        out.gradFn = { name: `layer:${path}`, inputs: [input], backward: () => [null] } satisfies GradFn;
        layers.set(out, { m, path, x: input });
        return out;
      };
    }
    y = module.forward(x);
  } finally {
    for (const m of patched) delete (m as { forward?: unknown }).forward;
    modules.forEach(([, m], i) => (m.training = modes[i]));
  }
  if (!y || (y as { isTensor?: boolean }).isTensor !== true) throw new TypeError("exportOnnx: the module's forward did not return a Tensor");

  const isConstant = (t: Tensor) => t !== x && !t.gradFn && !t.requiresGrad && !layers.has(t);
  const names = new Map<Tensor, string>();
  for (const [k, t] of module.namedParameters()) names.set(t, k);
  for (const [k, t] of module.namedBuffers()) if (!names.has(t)) names.set(t, k);

  const b = new GraphBuilder();
  b.reserve("input");
  b.reserve("output");
  for (const key of new Set(names.values())) b.reserve(key); // so no value name can take a parameter's key
  const inits = new Map<Tensor, string>();
  const pendingData: [Tensor, string][] = [];
  const tensorName = (t: Tensor): string => {
    let n = inits.get(t);
    if (n) return n;
    const key = names.get(t);
    n = key ?? b.fresh(`const_${t.id}`);
    inits.set(t, n);
    pendingData.push([t, n]);
    return n;
  };

  // Post-order walk from the output: every value is named before the node that reads it.
  const valueName = new Map<Tensor, string>([[x, "input"]]);
  const visit = async (root: Tensor): Promise<void> => {
    const stack: [Tensor, boolean][] = [[root, false]];
    while (stack.length) {
      const [t, expanded] = stack.pop() as [Tensor, boolean];
      if (valueName.has(t)) continue;
      const layer = layers.get(t);
      // A constant joined by concat is decided by the concat itself (zero blocks become Pad).
      const deps = layer ? [layer.x] : t.gradFn ? t.gradFn.inputs.filter((d) => !(t.gradFn?.name === "concat" && isConstant(d))) : [];
      if (!expanded) {
        stack.push([t, true]);
        for (const d of deps) if (!valueName.has(d)) stack.push([d, false]);
        continue;
      }
      const out = t === y ? "output" : b.fresh(layer ? layer.path || "layer" : `${t.gradFn?.name ?? "value"}_${t.id}`);
      if (layer) {
        valueName.set(t, emitLayer({ b, m: layer.m, path: layer.path, x: layer.x, xName: valueName.get(layer.x) as string, y: t, opset, tensorName, out }));
      } else if (t.gradFn) {
        const call: FunctionalCall = { b, y: t, inputs: t.gradFn.inputs, name: t.gradFn.name, out, opset, nameOf: (d) => valueName.get(d) ?? tensorName(d) };
        valueName.set(t, await emitFunctional(call));
      } else {
        valueName.set(t, tensorName(t));
      }
    }
  };
  await visit(y);
  if (valueName.get(y) !== "output") {
    // The output is the input itself or a parameter: give it its name through Identity.
    b.node("Identity", [valueName.get(y) as string], ["output"]);
  }
  if (!reaches(y, x, layers)) throw new Error("exportOnnx: the output does not depend on the input");

  for (const [t, n] of pendingData) b.floatInit(n, t.shape, await t.data());

  const model = buildModel(b, opset, producer, sampleInput.shape, y.shape);
  checkModelProto(model, "exportOnnx");
  return toBinary(ModelProtoSchema, model);
}

/** True when `from` depends on `to` through layers or recorded ops. */
function reaches(from: Tensor, to: Tensor, layers: Map<Tensor, LayerRecord>): boolean {
  const seen = new Set<Tensor>();
  const stack = [from];
  while (stack.length) {
    const t = stack.pop() as Tensor;
    if (t === to) return true;
    if (seen.has(t)) continue;
    seen.add(t);
    const layer = layers.get(t);
    stack.push(...(layer ? [layer.x] : t.gradFn ? t.gradFn.inputs : []));
  }
  return false;
}

function valueInfo(name: string, shape: readonly number[], batch: boolean) {
  const dim = shape.map((d, i) => create(TensorShapeProto_DimensionSchema, { value: i === 0 && batch ? { case: "dimParam", value: "batch" } : { case: "dimValue", value: BigInt(d) } }));
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, { value: { case: "tensorType", value: create(TypeProto_TensorSchema, { elemType: DT.FLOAT, shape: create(TensorShapeProtoSchema, { dim }) }) } }),
  });
}

function buildModel(b: GraphBuilder, opset: number, producer: string, inShape: readonly number[], outShape: readonly number[]): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: BigInt(irVersionFor(opset)),
    producerName: producer,
    producerVersion: "0.1.0",
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: "", version: BigInt(opset) })],
    graph: create(GraphProtoSchema, {
      name: "tessera",
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo("input", inShape, true)],
      output: [valueInfo("output", outShape, outShape.length > 0 && outShape[0] === inShape[0])],
    }),
  });
}
