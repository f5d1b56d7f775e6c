// ConvTranspose in and out: importOnnx against onnxruntime-node on hand-built graphs (every
// attribute), the cases refused, and ConvTranspose2d layers exported, run in onnxruntime and
// imported back.
import { convTranspose2d, randn, sum, tensor, type Tensor } from "@tessera/autograd";
import { Rng } from "@tessera/ndarray";
import { ConvTranspose2d, ReLU, Sequential } from "@tessera/nn";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { checkOnnx, exportOnnx, importOnnx } from "./index.js";
import { floats, model, node, relError, type Attr } from "./test-support/graphs.js";

const REL = 1e-5;
const rng = new Rng(14);
const rand = (dims: readonly number[]) => Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.normal());

interface Case { readonly x: number[]; readonly w: number[]; readonly y: number[]; readonly attrs: Record<string, Attr>; readonly bias?: boolean }
const graph = (c: Case, opset = 17) => model({
  nodes: [node("ConvTranspose", c.bias === false ? ["x", "W"] : ["x", "W", "B"], ["y"], c.attrs, "deconv")],
  initializers: [floats("W", c.w, rand(c.w)), ...(c.bias === false ? [] : [floats("B", [c.y[1]], rand([c.y[1]]))])],
  inputs: [{ name: "x", dims: c.x }],
  outputs: [{ name: "y", dims: c.y }],
  opset,
});

async function viaOrt(bytes: Uint8Array, xs: Float32Array, dims: readonly number[], input = "x", output = "y"): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const s = await ort.InferenceSession.create(bytes);
  const r = await s.run({ [input]: new ort.Tensor("float32", xs, [...dims]) });
  return { data: r[output].data as Float32Array, dims: r[output].dims };
}

const cases: Case[] = [
  { x: [2, 3, 4, 5], w: [3, 2, 3, 3], y: [2, 2, 6, 7], attrs: {} },
  { x: [1, 4, 3, 3], w: [4, 3, 4, 4], y: [1, 3, 6, 6], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], kernel_shape: [4, 4] }, bias: false },
  { x: [2, 2, 3, 4], w: [2, 4, 3, 3], y: [2, 4, 6, 8], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } },
  // asymmetric pads ([top, left, bottom, right]), output padding beyond the bottom padding, non-square stride
  { x: [1, 2, 3, 2], w: [2, 3, 2, 3], y: [1, 3, 10, 5], attrs: { strides: [3, 2], pads: [0, 1, 0, 0], output_padding: [2, 1] } },
  // groups and dilation (output padding smaller than the dilation)
  { x: [2, 4, 3, 4], w: [4, 3, 3, 2], y: [2, 6, 10, 7], attrs: { group: 2, dilations: [2, 3], strides: [2, 1], output_padding: [1, 0] } },
  { x: [1, 3, 4, 4], w: [3, 1, 3, 3], y: [1, 3, 9, 9], attrs: { group: 3, strides: [2, 2] } },
  // output_shape and SAME, with even and odd total paddings (the odd cell: at the end for SAME_UPPER, else at the start); VALID
  { x: [1, 2, 3, 3], w: [2, 2, 3, 3], y: [1, 2, 5, 5], attrs: { strides: [2, 2], output_shape: [5, 5] } },
  { x: [1, 2, 4, 3], w: [2, 3, 4, 4], y: [1, 3, 8, 6], attrs: { strides: [2, 2], auto_pad: "SAME_UPPER" } },
  { x: [1, 2, 4, 3], w: [2, 3, 4, 4], y: [1, 3, 8, 6], attrs: { strides: [2, 2], auto_pad: "SAME_LOWER" } },
  { x: [1, 2, 3, 4], w: [2, 2, 3, 3], y: [1, 2, 6, 8], attrs: { strides: [2, 2], auto_pad: "SAME_UPPER" } },
  { x: [1, 2, 3, 4], w: [2, 2, 3, 3], y: [1, 2, 6, 8], attrs: { strides: [2, 2], auto_pad: "SAME_LOWER" } },
  { x: [1, 2, 3, 4], w: [2, 2, 3, 2], y: [1, 2, 6, 7], attrs: { strides: [2, 2], output_shape: [6, 7] } },
  { x: [1, 2, 3, 4], w: [2, 2, 3, 2], y: [1, 2, 6, 7], attrs: { strides: [2, 2], output_shape: [6, 7], auto_pad: "SAME_UPPER" } },
  { x: [1, 2, 3, 3], w: [2, 2, 3, 3], y: [1, 2, 5, 5], attrs: { auto_pad: "VALID" } },
];

