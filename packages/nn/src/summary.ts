/**
 * `summary(model, inputShape)`: a Keras-style table of every leaf layer — name (type), output
 * shape, parameter count — with totals and multiply-accumulate counts, from one forward pass of
 * zeros in evaluation mode without recording gradients.
 */
import { noGrad, scope, zeros, type Tensor } from "@tessera/autograd";
import { Module } from "./module.js";
import { Conv2d } from "./layers/conv.js";
import { ConvTranspose2d } from "./layers/conv-transpose.js";
import { Linear } from "./layers/linear.js";

/**
 * One row of a {@link ModelSummary}.
 *
 * @example
 * ```ts
 * import type { SummaryRow } from "@tessera/nn";
 * const r: SummaryRow = { name: "features.0", type: "Conv2d", outputShape: [1, 64, 55, 55], params: 23296, macs: 70276800 };
 * ```
 */
export interface SummaryRow {
  /** Dotted module name. */ readonly name: string;
  /** Class name. */ readonly type: string;
  /** Output shape (batch included). */ readonly outputShape: readonly number[];
  /** Parameters of this layer. */ readonly params: number;
  /** Multiply-accumulates per forward pass of the whole batch (Conv2d, ConvTranspose2d and Linear). */ readonly macs: number;
}

/**
 * The result of {@link summary}: rows, totals and a printable table.
 *
 * @example
 * ```ts
 * import { summary, Linear } from "@tessera/nn";
 * summary(new Linear(4, 2), [1, 4]).total; // 10
 * ```
 */
export interface ModelSummary {
  /** One row per leaf layer, in execution order. */ readonly rows: readonly SummaryRow[];
  /** All parameters. */ readonly total: number;
  /** Parameters that require grad. */ readonly trainable: number;
  /** Buffer elements (e.g. BatchNorm running statistics). */ readonly nonTrainable: number;
  /** Total multiply-accumulates. */ readonly macs: number;
  /** The table as text. */ toString(): string;
}

function macsOf(m: Module, y: Tensor, x: Tensor | undefined): number {
  // Each input cell meets out/groups·kh·kw weights (the adjoint convolution's GEMM, PyTorch profilers' count).
  if (m instanceof ConvTranspose2d && x) return x.size * m.weight.shape[1] * m.weight.shape[2] * m.weight.shape[3];
  if (m instanceof Conv2d) return y.size * (m.inChannels / (m.options.groups ?? 1)) * m.weight.shape[2] * m.weight.shape[3];
  if (m instanceof Linear) return (y.size / m.outFeatures) * m.inFeatures * m.outFeatures;
  return 0;
}

/**
 * Summarises a model by running it once on zeros of `inputShape` (batch included).
 *
 * @example
 * ```ts
 * import { summary, Sequential, Linear, ReLU } from "@tessera/nn";
 * const s = summary(new Sequential(new Linear(784, 16), new ReLU(), new Linear(16, 10)), [1, 784]);
 * console.log(s.toString());
 * ```
 */
export function summary(model: Module, inputShape: readonly number[]): ModelSummary {
  const rows: SummaryRow[] = [];
  const leaves = model.namedModules().filter(([, m]) => m.namedChildren().length === 0);
  const restore: (() => void)[] = [];
  for (const [name, m] of leaves) {
    const original = m.forward;
    m.forward = (...xs: Tensor[]) => {
      const y = original.apply(m, xs);
      rows.push({ name, type: m.constructor.name, outputShape: [...y.shape], params: m.numParameters(), macs: macsOf(m, y, xs[0]) });
      return y;
    };
    restore.push(() => void (m.forward = original));
  }
  const wasTraining = model.training;
  model.eval();
  try {
    const device = model.parameters()[0]?.device;
    noGrad(() => scope(() => void model.forward(zeros(inputShape, { device }))));
  } finally {
    restore.forEach((r) => r());
    model.train(wasTraining);
  }
  const total = model.numParameters();
  const trainable = model.numParameters({ trainableOnly: true });
  const nonTrainable = model.buffers().filter((b) => b.dtype === "float32").reduce((s, b) => s + b.size, 0);
  const macs = rows.reduce((s, r) => s + r.macs, 0);
  return {
    rows, total, trainable, nonTrainable, macs,
    toString() {
      const head = ["Layer (type)", "Output Shape", "Param #"];
      const body = rows.map((r) => [`${r.name} (${r.type})`, `[${r.outputShape.join(", ")}]`, r.params.toLocaleString("en-US")]);
      const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
      const line = (c: string[]) => `${c[0].padEnd(w[0])}  ${c[1].padEnd(w[1])}  ${c[2].padStart(w[2])}`;
      const rule = "=".repeat(w[0] + w[1] + w[2] + 4);
      return [rule, line(head), rule, ...body.map(line), rule,
        `Total params: ${total.toLocaleString("en-US")}`,
        `Trainable params: ${trainable.toLocaleString("en-US")}`,
        `Non-trainable (buffers): ${nonTrainable.toLocaleString("en-US")}`,
        `Multiply-accumulates: ${macs.toLocaleString("en-US")}`, rule].join("\n");
    },
  };
}

