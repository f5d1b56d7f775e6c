/**
 * The guides' figures (docs/figures/*.svg), drawn from code and data in the repository:
 *
 * - `im2col-5x5-3x3.svg`: the course's 5×5 image and the 9×9 matrix `im2col` makes of it, computed
 *   by the `js` device of `@tessera/blas`, each patch's column coloured like its window.
 * - `sgemm-gflops.svg`: GFLOP/s of the committed sgemm benchmark (`bench/results/gemm.json`) per
 *   system, with the one-core WebAssembly SIMD peaks of the same run.
 * - `lenet5-curves.svg`: per-batch training loss and per-epoch test accuracy of a seeded LeNet-5
 *   run (3 epochs on 2,000 bundled MNIST digits, wasm device, one thread).
 *
 * `pnpm run figures` (after `pnpm build`) writes all three; `node scripts/figures.mjs im2col gemm`
 * writes only the named ones. The first two are deterministic and a test checks that the committed
 * files are up to date.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = (name) => import(pathToFileURL(join(root, "packages", name, "dist", "index.js")).href);

/** Escapes text for SVG. */
const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Fixed-precision coordinates, so output is stable. */
const n = (v) => Number(v.toFixed(1));
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];

function svg(width, height, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body.join("\n")}\n</svg>\n`;
}

/** The course's 5×5 ⊛ 3×3 example: the image, and its im2col matrix from the js device. */
export async function im2colFigure() {
  const { getDevice } = await pkg("blas");
  const image = [[2, 4, 9, 1, 4], [2, 1, 4, 4, 6], [1, 1, 2, 9, 2], [7, 3, 5, 1, 3], [2, 3, 4, 8, 5]];
  const g = { C: 1, H: 5, W: 5, KH: 3, KW: 3, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationH: 1, dilationW: 1, OH: 3, OW: 3 };
  const dev = getDevice("js");
  const x = dev.alloc(25);
  dev.write(x, image.flat());
  const col = dev.alloc(81);
  dev.im2col(g, 1, x, 0, 25, col, 0, 9);
  const m = await dev.read(col);
  dev.free(x);
  dev.free(col);

  const cell = 30, out = [];
  const title = "im2col of a 5×5 image for a 3×3 filter: column p holds the window of output pixel p";
  out.push(`<text x="20" y="24" font-size="14" font-weight="bold">${esc(title)}</text>`);
  // the image, with the windows of output pixels 0 and 4 outlined
  const ix = 20, iy = 70;
  out.push(`<text x="${ix}" y="${iy - 10}">image x (5×5)</text>`);
  for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) {
    out.push(`<rect x="${ix + c * cell}" y="${iy + r * cell}" width="${cell}" height="${cell}" fill="white" stroke="#999"/>`);
    out.push(`<text x="${ix + c * cell + cell / 2}" y="${iy + r * cell + 20}" text-anchor="middle">${image[r][c]}</text>`);
  }
  for (const p of [0, 4, 8]) {
    const oh = Math.floor(p / 3), ow = p % 3, inset = p === 4 ? 3 : p === 8 ? 6 : 0;
    out.push(`<rect x="${ix + ow * cell + inset / 2}" y="${iy + oh * cell + inset / 2}" width="${3 * cell - inset}" height="${3 * cell - inset}" fill="none" stroke="${PALETTE[p]}" stroke-width="3"/>`);
  }
  out.push(`<text x="${ix}" y="${iy + 5 * cell + 22}" fill="#555">outlined: the windows of output</text>`);
  out.push(`<text x="${ix}" y="${iy + 5 * cell + 38}" fill="#555">pixels 0, 4 and 8 (columns 0, 4, 8)</text>`);
  // the matrix: row r = kh·3 + kw, column p = oh·3 + ow
  const mx = 260, my = 70;
  out.push(`<text x="${mx}" y="${my - 10}">im2col(x): row kh·3 + kw, column oh·3 + ow</text>`);
  for (let p = 0; p < 9; p++) {
    out.push(`<rect x="${mx + p * cell}" y="${my}" width="${cell}" height="${9 * cell}" fill="${PALETTE[p]}" fill-opacity="0.22"/>`);
    out.push(`<text x="${mx + p * cell + cell / 2}" y="${my + 9 * cell + 16}" text-anchor="middle" fill="#555">${p}</text>`);
  }
  for (let r = 0; r < 9; r++) for (let p = 0; p < 9; p++) {
    out.push(`<rect x="${mx + p * cell}" y="${my + r * cell}" width="${cell}" height="${cell}" fill="none" stroke="#bbb"/>`);
    out.push(`<text x="${mx + p * cell + cell / 2}" y="${my + r * cell + 20}" text-anchor="middle">${m[r * 9 + p]}</text>`);
  }
  const fx = mx + 9 * cell + 50;
  out.push(`<text x="${fx}" y="${my - 10}">filter w</text>`);
  const w = [1, 2, 3, -4, 7, 4, 2, -5, 1];
  for (let r = 0; r < 9; r++) {
    out.push(`<rect x="${fx}" y="${my + r * cell}" width="${cell}" height="${cell}" fill="#f4f4f4" stroke="#999"/>`);
    out.push(`<text x="${fx + cell / 2}" y="${my + r * cell + 20}" text-anchor="middle">${w[r]}</text>`);
  }
  out.push(`<text x="${fx + cell + 8}" y="${my + 4.5 * cell}" fill="#555">row-major,</text>`);
  out.push(`<text x="${fx + cell + 8}" y="${my + 4.5 * cell + 16}" fill="#555">as a column</text>`);
  const y = Array.from({ length: 9 }, (_, p) => w.reduce((s, wr, r) => s + wr * m[r * 9 + p], 0));
  out.push(`<text x="${mx}" y="${my + 9 * cell + 44}">w · im2col(x) = [${y.join(", ")}]: the 3×3 output</text>`);
  return svg(fx + 140, my + 9 * cell + 64, out);
}

/** Horizontal grouped bars of the committed sgemm benchmark, with the SIMD peaks as lines. */
export function gemmFigure(run) {
  const systems = [...new Set(run.rows.map((r) => r.system))];
  const cases = [...new Set(run.rows.map((r) => r.case))];
  const peaks = [];
  for (const note of run.notes) {
    const m = /mul \+ f32x4\.add ([\d.]+), f32x4\.relaxed_madd ([\d.]+)/.exec(note);
    if (m) peaks.push(["one-core SIMD peak, mul + add", Number(m[1])], ["one-core SIMD peak, relaxed madd", Number(m[2])]);
  }
  const max = Math.max(...run.rows.map((r) => r.value), ...peaks.map((p) => p[1]));
  const left = 300, width = 520, bar = 9, gap = 8, top = 92;
  const groupH = systems.length * bar + gap;
  const scale = (v) => (v / max) * width;
  const out = [];
  out.push(`<text x="10" y="22" font-size="15" font-weight="bold">${esc(run.title)} (${esc(run.unit)})</text>`);
  out.push(`<text x="10" y="40" fill="#555">${esc(run.machine)}, ${esc(run.date.slice(0, 10))} — from bench/results/gemm.json</text>`);
  systems.forEach((s, i) => {
    const lx = 10 + (i % 3) * 280, ly = 58 + Math.floor(i / 3) * 16;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[i]}"/><text x="${lx + 14}" y="${ly}">${esc(s)}</text>`);
  });
  cases.forEach((c, ci) => {
    const gy = top + ci * groupH;
    out.push(`<text x="${left - 8}" y="${n(gy + (systems.length * bar) / 2 + 4)}" text-anchor="end">${esc(c)}</text>`);
    systems.forEach((s, si) => {
      const row = run.rows.find((r) => r.case === c && r.system === s);
      if (!row) return;
      const y = gy + si * bar;
      out.push(`<rect x="${left}" y="${y}" width="${n(scale(row.value))}" height="${bar - 1}" fill="${PALETTE[si]}"/>`);
      out.push(`<text x="${n(left + scale(row.value) + 3)}" y="${y + bar - 1}" font-size="9">${row.value.toFixed(1)}</text>`);
    });
  });
  const bottom = top + cases.length * groupH;
  peaks.forEach(([label, v], i) => {
    const x = n(left + scale(v));
    out.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${bottom}" stroke="#333" stroke-dasharray="${i ? "6 3" : "2 3"}"/>`);
    out.push(`<text x="${x}" y="${bottom + 14 + i * 14}" text-anchor="middle" font-size="10">${esc(label)}: ${v}</text>`);
  });
  return svg(left + width + 90, bottom + 48, out);
}

