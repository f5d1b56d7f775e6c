import { describe, expect, it } from "vitest";
import { adaptiveAvgPool2dGeometry, conv2dFlops, conv2dGeometry, pool2dGeometry, samePadding } from "./index.js";
import { referenceOutputSize, tfSamePadding } from "./testing.js";

describe("conv2dGeometry: the course's output formula on the benchmark layers", () => {
  const layers: [string, number[], number[], object, number[]][] = [
    ["LeNet-5 conv1", [64, 1, 28, 28], [6, 1, 5, 5], { padding: 2 }, [64, 6, 28, 28]],
    ["LeNet-5 conv2", [64, 6, 14, 14], [16, 6, 5, 5], {}, [64, 16, 10, 10]],
    ["AlexNet conv1", [8, 3, 227, 227], [96, 3, 11, 11], { stride: 4 }, [8, 96, 55, 55]],
    ["AlexNet conv3", [8, 256, 13, 13], [384, 256, 3, 3], { padding: 1 }, [8, 384, 13, 13]],
    ["ResNet-18 layer1", [8, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }, [8, 64, 56, 56]],
    ["VGG-16 conv1_2", [1, 64, 224, 224], [64, 64, 3, 3], { padding: 1 }, [1, 64, 224, 224]],
    ["stride 2 with dilation 2 (TF.js forbids it)", [1, 1, 9, 9], [1, 1, 3, 3], { stride: 2, dilation: 2, padding: 1 }, [1, 1, 4, 4]],
    ["depthwise", [2, 32, 10, 10], [64, 1, 3, 3], { groups: 32, padding: "same" }, [2, 64, 10, 10]],
  ];
  for (const [name, x, w, o, out] of layers) it(name, () => expect(conv2dGeometry(x, w, o).outputShape).toEqual(out));

  it("resolves every padding form to [top, bottom, left, right]", () => {
    const g = (padding: Parameters<typeof conv2dGeometry>[2] extends infer O ? O extends { padding?: infer P } ? P : never : never) =>
      conv2dGeometry([1, 1, 8, 8], [1, 1, 3, 3], { padding, stride: 2 }).padding;
    expect(g(1)).toEqual([1, 1, 1, 1]);
    expect(g([2, 0])).toEqual([2, 2, 0, 0]);
    expect(g([0, 1, 2, 3])).toEqual([0, 1, 2, 3]);
    expect(g("valid")).toEqual([0, 0, 0, 0]);
    expect(g("same")).toEqual([0, 1, 0, 1]);
  });

  it("the per-group geometry, the direct 1×1 path and the flop count", () => {
    const g = conv2dGeometry([2, 6, 5, 5], [9, 2, 1, 1], { groups: 3 });
    expect(g.group.C).toBe(2);
    expect(g.direct).toBe(true);
    expect(conv2dGeometry([2, 6, 5, 5], [9, 2, 1, 1], { groups: 3, stride: 2 }).direct).toBe(false);
    expect(conv2dFlops(g)).toBe(2 * 2 * 9 * 25 * 2);
  });
});

describe("TensorFlow's 'same' padding", () => {
  // (input, kernel, stride, dilation) → [before, after], as tf.nn.conv2d pads.
  const cases: [number, number, number, number, [number, number]][] = [
    [5, 3, 1, 1, [1, 1]], [4, 3, 2, 1, [0, 1]], [5, 3, 2, 1, [1, 1]], [7, 11, 4, 1, [4, 4]], [5, 3, 1, 2, [2, 2]], [6, 4, 1, 1, [1, 2]], [10, 1, 3, 1, [0, 0]],
  ];
  for (const [i, k, s, d, want] of cases) {
    it(`in ${i}, kernel ${k}, stride ${s}, dilation ${d} → ${want}`, () => {
      expect(samePadding(i, k, s, d)).toEqual(want);
      expect(tfSamePadding(i, k, s, d)).toEqual(want);
      const g = conv2dGeometry([1, 1, i, i], [1, 1, k, k], { padding: "same", stride: s, dilation: d });
      expect(g.OH).toBe(Math.ceil(i / s));
    });
  }
});

describe("conv2dGeometry errors name the values", () => {
  const bad: [string, () => unknown, string][] = [
    ["kernel larger than the padded input", () => conv2dGeometry([1, 1, 3, 4], [1, 1, 3, 7], { padding: [0, 1] }),
      "conv2d: kernel width 7 (dilation 1: extent 7) is larger than the padded input width 6 (input 4 + padding 1 + 1)"],
    ["dilated kernel larger than the padded input", () => conv2dGeometry([1, 1, 4, 4], [1, 1, 3, 3], { dilation: 2 }),
      "conv2d: kernel height 3 (dilation 2: extent 5) is larger than the padded input height 4 (input 4 + padding 0 + 0)"],
    ["channels not divisible by groups", () => conv2dGeometry([1, 3, 5, 5], [4, 1, 3, 3], { groups: 2 }),
      "conv2d: input channels C = 3 (input shape [1,3,5,5]) are not divisible by groups = 2"],
    ["output channels not divisible by groups", () => conv2dGeometry([1, 4, 5, 5], [3, 2, 3, 3], { groups: 2 }),
      "conv2d: output channels OC = 3 (weight shape [3,2,3,3]) are not divisible by groups = 2"],
    ["weight shape mismatch", () => conv2dGeometry([1, 3, 5, 5], [6, 2, 3, 3]),
      "conv2d: weight shape [6,2,3,3] does not match input shape [1,3,5,5] with groups = 1: expected weight.shape[1] = C / groups = 3, got 2"],
    ["zero stride", () => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { stride: 0 }), "conv2d: stride must be a positive integer or a pair [h, w] of positive integers, got 0"],
    ["negative stride", () => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { stride: [1, -2] }), "conv2d: stride must be a positive integer or a pair [h, w] of positive integers, got [1,-2]"],
    ["zero dilation", () => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { dilation: 0 }), "conv2d: dilation must be a positive integer or a pair [h, w] of positive integers, got 0"],
    ["negative padding", () => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { padding: -1 }), "conv2d: padding must be a non-negative integer, [h, w], [top, bottom, left, right], 'valid' or 'same', got -1"],
    ["zero groups", () => conv2dGeometry([1, 1, 5, 5], [1, 1, 3, 3], { groups: 0 }), "conv2d: groups must be a positive integer, got 0"],
    ["3-D input", () => conv2dGeometry([1, 5, 5], [1, 1, 3, 3]), "conv2d: input shape must be a 4-D shape [N, C, H, W] of non-negative integers, got [1,5,5]"],
    ["3-D weight", () => conv2dGeometry([1, 1, 5, 5], [1, 3, 3]), "conv2d: weight shape must be 4-D [OC, C / groups, KH, KW] of positive integers, got [1,3,3]"],
  ];
  for (const [name, f, message] of bad) it(name, () => expect(f).toThrow(message));
});

