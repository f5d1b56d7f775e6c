import { describe, expect, it } from "vitest";
import * as ag from "./index.js";
import { gradcheck } from "./testing.js";

/** Every public function, called as plain JS would call it with an argument left out. */
type Call = [string, () => unknown, string];

const x = ag.tensor([[1, 2], [3, 4]]);
const img = ag.zeros([1, 1, 4, 4]);
const loose = ag as unknown as Record<string, (...args: unknown[]) => unknown>;
const missingTensor = (fn: string, name = "x"): Call => [`${fn}()`, () => loose[fn](), `${fn}: ${name} must be a Tensor, got undefined`];

const calls: Call[] = [
  ["tensor()", () => loose.tensor(), "tensor: values must be a number, a nested array, a typed array or an NDArray, got undefined"],
  ["zeros()", () => loose.zeros(), "zeros: shape must be an array of non-negative integers, got undefined"],
  ["ones()", () => loose.ones(), "ones: shape must be an array of non-negative integers, got undefined"],
  ["full([2])", () => loose.full([2]), "full: value must be a number, got undefined"],
  ["randn([2, 3])", () => loose.randn([2, 3]), "randn: rng must be a seeded Rng (new Rng(seed) from @tessera/ndarray), got undefined"],
  ["rand([2, 3])", () => loose.rand([2, 3]), "rand: rng must be a seeded Rng (new Rng(seed) from @tessera/ndarray), got undefined"],
  ["noGrad()", () => loose.noGrad(), "noGrad: fn must be a function, got undefined"],
  ["scope()", () => loose.scope(), "scope: fn must be a function, got undefined"],
  ["keep()", () => loose.keep(), "keep: t must be a Tensor, got undefined"],
  ["unscoped()", () => loose.unscoped(), "unscoped: fn must be a function, got undefined"],
  ...["add", "sub", "mul", "div"].flatMap((fn): Call[] => [
    [`${fn}(x)`, () => loose[fn](x), `${fn}: b must be a Tensor or a number, got undefined`],
    [`${fn}()`, () => loose[fn](), `${fn}: a must be a Tensor or a number, got undefined`],
  ]),
  ["affine(x)", () => loose.affine(x), "affine: a must be a number, got undefined"],
  ["pow(x)", () => loose.pow(x), "pow: exponent p must be a number, got undefined"],
  ...["neg", "pow", "affine", "relu", "leakyRelu", "sigmoid", "tanh", "gelu", "abs", "exp", "log", "sqrt", "clamp"].map((fn) => missingTensor(fn)),
  ...["reshape", "flatten", "permute", "transpose", "slice", "sum", "mean", "max", "min", "argmax", "softmax", "logSoftmax"].map((fn) => missingTensor(fn)),
  ["reshape(x)", () => loose.reshape(x), "reshape: shape must be an array of integers (one may be -1), got undefined"],
  ["permute(x)", () => loose.permute(x), "permute: axes must be an array of dimensions, got undefined"],
  ["concat()", () => loose.concat(), "concat: ts must be an array of tensors, got undefined"],
  ["concat([x, undefined])", () => loose.concat([x, undefined]), "concat: ts[1] must be a Tensor, got undefined"],
  ["sum(x, 1)", () => loose.sum(x, 1), "sum: options must be an options object, got 1"],
  missingTensor("matmul", "a"),
  ["matmul(x)", () => loose.matmul(x), "matmul: b must be a Tensor, got undefined"],
  missingTensor("linear"),
  ["linear(x)", () => loose.linear(x), "linear: weight must be a Tensor, got undefined"],
  ["linear(x, x, 1)", () => loose.linear(x, x, 1), "linear: bias must be a Tensor or null, got 1"],
  missingTensor("batchNorm"),
  ["batchNorm(x)", () => loose.batchNorm(x), "batchNorm: o must be an options object, got undefined"],
  ["batchNorm(x, …, {})", () => loose.batchNorm(x, null, null, null, null, {}), "batchNorm: o.training must be a boolean, got undefined"],
  missingTensor("dropout"),
  ["dropout(x)", () => loose.dropout(x), "dropout: p must be a number, got undefined"],
  ["dropout(x, 0.5)", () => loose.dropout(x, 0.5), "dropout: o must be an options object, got undefined"],
  ["dropout(x, 0.5, { training })", () => loose.dropout(x, 0.5, { training: true }), "dropout: o.seed must be a number, got undefined"],
  missingTensor("conv2d"),
  ["conv2d(img)", () => loose.conv2d(img), "conv2d: weight must be a Tensor, got undefined"],
  missingTensor("convTranspose2d"),
  ["convTranspose2d(img)", () => loose.convTranspose2d(img), "convTranspose2d: weight must be a Tensor, got undefined"],
  missingTensor("fusedConv2d"),
  ["fusedConv2d(img)", () => loose.fusedConv2d(img), "fusedConv2d: weight must be a Tensor, got undefined"],
  ["fusedConv2d(img, w, null, {})", () => loose.fusedConv2d(img, ag.zeros([1, 1, 1, 1]), null, {}), "fusedConv2d: epilogue must be an options object, got undefined"],
  ...["maxPool2d", "avgPool2d", "adaptiveAvgPool2d", "localResponseNorm"].map((fn) => missingTensor(fn)),
  ["maxPool2d(img)", () => loose.maxPool2d(img), "maxPool2d: options must be an options object, got undefined"],
  ["maxPool2d(img, {})", () => loose.maxPool2d(img, {}), "maxPool2d: options.kernelSize must be a positive integer or a pair [h, w] of positive integers, got undefined"],
  ["avgPool2d(img)", () => loose.avgPool2d(img), "avgPool2d: options must be an options object, got undefined"],
  ["adaptiveAvgPool2d(img)", () => loose.adaptiveAvgPool2d(img), "adaptiveAvgPool2d: outputSize must be a positive integer or a pair [h, w] of positive integers, got undefined"],
  ["localResponseNorm(img)", () => loose.localResponseNorm(img), "localResponseNorm: options must be an options object, got undefined"],
  ["gradcheck()", () => (gradcheck as (...a: unknown[]) => unknown)(), "gradcheck: f must be a function, got undefined"],
];