/** Loss per batch and test accuracy per epoch, from `{ batchLosses, epochAccuracy, batchesPerEpoch, title }`. */
export function curvesFigure({ batchLosses, epochAccuracy, batchesPerEpoch, title }) {
  const left = 60, top = 50, w = 560, h = 240, out = [];
  const maxLoss = Math.ceil(Math.max(...batchLosses) * 2) / 2;
  const x = (i) => n(left + (i / (batchLosses.length - 1)) * w);
  const yLoss = (v) => n(top + h - (v / maxLoss) * h);
  const yAcc = (a) => n(top + h - a * h);
  out.push(`<text x="10" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (let t = 0; t <= maxLoss + 1e-9; t += 0.5) {
    out.push(`<line x1="${left - 4}" y1="${yLoss(t)}" x2="${left}" y2="${yLoss(t)}" stroke="#999"/><text x="${left - 7}" y="${yLoss(t) + 4}" text-anchor="end" font-size="10">${t.toFixed(1)}</text>`);
  }
  for (let a = 0; a <= 1.0001; a += 0.2) {
    out.push(`<line x1="${left + w}" y1="${yAcc(a)}" x2="${left + w + 4}" y2="${yAcc(a)}" stroke="#999"/><text x="${left + w + 7}" y="${yAcc(a) + 4}" font-size="10">${Math.round(a * 100)} %</text>`);
  }
  for (let e = 1; e <= epochAccuracy.length; e++) {
    const xe = x(Math.min(e * batchesPerEpoch, batchLosses.length) - 1);
    out.push(`<line x1="${xe}" y1="${top}" x2="${xe}" y2="${top + h}" stroke="#ddd"/><text x="${xe}" y="${top + h + 16}" text-anchor="middle" font-size="10">epoch ${e}</text>`);
  }
  out.push(`<polyline fill="none" stroke="${PALETTE[0]}" stroke-width="1.5" points="${batchLosses.map((v, i) => `${x(i)},${yLoss(v)}`).join(" ")}"/>`);
  const accPts = epochAccuracy.map((a, e) => [x(Math.min((e + 1) * batchesPerEpoch, batchLosses.length) - 1), yAcc(a)]);
  out.push(`<polyline fill="none" stroke="${PALETTE[1]}" stroke-width="2" points="${accPts.map((p) => p.join(",")).join(" ")}"/>`);
  for (const [i, [px, py]] of accPts.entries()) {
    out.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${PALETTE[1]}"/><text x="${px - 6}" y="${py - 8}" text-anchor="end" font-size="10">${(100 * epochAccuracy[i]).toFixed(1)} %</text>`);
  }
  out.push(`<line x1="${left}" y1="${top + h + 34}" x2="${left + 20}" y2="${top + h + 34}" stroke="${PALETTE[0]}" stroke-width="2"/><text x="${left + 26}" y="${top + h + 38}">training loss per batch (left axis)</text>`);
  out.push(`<line x1="${left + 260}" y1="${top + h + 34}" x2="${left + 280}" y2="${top + h + 34}" stroke="${PALETTE[1]}" stroke-width="2"/><text x="${left + 286}" y="${top + h + 38}">test accuracy after each epoch (right axis)</text>`);
  return svg(left + w + 60, top + h + 56, out);
}

