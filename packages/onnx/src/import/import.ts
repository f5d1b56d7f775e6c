import type { Device } from "@tessera/blas";
import { resolveLimits, type OnnxLimits } from "../limits.js";
import { decodeModel, loadGraph } from "./graph.js";
import { bindSource, OnnxModule } from "./onnx-module.js";

/**
 * Options of {@link importOnnx}.
 *
 * @example
 * ```ts
 * import type { ImportOptions } from "@tessera/onnx";
 * const o: ImportOptions = { limits: { maxTensorElements: 1 << 24 } };
 * ```
 */
export interface ImportOptions {
  /** Device of the parameters (default: the registry's default device). */
  readonly device?: Device;
  /** Bounds on what the file may ask for (see {@link OnnxLimits}). */
  readonly limits?: OnnxLimits;
}

/**
 * Reads an ONNX model (opsets 11–21) into an {@link OnnxModule}: run it, or fine-tune it with
 * autograd and any optimizer. The file is validated completely first (operators, attributes,
 * initializer sizes, names, cycles); anything unsupported is an error naming the node.
 *
 * @example
 * ```ts
 * import { importOnnx } from "@tessera/onnx";
 * import { SGD, crossEntropy } from "@tessera/optim";
 * import { randn, tensor } from "@tessera/autograd";
 * import { Rng } from "@tessera/ndarray";
 * import { readFileSync } from "node:fs";
 * const net = importOnnx(readFileSync("model.onnx"));
 * const opt = new SGD(net.parameters(), { lr: 0.01 });
 * const loss = crossEntropy(net.forward(randn([8, 3, 32, 32], new Rng(0))), tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: "int32" }));
 * loss.backward();
 * opt.step();
 * ```
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): OnnxModule {
  const limits = resolveLimits(options.limits);
  const model = decodeModel(bytes, limits);
  return bindSource(new OnnxModule(loadGraph(model, limits), options.device), model);
}
