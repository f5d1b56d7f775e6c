import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@tessera/ndarray";
import { afterAll, describe, expect, it } from "vitest";
import { CIFAR10_CLASSES, loadCifar10, loadCifar100, parseCifar10, parseCifar100 } from "./index.js";

const PIXELS = 3072;

interface Records {
  bytes: Uint8Array;
  pixels: Uint8Array;
  labels: number[][]; // per record, its label bytes
}

/** Writes n records in the CIFAR binary layout: label byte(s), then 1024 R, 1024 G, 1024 B. */
function records(n: number, labelRanges: number[], rng: Rng): Records {
  const rec = labelRanges.length + PIXELS;
  const bytes = new Uint8Array(n * rec);
  const pixels = new Uint8Array(n * PIXELS);
  const labels: number[][] = [];
  for (let i = 0; i < n; i++) {
    const l = labelRanges.map((r) => rng.integers(0, r));
    labels.push(l);
    bytes.set(l, i * rec);
    for (let p = 0; p < PIXELS; p++) {
      const v = rng.integers(0, 256);
      bytes[i * rec + labelRanges.length + p] = v;
      pixels[i * PIXELS + p] = v;
    }
  }
  return { bytes, pixels, labels };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tessera-cifar-"));
  dirs.push(d);
  return d;
}

describe("CIFAR-10", () => {
  it("parses records into [3, 32, 32] images with their labels", () => {
    const r = records(5, [10], new Rng(1));
    const ds = parseCifar10(r.bytes);
    expect(ds.sampleShape).toEqual([3, 32, 32]);
    expect(ds.images).toEqual(r.pixels);
    expect(Array.from(ds.labels)).toEqual(r.labels.map((l) => l[0]));
    expect(ds.numClasses).toBe(10);
    expect(CIFAR10_CLASSES[ds.labels[0]]).toBeTypeOf("string");
  });

  it("rejects wrong lengths, CIFAR-100 data and bad labels", () => {
    expect(() => parseCifar10(new Uint8Array(3000), "data_batch_1.bin")).toThrow(
      "parseCifar10: data_batch_1.bin has 3000 bytes, expected a positive multiple of the 3073-byte record (1 label byte + 3×32×32 pixels)",
    );
    expect(() => parseCifar10(new Uint8Array(0))).toThrow("parseCifar10: CIFAR-10 data has 0 bytes");
    expect(() => parseCifar10(records(2, [20, 100], new Rng(2)).bytes, "train.bin")).toThrow("; it looks like CIFAR-100 data (3074-byte records)");
    const r = records(3, [10], new Rng(3));
    r.bytes[2 * 3073] = 10;
    expect(() => parseCifar10(r.bytes, "test_batch.bin")).toThrow("parseCifar10: test_batch.bin record 2 has label 10, expected a class index in [0, 10)");
  });

  it("loadCifar10 joins the five training batches, from the folder or its parent", async () => {
    const root = tempDir();
    const dir = join(root, "cifar-10-batches-bin");
    mkdirSync(dir);
    const rng = new Rng(4);
    const batches = [1, 2, 3, 4, 5].map((k) => records(k + 1, [10], rng));
    batches.forEach((b, k) => writeFileSync(join(dir, `data_batch_${k + 1}.bin`), b.bytes));
    const test = records(4, [10], rng);
    writeFileSync(join(dir, "test_batch.bin"), test.bytes);
    for (const d of [root, dir]) {
      const { train, test: t } = await loadCifar10(d);
      expect(train.length).toBe(2 + 3 + 4 + 5 + 6);
      expect(train.images.subarray(0, 2 * PIXELS)).toEqual(batches[0].pixels);
      expect(train.images.subarray(14 * PIXELS)).toEqual(batches[4].pixels);
      expect(Array.from(train.labels)).toEqual(batches.flatMap((b) => b.labels.map((l) => l[0])));
      expect(t.images).toEqual(test.pixels);
    }
    rmSync(join(dir, "data_batch_3.bin"));
    await expect(loadCifar10(root)).rejects.toThrow(`loadCifar10: found none of data_batch_3.bin in ${dir}`);
  });
});

describe("CIFAR-100", () => {
  it("uses the fine or the coarse label", () => {
    const r = records(6, [20, 100], new Rng(5));
    const fine = parseCifar100(r.bytes);
    const coarse = parseCifar100(r.bytes, { labelMode: "coarse" });
    expect(fine.numClasses).toBe(100);
    expect(coarse.numClasses).toBe(20);
    expect(Array.from(fine.labels)).toEqual(r.labels.map((l) => l[1]));
    expect(Array.from(coarse.labels)).toEqual(r.labels.map((l) => l[0]));
    expect(fine.images).toEqual(r.pixels);
    expect(() => parseCifar100(r.bytes, { labelMode: "mid" as "fine" })).toThrow('parseCifar100: labelMode must be "fine" or "coarse", got "mid"');
  });

  it("validates labels of the chosen kind and the record size", () => {
    const r = records(2, [20, 100], new Rng(6));
    r.bytes[3074] = 20; // coarse label of record 1
    expect(() => parseCifar100(r.bytes, { labelMode: "coarse", name: "train.bin" })).toThrow(
      "parseCifar100: train.bin record 1 has label 20, expected a class index in [0, 20)",
    );
    expect(() => parseCifar100(records(2, [10], new Rng(7)).bytes)).toThrow("it looks like CIFAR-10 data (3073-byte records)");
  });

  it("loadCifar100 reads train.bin and test.bin", async () => {
    const root = tempDir();
    const dir = join(root, "cifar-100-binary");
    mkdirSync(dir);
    const train = records(3, [20, 100], new Rng(8));
    const test = records(2, [20, 100], new Rng(9));
    writeFileSync(join(dir, "train.bin"), train.bytes);
    writeFileSync(join(dir, "test.bin"), test.bytes);
    const got = await loadCifar100(root, { labelMode: "coarse" });
    expect(got.train.images).toEqual(train.pixels);
    expect(Array.from(got.test.labels)).toEqual(test.labels.map((l) => l[0]));
    expect((await loadCifar100(dir)).train.numClasses).toBe(100);
  });
});
