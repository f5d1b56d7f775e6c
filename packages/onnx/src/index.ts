/**
 * `@tessera/onnx`: ONNX in and out. {@link importOnnx} turns an ONNX model into a trainable
 * {@link OnnxModule}; {@link exportOnnx} writes any Tessera model as ONNX for onnxruntime and
 * other runtimes; {@link checkOnnx} applies the structural checks of `onnx.checker`.
 *
 * @example
 * ```ts
 * import { exportOnnx, importOnnx } from "@tessera/onnx";
 * import { Linear, ReLU, Sequential } from "@tessera/nn";
 * import { zeros } from "@tessera/autograd";
 * const bytes = await exportOnnx(new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2)), zeros([1, 4]));
 * const again = importOnnx(bytes); // the same network, trainable
 * ```
 * @packageDocumentation
 */
export { importOnnx, type ImportOptions } from "./import/import.js";
export { OnnxModule } from "./import/onnx-module.js";
export { exportOnnx, type ExportOptions } from "./export/export.js";
export { checkOnnx } from "./checker.js";
export type { OnnxLimits } from "./limits.js";
