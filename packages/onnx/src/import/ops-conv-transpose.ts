/**
 * ConvTranspose: one call to `@tessera/autograd`'s convTranspose2d. Explicit `pads`, `VALID`, and
 * the padding that `output_shape` or `SAME_UPPER` / `SAME_LOWER` imply, split as the ONNX
 * specification says (an odd cell at the end for SAME_UPPER, at the start otherwise; onnxruntime
 * 1.30 agrees, see conv-transpose.test.ts).
 */
import { convTranspose2d } from "@tessera/autograd";
import type { Attrs, OpSpec } from "./op-types.js";
import { rank4, windowAttrs } from "./ops-nn.js";

function outputPaddingAttr(a: Attrs): [number, number] {
  const v = a.ints("output_padding", null);
  if (!v) return [0, 0];
  if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < 0)) a.fail(`'output_padding' must be 2 non-negative values, got [${v.join(",")}]`);
  return [v[0], v[1]];
}

/** ConvTranspose (opsets 11–21; the operator has not changed since opset 11). @internal */
export const convTranspose: OpSpec = {
  attrs: ["auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides"],
  inputs: [2, 3],
  prepare(a) {
    const w = windowAttrs(a, false);
    const autoPad = a.string("auto_pad", "NOTSET");
    const groups = a.int("group", 1);
    if (groups < 1) a.fail(`group must be positive, got ${groups}`);
    const outputPadding = outputPaddingAttr(a);
    const outputShape = a.ints("output_shape", null);
    if (outputShape && (outputShape.length !== 2 || outputShape.some((x) => !Number.isInteger(x) || x < 1))) {
      a.fail(`'output_shape' must be 2 positive values (the output's height and width), got [${outputShape.join(",")}]`);
    }
    if (outputShape && a.has("pads")) a.fail("'output_shape' and 'pads' cannot be used together (output_shape generates the pads)");
    if (outputShape && autoPad === "VALID") a.fail("'output_shape' and auto_pad VALID cannot be used together (VALID means no padding, output_shape generates it)");
    return (ctx) => {
      const x = ctx.tensor(0);
      const weight = ctx.tensor(1);
      rank4(ctx, x);
      rank4(ctx, weight, "weight");
      const k = [weight.shape[2], weight.shape[3]];
      if (w.k && (w.k[0] !== k[0] || w.k[1] !== k[1])) ctx.fail(`kernel_shape [${w.k.join(",")}] differs from the weight's [${k.join(",")}]`);
      let padding: [number, number, number, number];
      const same = autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER";
      if (outputShape || same) {
        // The padding that makes the output output_shape (or input·stride for SAME): the full
        // transposed convolution's size minus the wanted size, split between the two sides.
        const pads: number[] = [];
        for (const i of [0, 1]) {
          const n = x.shape[2 + i];
          const want = outputShape ? outputShape[i] : n * w.strides[i];
          const full = (n - 1) * w.strides[i] + outputPadding[i] + (k[i] - 1) * w.dilations[i] + 1;
          const total = full - want;
          const what = outputShape ? `output_shape [${outputShape.join(",")}]` : `auto_pad ${autoPad} (output = input × stride = ${want})`;
          if (total < 0) ctx.fail(`${what} is larger than the full transposed convolution (${full} along axis ${2 + i}); not supported`);
          const small = Math.floor(total / 2);
          if (autoPad === "SAME_UPPER") pads.push(small, total - small);
          else pads.push(total - small, small);
        }
        padding = [pads[0], pads[1], pads[2], pads[3]];
      } else {
        padding = w.resolve(x.shape[2], x.shape[3], k[0], k[1]);
      }
      const bias = ctx.has(2) ? ctx.tensor(2) : null;
      return [convTranspose2d(x, weight, bias, { stride: w.strides, dilation: w.dilations, padding, outputPadding, groups })];
    };
  },
};
