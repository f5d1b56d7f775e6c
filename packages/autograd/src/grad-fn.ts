import type { Tensor } from "./tensor.js";

/**
 * The node of the graph that made a tensor: its op name, its inputs, and the backward rule that
 * maps the gradient of the output to gradients of the inputs (null where an input needs none).
 * `release` frees what the forward pass saved for backward.
 *
 * @example
 * ```ts
 * import { tensor, relu } from "@tessera/autograd";
 * const y = relu(tensor([-1, 2], { requiresGrad: true }));
 * y.gradFn?.name; // "relu"
 * ```
 */
export interface GradFn {
  /** Op name, for messages. */
  readonly name: string;
  /** The tensors the op read. */
  readonly inputs: readonly Tensor[];
  /** Gradients of the inputs given the output's gradient (computed without recording). */
  backward(grad: Tensor): (Tensor | null)[];
  /** Frees saved buffers (called once backward has used them). */
  release?(): void;
}
