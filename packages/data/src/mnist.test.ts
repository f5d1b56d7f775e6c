import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Rng } from "@tessera/ndarray";
import { afterAll, describe, expect, it } from "vitest";
import { encodeIdx, loadMnist, MNIST_FILES, mnistDataset, parseMnist, type MnistFiles } from "./index.js";

/** A small MNIST-format split: n random h×w images and labels in [0, 10). */
function split(n: number, rng: Rng, h = 28, w = 28): { images: Uint8Array; labels: Uint8Array; px: Uint8Array; y: Uint8Array } {
  const px = Uint8Array.from({ length: n * h * w }, () => rng.integers(0, 256));
  const y = Uint8Array.from({ length: n }, () => rng.integers(0, 10));
  return {
    images: encodeIdx({ dtype: "uint8", shape: [n, h, w], data: px }),
    labels: encodeIdx({ dtype: "uint8", shape: [n], data: y }),
    px,
    y,
  };
}

const rng = new Rng(2024);
const TRAIN = split(30, rng);
const TEST = split(12, rng);
const FILES: MnistFiles = { trainImages: TRAIN.images, trainLabels: TRAIN.labels, testImages: TEST.images, testLabels: TEST.labels };

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tessera-mnist-"));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("parseMnist", () => {
  it("decodes the four files into [1, 28, 28] uint8 datasets", () => {
    const { train, test } = parseMnist(FILES);
    expect(train.length).toBe(30);
    expect(test.length).toBe(12);
    expect(train.sampleShape).toEqual([1, 28, 28]);
    expect(train.numClasses).toBe(10);
    expect(train.images).toEqual(TRAIN.px);
    expect(Array.from(test.labels)).toEqual(Array.from(TEST.y));
  });

  it("reports swapped files, count mismatches and bad labels by file name", () => {
    expect(() => parseMnist({ ...FILES, trainImages: TRAIN.labels })).toThrow(
      "readIdx: train-images-idx3-ubyte has magic 0x00000801 (unsigned byte, 1 dimension), expected 0x00000803 (unsigned byte, 3 dimensions)",
    );
    const short = encodeIdx({ dtype: "uint8", shape: [29], data: TRAIN.y.slice(0, 29) });
    expect(() => parseMnist({ ...FILES, trainLabels: short })).toThrow(
      "mnistDataset: train-labels-idx1-ubyte has 29 labels but train-images-idx3-ubyte has 30 images",
    );
    const bad = encodeIdx({ dtype: "uint8", shape: [12], data: Uint8Array.from(TEST.y, (v, i) => (i === 5 ? 10 : v)) });
    expect(() => parseMnist({ ...FILES, testLabels: bad })).toThrow(
      "mnistDataset: t10k-labels-idx1-ubyte has label 10 at index 5, expected a class index in [0, 10)",
    );
    expect(() => parseMnist({ ...FILES, testImages: TEST.images.subarray(0, 500) })).toThrow(
      "readIdx: t10k-images-idx3-ubyte is truncated: header says 12×28×28 = 9408 bytes of data, found 484",
    );
    expect(() => parseMnist({ ...FILES, testImages: split(12, new Rng(1), 20, 20).images })).toThrow(
      "parseMnist: train-images-idx3-ubyte has 28×28 images but t10k-images-idx3-ubyte has 20×20",
    );
    expect(() => parseMnist({ trainImages: TRAIN.images } as MnistFiles)).toThrow(
      "parseMnist: files.trainLabels, files.testImages, files.testLabels must be Uint8Array bytes",
    );
  });

  it("mnistDataset accepts more classes for MNIST-format sets", () => {
    const labels = encodeIdx({ dtype: "uint8", shape: [1], data: new Uint8Array([26]) });
    const images = encodeIdx({ dtype: "uint8", shape: [1, 2, 2], data: new Uint8Array(4) });
    expect(mnistDataset(images, labels, { numClasses: 27 }).numClasses).toBe(27);
    expect(() => mnistDataset(images, labels)).toThrow("mnistDataset: labels has label 26 at index 0, expected a class index in [0, 10)");
  });
});

describe("loadMnist", () => {
  it("reads plain and gzipped files from a directory", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, `${MNIST_FILES.trainImages}.gz`), gzipSync(FILES.trainImages));
    writeFileSync(join(dir, MNIST_FILES.trainLabels), FILES.trainLabels);
    writeFileSync(join(dir, `${MNIST_FILES.testImages}.gz`), gzipSync(FILES.testImages));
    writeFileSync(join(dir, `${MNIST_FILES.testLabels}.gz`), gzipSync(FILES.testLabels));
    const { train, test } = await loadMnist({ dir });
    expect(train.images).toEqual(TRAIN.px);
    expect(Array.from(train.labels)).toEqual(Array.from(TRAIN.y));
    expect(test.images).toEqual(TEST.px);
  });

  it("names a missing file and a truncated gzip file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MNIST_FILES.trainImages), FILES.trainImages);
    writeFileSync(join(dir, MNIST_FILES.trainLabels), FILES.trainLabels);
    writeFileSync(join(dir, MNIST_FILES.testImages), FILES.testImages);
    await expect(loadMnist({ dir })).rejects.toThrow(`loadMnist: found none of t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz in ${dir}`);
    const gz = gzipSync(FILES.testLabels);
    writeFileSync(join(dir, `${MNIST_FILES.testLabels}.gz`), gz.subarray(0, gz.length - 6));
    await expect(loadMnist({ dir })).rejects.toThrow(/^gunzip: t10k-labels-idx1-ubyte\.gz is corrupt or truncated/);
    await expect(loadMnist({ dir: "" })).rejects.toThrow('loadMnist: dir must be a non-empty path string, got ""');
  });
});
