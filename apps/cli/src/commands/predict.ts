import { noGrad, softmax, tensor } from "@tessera/autograd";
import { MNIST_MEAN, MNIST_STD } from "@tessera/data";
import { PNG } from "pngjs";
import { loadModelFromWeights, readUserFile } from "../weights-file.js";
import { CliError, zooEntry } from "../zoo.js";
import { checkPng } from "./png-limits.js";

/**
 * A PNG as a 28×28 MNIST-style input: grey levels (alpha over white), inverted when the
 * background is light (MNIST digits are white on black), resized by area averaging, normalised.
 * The header is checked first (see `checkPng`): nothing is decoded beyond `MAX_PNG_PIXELS`.
 */
export function pngToDigit(bytes: Uint8Array, name = "the image"): Float32Array {
  checkPng(bytes, name);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch (e) {
    throw new CliError(`predict: ${name} is not a readable PNG (${(e as Error).message})`);
  }
  const { width: W, height: H, data } = png;
  const grey = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const a = data[4 * i + 3] / 255;
    const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    grey[i] = a * lum + (1 - a);
  }
  const border = [...grey.slice(0, W), ...grey.slice((H - 1) * W)];
  const invert = border.reduce((s, v) => s + v, 0) / border.length > 0.5;
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const y0 = Math.floor((y * H) / 28), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * H) / 28));
      const x0 = Math.floor((x * W) / 28), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * W) / 28));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += grey[yy * W + xx];
      const v = s / ((y1 - y0) * (x1 - x0));
      out[y * 28 + x] = ((invert ? 1 - v : v) - MNIST_MEAN) / MNIST_STD;
    }
  }
  return out;
}

/** `tessera predict --weights FILE [--model NAME] image.png…`: the most likely digit and its probability. */
export async function predictCommand(o: { model?: string; weights: string; images: string[] }, log: (l: string) => void): Promise<number[]> {
  if (o.images.length === 0) throw new CliError("name at least one PNG file");
  const { name, model } = await loadModelFromWeights(o.weights, o.model, (n) => zooEntry(n).make({ seed: 0 }));
  try {
    const input = zooEntry(name).input;
    if (input.join(",") !== "1,28,28") throw new CliError(`predict classifies 28×28 grey digits; ${name} takes [${input.join(", ")}] inputs`);
    model.eval();
    const out: number[] = [];
    for (const path of o.images) {
      const x = pngToDigit(await readUserFile("image", path), path);
      const p = noGrad(() => softmax(model.forward(tensor(x, { shape: [1, 1, 28, 28] }))).dataSync());
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
      out.push(best);
      log(`${path}: ${best} (${(100 * p[best]).toFixed(1)}%)`);
    }
    return out;
  } finally {
    model.dispose();
  }
}
