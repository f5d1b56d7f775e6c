import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JsDevice, jsDevice } from "@tessera/blas";
import { fromArray, relu } from "@tessera/ndarray";
import { conv2d, conv2dInputGrad, conv2dWeightGrad, maxPool2d } from "./index.js";
import { seedExampleCases, type SeedExamples } from "./testing.js";

const examples = JSON.parse(readFileSync(new URL("../../../fixtures/seed-examples.json", import.meta.url), "utf8")) as SeedExamples;

for (const [label, device] of [["js", jsDevice], ["js reference", new JsDevice({ reference: true })]] as const) {
  describe(`the course's examples on ${label} (device level)`, () => {
    for (const c of seedExampleCases(examples)) it(c.name, () => c.run(device));
  });
}

describe("the course's slides in three lines (NDArray level)", () => {
  const a = examples.conv_5x5_by_3x3;
  const x = fromArray(a.image.map((r) => [...r])).reshape([1, 1, 5, 5]);
  const w = fromArray(a.filter.map((r) => [...r])).reshape([1, 1, 3, 3]);

  it("valid and same convolutions, and ReLU(MaxPool(x)) == MaxPool(ReLU(x))", () => {
    expect(conv2d(x, w).reshape([3, 3]).toArray()).toEqual(a.valid_output);
    const same = conv2d(x, w, { padding: "same" });
    expect(same.reshape([5, 5]).toArray()).toEqual(a.same_padding_1_output);
    const pooled = maxPool2d(same, { kernelSize: 2, stride: 1 });
    expect(pooled.reshape([4, 4]).toArray()).toEqual(a.maxpool_2x2_stride_1_of_same_output);
    expect(relu(pooled).toArray()).toEqual(maxPool2d(relu(same), { kernelSize: 2, stride: 1 }).toArray());
  });

  it("dL/dF and dL/dX of the backward exercise", () => {
    const b = examples.conv_backward_exercise;
    const xi = fromArray([[b.input.map((r) => [...r])]]);
    const f = fromArray([[b.filter.map((r) => [...r])]]);
    const dy = fromArray([[b.grad_output.map((r) => [...r])]]);
    const dF = conv2dWeightGrad(xi, [1, 1, 2, 2], dy).reshape([4]).toArray() as number[];
    const dX = conv2dInputGrad([1, 1, 3, 3], f, dy).reshape([9]).toArray() as number[];
    b.grad_filter.flat().forEach((v, i) => expect(dF[i]).toBeCloseTo(v, 6));
    b.grad_input.flat().forEach((v, i) => expect(dX[i]).toBeCloseTo(v, 6));
  });

  it("the TensorFlow RGB exercise with NDArray views (permute NHWC→NCHW, HWIO→OIHW)", () => {
    const t = examples.tf_rgb_exercise;
    const input = fromArray([t.input_nhwc.map((r) => r.map((c) => [...c]))]).permute([0, 3, 1, 2]);
    const filter = fromArray(t.filter_hwio.map((r) => r.map((c) => c.map((o) => [...o])))).permute([3, 2, 0, 1]);
    const y = relu(conv2d(input, filter, { bias: fromArray([...t.bias]), stride: t.stride }));
    const pooled = maxPool2d(y, { kernelSize: 2, stride: 1 });
    expect(Array.from(pooled.toFlat())).toEqual(t.flatten_channel_major);
    expect(y.permute([0, 2, 3, 1]).toArray()).toEqual([t.relu_nhwc]);
  });
});
