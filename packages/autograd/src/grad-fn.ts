import type { Tensor } from "./tensor.js";

/**
 * The node of the graph that made a tensor: its op name, its inputs, and the backward rule that
 * maps the gradient of the output to gradients of the inputs (null where an input needs none).
 * The node keeps its inputs and `saved` tensors alive (a scope that ends defers freeing them)
 * until `backward()` ran through it or its tensor is disposed; `release` then frees what the
 * forward pass saved for backward.
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
  /** Tensors other than the inputs that the backward rule reads (pooling argmax, contiguous copies…). */
  readonly saved?: readonly Tensor[];
  /** Gradients of the inputs given the output's gradient (computed without recording). */
  backward(grad: Tensor): (Tensor | null)[];
  /** Frees saved buffers (called once, when the node is freed). */
  release?(): void;
}
