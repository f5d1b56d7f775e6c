/**
 * `@tessera/onnx`: ONNX in and out. {@link importOnnx} turns an ONNX model into a trainable
 * {@link OnnxModule}; {@link exportOnnx} writes any Tessera model as ONNX for onnxruntime and
 * other runtimes; {@link checkOnnx} applies the structural checks of `onnx.checker`.
 *
 * @example
 * ```ts
 * import { exportOnnx, importOnnx } from "@tessera/onnx";
 * import { lenet5 } from "@tessera/models";
 * import { zeros } from "@tessera/autograd";
 * const bytes = await exportOnnx(lenet5(), zeros([1, 1, 28, 28]));
 * const again = importOnnx(bytes);
 * ```
 * @packageDocumentation
 */
export { importOnnx, type ImportOptions } from "./import/import.js";
export { OnnxModule } from "./import/onnx-module.js";
export { exportOnnx, type ExportOptions } from "./export/export.js";
export { checkOnnx } from "./checker.js";
export type { OnnxLimits } from "./limits.js";
