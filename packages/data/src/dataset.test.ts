import { describe, expect, it } from "vitest";
import { channelStats, Dataset, randomSplit } from "./index.js";

/** n 1×2×2 images whose pixels all equal the image index, labelled index mod k. */
function indexed(n: number, k: number): Dataset {
  const images = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i, i * 4, i * 4 + 4);
  return new Dataset(images, Int32Array.from({ length: n }, (_, i) => i % k), [1, 2, 2], { numClasses: k });
}

describe("Dataset", () => {
  it("validates sizes, shape and labels", () => {
    expect(() => new Dataset(new Uint8Array(1000), new Int32Array(2), [1, 28, 28])).toThrow(
      "Dataset: images has 1000 elements, expected 2 labels × [1,28,28] = 1568",
    );
    expect(() => new Dataset(new Uint8Array(4), new Int32Array([0, 10]), [1, 1, 2], { numClasses: 10 })).toThrow(
      "Dataset: labels[1] is 10, expected a class index in [0, 10)",
    );
    expect(() => new Dataset(new Uint8Array(2), new Int32Array([0, -1]), [1, 1, 1])).toThrow("Dataset: labels[1] is -1, expected a class index >= 0");
    expect(() => new Dataset(new Uint8Array(2), new Int32Array(2), [1, 1] as unknown as [number, number, number])).toThrow("Dataset: sampleShape must be [C, H, W]");
    expect(() => new Dataset(new Float64Array(2) as unknown as Float32Array, new Int32Array(2), [1, 1, 1])).toThrow(
      "Dataset: images must be a Uint8Array or Float32Array, got Float64Array",
    );
  });

  it("infers the class count and counts classes", () => {
    const ds = new Dataset(new Uint8Array(4), new Int32Array([0, 3, 3, 1]), [1, 1, 1]);
    expect(ds.numClasses).toBe(4);
    expect(Array.from(ds.classCounts())).toEqual([1, 1, 0, 2]);
    expect(ds.sampleSize).toBe(1);
  });

  it("subset copies images and labels in the given order", () => {
    const ds = indexed(10, 3);
    const sub = ds.subset([9, 0, 9]);
    expect(Array.from(sub.images)).toEqual([9, 9, 9, 9, 0, 0, 0, 0, 9, 9, 9, 9]);
    expect(Array.from(sub.labels)).toEqual([0, 0, 0]);
    expect(sub.numClasses).toBe(3);
    sub.images[0] = 1;
    expect(ds.images[36]).toBe(9);
    expect(() => ds.subset([0, 10])).toThrow("subset: indices[1] is 10, expected an index in [0, 10)");
    const f = new Dataset(new Float32Array([0.5, 1.5]), new Int32Array([0, 1]), [1, 1, 1]);
    expect(f.subset([1]).images).toEqual(new Float32Array([1.5]));
  });
});

describe("randomSplit", () => {
  it("splits into disjoint parts that cover the dataset, the same for the same seed", () => {
    const ds = indexed(50, 5);
    const [a, b] = randomSplit(ds, [35, 15], 4);
    expect([a.length, b.length]).toEqual([35, 15]);
    const ids = (d: Dataset) => Array.from({ length: d.length }, (_, i) => d.images[i * 4]);
    const all = [...ids(a), ...ids(b)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ids(a)).not.toEqual(ids(a).slice().sort((x, y) => x - y)); // shuffled
    for (const part of [a, b]) for (let i = 0; i < part.length; i++) expect(part.labels[i]).toBe(part.images[i * 4] % 5);
    const [a2] = randomSplit(ds, [35, 15], 4);
    expect(ids(a2)).toEqual(ids(a));
    const [a3] = randomSplit(ds, [35, 15], 5);
    expect(ids(a3)).not.toEqual(ids(a));
  });

  it("checks the lengths", () => {
    expect(() => randomSplit(indexed(10, 2), [8, 1], 0)).toThrow("randomSplit: lengths [8,1] add up to 9, expected dataset.length = 10");
    expect(() => randomSplit(indexed(10, 2), [11, -1], 0)).toThrow("randomSplit: lengths must be non-negative integers, got [11,-1]");
  });
});

describe("channelStats", () => {
  it("matches a direct two-pass computation, scaling uint8 by 1/255", () => {
    const images = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const ds = new Dataset(images, new Int32Array(3), [2, 2, 2]);
    const { mean, std } = channelStats(ds);
    for (let ch = 0; ch < 2; ch++) {
      const v: number[] = [];
      for (let n = 0; n < 3; n++) for (let i = 0; i < 4; i++) v.push(images[(n * 2 + ch) * 4 + i] / 255);
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
      expect(mean[ch]).toBeCloseTo(mu, 12);
      expect(std[ch]).toBeCloseTo(sd, 12);
    }
    expect(() => channelStats(new Dataset(new Uint8Array(0), new Int32Array(0), [1, 1, 1], { numClasses: 1 }))).toThrow("channelStats: dataset is empty");
  });
});
