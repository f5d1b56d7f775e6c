/**
 * `@tessera/nn/node`: the Node-only parts of `@tessera/nn` (file system access), kept out of the
 * main entry so browser bundles never see a `node:` import.
 *
 * @example
 * ```ts
 * import { fit } from "@tessera/nn";
 * import { TensorBoard } from "@tessera/nn/node";
 * // await fit(model, batches, { optimizer, loss, epochs: 5, callbacks: [new TensorBoard({ logDir: "runs/exp1", histogramFreq: 1 })] });
 * // then: tensorboard --logdir runs
 * ```
 * @packageDocumentation
 */
export { FileSink, tensorboardFileSink, openSummaryWriter, readEventFile, TensorBoard, type NodeTensorBoardOptions } from "./tensorboard/log-dir.js";