describe("pool2dGeometry", () => {
  it("AlexNet's overlapping 3/2 pooling: 55 → 27 → 13 → 6", () => {
    expect(pool2dGeometry([8, 96, 55, 55], { kernelSize: 3, stride: 2 }).outputShape).toEqual([8, 96, 27, 27]);
    expect(pool2dGeometry([8, 256, 27, 27], { kernelSize: 3, stride: 2 }).OH).toBe(13);
    expect(pool2dGeometry([8, 256, 13, 13], { kernelSize: 3, stride: 2 }).OH).toBe(6);
  });

  it("ceil mode follows PyTorch, including the rule that no window starts in the right padding", () => {
    // (input, kernel, stride, padding) → PyTorch's ceil_mode output size
    const cases: [number, number, number, number, number][] = [[6, 3, 2, 0, 3], [5, 2, 2, 0, 3], [2, 1, 2, 0, 1], [5, 2, 3, 1, 2], [112, 3, 2, 1, 57], [7, 3, 2, 1, 4]];
    for (const [i, k, s, p, want] of cases) {
      const g = pool2dGeometry([1, 1, i, i], { kernelSize: k, stride: s, padding: p, ceilMode: true });
      expect(g.OH, `${i} k${k} s${s} p${p}`).toBe(want);
      expect(referenceOutputSize(i, k, s, p, p, 1, true)).toBe(want);
      // the device geometry encodes ceil mode in padBottom/padRight and agrees with the floor formula
      expect(referenceOutputSize(i, k, s, g.geometry.padTop, g.geometry.padBottom, 1, false)).toBe(want);
    }
  });

  it("stride defaults to the window", () => expect(pool2dGeometry([1, 1, 8, 6], { kernelSize: [2, 3] }).outputShape).toEqual([1, 1, 4, 2]));

  const bad: [string, () => unknown, string][] = [
    ["padding above half the window", () => pool2dGeometry([1, 1, 8, 8], { kernelSize: 3, padding: 2 }),
      "maxPool2d: padding 2 (top) must be at most half the window extent 3 (kernel 3, dilation 1), i.e. <= 1"],
    ["window larger than the padded input", () => pool2dGeometry([1, 1, 2, 8], { kernelSize: 5, padding: 1 }, "avgPool2d"),
      "avgPool2d: window height 5 (dilation 1: extent 5) is larger than the padded input height 4 (input 2 + padding 1 + 1)"],
    ["dilated average pooling", () => pool2dGeometry([1, 1, 8, 8], { kernelSize: 2, dilation: 2 }, "avgPool2d"), "avgPool2d: dilation must be 1, got [2,2]"],
    ["zero window", () => pool2dGeometry([1, 1, 8, 8], { kernelSize: 0 }), "maxPool2d: kernelSize must be a positive integer or a pair [h, w] of positive integers, got 0"],
    ["negative stride", () => pool2dGeometry([1, 1, 8, 8], { kernelSize: 2, stride: -1 }), "maxPool2d: stride must be a positive integer or a pair [h, w] of positive integers, got -1"],
  ];
  for (const [name, f, message] of bad) it(`error: ${name}`, () => expect(f).toThrow(message));
});

describe("adaptiveAvgPool2dGeometry", () => {
  it("PyTorch's windows [floor(i·I/O), ceil((i+1)·I/O))", () => {
    expect(adaptiveAvgPool2dGeometry([1, 1, 5, 5], 3).rows).toEqual([[0, 2], [1, 4], [3, 5]]);
    expect(adaptiveAvgPool2dGeometry([1, 1, 3, 3], [5, 2]).rows).toEqual([[0, 1], [0, 2], [1, 2], [1, 3], [2, 3]]);
  });
  it("tiling sizes become one plain average pooling", () => {
    expect(adaptiveAvgPool2dGeometry([1, 1, 8, 6], [4, 3]).uniform?.kernel).toEqual([2, 2]);
    expect(adaptiveAvgPool2dGeometry([1, 1, 7, 7], 1).uniform?.kernel).toEqual([7, 7]);
    expect(adaptiveAvgPool2dGeometry([1, 1, 5, 5], 3).uniform).toBeNull();
  });
  it("rejects a zero output size", () => expect(() => adaptiveAvgPool2dGeometry([1, 1, 5, 5], 0)).toThrow("adaptiveAvgPool2d: outputSize must be a positive integer"));
});
