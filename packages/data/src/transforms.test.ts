import { NDArray, Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { compose, normalize, randomCrop, randomHorizontalFlip } from "./index.js";

/** Tolerance for float32 results of a few float ops. */
const F32_TOL = 1e-6;

function batch(shape: [number, number, number, number], seed = 1): NDArray<"float32"> {
  return new Rng(seed).uniformArray(shape);
}

/** Reference crop: materialise the zero-padded image, then slice the window. */
function cropReference(x: NDArray<"float32">, size: number, padding: number, rng: Rng): number[] {
  const [b, c, h, w] = x.shape;
  const ph = h + 2 * padding;
  const pw = w + 2 * padding;
  const out: number[] = [];
  for (let n = 0; n < b; n++) {
    const top = rng.integers(0, ph - size + 1);
    const left = rng.integers(0, pw - size + 1);
    for (let ch = 0; ch < c; ch++) {
      const padded = Array.from({ length: ph }, (_, y) =>
        Array.from({ length: pw }, (_, xx) => {
          const sy = y - padding;
          const sx = xx - padding;
          return sy >= 0 && sy < h && sx >= 0 && sx < w ? x.get(n, ch, sy, sx) : 0;
        }),
      );
      for (let y = 0; y < size; y++) for (let xx = 0; xx < size; xx++) out.push(padded[top + y][left + xx]);
    }
  }
  return out;
}

describe("normalize", () => {
  it("subtracts the mean and divides by the std of each channel", () => {
    const x = batch([2, 3, 2, 2]);
    const before = x.copy();
    const y = normalize([0.1, 0.2, 0.3], [0.5, 1, 2])(x, new Rng(0));
    expect(y.shape).toEqual([2, 3, 2, 2]);
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < 4; i++) {
          const want = (before.get(n, c, i >> 1, i & 1) - [0.1, 0.2, 0.3][c]) / [0.5, 1, 2][c];
          expect(Math.abs(y.get(n, c, i >> 1, i & 1) - want)).toBeLessThan(F32_TOL);
        }
      }
    }
  });

  it("accepts one value for every channel and validates its arguments", () => {
    const y = normalize(0.5, 0.25)(new NDArray<"float32">(new Float32Array([0, 1]), [1, 2, 1, 1]), new Rng(0));
    expect(Array.from(y.data)).toEqual([-2, 2]);
    expect(() => normalize(0, 0)).toThrow("normalize: std[0] is 0, expected > 0");
    expect(() => normalize([], 1)).toThrow("normalize: mean must be a finite number or a non-empty list");
    expect(() => normalize([0, 0, 0], 1)(batch([1, 1, 2, 2]), new Rng(0))).toThrow("normalize: mean has 3 values, the batch has 1 channel");
    expect(() => normalize(0, 1)(new NDArray<"float32">(new Float32Array(4), [2, 2]), new Rng(0))).toThrow("normalize: batch must be 4-D [B, C, H, W], got shape [2,2]");
  });
});

describe("randomCrop", () => {
  it("equals pad-then-slice with the same draws", () => {
    for (const [size, padding] of [[28, 4], [5, 0], [3, 2], [12, 4]] as const) {
      const shape: [number, number, number, number] = size === 28 ? [4, 1, 28, 28] : [6, 3, 5, 5];
      const x = batch(shape, size);
      const y = randomCrop(size, padding)(x, new Rng(11));
      expect(y.shape).toEqual([shape[0], shape[1], size, size]);
      expect(Array.from(y.data)).toEqual(cropReference(x, size, padding, new Rng(11)));
    }
  });

  it("reaches every offset, including windows entirely in the padding", () => {
    const x = new NDArray<"float32">(new Float32Array(400).fill(1), [400, 1, 1, 1]);
    const y = randomCrop(1, 1)(x, new Rng(5));
    const ones = Array.from(y.data).filter((v) => v === 1).length;
    // 9 positions, one of them on the pixel: about 400/9 = 44 ones.
    expect(ones).toBeGreaterThan(20);
    expect(ones).toBeLessThan(80);
  });

  it("is the identity without padding at full size", () => {
    const x = batch([2, 3, 4, 4]);
    expect(randomCrop(4)(x, new Rng(1)).data).toEqual(x.data);
  });

  it("supports rectangular sizes and validates", () => {
    expect(randomCrop([2, 3], 1)(batch([1, 1, 4, 4]), new Rng(0)).shape).toEqual([1, 1, 2, 3]);
    expect(() => randomCrop(36, 3)(batch([1, 1, 28, 28]), new Rng(0))).toThrow(
      "randomCrop: size [36,36] is larger than the padded image [34,34] (28×28 + 2·3)",
    );
    expect(() => randomCrop(0)).toThrow("randomCrop: size must be a positive integer or [height, width], got 0");
    expect(() => randomCrop(3, -1)).toThrow("randomCrop: padding must be a non-negative integer, got -1");
  });
});

describe("randomHorizontalFlip", () => {
  it("p = 1 mirrors every row, p = 0 changes nothing", () => {
    const x = new NDArray<"float32">(Float32Array.from({ length: 12 }, (_, i) => i), [1, 2, 2, 3]);
    expect(Array.from(randomHorizontalFlip(1)(x.copy(), new Rng(0)).data)).toEqual([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9]);
    expect(Array.from(randomHorizontalFlip(0)(x.copy(), new Rng(0)).data)).toEqual(Array.from(x.data));
  });

  it("flips about a fraction p of the images, one uniform draw each", () => {
    const n = 1000;
    const x = new NDArray<"float32">(Float32Array.from({ length: n * 2 }, (_, i) => i % 2), [n, 1, 1, 2]);
    const y = randomHorizontalFlip(0.3)(x, new Rng(9));
    const rng = new Rng(9);
    let flipped = 0;
    for (let i = 0; i < n; i++) {
      const expectFlip = rng.uniform() < 0.3;
      expect(y.data[2 * i]).toBe(expectFlip ? 1 : 0);
      if (expectFlip) flipped++;
    }
    expect(flipped).toBeGreaterThan(240); // 300 ± ~5σ
    expect(flipped).toBeLessThan(360);
    expect(() => randomHorizontalFlip(1.5)).toThrow("randomHorizontalFlip: p must be in [0, 1], got 1.5");
  });
});

describe("compose", () => {
  it("applies left to right with one generator", () => {
    const x = batch([3, 2, 6, 6]);
    const t = compose(randomCrop(4, 1), randomHorizontalFlip(), normalize(0.5, 2));
    const y = t(x.copy(), new Rng(3));
    const rng = new Rng(3);
    const manual = normalize(0.5, 2)(randomHorizontalFlip()(randomCrop(4, 1)(x.copy(), rng), rng), rng);
    expect(y.data).toEqual(manual.data);
    expect(() => compose(normalize(0, 1), 3 as never)).toThrow("compose: transforms[1] is number, expected a Transform function");
  });
});
