import { describe, expect, it } from "vitest";
import { IMAGENET_CLASSES, preprocessImageNet } from "./index.js";

/** float32 rounding of the hand computation leaves at most a few ulps. */
const CLOSE = 1e-6;
const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];
const norm = (v: number, c: number) => (v / 255 - MEAN[c]) / STD[c];

function image(w: number, h: number, px: (x: number, y: number) => [number, number, number], alpha = false) {
  const ch = alpha ? 4 : 3;
  const data = new Uint8Array(w * h * ch);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    data.set(px(x, y), (y * w + x) * ch);
    if (alpha) data[(y * w + x) * ch + 3] = 17;
  }
  return { width: w, height: h, data };
}

const channel = (d: Float32Array, c: number, n: number) => Array.from({ length: n }, (_, i) => Array.from(d.subarray((c * n + i) * n, (c * n + i + 1) * n)));

describe("preprocessImageNet", () => {
  it("normalises with torchvision's mean and std, and crops the centre as Python's round() (halves to even)", () => {
    // 7×2 image, shorter side already 2: no resampling. Crop 2: left = round((7 - 2) / 2 = 2.5) = 2, top = 0.
    const img = image(7, 2, (x, y) => [x * 30, 255 - y * 255, 128]);
    const { data, shape } = preprocessImageNet(img, { resize: 2, crop: 2 });
    expect(shape).toEqual([1, 3, 2, 2]);
    const want = [
      [[norm(60, 0), norm(90, 0)], [norm(60, 0), norm(90, 0)]],
      [[norm(255, 1), norm(255, 1)], [norm(0, 1), norm(0, 1)]],
      [[norm(128, 2), norm(128, 2)], [norm(128, 2), norm(128, 2)]],
    ];
    // by hand: R 60 → (0.235294 − 0.485)/0.229 = −1.090419; G 255 → (1 − 0.456)/0.224 = 2.428571; B 128 → 0.426492
    expect(norm(60, 0)).toBeCloseTo(-1.090419, 6);
    expect(norm(255, 1)).toBeCloseTo(2.428571, 6);
    expect(norm(128, 2)).toBeCloseTo(0.426492, 6);
    for (let c = 0; c < 3; c++) channel(data, c, 2).flat().forEach((v, i) => expect(Math.abs(v - want[c].flat()[i])).toBeLessThan(CLOSE));
  });

  it("resizes as Pillow's bilinear filter: a triangle widened by the scale, edge weights renormalised, 8-bit rounding", () => {
    // 8×8 → 4×4 (scale 2, support 2). R varies along x, G along y, so each pass is checked on its own.
    // Weights by hand: output 0 reads inputs 0,1,2 with 3/7,3/7,1/7; outputs 1 and 2 read four inputs with
    // 1/8,3/8,3/8,1/8; output 3 reads inputs 5,6,7 with 1/7,3/7,3/7. For a = 10, 20, …, 80:
    // (30 + 60 + 30)/7 = 17.14 → 17; 280/8 = 35; 440/8 = 55; (60 + 210 + 240)/7 = 72.86 → 73.
    const a = [10, 20, 30, 40, 50, 60, 70, 80];
    const img = image(8, 8, (x, y) => [a[x], a[y], 200]);
    const { data } = preprocessImageNet(img, { resize: 4, crop: 4 });
    const resized = [17, 35, 55, 73];
    const r = channel(data, 0, 4), g = channel(data, 1, 4), b = channel(data, 2, 4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      expect(Math.abs(r[i][j] - norm(resized[j], 0))).toBeLessThan(CLOSE);
      expect(Math.abs(g[i][j] - norm(resized[i], 1))).toBeLessThan(CLOSE);
      expect(Math.abs(b[i][j] - norm(200, 2))).toBeLessThan(CLOSE);
    }
  });

  it("upscales with half-pixel centres (2 → 4: v0, ¾v0 + ¼v1, ¼v0 + ¾v1, v1) and sizes the longer side as int(256·long/short)", () => {
    const img = image(2, 2, (x) => [x ? 200 : 0, 0, 0]);
    const { data } = preprocessImageNet(img, { resize: 4, crop: 4 });
    const row = channel(data, 0, 4)[1];
    [0, 50, 150, 200].forEach((v, j) => expect(Math.abs(row[j] - norm(v, 0))).toBeLessThan(CLOSE));
    // 3×2 → shorter side 256, longer int(256 · 3 / 2) = 384; crop 224 at left round(80) = 80
    expect(preprocessImageNet(image(3, 2, () => [1, 2, 3])).shape).toEqual([1, 3, 224, 224]);
  });

  it("reads RGBA (ImageData) as RGB, dropping alpha", () => {
    const px = (x: number, y: number): [number, number, number] => [(x * 37 + y * 11) % 256, (x * 5 + y * 90) % 256, (x * y) % 256];
    const rgb = preprocessImageNet(image(9, 6, px), { resize: 5, crop: 3 });
    const rgba = preprocessImageNet({ ...image(9, 6, px, true), data: new Uint8ClampedArray(image(9, 6, px, true).data) }, { resize: 5, crop: 3 });
    expect(rgba.data).toEqual(rgb.data);
  });

  it("rejects bad input with clear errors", () => {
    expect(() => preprocessImageNet({ width: 2, height: 2, data: new Uint8Array(10) })).toThrow(/preprocessImageNet: image.data has 10 bytes, expected 2×2×3 = 12 \(RGB\) or ×4 = 16 \(RGBA\)/);
    expect(() => preprocessImageNet(image(4, 4, () => [0, 0, 0]), { resize: 2, crop: 3 })).toThrow(/crop must be a positive integer <= resize \(2\), got 3/);
    expect(() => preprocessImageNet(image(4, 4, () => [0, 0, 0]), { size: 2 } as never)).toThrow(/unknown option 'size'/);
    expect(() => preprocessImageNet({ width: 1, height: 1, data: [1, 2, 3] as never })).toThrow(/image.data must be a Uint8Array or Uint8ClampedArray, got Array/);
    expect(() => preprocessImageNet(image(4, 4, () => [0, 0, 0]), { std: [1, 0, 1] })).toThrow(/std must be three finite numbers > 0/);
  });
});

describe("IMAGENET_CLASSES", () => {
  it("holds torchvision's 1000 names, all distinct, in class order", () => {
    expect(IMAGENET_CLASSES.length).toBe(1000);
    expect(new Set(IMAGENET_CLASSES).size).toBe(1000);
    expect([0, 134, 207, 281, 285, 517, 638, 639, 999].map((i) => IMAGENET_CLASSES[i])).toEqual(
      ["tench", "crane bird", "golden retriever", "tabby", "Egyptian cat", "crane", "maillot", "maillot tank suit", "toilet tissue"]);
  });
});
