/** Loads safetensors weights into the matching MNIST net (on the reference js device: one digit needs no more) and classifies 28×28 digits. */
import { noGrad, scope, softmax, tensor } from "@tessera/autograd";
import { getDevice } from "@tessera/blas";
import { MNIST_MEAN, MNIST_STD } from "@tessera/data";
import { loadStateDictFromBytes, readSafetensorsHeader, stateDictToBytes, type Module } from "@tessera/nn";
import { isMnistModelName, MNIST_MODELS } from "./models.js";
import type { MnistModelName } from "./protocol.js";

/** Largest weights file accepted (the biggest MNIST net here is well under 1 MB). */
export const MAX_WEIGHTS_BYTES = 16 * 1024 * 1024;

/** A net with its weights loaded. */
export interface Classifier {
  readonly name: MnistModelName;
  readonly net: Module;
  readonly metadata: Record<string, string>;
}

/**
 * Builds the net the file's metadata names (`model`), or, without it, the first of the MNIST
 * nets whose keys and shapes match exactly; loading is strict, so nothing is silently skipped.
 */
export async function loadClassifier(bytes: Uint8Array): Promise<Classifier> {
  if (bytes.length > MAX_WEIGHTS_BYTES) throw new RangeError(`loadClassifier: the file has ${bytes.length} bytes, more than the ${MAX_WEIGHTS_BYTES} accepted`);
  const { metadata } = readSafetensorsHeader(bytes);
  const named = metadata.model;
  if (named !== undefined && !isMnistModelName(named)) {
    throw new Error(`loadClassifier: the file is for model "${named}"; this page runs ${Object.keys(MNIST_MODELS).join(", ")}`);
  }
  const candidates = named !== undefined ? [named] : (Object.keys(MNIST_MODELS) as MnistModelName[]);
  const errors: string[] = [];
  for (const name of candidates) {
    const net = MNIST_MODELS[name].make({ seed: 0, device: getDevice("js") });
    try {
      const meta = await loadStateDictFromBytes(net, bytes);
      net.eval();
      return { name, net, metadata: meta };
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`loadClassifier: the weights fit none of the MNIST nets (${errors.join("; ")})`);
}

/** Class probabilities of a 28×28 digit in [0, 1] (normalised as in training). */
export function classify(c: Classifier, digit: Float32Array): Float32Array {
  if (digit.length !== 784) throw new RangeError(`classify: digit must hold 28·28 = 784 values, got ${digit.length}`);
  const x = Float32Array.from(digit, (v) => (v - MNIST_MEAN) / MNIST_STD);
  return noGrad(() => scope(() => softmax(c.net.forward(tensor(x, { shape: [1, 1, 28, 28], device: c.net.parameters()[0].device }))).dataSync() as Float32Array));
}

/** The classifier's weights as safetensors bytes with its metadata (what a download holds). */
export function classifierBytes(c: Classifier): Promise<Uint8Array> {
  return stateDictToBytes(c.net, c.metadata);
}
