import { NDArray, Rng } from "@tessera/ndarray";
import { describe, expect, it } from "vitest";
import { compose, DataLoader, Dataset, normalize, randomCrop, randomHorizontalFlip, type Batch } from "./index.js";

/** n uint8 images 1×2×3 whose first pixel is the image index (n ≤ 256), labels index mod 10. */
function indexed(n: number): Dataset {
  const images = new Uint8Array(n * 6);
  for (let i = 0; i < n; i++) {
    images[i * 6] = i;
    for (let k = 1; k < 6; k++) images[i * 6 + k] = (i * 7 + k * 31) % 256;
  }
  return new Dataset(images, Int32Array.from({ length: n }, (_, i) => i % 10), [1, 2, 3], { numClasses: 10 });
}

const ids = (batches: Iterable<Batch>): number[] => [...batches].flatMap((b) => Array.from(b.indices));

describe("DataLoader", () => {
  it("batches in dataset order into float32 NCHW, uint8 scaled by 1/255", () => {
    const ds = indexed(10);
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.x.shape)).toEqual([[4, 1, 2, 3], [4, 1, 2, 3], [2, 1, 2, 3]]);
    expect(ids(batches)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const last = batches[2];
    expect(Array.from(last.y)).toEqual([8, 9]);
    expect(last.x.dtype).toBe("float32");
    for (let k = 0; k < 6; k++) expect(last.x.data[6 + k]).toBe(Math.fround(ds.images[9 * 6 + k] / 255));
  });

  it("copies float32 images unchanged", () => {
    const ds = new Dataset(new Float32Array([0.5, -2, 3.25, 7]), new Int32Array([1, 0]), [1, 1, 2]);
    const [b] = [...new DataLoader(ds, { batchSize: 2 })];
    expect(Array.from(b.x.data)).toEqual([0.5, -2, 3.25, 7]);
  });

  it("dropLast skips the short batch", () => {
    const loader = new DataLoader(indexed(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.y.length)).toEqual([4, 4]);
    expect(new DataLoader(indexed(3), { batchSize: 4, dropLast: true }).length).toBe(0);
  });

  it("shuffles every epoch into a new permutation, reproducibly from (seed, epoch)", () => {
    const ds = indexed(100);
    const a = new DataLoader(ds, { batchSize: 16, shuffle: true, seed: 7 });
    const e0 = ids(a);
    const e1 = ids(a);
    expect(a.epoch).toBe(2);
    for (const e of [e0, e1]) expect(e.slice().sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(e0).not.toEqual(e1);
    expect(e0).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const b = new DataLoader(ds, { batchSize: 16, shuffle: true, seed: 7 });
    expect(ids(b.batches(1))).toEqual(e1); // random access to an epoch
    expect(ids(b.batches(0))).toEqual(e0);
    expect(b.epoch).toBe(0);
    expect(ids(new DataLoader(ds, { batchSize: 16, shuffle: true, seed: 8 }))).not.toEqual(e0);
  });

  it("an epoch does not depend on how far earlier epochs were consumed", () => {
    const ds = indexed(64);
    const opts = { batchSize: 8, shuffle: true, seed: 3, transform: compose(randomCrop(2, 1), randomHorizontalFlip()) };
    const full = new DataLoader(ds, opts);
    [...full];
    const want = [...full].map((b) => Array.from(b.x.data));
    const partial = new DataLoader(ds, opts);
    for (const _ of partial) break; // stop epoch 0 after one batch
    expect(partial.epoch).toBe(1);
    expect([...partial].map((b) => Array.from(b.x.data))).toEqual(want);
  });

  it("labels follow their images through shuffling and transforms", () => {
    const ds = indexed(50);
    const loader = new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 1, transform: normalize(0.5, 0.25) });
    for (const { x, y, indices } of loader) {
      for (let b = 0; b < y.length; b++) {
        expect(y[b]).toBe(indices[b] % 10);
        expect(x.data[b * 6]).toBeCloseTo((indices[b] / 255 - 0.5) / 0.25, 5);
      }
    }
  });

  it("augments differently in each epoch, and identically for the same epoch", () => {
    const ds = indexed(32);
    const opts = { batchSize: 32, seed: 2, transform: randomHorizontalFlip() };
    const e = (epoch: number) => Array.from(new DataLoader(ds, opts).batches(epoch).next().value!.x.data);
    expect(e(0)).toEqual(e(0));
    expect(e(0)).not.toEqual(e(1));
  });

  it("can change the image size through the transform", () => {
    const ds = new Dataset(new Uint8Array(2 * 3 * 8 * 8), new Int32Array([0, 1]), [3, 8, 8]);
    const [b] = [...new DataLoader(ds, { batchSize: 2, transform: randomCrop(6, 0) })];
    expect(b.x.shape).toEqual([2, 3, 6, 6]);
  });

  it("validates options, epochs and what the transform returns", () => {
    const ds = indexed(4);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow("DataLoader: batchSize must be a positive integer, got 0");
    expect(() => new DataLoader(ds, { batchSize: 1, seed: 0.5 })).toThrow("DataLoader: seed must be a safe integer or a bigint, got 0.5");
    expect(() => new DataLoader({} as Dataset, { batchSize: 1 })).toThrow("DataLoader: dataset must be a Dataset");
    const loader = new DataLoader(ds, { batchSize: 2 });
    expect(() => (loader.epoch = -1)).toThrow("DataLoader.epoch: epoch must be a non-negative integer, got -1");
    expect(() => loader.batches(1.5).next()).toThrow("batches: epoch must be a non-negative integer, got 1.5");
    const bad = new DataLoader(ds, { batchSize: 2, transform: (x) => new NDArray(new Float32Array(x.size), [x.size]) });
    expect(() => [...bad]).toThrow("DataLoader: transform must return a float32 [2, C, H, W] NDArray, got float32 [12]");
  });

  it("uses only the seeded generator (two loaders with one seed agree, whatever else ran)", () => {
    const ds = indexed(20);
    const a = ids(new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 11n }));
    new Rng(11).permutation(1000); // unrelated draws must not matter
    const b = ids(new DataLoader(ds, { batchSize: 5, shuffle: true, seed: 11 }));
    expect(a).toEqual(b);
  });
});