/** A seeded LeNet-5 run: 3 epochs of Adam 2e-3 on 2,000 bundled digits, tested on the 2,000 test digits. */
export async function lenetRun() {
  const { wasmDevice } = await pkg("blas-wasm");
  const { DataLoader, loadBundledMnist, MNIST_MEAN, MNIST_STD, normalize } = await pkg("data");
  const { lenet5 } = await pkg("models");
  const { fit } = await pkg("nn");
  const { Adam, crossEntropy } = await pkg("optim");
  const device = await wasmDevice({ threads: 1, register: false });
  const { train, test } = await loadBundledMnist();
  const transform = normalize(MNIST_MEAN, MNIST_STD);
  const trainLoader = new DataLoader(train.subset(Array.from({ length: 2000 }, (_, i) => i)), { batchSize: 50, shuffle: true, seed: 0, transform });
  const testLoader = new DataLoader(test, { batchSize: 500, transform });
  const net = lenet5({ seed: 0, device });
  const batchLosses = [];
  const history = await fit(net, trainLoader, {
    optimizer: new Adam(net.parameters(), { lr: 2e-3 }), loss: crossEntropy, epochs: 3, validation: testLoader,
    callbacks: [{ onBatchEnd: (_i, logs) => { batchLosses.push(logs.loss); } }],
  });
  return {
    batchLosses, batchesPerEpoch: 40, epochAccuracy: history.epochs.map((e) => e.val_accuracy),
    title: "LeNet-5, Adam 2e-3, batch 50, 2,000 bundled MNIST digits, seed 0 (wasm, 1 thread)",
  };
}

/** Every figure: name → function producing its SVG text. */
export const FIGURES = {
  im2col: { file: "im2col-5x5-3x3.svg", make: () => im2colFigure() },
  gemm: { file: "sgemm-gflops.svg", make: () => gemmFigure(JSON.parse(readFileSync(join(root, "bench/results/gemm.json"), "utf8"))) },
  curves: { file: "lenet5-curves.svg", make: async () => curvesFigure(await lenetRun()) },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(FIGURES);
  const outDir = join(root, "docs", "figures");
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const fig = FIGURES[name];
    if (!fig) throw new Error(`figures: unknown figure '${name}', expected one of ${Object.keys(FIGURES).join(", ")}`);
    writeFileSync(join(outDir, fig.file), await fig.make());
    console.log(`wrote docs/figures/${fig.file}`);
  }
}