describe("importOnnx ConvTranspose against onnxruntime-node", () => {
  for (const c of cases) {
    it(`x[${c.x}] W[${c.w}] ${JSON.stringify(c.attrs)}${c.bias === false ? " no bias" : ""}`, async () => {
      for (const opset of [11, 17]) {
        const bytes = graph(c, opset);
        const xs = rand(c.x);
        const want = await viaOrt(bytes, xs, c.x);
        expect(want.dims).toEqual(c.y);
        const net = importOnnx(bytes);
        const x = tensor(xs, { shape: c.x, requiresGrad: true });
        const y = net.forward(x);
        expect(y.shape).toEqual(c.y);
        expect(relError(await y.data(), want.data)).toBeLessThan(REL);
        sum(y).backward();
        expect(x.grad).not.toBeNull();
        for (const [k, p] of net.namedParameters()) expect(p.grad, k).not.toBeNull();
      }
    });
  }

  it("output padding below the dilation but not the stride: PyTorch's semantics (onnxruntime refuses it)", async () => {
    const c: Case = { x: [2, 2, 3, 4], w: [2, 3, 3, 2], y: [2, 3, 8, 7], attrs: { dilations: [2, 2], output_padding: [1, 1] } };
    const bytes = graph(c);
    await expect(viaOrt(bytes, rand(c.x), c.x)).rejects.toThrow(/output_padding \(1\) may be too large for stride \(1\)/);
    const net = importOnnx(bytes);
    const x = randn(c.x, new Rng(1));
    const [W, B] = ["W", "B"].map((k) => net.namedParameters().find(([n]) => n === k)![1]);
    const want = await convTranspose2d(x, W, B, { dilation: 2, outputPadding: 1 }).data();
    const y = net.forward(x);
    expect(y.shape).toEqual(c.y);
    expect(Array.from(await y.data())).toEqual(Array.from(want));
  });

  it("other unsupported settings are clear errors naming the node", () => {
    const base = { x: [1, 1, 3, 3], w: [1, 1, 3, 3], y: [1, 1, 5, 5] };
    const fails = (attrs: Record<string, Attr>, re: RegExp) => expect(() => importOnnx(graph({ ...base, attrs })).forward(randn(base.x, new Rng(0)))).toThrow(re);
    fails({ output_shape: [5, 5], pads: [0, 0, 0, 0] }, /node 'deconv' \(#0, ConvTranspose, opset 17\): 'output_shape' and 'pads' cannot be used together/);
    fails({ output_shape: [1, 1, 5, 5] }, /'output_shape' must be 2 positive values/);
    fails({ output_shape: [9, 9] }, /output_shape \[9,9\] is larger than the full transposed convolution \(5 along axis 2\)/);
    fails({ output_padding: [1, 1] }, /node 'deconv' \(#0, ConvTranspose, opset 17\): convTranspose2d: outputPadding \[1,1\] must be smaller than the stride \[1,1\] or the dilation \[1,1\]/);
    fails({ output_shape: [5, 5], auto_pad: "VALID" }, /'output_shape' and auto_pad VALID cannot be used together/);
    fails({ auto_pad: "SAME_UPPER", strides: [4, 4] }, /auto_pad SAME_UPPER \(output = input × stride = 12\) is larger than the full transposed convolution \(11 along axis 2\)/);
    fails({ kernel_shape: [3, 3, 3] }, /'kernel_shape' must have 2 values/);
    fails({ kernel_shape: [2, 2] }, /kernel_shape \[2,2\] differs from the weight's \[3,3\]/);
  });
});

describe("exportOnnx ConvTranspose2d", () => {
  const decoder = () => new Sequential(
    new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, rng: new Rng(1) }),
    new ReLU(),
    new ConvTranspose2d(6, 4, [3, 2], { stride: [3, 1], padding: [0, 1], outputPadding: [2, 0], dilation: [1, 2], groups: 2, rng: new Rng(2) }),
    new ReLU(),
    new ConvTranspose2d(4, 2, 4, { stride: 2, padding: 1, bias: false, rng: new Rng(3) }),
  );

  for (const opset of [11, 17, 21]) {
    it(`opset ${opset}: onnxruntime agrees within ${REL} relative, the model imports back equal, keys kept`, async () => {
      const net = decoder();
      const bytes = await exportOnnx(net, randn([1, 4, 5, 4], new Rng(4)), { opset });
      expect(() => checkOnnx(bytes)).not.toThrow();
      const x = randn([3, 4, 5, 4], new Rng(5)); // another batch size: the batch dimension is dynamic
      const want = net.forward(x);
      const ours = await want.data();
      const got = await viaOrt(bytes, (await x.data()) as Float32Array, x.shape, "input", "output");
      expect(got.dims).toEqual(want.shape);
      expect(relError(got.data, ours)).toBeLessThan(REL);
      const again = importOnnx(bytes);
      const back: Tensor = again.forward(x);
      expect(back.shape).toEqual(want.shape);
      expect(relError(await back.data(), ours)).toBeLessThan(1e-6);
      expect(again.namedParameters().map(([k]) => k).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight", "4.weight"]);
    });
  }

  it("refuses output padding not below the stride (PyTorch allows it below the dilation; onnxruntime refuses the node)", async () => {
    const net = new Sequential(new ConvTranspose2d(2, 2, 3, { dilation: 2, outputPadding: 1, rng: new Rng(6) }));
    await expect(exportOnnx(net, randn([1, 2, 4, 4], new Rng(7)))).rejects.toThrow(
      "exportOnnx: layer '0' (ConvTranspose2d): outputPadding [1,1] is not smaller than the stride [1,1] (allowed by the dilation, as PyTorch does); onnxruntime refuses such a ConvTranspose, so it is not exported");
  });
});
