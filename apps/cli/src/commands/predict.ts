import { noGrad, scope, softmax, tensor } from "@tessera/autograd";
import { MNIST_MEAN, MNIST_STD } from "@tessera/data";
import { googlenet, IMAGENET_CLASSES, inceptionV3, loadTorchvision, preprocessImageNet, readTorchStateDict } from "@tessera/models";
import type { Device } from "@tessera/blas";
import type { Module } from "@tessera/nn";
import { pickDevice } from "../devices.js";
import { PNG } from "pngjs";
import { loadModelFromBytes, readUserFile } from "../weights-file.js";
import { CliError, zooEntry } from "../zoo.js";
import { torchReadError } from "./convert.js";
import { decodeImage } from "./images.js";
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

/** Whether a zoo model takes ImageNet images (3×224×224, AlexNet 2012's 227×227, Inception's 299×299). */
function isImageNet(name: string): boolean {
  const [c, h] = zooEntry(name).input;
  return c === 3 && h >= 224;
}

/**
 * An ImageNet model for predicting with pretrained weights, whose tensor names are `keys`: 1000
 * classes; GoogLeNet and Inception v3 as torchvision builds them for its pretrained weights
 * (`transform_input` on), with the auxiliary classifiers when the file holds them.
 */
function makeImageNet(name: string, keys: ReadonlySet<string>, device: Device): Module {
  const has = (prefix: string) => [...keys].some((k) => k.startsWith(prefix));
  if (name === "googlenet") return googlenet({ seed: 0, device, numClasses: 1000, transformInput: true, auxLogits: has("aux1.") });
  if (name === "inceptionV3") return inceptionV3({ seed: 0, device, numClasses: 1000, transformInput: true, auxLogits: has("AuxLogits.") });
  return zooEntry(name).make({ seed: 0, device, numClasses: 1000 });
}

/** The model for digits (MNIST models) or ImageNet images; any other model is refused before its weights are loaded. */
function makeForPredict(name: string, data: string | undefined, keys: ReadonlySet<string>, device: Device): Module {
  if (isImageNet(name)) return makeImageNet(name, keys, device);
  const input = zooEntry(name).input;
  if (input.join(",") !== "1,28,28" || (data !== undefined && data !== "mnist")) {
    throw new CliError(`predict classifies 28×28 grey digits (MNIST models) and ImageNet images (alexnet, vgg*, resnet18–152, googlenet, inceptionV3); ${name}${data ? ` trained on ${data}` : ""} takes [${input.join(", ")}] inputs`);
  }
  return zooEntry(name).make({ seed: 0, device });
}

/** Whether `bytes` start as a zip archive (a PyTorch file since 1.6). */
const isZip = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** Builds `name` and fills it from a PyTorch state dict (`.pth` / `.pt`) strictly, with one-line errors. */
async function loadTorchFile(path: string, bytes: Uint8Array, name: string, device: Device): Promise<Module> {
  let keys: Set<string>;
  try {
    keys = new Set(readTorchStateDict(bytes).keys());
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`--weights ${path} is not a readable PyTorch state dict (${torchReadError(e.message, "convert")})`);
    throw e;
  }
  const model = makeForPredict(name, undefined, keys, device);
  try {
    await loadTorchvision(model, bytes);
  } catch (e) {
    model.dispose();
    let why = (e as Error).message;
    if (why.length > 240) why = `${why.slice(0, 240)}…`;
    throw new CliError(`--weights ${path} does not hold ${name} weights (${why})`);
  }
  return model;
}

/**
 * `tessera predict --weights FILE [--model NAME] IMAGE…`: for an MNIST model, the most likely digit
 * of each PNG and its probability; for an ImageNet model (weights as safetensors, or a PyTorch
 * `.pth` with `--model`), the five most likely classes of each PNG or JPEG with their names and
 * probabilities, after torchvision's evaluation preprocessing. Returns the top class of each image.
 */
export async function predictCommand(o: { model?: string; weights: string; images: string[]; device?: string; threads?: number }, log: (l: string) => void): Promise<number[]> {
  if (o.images.length === 0) throw new CliError("name at least one image file");
  const device = await pickDevice(o.device ?? "js", o.threads);
  const bytes = await readUserFile("--weights", o.weights);
  let model: Module;
  let name: string;
  if (isZip(bytes)) {
    if (o.model === undefined) throw new CliError(`--weights ${o.weights} is a PyTorch file, which does not name its model: name it with --model (e.g. --model resnet18)`);
    name = o.model;
    zooEntry(name);
    model = await loadTorchFile(o.weights, bytes, name, device);
  } else {
    // The model is checked before the weights are loaded (a CIFAR-100 model's would not fit a 10-class one).
    ({ name, model } = await loadModelFromBytes(o.weights, bytes, o.model, (n, data, keys) => makeForPredict(n, data, keys, device)));
  }
  try {
    model.eval();
    return isImageNet(name) ? await predictImageNet(model, name, o.images, device, log) : await predictDigits(model, o.images, device, log);
  } finally {
    model.dispose();
  }
}

async function predictDigits(model: Module, images: readonly string[], device: Device, log: (l: string) => void): Promise<number[]> {
  const out: number[] = [];
  for (const path of images) {
    const x = pngToDigit(await readUserFile("image", path), path);
    const p = await scope(() => noGrad(() => softmax(model.forward(tensor(x, { shape: [1, 1, 28, 28], device })))).data());
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    out.push(best);
    log(`${path}: ${best} (${(100 * p[best]).toFixed(1)}%)`);
  }
  return out;
}

/** How many classes `predict` prints for an ImageNet image. */
export const TOP_K = 5;

async function predictImageNet(model: Module, name: string, images: readonly string[], device: Device, log: (l: string) => void): Promise<number[]> {
  const size = zooEntry(name).input[1];
  const out: number[] = [];
  for (const path of images) {
    const image = decodeImage(await readUserFile("image", path), path);
    // torchvision's evaluation transform: Resize(256) + CenterCrop(224); Inception v3: 342 and 299
    const { data, shape } = preprocessImageNet(image, { resize: name === "inceptionV3" ? 342 : 256, crop: size });
    // the activations are freed after each image (on wasm and webgpu they hold device memory)
    const p = await scope(() => noGrad(() => softmax(model.forward(tensor(data, { shape, device })))).data());
    if (p.length !== IMAGENET_CLASSES.length) throw new Error(`predict: ${name} gave ${p.length} scores, expected ${IMAGENET_CLASSES.length}`);
    const top = [...p.keys()].sort((a, b) => p[b] - p[a] || a - b).slice(0, TOP_K);
    top.forEach((k, r) => log(`${path}: ${r + 1}. ${IMAGENET_CLASSES[k]} (${(100 * p[k]).toFixed(2)}%)`));
    out.push(top[0]);
  }
  return out;
}