describe("a missing argument is named, never 'Cannot read properties of undefined'", () => {
  for (const [what, call, message] of calls) {
    it(what, () => {
      expect(call).toThrow(message);
      try {
        call();
      } catch (e) {
        expect((e as Error).message).toMatch(/^\w+: /);
        expect((e as Error).message).not.toMatch(/Cannot read properties|is not iterable|is not a function/);
      }
    });
  }

  it("every exported function is covered", () => {
    const covered = new Set(calls.map(([what]) => what.split("(")[0]));
    const exported = Object.entries(ag).filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name)).map(([k]) => k);
    const exempt = new Set(["liveStorages"]); // takes no arguments
    expect(exported.filter((k) => !covered.has(k) && !exempt.has(k))).toEqual([]);
  });

  it("a Promise where a tensor belongs says to await it", () => {
    expect(() => ag.relu(Promise.resolve(x) as never)).toThrow("relu: x must be a Tensor, got a Promise (a Promise: await it first)");
  });

  it("backward's grad and options are checked", () => {
    const w = ag.tensor([1, 2], { requiresGrad: true });
    const y = ag.mul(w, 2);
    expect(() => y.backward(5 as never)).toThrow("backward: grad must be a Tensor, got 5");
    expect(() => y.backward(ag.tensor([1, 2], { dtype: "int32" }))).toThrow("backward: grad must be float32, got int32");
    expect(() => y.backward(ag.tensor([1, 2, 3]))).toThrow("backward: gradient of shape [3] for a tensor of shape [2] (op affine)");
    expect(() => y.backward(ag.tensor([1, 1]), 1 as never)).toThrow("backward: options must be an options object, got 1");
    expect(w.grad).toBeNull();
  });
});
